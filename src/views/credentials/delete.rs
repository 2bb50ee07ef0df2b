//! Deleting the credential shown: the question, and back to the list once it is gone.

use crate::api::ApiError;
use crate::components::{use_operations, use_toasts, ConfirmDelete, ErrorNotice, PageLife};
use crate::routing::Page;
use crate::services::Credentials;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[derive(Clone, Copy)]
pub(super) struct CredentialDelete {
    id: Memo<String>,
    confirming: RwSignal<bool>,
    delete: Action<String, Result<(), ApiError>>,
}

impl CredentialDelete {
    pub fn new(service: Credentials, id: Memo<String>) -> Self {
        let (operations, toasts, page) = (use_operations(), use_toasts(), PageLife::new());
        let navigate = use_navigate();
        let delete = Action::new_local(move |deleted: &String| {
            let work = service.delete(deleted.clone());
            let (deleted, navigate) = (deleted.clone(), navigate.clone());
            async move {
                let what = format!("Deleting credential {deleted}");
                operations.run(what, Some(page), work).await?;
                toasts.success(format!("Credential {deleted} deleted."));
                // Back to the list only from the page that asked, still showing that credential.
                if id.try_get_untracked().as_ref() == Some(&deleted) {
                    navigate(&Page::all_credentials().path(), Default::default());
                }
                Ok::<(), ApiError>(())
            }
        });
        CredentialDelete {
            id,
            confirming: RwSignal::new(false),
            delete,
        }
    }

    pub fn ask(&self) {
        self.confirming.set(true);
    }
}

#[component]
pub(super) fn DeleteCredential(delete: CredentialDelete) -> impl IntoView {
    let CredentialDelete {
        id,
        confirming,
        delete,
    } = delete;
    let failed = move || {
        let error = delete.value().get()?.err()?;
        Some(view! { <ErrorNotice error action="Deleting failed" /> })
    };
    view! {
        {failed}
        <ConfirmDelete
            open=confirming
            title="Delete credential?"
            text=Signal::derive(move || format!("Credential {} will be deleted.", id.get()))
            on_confirm=Callback::new(move |_| {
                confirming.set(false);
                delete.dispatch(id.get_untracked());
            })
            on_cancel=Callback::new(move |_| confirming.set(false))
        />
    }
}
