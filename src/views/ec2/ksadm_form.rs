//! The form that grants a user's legacy EC2 credential or updates the one they have.

use super::secrets::ksadm_secret;
use crate::api::ksadm::Ec2Credential;
use crate::api::{ApiError, Secret};
use crate::browser::random_hex;
use crate::components::{use_operations, use_toasts, PageLife, TargetUser};
use crate::services::Ksadm;
use leptos::prelude::*;

/// What the form holds, and its sending.
#[derive(Clone, Copy)]
pub(super) struct KsadmForm {
    username: RwSignal<String>,
    secret: RwSignal<String>,
    signature: RwSignal<String>,
    /// Whether the update form is open (the grant form shows whenever there is no credential).
    pub editing: RwSignal<bool>,
    pub save: Action<(TargetUser, Ec2Credential, bool), Result<(), ApiError>>,
}

impl KsadmForm {
    /// `saved` runs with the page's state after a credential was saved (if the page is still there).
    pub fn new(service: Ksadm, saved: impl Fn() + Copy + 'static) -> Self {
        let (operations, page) = (use_operations(), PageLife::new());
        let (secret, editing) = (RwSignal::new(String::new()), RwSignal::new(false));
        let save = Action::new_local(
            move |(user, credential, update): &(TargetUser, Ec2Credential, bool)| {
                let work = service.put(user.id.clone(), credential.clone(), *update);
                let (user, what) = match update {
                    true => (user.clone(), "Updating the EC2 credential"),
                    false => (user.clone(), "Granting an EC2 credential"),
                };
                async move {
                    let saved_credential = operations.run(what, Some(page), work).await?;
                    // The page's form, if it is still shown.
                    editing.try_set(false);
                    secret.try_set(String::new());
                    saved();
                    operations.reveal(ksadm_secret(&user, &saved_credential));
                    Ok::<(), ApiError>(())
                }
            },
        );
        KsadmForm {
            username: RwSignal::new(String::new()),
            secret,
            signature: RwSignal::new(String::new()),
            editing,
            save,
        }
    }

    /// Opens the update form with what `existing` holds (but not its secret).
    pub fn start_update(&self, existing: &Ec2Credential) {
        self.username.set(existing.username.clone());
        self.signature.set(existing.signature.clone());
        self.secret.set(String::new());
        self.editing.set(true);
    }
}

/// `existing`: whether this is the update form (a credential is listed), not whether "Update…"
/// was ever opened: the credential may have been deleted since.
#[component]
pub(super) fn KsadmCredentialForm(
    form: KsadmForm,
    target: Signal<TargetUser>,
    existing: bool,
) -> impl IntoView {
    let toasts = use_toasts();
    let KsadmForm {
        username,
        secret,
        signature,
        save,
        ..
    } = form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        // Left empty, the username is the user's name and the secret is generated here.
        let typed_username = username.get_untracked().trim().to_string();
        let typed_secret = Some(secret.get_untracked()).filter(|s| !s.is_empty());
        let Some(secret) = typed_secret.or_else(|| random_hex(20)) else {
            toasts.error("The browser could not generate a secret; type one.");
            return;
        };
        let user = target.get_untracked();
        let credential = Ec2Credential {
            username: Some(typed_username)
                .filter(|u| !u.is_empty())
                .unwrap_or(user.name.clone()),
            secret: Secret::new(secret),
            signature: signature.get_untracked(),
        };
        save.dispatch((user, credential, existing));
    };
    view! {
        <form class="form" on:submit=submit data-test="ksadm-form">
            <h3>
                {if existing { "Update the EC2 credential" } else { "Grant an EC2 credential" }}
            </h3>
            <label class="field">
                <span>"Username"</span>
                <input
                    name="ksadm-username"
                    placeholder=move || target.get().name
                    bind:value=username
                />
            </label>
            <label class="field">
                <span>
                    "Secret "
                    <small>"(leave empty to have your browser generate a strong one)"</small>
                </span>
                <input
                    name="ksadm-secret"
                    type="password"
                    autocomplete="new-password"
                    bind:value=secret
                />
            </label>
            <label class="field">
                <span>"Signature"</span>
                <input name="ksadm-signature" bind:value=signature />
            </label>
            <button
                type="submit"
                class="button button-primary"
                disabled=move || save.pending().get()
            >
                {if existing { "Update" } else { "Grant" }}
            </button>
        </form>
    }
}
