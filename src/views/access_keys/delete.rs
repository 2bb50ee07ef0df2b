//! The question before a key is deleted: the access key typed again, and an active key refused
//! unless an administrator overrides.

use crate::api::access_keys::{AccessKey, KeyStatus};
use crate::components::{use_operations, use_toasts, ConfirmDialog};
use crate::services::AccessKeys;
use crate::session::use_session;
use leptos::prelude::*;

/// The key being asked about, and the answers typed so far.
#[derive(Clone, Copy)]
pub(super) struct DeleteQuestion {
    key: RwSignal<Option<AccessKey>>,
    typed_access: RwSignal<String>,
    override_active: RwSignal<bool>,
}

impl DeleteQuestion {
    pub fn new() -> Self {
        DeleteQuestion {
            key: RwSignal::new(None),
            typed_access: RwSignal::new(String::new()),
            override_active: RwSignal::new(false),
        }
    }

    /// Opens the question about `key`, with nothing answered yet.
    pub fn ask(&self, key: AccessKey) {
        self.typed_access.set(String::new());
        self.override_active.set(false);
        self.key.set(Some(key));
    }
}

#[component]
pub(super) fn DeleteKeyDialog(service: AccessKeys, question: DeleteQuestion) -> impl IntoView {
    let store = use_session();
    let (operations, toasts) = (use_operations(), use_toasts());
    let DeleteQuestion {
        key,
        typed_access,
        override_active,
    } = question;
    let delete = Action::new_local(move |access: &String| {
        let work = service.delete(access.clone());
        let access = access.clone();
        async move {
            let what = format!("Deleting access key {access}");
            if operations.run(what, None, work).await.is_ok() {
                toasts.success(format!("Access key {access} deleted."));
            }
        }
    });
    let blocked = move || {
        key.with(|key| match key {
            None => true,
            Some(key) => {
                typed_access.get().trim() != key.access
                    || (key.status == KeyStatus::Active
                        && !(store.is_admin() && override_active.get()))
            }
        })
    };
    let confirm = Callback::new(move |_| {
        if blocked() {
            return;
        }
        if let Some(key) = key.get_untracked() {
            delete.dispatch(key.access);
        }
        key.set(None);
    });
    let override_box = move || {
        view! {
            <p class="notice notice-warning" data-test="active-warning">
                "This key is active. Deactivate it first and wait until nothing fails for lack of it; then delete it."
            </p>
            <Show when=move || store.is_admin()>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        data-test="override-active"
                        prop:checked=move || override_active.get()
                        on:change=move |ev| override_active.set(event_target_checked(&ev))
                    />
                    "Delete it although it is active (administrator)"
                </label>
            </Show>
        }
    };
    let body = move || {
        key.get().map(|key| {
            view! {
                <p data-test="confirm-text">
                    "Access key " <code>{key.access.clone()}</code>
                    " will be deleted for good; anything that still signs requests with it will fail."
                </p>
                {(key.status == KeyStatus::Active).then(override_box)}
                <label class="field">
                    <span>"Type the access key to confirm"</span>
                    <input
                        name="confirm-access"
                        autocomplete="off"
                        prop:value=move || typed_access.get()
                        on:input=move |ev| typed_access.set(event_target_value(&ev))
                    />
                </label>
            }
        })
    };
    view! {
        <ConfirmDialog
            open=Signal::derive(move || key.with(Option::is_some))
            title="Delete access key?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            confirm_disabled=Signal::derive(blocked)
            on_confirm=confirm
            on_cancel=Callback::new(move |_| key.set(None))
        >
            {body}
        </ConfirmDialog>
    }
}
