//! Changing a credential's blob: edited as a draft that survives the page (a session that ends
//! mid-edit comes back to it after signing in), compared with the server's blob read again, then
//! saved (Keystone 30 PATCHes only the blob).

use crate::api::credentials::{check_blob, ec2_access, Credential};
use crate::api::ApiError;
use crate::components::{use_operations, use_toasts, ErrorNotice, PageLife};
use crate::services::Credentials;
use crate::session::use_session;
use leptos::prelude::*;

fn draft_key(id: &str) -> String {
    format!("credential-blob/{id}")
}

/// A proposed blob beside the one the server holds now.
#[derive(Debug, Clone, PartialEq)]
struct Review {
    id: String,
    current: String,
    proposed: String,
}

/// The blob being edited, its review against the server, and the save.
#[derive(Clone, Copy)]
pub(super) struct BlobEdit {
    /// The draft of the credential shown (`None`: not being edited).
    draft: Memo<RwSignal<Option<String>>>,
    review: RwSignal<Option<Result<Review, ApiError>>>,
    start_review: Action<(String, String), ()>,
    save: Action<(String, String), Result<(), ApiError>>,
}

impl BlobEdit {
    pub fn new(service: Credentials, id: Memo<String>) -> Self {
        let store = use_session();
        let (operations, toasts, page) = (use_operations(), use_toasts(), PageLife::new());
        let draft = Memo::new(move |_| store.draft(&draft_key(&id.get()), || None::<String>));
        let review = RwSignal::new(None);
        let start_review = Action::new_local(move |(id, proposed): &(String, String)| {
            let (shown, id, proposed) = (service.show(id.clone()), id.clone(), proposed.clone());
            async move {
                let reviewed = shown.await.map(|current| Review {
                    id,
                    current: current.blob.expose().to_string(),
                    proposed,
                });
                review.try_set(Some(reviewed));
            }
        });
        let save = Action::new_local(move |(id, blob): &(String, String)| {
            let work = service.update_blob(id.clone(), blob.clone());
            let what = format!("Saving the blob of {id}");
            // The draft as the store keeps it: cleared also when the page was left meanwhile.
            let kept = store.draft_handle(&draft_key(id), || None::<String>);
            async move {
                operations.run(what, Some(page), work).await?;
                toasts.success("Blob saved.");
                kept.set(None);
                review.try_set(None);
                Ok::<(), ApiError>(())
            }
        });
        BlobEdit {
            draft,
            review,
            start_review,
            save,
        }
    }

    /// Starts editing from `blob`.
    pub fn open(&self, blob: String) {
        self.draft.get_untracked().set(Some(blob));
        self.review.set(None);
    }
}

#[component]
pub(super) fn BlobEditor(credential: Credential, edit: BlobEdit) -> impl IntoView {
    let toasts = use_toasts();
    let BlobEdit {
        draft,
        start_review,
        ..
    } = edit;
    let is_ec2 = credential.kind == "ec2";
    let original_access = ec2_access(credential.blob.expose());
    let review = move |_| {
        let proposed = draft.get_untracked().get_untracked().unwrap_or_default();
        if let Err(message) = check_blob(&credential.kind, &proposed) {
            toasts.error(message);
            return;
        }
        if is_ec2 && ec2_access(&proposed) != original_access {
            toasts.error("The access key of an ec2 credential cannot be changed.");
            return;
        }
        start_review.dispatch((credential.id.clone(), proposed));
    };
    let ec2_note = move || {
        is_ec2.then(|| view! {
            <p class="notice notice-info">
                "The access key of an ec2 blob cannot change: Keystone keeps the id made from the old one, which would break look-ups by access key. Only the secret may be edited; for a new access key, create a new credential."
            </p>
        })
    };
    view! {
        <Show when=move || draft.get().with(Option::is_some)>
            <section class="panel" data-test="blob-editor">
                {ec2_note}
                <label class="field">
                    <span>"New blob"</span>
                    <textarea
                        name="edit-blob"
                        rows="5"
                        prop:value=move || draft.get().get().unwrap_or_default()
                        on:input=move |ev| draft.get_untracked().set(Some(event_target_value(&ev)))
                    ></textarea>
                </label>
                <button
                    type="button"
                    class="button"
                    data-test="review-blob"
                    on:click=review.clone()
                >
                    "Review change"
                </button>
                <BlobReview edit />
            </section>
        </Show>
    }
}

/// The server's blob beside the proposed one, and the button that saves it.
#[component]
fn BlobReview(edit: BlobEdit) -> impl IntoView {
    let BlobEdit { review, save, .. } = edit;
    let compared = move || {
        Some(match review.get()? {
            Err(error) => {
                view! { <ErrorNotice error action="Re-reading the credential failed" /> }.into_any()
            }
            Ok(reviewed) => view! {
                <div class="diff" data-test="blob-diff">
                    <div>
                        <h3>"On the server now"</h3>
                        <pre>{reviewed.current.clone()}</pre>
                    </div>
                    <div>
                        <h3>"After saving"</h3>
                        <pre>{reviewed.proposed.clone()}</pre>
                    </div>
                </div>
                <SaveBlob save reviewed />
            }
            .into_any(),
        })
    };
    let failed = move || {
        let error = save.value().get()?.err()?;
        Some(view! { <ErrorNotice error action="Saving the blob failed" /> })
    };
    view! {
        {compared}
        {failed}
    }
}

#[component]
fn SaveBlob(
    save: Action<(String, String), Result<(), ApiError>>,
    reviewed: Review,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button button-primary"
            data-test="save-blob"
            disabled=move || save.pending().get()
            on:click=move |_| {
                save.dispatch((reviewed.id.clone(), reviewed.proposed.clone()));
            }
        >
            "Save"
        </button>
    }
}
