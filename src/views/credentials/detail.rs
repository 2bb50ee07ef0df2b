//! One credential: its fields, the blob with secrets masked, blob update, re-create, delete.

use super::blob_editor::{BlobEdit, BlobEditor};
use super::delete::{CredentialDelete, DeleteCredential};
use super::facts::CredentialFacts;
use super::names::use_names;
use super::recreate::{Recreate, RecreatePanel};
use crate::api::credentials::Credential;
use crate::components::{use_operations, ErrorNotice, PageHeading};
use crate::routing::{use_page_href, Page};
use crate::services::credentials::use_credentials;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CredentialPage() -> impl IntoView {
    let (service, operations, names) = (use_credentials(), use_operations(), use_names());
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    // Read again whenever a write finished.
    let credential = LocalResource::new(move || {
        let (id, _) = (id.get(), operations.changed());
        service.show(id)
    });
    // What the page's actions do outlives each reading of the credential.
    let edit = BlobEdit::new(service, id);
    let recreate = Recreate::new(service, id);
    let delete = CredentialDelete::new(service, id);
    let shown = move || match credential.get() {
        None => view! { <p class="loading">"Loading…"</p> }.into_any(),
        Some(Err(error)) => {
            let action = match error.status() {
                Some(403 | 404) => "This credential was not found or you may not see it",
                _ => "Reading the credential failed",
            };
            view! { <ErrorNotice error action /> }.into_any()
        }
        Some(Ok(c)) => view! {
            <CredentialFacts credential=c.clone() names=names.get().unwrap_or_default() />
            <CredentialActions credential=c.clone() edit recreate delete />
            <RecreatePanel old=c.clone() recreate />
            <BlobEditor credential=c edit />
        }
        .into_any(),
    };
    let back = use_page_href()(&Page::all_credentials().path());
    view! {
        <section class="page" aria-labelledby="page-title">
            <p>
                <A href=back>"← All credentials"</A>
            </p>
            <PageHeading title="Credential" />
            {shown}
            <DeleteCredential delete />
        </section>
    }
}

#[component]
fn CredentialActions(
    credential: Credential,
    edit: BlobEdit,
    recreate: Recreate,
    delete: CredentialDelete,
) -> impl IntoView {
    let blob = credential.blob.expose().to_string();
    let (kind, project) = (credential.kind, credential.project_id.unwrap_or_default());
    view! {
        <div class="actions">
            <button
                type="button"
                class="button"
                data-test="edit-blob"
                on:click=move |_| edit.open(blob.clone())
            >
                "Edit blob…"
            </button>
            <button
                type="button"
                class="button"
                data-test="recreate"
                on:click=move |_| recreate.open(kind.clone(), project.clone())
            >
                "Change type or project…"
            </button>
            <button
                type="button"
                class="button button-danger-outline"
                data-test="delete"
                on:click=move |_| delete.ask()
            >
                "Delete"
            </button>
        </div>
    }
}
