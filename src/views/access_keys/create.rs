//! The form that creates a key for the user shown, in its panel.

use super::secret::access_key_secret;
use crate::api::access_keys::{create_failure_message, MAX_DESCRIPTION_CHARS};
use crate::api::ApiError;
use crate::components::{use_operations, CreatePanel, ErrorNotice, PageLife, TargetUser};
use crate::routing::Family;
use crate::services::AccessKeys;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub(super) fn CreateKey(
    service: AccessKeys,
    target: Signal<TargetUser>,
    /// The user has as many keys as they may.
    full: Signal<bool>,
) -> impl IntoView {
    let store = use_session();
    let operations = use_operations();
    let page = PageLife::new();
    // A draft: a session that ends before the key is created comes back to it.
    let draft = store.draft_handle("new-access-key/description", String::new);
    let description = RwSignal::from(draft.clone());
    let open = store.draft(Family::AccessKeys.create_form_draft(), || false);
    let create = Action::new_local(move |(user, description): &(TargetUser, String)| {
        let work = service.create(user.id.clone(), description.clone());
        let (user_name, draft) = (user.name.clone(), draft.clone());
        async move {
            let key = operations
                .run("Creating an access key", Some(page), work)
                .await?;
            draft.set(String::new());
            operations.reveal(access_key_secret(&user_name, &key));
            Ok::<(), ApiError>(())
        }
    });
    let busy = move || create.pending().get() || full.get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() || full.get_untracked() {
            return;
        }
        let typed = description.get_untracked().trim().to_string();
        create.dispatch((target.get_untracked(), typed));
    };
    let failure = move || {
        let error = create.value().get()?.err()?;
        Some(match create_failure_message(&error) {
            Some(plain) => view! {
                <p class="notice notice-error" role="alert">
                    {plain}
                </p>
            }
            .into_any(),
            None => {
                view! { <ErrorNotice error action="Creating the access key failed" /> }.into_any()
            }
        })
    };

    view! {
        <CreatePanel title=Family::AccessKeys.create_label() open>
            <form class="inline-form" on:submit=on_submit>
                <label class="field-inline">
                    <span>"Description " <small>"(optional)"</small></span>
                    <input
                        name="key-description"
                        maxlength=MAX_DESCRIPTION_CHARS.to_string()
                        bind:value=description
                    />
                </label>
                <button
                    type="submit"
                    class="button button-primary"
                    data-test="create-key"
                    disabled=busy
                >
                    {move || {
                        if create.pending().get() { "Creating…" } else { "Create access key" }
                    }}
                </button>
            </form>
            {failure}
        </CreatePanel>
    }
}
