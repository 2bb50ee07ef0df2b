//! The create form: one form per type, blobs checked before sending.

use super::create_fields::{KindDraft, NewCredentialDraft, NewKind, TypeFields};
use crate::api::credentials::{Created, Credential, NewCredential, NewSecrets, PreparedCredential};
use crate::api::export::{ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::api::ApiError;
use crate::components::{
    use_operations, use_toasts, CreatePanel, ErrorNotice, OneTimeSecret, OwnProjects, PageLife,
    SecretField, SecretFile, SecretSnippet,
};
use crate::routing::Family;
use crate::services::credentials::{use_credentials, NewBlob};
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use leptos::prelude::*;

/// A credential about to be sent, and the dialog of its secrets (shown once Keystone has it).
#[derive(Clone)]
struct Sending {
    new: NewBlob,
    secret: Option<OneTimeSecret>,
}

type CreateResult = Result<(Credential, Created), ApiError>;

#[component]
pub(super) fn CreateCredential() -> impl IntoView {
    let store = use_session();
    let (service, operations, toasts, page) = (
        use_credentials(),
        use_operations(),
        use_toasts(),
        PageLife::new(),
    );
    let session = store.active();
    let own = session.as_ref().map(|s| &s.info);
    let own_id = own.map(|i| i.user.id.clone()).unwrap_or_default();
    let own_name = own.map(|i| i.user.name.clone()).unwrap_or_default();
    let token_project = own
        .and_then(|i| i.project.as_ref().map(|p| p.id.clone()))
        .unwrap_or_default();

    // Drafts: a session that ends before the form is sent comes back to it as it was.
    let panel_open = store.draft(Family::V3Credentials.create_form_draft(), || false);
    let owner = store.draft("new-credential/owner", || own_id.clone());
    // Cleared once the credential exists, also when that is after the page was left.
    let sent_access = store.draft_handle("new-credential/access", String::new);
    let sent_secret = store.draft_handle("new-credential/secret", String::new);
    let draft = NewCredentialDraft {
        kind: KindDraft(store.draft("new-credential/type", || NewKind::Ec2.name().into())),
        project: store.draft("new-credential/project", || token_project),
        access: RwSignal::from(sent_access.clone()),
        secret: RwSignal::from(sent_secret.clone()),
        pem: store.draft("new-credential/pem", String::new),
        custom_type: store.draft("new-credential/custom-type", String::new),
        custom_blob: store.draft("new-credential/custom-blob", || "{}".to_string()),
    };
    let own_projects = OwnProjects::read();
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(move |sending: &Sending| {
        let Sending { new, secret } = sending.clone();
        let what = format!("Creating a {} credential", new.kind);
        let created = service.create_once(new);
        let (sent_access, sent_secret) = (sent_access.clone(), sent_secret.clone());
        let work = async move {
            let created = created.await?;
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
            if let (Ok((created, _)), true) = (&outcome, page.gone()) {
                toasts.success(format!(
                    "Created {} credential {}.",
                    created.kind, created.id
                ));
            }
            outcome
        }
    });

    // What the form describes, checked, as it will be sent; or why it cannot be.
    let sending = move || -> Result<Sending, String> {
        let new = draft.to_new()?;
        let owner_id = owner.get_untracked();
        // Files and authenticator apps name the owner: by name when it is the user signed in.
        let owner_name = if owner_id == own_id {
            own_name.clone()
        } else {
            owner_id.clone()
        };
        if matches!(new, NewCredential::Ec2 { .. }) {
            // Keystone itself refuses delegated tokens here, but only after the secret was made
            // and sent: say why before anything is sent.
            if let Some(why) = delegation_refusal(store.delegation()) {
                return Err(why.into());
            }
        }
        let PreparedCredential {
            kind,
            blob,
            project,
            secrets,
        } = new.prepare(&owner_name)?;
        if let Some(why) = own_projects.refusal(project.as_deref().unwrap_or_default()) {
            return Err(why);
        }
        let secret = one_time_secret(&kind, secrets);
        let new = NewBlob {
            kind,
            user_id: owner_id,
            project_id: project,
            blob,
        };
        Ok(Sending { new, secret })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        match sending() {
            Ok(sending) => {
                problem.set(None);
                create.dispatch(sending);
            }
            Err(why) => problem.set(Some(why)),
        }
    };

    view! {
        <CreatePanel title=Family::V3Credentials.create_label() open=panel_open>
            <form class="form" on:submit=submit data-test="create-credential">
                <KindSelect kind=draft.kind />
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
            <CreateOutcome problem create />
        </CreatePanel>
    }
}

#[component]
fn KindSelect(kind: KindDraft) -> impl IntoView {
    let options = [
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
    });
    view! {
        <label class="field">
            <span>"Type"</span>
            <select
                name="new-type"
                on:change=move |ev| kind.set(NewKind::named(&event_target_value(&ev)))
            >
                {options.collect_view()}
            </select>
        </label>
    }
}

/// Why the form was not sent, or what the last sending did.
#[component]
fn CreateOutcome(
    problem: RwSignal<Option<String>>,
    create: Action<Sending, CreateResult>,
) -> impl IntoView {
    let refused = move || {
        problem.get().map(|p| {
            view! {
                <p class="notice notice-error" role="alert">
                    {p}
                </p>
            }
        })
    };
    let outcome = move || {
        Some(match create.value().get()? {
            Err(error) => {
                view! { <ErrorNotice error action="Creating the credential failed" /> }.into_any()
            }
            Ok((created, Created::Earlier)) => view! {
                <p class="notice notice-info" role="status" data-test="already-created">
                    {format!(
                        "This ec2 credential already exists (id {}): an earlier attempt was created. Nothing was created twice.",
                        created.id,
                    )}
                </p>
            }
            .into_any(),
            Ok((created, Created::Now)) => view! {
                <p class="notice notice-info" role="status" data-test="created">
                    {format!("Created {} credential {}.", created.kind, created.id)}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        {refused}
        {outcome}
    }
}

/// The dialog of a new credential's secrets, if it has any.
fn one_time_secret(type_name: &str, secrets: NewSecrets) -> Option<OneTimeSecret> {
    if secrets.fields.is_empty() {
        return None;
    }
    let files = match secrets.csv_rows.is_empty() {
        true => Vec::new(),
        false => vec![SecretFile::credentials_csv(
            &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
            &secrets.csv_rows,
        )],
    };
    let fields = secrets.fields.into_iter();
    let snippets = secrets.snippets.into_iter();
    Some(OneTimeSecret {
        fields: fields
            .map(|(label, value)| SecretField { label, value })
            .collect(),
        files,
        snippets: snippets
            .map(|(title, text)| SecretSnippet { title, text })
            .collect(),
        ..OneTimeSecret::new(format!("New {type_name} credential"), type_name.to_string())
    })
}
