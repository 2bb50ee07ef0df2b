//! The fields of the create form that depend on the credential's type.

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

/// What the create form holds (each kept as a draft, see `SessionStore::draft`).
#[derive(Clone, Copy)]
pub(super) struct NewCredentialDraft {
    pub kind: RwSignal<NewKind>,
    pub project: RwSignal<String>,
    pub access: RwSignal<String>,
    pub secret: RwSignal<String>,
    pub pem: RwSignal<String>,
    pub custom_type: RwSignal<String>,
    pub custom_blob: RwSignal<String>,
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
