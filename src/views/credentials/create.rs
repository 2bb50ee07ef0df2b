//! The create form: one form per type, blobs checked before sending.

use crate::api::credentials::{self, base32, check_blob, otpauth_uri, Created};
use crate::api::export::{Cell, ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::browser::{random_bytes, random_hex};
use crate::components::{
    use_operations, use_toasts, ErrorNotice, OneTimeSecret, OwnProjects, PageLife, ProjectField,
    SecretField, SecretFile, SecretSnippet,
};
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewKind {
    Ec2,
    Totp,
    Cert,
    Custom,
}

impl NewKind {
    /// The value of its option in the form.
    fn name(self) -> &'static str {
        match self {
            NewKind::Ec2 => "ec2",
            NewKind::Totp => "totp",
            NewKind::Cert => "cert",
            NewKind::Custom => "custom",
        }
    }

    fn named(name: &str) -> Self {
        match name {
            "totp" => NewKind::Totp,
            "cert" => NewKind::Cert,
            "custom" => NewKind::Custom,
            _ => NewKind::Ec2,
        }
    }
}

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
        let (type_name, blob, project_id, secrets) = match kind.get_untracked() {
            NewKind::Ec2 => {
                let access_key = Some(access.get_untracked().trim().to_string())
                    .filter(|a| !a.is_empty())
                    .or_else(|| random_hex(16));
                let secret_key = Some(secret.get_untracked().trim().to_string())
                    .filter(|s| !s.is_empty())
                    .or_else(|| random_hex(16));
                let (Some(access_key), Some(secret_key)) = (access_key, secret_key) else {
                    problem.set(Some(
                        "The browser could not generate keys; type them.".into(),
                    ));
                    return;
                };
                // Keep what was sent, so a retry sends the same access key (and so the same id).
                access.set(access_key.clone());
                secret.set(secret_key.clone());
                let blob =
                    serde_json::json!({"access": access_key, "secret": secret_key}).to_string();
                // The AWS CLI names the profile after the user: the name when known.
                let user_name = if owner_id == own_id {
                    own_name.clone()
                } else {
                    owner_id.clone()
                };
                let files = vec![SecretFile::credentials_csv(
                    &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
                    &[vec![
                        Cell::Text(user_name),
                        Cell::Key(access_key.clone()),
                        Cell::Key(secret_key.clone()),
                    ]],
                )];
                let fields = vec![
                    SecretField {
                        label: "Access key".into(),
                        value: access_key,
                    },
                    SecretField {
                        label: "Secret key".into(),
                        value: secret_key,
                    },
                ];
                (
                    "ec2".to_string(),
                    blob,
                    // A project id of only spaces is no project (Keystone would store it).
                    Some(project.get_untracked().trim().to_string()),
                    (fields, files, Vec::new()),
                )
            }
            NewKind::Totp => {
                let Some(seed) = random_bytes(20).map(|b| base32(&b)) else {
                    problem.set(Some("The browser could not generate a seed.".into()));
                    return;
                };
                let account = if owner_id == own_id {
                    own_name.clone()
                } else {
                    owner_id.clone()
                };
                let uri = otpauth_uri("Keystone", &account, &seed);
                let fields = vec![SecretField {
                    label: "TOTP seed (base32)".into(),
                    value: seed.clone(),
                }];
                let snippets = vec![SecretSnippet {
                    title: "otpauth URI (paste into, or make a QR code for, an authenticator app)"
                        .into(),
                    text: uri,
                }];
                (
                    "totp".to_string(),
                    seed,
                    None,
                    (fields, Vec::new(), snippets),
                )
            }
            NewKind::Cert => (
                "cert".to_string(),
                pem.get_untracked(),
                None,
                (Vec::new(), Vec::new(), Vec::new()),
            ),
            NewKind::Custom => (
                custom_type.get_untracked().trim().to_string(),
                custom_blob.get_untracked(),
                None,
                (Vec::new(), Vec::new(), Vec::new()),
            ),
        };
        if type_name.is_empty() {
            problem.set(Some("Name the credential type.".into()));
            return;
        }
        if let Err(message) = check_blob(&type_name, &blob) {
            problem.set(Some(message));
            return;
        }
        if type_name == "ec2" {
            // Keystone itself refuses delegated tokens here, but only after the secret was made
            // and sent: say why before anything is sent.
            if let Some(why) = delegation_refusal(store.delegation()) {
                problem.set(Some(why.into()));
                return;
            }
            if project_id.as_deref().is_none_or(str::is_empty) {
                problem.set(Some("An ec2 credential needs a project.".into()));
                return;
            }
        }
        if let Some(why) = own_projects.refusal(project_id.as_deref().unwrap_or_default()) {
            problem.set(Some(why));
            return;
        }
        let secret = (!secrets.0.is_empty()).then(|| OneTimeSecret {
            fields: secrets.0,
            files: secrets.1,
            snippets: secrets.2,
            ..OneTimeSecret::new(format!("New {type_name} credential"), type_name.clone())
        });
        create.dispatch((type_name, owner_id, project_id, blob, secret));
    };

    let outcome = move || create.value().get();
    view! {
        <section class="panel" aria-labelledby="create-cred-title">
            <h2 id="create-cred-title">"New credential"</h2>
            <form class="form" on:submit=submit data-test="create-credential">
                <label class="field">
                    <span>"Type"</span>
                    <select name="new-type" on:change=move |ev| kind.set(NewKind::named(&event_target_value(&ev)))>
                        {[
                            (NewKind::Ec2, "ec2 (access and secret key)"),
                            (NewKind::Totp, "totp (one-time password seed)"),
                            (NewKind::Cert, "cert (PEM certificate)"),
                            (NewKind::Custom, "another type (JSON blob)"),
                        ]
                        .map(|(each, label)| view! { <option value=each.name() selected=move || kind.get() == each>{label}</option> })
                        .collect_view()}
                    </select>
                </label>
                <Show when=move || store.is_admin()>
                    <label class="field">
                        <span>"Owner (user ID)"</span>
                        <input name="new-owner" bind:value=owner/>
                    </label>
                </Show>
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
                        <input name="new-access" autocomplete="off" bind:value=access/>
                    </label>
                    <label class="field">
                        <span>"Secret key " <small>"(empty: generated in your browser)"</small></span>
                        <input name="new-secret" type="password" autocomplete="new-password" bind:value=secret/>
                    </label>
                </Show>
                <Show when=move || kind.get() == NewKind::Totp>
                    <p>"A random seed is generated in your browser and shown once, with an otpauth:// URI for an authenticator app."</p>
                </Show>
                <Show when=move || kind.get() == NewKind::Cert>
                    <label class="field">
                        <span>"Certificate (PEM)"</span>
                        <textarea name="new-pem" rows="6" prop:value=move || pem.get() on:input=move |ev| pem.set(event_target_value(&ev))></textarea>
                    </label>
                </Show>
                <Show when=move || kind.get() == NewKind::Custom>
                    <label class="field">
                        <span>"Type name"</span>
                        <input name="new-custom-type" bind:value=custom_type/>
                    </label>
                    <label class="field">
                        <span>"Blob (JSON)"</span>
                        <textarea name="new-blob" rows="5" prop:value=move || custom_blob.get() on:input=move |ev| custom_blob.set(event_target_value(&ev))></textarea>
                    </label>
                </Show>
                <button type="submit" class="button button-primary" data-test="create-submit" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create credential" }}
                </button>
            </form>
            {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
            {move || match outcome() {
                Some(Err(error)) => Some(view! { <ErrorNotice error action="Creating the credential failed"/> }.into_any()),
                Some(Ok((created, Created::Earlier))) => Some(view! {
                    <p class="notice notice-info" role="status" data-test="already-created">
                        {format!("This ec2 credential already exists (id {}): an earlier attempt was created. Nothing was created twice.", created.id)}
                    </p>
                }.into_any()),
                Some(Ok((created, Created::Now))) => Some(view! {
                    <p class="notice notice-info" role="status" data-test="created">
                        {format!("Created {} credential {}.", created.kind, created.id)}
                    </p>
                }.into_any()),
                None => None,
            }}
        </section>
    }
}
