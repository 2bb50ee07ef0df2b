//! The fields of the create form that depend on the credential's type.

use crate::api::credentials::{base32, NewCredential};
use crate::browser::{random_bytes, random_hex};
use crate::components::{OwnProjects, ProjectField};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NewKind {
    Ec2,
    Totp,
    Cert,
    Custom,
}

impl NewKind {
    /// The value of its option in the form.
    pub(super) fn name(self) -> &'static str {
        match self {
            NewKind::Ec2 => "ec2",
            NewKind::Totp => "totp",
            NewKind::Cert => "cert",
            NewKind::Custom => "custom",
        }
    }

    pub(super) fn named(name: &str) -> Self {
        match name {
            "totp" => NewKind::Totp,
            "cert" => NewKind::Cert,
            "custom" => NewKind::Custom,
            _ => NewKind::Ec2,
        }
    }
}

/// The type chosen, kept as its option's value (a draft holds text, see `SessionStore::draft`).
#[derive(Clone, Copy)]
pub(super) struct KindDraft(pub RwSignal<String>);

impl KindDraft {
    pub(super) fn get(&self) -> NewKind {
        NewKind::named(&self.0.get())
    }

    pub(super) fn get_untracked(&self) -> NewKind {
        NewKind::named(&self.0.get_untracked())
    }

    pub(super) fn set(&self, kind: NewKind) {
        self.0.set(kind.name().to_string());
    }
}

/// What the create form holds (each kept as a draft, see `SessionStore::draft`).
#[derive(Clone, Copy)]
pub(super) struct NewCredentialDraft {
    pub kind: KindDraft,
    pub project: RwSignal<String>,
    pub access: RwSignal<String>,
    pub secret: RwSignal<String>,
    pub pem: RwSignal<String>,
    pub custom_type: RwSignal<String>,
    pub custom_blob: RwSignal<String>,
}

impl NewCredentialDraft {
    /// The credential the form describes, with what the user left empty generated now (keys,
    /// a seed). The ec2 keys are written back into the form, so a retry sends the same access
    /// key (and so asks for the same id).
    pub(super) fn to_new(self) -> Result<NewCredential, String> {
        Ok(match self.kind.get_untracked() {
            NewKind::Ec2 => {
                let typed_or_generated = |typed: String| {
                    Some(typed.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .or_else(|| random_hex(16))
                };
                let (Some(access), Some(secret)) = (
                    typed_or_generated(self.access.get_untracked()),
                    typed_or_generated(self.secret.get_untracked()),
                ) else {
                    return Err("The browser could not generate keys; type them.".into());
                };
                self.access.set(access.clone());
                self.secret.set(secret.clone());
                NewCredential::Ec2 {
                    access,
                    secret,
                    project: self.project.get_untracked(),
                }
            }
            NewKind::Totp => {
                let seed = random_bytes(20).map(|b| base32(&b));
                let seed = seed.ok_or("The browser could not generate a seed.")?;
                NewCredential::Totp { seed }
            }
            NewKind::Cert => NewCredential::Cert {
                pem: self.pem.get_untracked(),
            },
            NewKind::Custom => NewCredential::Custom {
                kind: self.custom_type.get_untracked(),
                blob: self.custom_blob.get_untracked(),
            },
        })
    }
}

/// The project and keys of an ec2 credential, the PEM of a cert, the type and blob of another.
#[component]
pub(super) fn TypeFields(draft: NewCredentialDraft, own_projects: OwnProjects) -> impl IntoView {
    let NewCredentialDraft {
        kind,
        project,
        access,
        secret,
        pem,
        custom_type,
        custom_blob,
    } = draft;
    view! {
        <Show when=move || kind.get() == NewKind::Ec2>
            <ProjectField
                projects=own_projects
                name="new-project"
                label="Project ID (required; your token's project by default)"
                value=project
                on_change=move |id| project.set(id)
            />
            <label class="field">
                <span>"Access key " <small>"(empty: generated in your browser)"</small></span>
                <input name="new-access" autocomplete="off" bind:value=access />
            </label>
            <label class="field">
                <span>"Secret key " <small>"(empty: generated in your browser)"</small></span>
                <input
                    name="new-secret"
                    type="password"
                    autocomplete="new-password"
                    bind:value=secret
                />
            </label>
        </Show>
        <Show when=move || kind.get() == NewKind::Totp>
            <p>
                "A random seed is generated in your browser and shown once, with an otpauth:// URI for an authenticator app."
            </p>
        </Show>
        <Show when=move || kind.get() == NewKind::Cert>
            <label class="field">
                <span>"Certificate (PEM)"</span>
                <textarea
                    name="new-pem"
                    rows="6"
                    prop:value=move || pem.get()
                    on:input=move |ev| pem.set(event_target_value(&ev))
                ></textarea>
            </label>
        </Show>
        <Show when=move || kind.get() == NewKind::Custom>
            <label class="field">
                <span>"Type name"</span>
                <input name="new-custom-type" bind:value=custom_type />
            </label>
            <label class="field">
                <span>"Blob (JSON)"</span>
                <textarea
                    name="new-blob"
                    rows="5"
                    prop:value=move || custom_blob.get()
                    on:input=move |ev| custom_blob.set(event_target_value(&ev))
                ></textarea>
            </label>
        </Show>
    }
}
