//! The create form: one form per type, blobs checked before sending.

use super::create_fields::{NewCredentialDraft, NewKind, TypeFields};
use crate::api::credentials::{
    self, base32, Created, NewCredential, NewSecrets, PreparedCredential,
};
use crate::api::export::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::browser::{random_bytes, random_hex};
use crate::components::{
    use_operations, use_toasts, CreatePanel, ErrorNotice, OneTimeSecret, OwnProjects, PageLife,
    SecretField, SecretFile, SecretSnippet,
};
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use crate::views::Family;
use leptos::prelude::*;

/// The create form: one form per type, blobs checked before sending.
#[component]
pub(super) fn CreateCredential() -> impl IntoView {
    let store = use_session();
    let operations = use_operations();
    let toasts = use_toasts();
    let page = PageLife::new();
    let url = store.identity_url();
    let session = store.active();
    let own_id = session
        .as_ref()
        .map(|s| s.info.user.id.clone())
        .unwrap_or_default();
    let own_name = session
        .as_ref()
        .map(|s| s.info.user.name.clone())
        .unwrap_or_default();
    let token_project = session
        .as_ref()
        .and_then(|s| s.info.project.as_ref().map(|p| p.id.clone()))
        .unwrap_or_default();

    // Drafts: a session that ends before the form is sent comes back to it as it was.
    let panel_open = store.draft(Family::V3Credentials.create_form_draft(), || false);
    let kind = store.draft("new-credential/type", || NewKind::Ec2);
    let owner = store.draft("new-credential/owner", || own_id.clone());
    let project = store.draft("new-credential/project", || token_project);
    let own_projects = OwnProjects::read();
    // Cleared once the credential exists, also when that is after the page was left.
    let sent_access = store.draft_handle("new-credential/access", String::new);
    let sent_secret = store.draft_handle("new-credential/secret", String::new);
    let (access, secret) = (
        RwSignal::from(sent_access.clone()),
        RwSignal::from(sent_secret.clone()),
    );
    let pem = store.draft("new-credential/pem", String::new);
    let custom_type = store.draft("new-credential/custom-type", String::new);
    let custom_blob = store.draft("new-credential/custom-blob", || "{}".to_string());
    let draft = NewCredentialDraft {
        kind,
        project,
        access,
        secret,
        pem,
        custom_type,
        custom_blob,
    };
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(
        move |(kind, owner, project, blob, secret): &(
            String,
            String,
            Option<String>,
            String,
            Option<OneTimeSecret>,
        )| {
            let (kind, owner, project, blob, secret) = (
                kind.clone(),
                owner.clone(),
                project.clone(),
                blob.clone(),
                secret.clone(),
            );
            let (client, url) = (store.client(), url.clone());
            let (sent_access, sent_secret) = (sent_access.clone(), sent_secret.clone());
            let what = format!("Creating a {kind} credential");
            let work = async move {
                let created = credentials::create_once(
                    &client,
                    &url,
                    &kind,
                    &owner,
                    project.as_deref(),
                    &blob,
                )
                .await?;
                // The secret now lives in its dialog only, shown once Keystone has the credential.
                sent_access.set(String::new());
                sent_secret.set(String::new());
                if let Some(secret) = secret {
                    operations.reveal(secret);
                }
                Ok(created)
            };
            async move {
                let outcome = operations.run(what, Some(page), work).await;
                if let Ok((created, _)) = &outcome {
                    if page.gone() {
                        toasts.success(format!(
                            "Created {} credential {}.",
                            created.kind, created.id
                        ));
                    }
                }
                outcome
            }
        },
    );

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        problem.set(None);
        let owner_id = owner.get_untracked();
        let new = match kind.get_untracked() {
            NewKind::Ec2 => {
                let typed_or_generated = |typed: String| {
                    Some(typed.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .or_else(|| random_hex(16))
                };
                let (Some(access_key), Some(secret_key)) = (
                    typed_or_generated(access.get_untracked()),
                    typed_or_generated(secret.get_untracked()),
                ) else {
                    problem.set(Some(
                        "The browser could not generate keys; type them.".into(),
                    ));
                    return;
                };
                // Keep what was sent, so a retry sends the same access key (and so the same id).
                access.set(access_key.clone());
                secret.set(secret_key.clone());
                NewCredential::Ec2 {
                    access: access_key,
                    secret: secret_key,
                    project: project.get_untracked(),
                }
            }
            NewKind::Totp => {
                let Some(seed) = random_bytes(20).map(|b| base32(&b)) else {
                    problem.set(Some("The browser could not generate a seed.".into()));
                    return;
                };
                NewCredential::Totp { seed }
            }
            NewKind::Cert => NewCredential::Cert {
                pem: pem.get_untracked(),
            },
            NewKind::Custom => NewCredential::Custom {
                kind: custom_type.get_untracked(),
                blob: custom_blob.get_untracked(),
            },
        };
        // Files and authenticator apps name the owner: by name when it is the user signed in.
        let owner_name = if owner_id == own_id {
            own_name.clone()
        } else {
            owner_id.clone()
        };
        let is_ec2 = matches!(new, NewCredential::Ec2 { .. });
        if is_ec2 {
            // Keystone itself refuses delegated tokens here, but only after the secret was made
            // and sent: say why before anything is sent.
            if let Some(why) = delegation_refusal(store.delegation()) {
                problem.set(Some(why.into()));
                return;
            }
        }
        let prepared = match new.prepare(&owner_name) {
            Ok(prepared) => prepared,
            Err(message) => {
                problem.set(Some(message));
                return;
            }
        };
        if let Some(why) = own_projects.refusal(prepared.project.as_deref().unwrap_or_default()) {
            problem.set(Some(why));
            return;
        }
        let PreparedCredential {
            kind: type_name,
            blob,
            project: project_id,
            secrets,
        } = prepared;
        let secret = one_time_secret(&type_name, secrets);
        create.dispatch((type_name, owner_id, project_id, blob, secret));
    };

    let outcome = move || create.value().get();
    view! {
        <CreatePanel title=Family::V3Credentials.create_label() open=panel_open>
            <form class="form" on:submit=submit data-test="create-credential">
                <label class="field">
                    <span>"Type"</span>
                    <select
                        name="new-type"
                        on:change=move |ev| kind.set(NewKind::named(&event_target_value(&ev)))
                    >
                        {[
                            (NewKind::Ec2, "ec2 (access and secret key)"),
                            (NewKind::Totp, "totp (one-time password seed)"),
                            (NewKind::Cert, "cert (PEM certificate)"),
                            (NewKind::Custom, "another type (JSON blob)"),
                        ]
                            .map(|(each, label)| {
                                view! {
                                    <option value=each.name() selected=move || kind.get() == each>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <Show when=move || store.is_admin()>
                    <label class="field">
                        <span>"Owner (user ID)"</span>
                        <input name="new-owner" bind:value=owner />
                    </label>
                </Show>
                <TypeFields draft own_projects />
                <button
                    type="submit"
                    class="button button-primary"
                    data-test="create-submit"
                    disabled=move || create.pending().get()
                >
                    {move || {
                        if create.pending().get() { "Creating…" } else { "Create credential" }
                    }}
                </button>
            </form>
            {move || {
                problem
                    .get()
                    .map(|p| {
                        view! {
                            <p class="notice notice-error" role="alert">
                                {p}
                            </p>
                        }
                    })
            }}
            {move || match outcome() {
                Some(Err(error)) => {
                    Some(
                        view! { <ErrorNotice error action="Creating the credential failed" /> }
                            .into_any(),
                    )
                }
                Some(Ok((created, Created::Earlier))) => {
                    Some(
                        view! {
                            <p class="notice notice-info" role="status" data-test="already-created">
                                {format!(
                                    "This ec2 credential already exists (id {}): an earlier attempt was created. Nothing was created twice.",
                                    created.id,
                                )}
                            </p>
                        }
                            .into_any(),
                    )
                }
                Some(Ok((created, Created::Now))) => {
                    Some(
                        view! {
                            <p class="notice notice-info" role="status" data-test="created">
                                {format!("Created {} credential {}.", created.kind, created.id)}
                            </p>
                        }
                            .into_any(),
                    )
                }
                None => None,
            }}
        </CreatePanel>
    }
}

/// The dialog of a new credential's secrets, if it has any.
fn one_time_secret(type_name: &str, secrets: NewSecrets) -> Option<OneTimeSecret> {
    if secrets.fields.is_empty() {
        return None;
    }
    let files = if secrets.csv_rows.is_empty() {
        Vec::new()
    } else {
        vec![SecretFile::credentials_csv(
            &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
            &secrets.csv_rows,
        )]
    };
    Some(OneTimeSecret {
        fields: secrets
            .fields
            .into_iter()
            .map(|(label, value)| SecretField { label, value })
            .collect(),
        files,
        snippets: secrets
            .snippets
            .into_iter()
            .map(|(title, text)| SecretSnippet { title, text })
            .collect(),
        ..OneTimeSecret::new(format!("New {type_name} credential"), type_name.to_string())
    })
}
