//! EC2 credentials: Keystone v3 OS-EC2, or the v2.0 OS-KSADM extension, as the cloud offers.

use crate::api::config::Ec2Api;
use crate::api::ec2::{self, Ec2Credential};
use crate::api::export::{
    aws_credentials_profile, environment_variables, profile_name, Cell, ToolTarget, ACCESS_KEY_ID,
    SECRET_ACCESS_KEY, USER_NAME,
};
use crate::api::identity::Delegation;
use crate::api::ksadm;
use crate::api::users::{projects_of, Project};
use crate::api::ApiError;
use crate::browser::random_hex;
use crate::components::{
    use_operations, use_target_user, use_toasts, ConfirmDialog, CreatePanel, ErrorNotice,
    OneTimeSecret, PageHeading, PageLife, SecretField, SecretFile, SecretSnippet, TargetUser,
    UserPicker,
};
use crate::session::use_session;
use crate::views::Family;
use leptos::prelude::*;
use std::collections::HashMap;

const MASK: &str = "••••••••••••••••";

#[component]
pub fn Ec2Page() -> impl IntoView {
    let store = use_session();
    let api = store.cloud().and_then(|c| c.ec2);
    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="EC2 credentials"/>
            <p class="page-intro">
                "Access and secret key pairs for S3- and EC2-compatible tools (the AWS CLI, s3cmd, SDKs)."
            </p>
            {match api {
                Some(Ec2Api::OsEc2) => view! { <OsEc2View/> }.into_any(),
                Some(Ec2Api::OsKsadm { base_url }) => view! { <KsadmView base_url/> }.into_any(),
                None => view! {
                    <p class="empty-state">
                        "This cloud's configuration offers no EC2 credential API. An operator can enable it in config.json."
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// Why creating an EC2 credential is refused for delegated tokens, or `None` when it is allowed
/// (also for an ec2-type credential on the Credentials page: the same secret by another route).
pub fn delegation_refusal(delegation: Option<Delegation>) -> Option<&'static str> {
    delegation.map(|d| match d {
        Delegation::ApplicationCredential => "You signed in with an application credential. Keystone refuses EC2 credentials to such tokens, because a credential made from one would outlive the limits the application credential was given. Sign in with your password to create one.",
        Delegation::Trust => "You signed in with a trust. Keystone refuses EC2 credentials to trust-scoped tokens, because a credential made from one would outlive the trust. Sign in with your password to create one.",
    })
}

/// The one-time dialog of a new access/secret pair, with what tools need to reach `target`.
fn new_pair_secret(
    user: &str,
    project: &str,
    access: &str,
    secret: &str,
    target: &ToolTarget,
) -> OneTimeSecret {
    let profile = profile_name(project);
    let fields = vec![
        SecretField {
            label: "Access key".into(),
            value: access.to_string(),
        },
        SecretField {
            label: "Secret key".into(),
            value: secret.to_string(),
        },
    ];
    let files = vec![SecretFile::credentials_csv(
        &[USER_NAME, "Project", ACCESS_KEY_ID, SECRET_ACCESS_KEY],
        &[vec![
            Cell::Text(user.to_string()),
            Cell::Text(project.to_string()),
            Cell::Key(access.to_string()),
            Cell::Key(secret.to_string()),
        ]],
    )];
    let snippets = vec![
        SecretSnippet {
            title: "~/.aws/credentials profile".into(),
            text: aws_credentials_profile(&profile, access, secret, target),
        },
        SecretSnippet {
            title: "Environment variables".into(),
            text: environment_variables(access, secret, target),
        },
    ];
    OneTimeSecret {
        fields,
        files,
        snippets,
        ..OneTimeSecret::new("New EC2 credential", access)
    }
}

#[component]
fn OsEc2View() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let identity_url = store.identity_url();
    let target = use_target_user();
    let operations = use_operations();
    let page = PageLife::new();
    // Secrets the user asked to see, read afresh from Keystone (show), by access key.
    let revealed = RwSignal::new(HashMap::<String, String>::new());
    let token_project = store.active().and_then(|s| s.info.project.clone());
    let create_open = store.draft(Family::Ec2.create_form_draft(), || false);

    let url = identity_url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let credentials = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        let (client, url) = (store.client(), url.clone());
        async move { ec2::list(&client, &url, &user.id).await }
    });
    let url = identity_url.clone();
    let projects = LocalResource::new(move || {
        let user = target.get();
        let (client, url) = (store.client(), url.clone());
        async move { projects_of(&client, &url, &user.id).await }
    });
    let project_name = move |id: &str| -> String {
        projects
            .get()
            .and_then(|r| r.ok())
            .and_then(|ps| ps.iter().find(|p| p.id == id).map(|p| p.name.clone()))
            .unwrap_or_else(|| id.to_string())
    };

    // The project the user picked; until then the token's project when the user has a role on
    // it, else their first project.
    let picked_project = RwSignal::new(None::<String>);
    let token_project_id = token_project.map(|p| p.id);
    let project_for_create = Memo::new(move |_| {
        let projects = projects.get().and_then(|r| r.ok()).unwrap_or_default();
        let has = |id: &String| projects.iter().any(|p| &p.id == id);
        picked_project
            .get()
            .filter(has)
            .or_else(|| token_project_id.clone().filter(has))
            .or_else(|| projects.first().map(|p| p.id.clone()))
    });
    let url = identity_url.clone();
    let create = Action::new_local(move |(user, project): &(TargetUser, Project)| {
        let (user, project, client, url) =
            (user.clone(), project.clone(), store.client(), url.clone());
        let tools = store
            .active()
            .map(|s| s.info.tool_target())
            .unwrap_or_default();
        async move {
            let work = ec2::create(&client, &url, &user.id, &project.id);
            let credential: Ec2Credential = operations
                .run("Creating an EC2 credential", Some(page), work)
                .await?;
            operations.reveal(new_pair_secret(
                &user.name,
                &project.name,
                &credential.access,
                &credential.secret,
                &tools,
            ));
            Ok::<(), ApiError>(())
        }
    });
    let refusal = move || delegation_refusal(store.delegation());

    let url = identity_url.clone();
    let reveal = Action::new_local(move |access: &String| {
        let (access, user, client, url) = (
            access.clone(),
            target.get_untracked(),
            store.client(),
            url.clone(),
        );
        async move {
            if revealed
                .try_with_untracked(|r| r.contains_key(&access))
                .unwrap_or(true)
            {
                revealed.update(|r| {
                    r.remove(&access);
                });
                return;
            }
            match ec2::show(&client, &url, &user.id, &access).await {
                Ok(credential) => revealed.update(|r| {
                    r.insert(access, credential.secret);
                }),
                Err(error) => {
                    toasts.error(format!("Reading the credential {access} failed: {error}"))
                }
            }
        }
    });

    let to_delete = RwSignal::new(None::<String>);
    let url = identity_url.clone();
    let delete = Action::new_local(move |access: &String| {
        let (access, user, client, url) = (
            access.clone(),
            target.get_untracked(),
            store.client(),
            url.clone(),
        );
        async move {
            let work = ec2::delete(&client, &url, &user.id, &access);
            let outcome = operations
                .run(format!("Deleting EC2 credential {access}"), None, work)
                .await;
            if outcome.is_ok() {
                toasts.success(format!("EC2 credential {access} deleted."));
            }
            outcome
        }
    });

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() || refusal().is_some() {
            return;
        }
        let chosen = project_for_create.get_untracked();
        let project = projects
            .get_untracked()
            .and_then(|r| r.ok())
            .and_then(|ps| ps.into_iter().find(|p| Some(&p.id) == chosen.as_ref()));
        match project {
            Some(project) => {
                create.dispatch((target.get_untracked(), project));
            }
            None => toasts.error("Choose a project for the new credential."),
        }
    };

    view! {
        <UserPicker target/>
        <CreatePanel title=Family::Ec2.create_label() open=create_open>
            {move || {
                refusal()
                    .map(|why| view! { <p class="notice notice-warning" data-test="create-refused">{why}</p> })
            }}
            <form class="inline-form" on:submit=on_create>
                <label class="field-inline">
                    <span>"Project"</span>
                    <select
                        name="project"
                        on:change=move |ev| picked_project.set(Some(event_target_value(&ev)))
                    >
                        {move || {
                            let selected = project_for_create.get();
                            projects
                                .get()
                                .and_then(|r| r.ok())
                                .unwrap_or_default()
                                .into_iter()
                                .map(|p| {
                                    let is_selected = Some(&p.id) == selected.as_ref();
                                    view! { <option value=p.id.clone() selected=is_selected>{p.name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <button
                    type="submit"
                    class="button button-primary"
                    data-test="create-ec2"
                    disabled=move || create.pending().get() || refusal().is_some()
                >
                    {move || if create.pending().get() { "Creating…" } else { "Create EC2 credential" }}
                </button>
            </form>
            {move || {
                create
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| view! { <ErrorNotice error action="Creating the EC2 credential failed"/> })
            }}
            {move || {
                projects
                    .get()
                    .and_then(Result::err)
                    .map(|error| view! { <ErrorNotice error action="Listing the user's projects failed"/> })
            }}
        </CreatePanel>
        <section class="panel" aria-labelledby="list-title">
            <h2 id="list-title">"EC2 credentials"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match credentials.await {
                        Err(error) => view! { <ErrorNotice error action="Listing EC2 credentials failed"/> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state" data-test="ec2-empty">
                                "No EC2 credentials yet. Choose \"New EC2 credential\" to make one for S3- or EC2-compatible tools with this cloud."
                            </p>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap"><table class="table" data-test="ec2-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Access key"</th>
                                        <th scope="col">"Project"</th>
                                        <th scope="col">"Secret key"</th>
                                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|credential| {
                                            let access = credential.access.clone();
                                            let shown = {
                                                let access = access.clone();
                                                move || revealed.with(|r| r.get(&access).cloned())
                                            };
                                            let toggle = {
                                                let access = access.clone();
                                                move |_| {
                                                    reveal.dispatch(access.clone());
                                                }
                                            };
                                            let project = credential.tenant_id.clone().unwrap_or_default();
                                            let for_delete = access.clone();
                                            view! {
                                                <tr data-test="ec2-row" data-access=access.clone()>
                                                    <td><code>{access.clone()}</code></td>
                                                    <td>{project_name(&project)}</td>
                                                    <td>
                                                        <code data-test="ec2-secret">
                                                            {
                                                                let shown = shown.clone();
                                                                move || shown().unwrap_or_else(|| MASK.to_string())
                                                            }
                                                        </code>
                                                        " "
                                                        <button type="button" class="button button-small" data-test="reveal" on:click=toggle>
                                                            {move || if shown().is_some() { "Hide" } else { "Reveal" }}
                                                        </button>
                                                    </td>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="button button-small button-danger-outline"
                                                            data-test="delete"
                                                            on:click=move |_| to_delete.set(Some(for_delete.clone()))
                                                        >
                                                            "Delete"
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table></div>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
        <ConfirmDialog
            open=Signal::derive(move || to_delete.get().is_some())
            title="Delete EC2 credential?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                if let Some(access) = to_delete.get_untracked() {
                    delete.dispatch(access);
                }
                to_delete.set(None);
            })
            on_cancel=Callback::new(move |_| to_delete.set(None))
        >
            <p data-test="confirm-text">
                {move || format!(
                    "The EC2 credential with access key {} will be deleted. Tools using it will stop working.",
                    to_delete.get().unwrap_or_default(),
                )}
            </p>
        </ConfirmDialog>
    }
}

#[component]
fn KsadmView(base_url: String) -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let target = use_target_user();
    let operations = use_operations();
    let page = PageLife::new();
    let revealed = RwSignal::new(None::<Result<ksadm::Ec2Credential, ApiError>>);

    let url = base_url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let credentials = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        let (client, url) = (store.client(), url.clone());
        async move { ksadm::list(&client, &url, &user.id).await }
    });

    let username = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let signature = RwSignal::new(String::new());
    let editing = RwSignal::new(false);

    let url = base_url.clone();
    let save = Action::new_local(
        move |(user, credential, update): &(TargetUser, ksadm::Ec2Credential, bool)| {
            let (user, credential, update, client, url) = (
                user.clone(),
                credential.clone(),
                *update,
                store.client(),
                url.clone(),
            );
            async move {
                let what = match update {
                    true => "Updating the EC2 credential",
                    false => "Granting an EC2 credential",
                };
                let work = async {
                    match update {
                        true => ksadm::update(&client, &url, &user.id, credential).await,
                        false => ksadm::grant(&client, &url, &user.id, credential).await,
                    }
                };
                let saved = operations.run(what, Some(page), work).await?;
                // The page's form, if it is still shown.
                editing.try_set(false);
                secret.try_set(String::new());
                revealed.try_set(None);
                operations.reveal(ksadm_secret(&user, &saved));
                Ok::<(), ApiError>(())
            }
        },
    );
    let url = base_url.clone();
    let reveal = Action::new_local(move |_: &()| {
        let (user, client, url) = (target.get_untracked(), store.client(), url.clone());
        // The page may be gone when the answer comes.
        async move {
            revealed.try_set(Some(ksadm::get(&client, &url, &user.id).await));
        }
    });
    let confirming_delete = RwSignal::new(false);
    let url = base_url.clone();
    let delete = Action::new_local(move |_: &()| {
        let (user, client, url) = (target.get_untracked(), store.client(), url.clone());
        async move {
            let work = ksadm::delete(&client, &url, &user.id);
            let what = format!("Deleting the EC2 credential of {}", user.name);
            let outcome = operations.run(what, None, work).await;
            if outcome.is_ok() {
                toasts.success(format!("The EC2 credential of {} was deleted.", user.name));
            }
            revealed.try_set(None);
            outcome
        }
    });

    let start_update = move |existing: &ksadm::Ec2Credential| {
        username.set(existing.username.clone());
        signature.set(existing.signature.clone());
        secret.set(String::new());
        editing.set(true);
    };
    // `existing`: whether the form shown is the update form (a credential is listed), not
    // whether "Update…" was ever opened: it may have been deleted since.
    let on_submit = move |ev: leptos::ev::SubmitEvent, existing: bool| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        // Left empty, the username is the user's name and the secret is generated here.
        let typed_username = username.get_untracked().trim().to_string();
        let typed_secret = secret.get_untracked();
        let Some(secret) = Some(typed_secret)
            .filter(|s| !s.is_empty())
            .or_else(|| random_hex(20))
        else {
            toasts.error("The browser could not generate a secret; type one.");
            return;
        };
        let credential = ksadm::Ec2Credential {
            username: Some(typed_username)
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| target.get_untracked().name),
            secret,
            signature: signature.get_untracked(),
        };
        save.dispatch((target.get_untracked(), credential, existing));
    };

    let form = move |existing: bool| {
        view! {
            <form class="form" on:submit=move |ev| on_submit(ev, existing) data-test="ksadm-form">
                <h3>{if existing { "Update the EC2 credential" } else { "Grant an EC2 credential" }}</h3>
                <label class="field">
                    <span>"Username"</span>
                    <input name="ksadm-username" placeholder=move || target.get().name bind:value=username/>
                </label>
                <label class="field">
                    <span>"Secret " <small>"(leave empty to have your browser generate a strong one)"</small></span>
                    <input name="ksadm-secret" type="password" autocomplete="new-password" bind:value=secret/>
                </label>
                <label class="field">
                    <span>"Signature"</span>
                    <input name="ksadm-signature" bind:value=signature/>
                </label>
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    {if existing { "Update" } else { "Grant" }}
                </button>
            </form>
        }
    };

    view! {
        <UserPicker target/>
        <p class="page-intro">"This cloud serves the legacy v2.0 OS-KSADM extension: a user has at most one EC2 credential of this kind."</p>
        {move || {
            save.value().get().and_then(Result::err).map(|error| {
                view! { <ErrorNotice error action=if editing.get_untracked() { "Updating failed" } else { "Granting failed" }/> }
            })
        }}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match credentials.await {
                    Err(error) => view! { <ErrorNotice error action="Listing EC2 credentials failed"/> }.into_any(),
                    Ok(list) => match list.into_iter().next() {
                        None => view! {
                            <p class="empty-state" data-test="ec2-empty">
                                {move || format!("{} has no EC2 credential yet. Grant one below.", target.get().name)}
                            </p>
                            {form(false)}
                        }
                        .into_any(),
                        Some(credential) => {
                            let for_edit = credential.clone();
                            view! {
                                <dl class="facts" data-test="ksadm-credential">
                                    <dt>"Username"</dt>
                                    <dd data-test="ksadm-username">{credential.username.clone()}</dd>
                                    <dt>"Secret"</dt>
                                    <dd>
                                        <code data-test="ec2-secret">
                                            {move || match revealed.get() {
                                                Some(Ok(c)) => c.secret,
                                                _ => MASK.to_string(),
                                            }}
                                        </code>
                                        " "
                                        <button
                                            type="button"
                                            class="button button-small"
                                            data-test="reveal"
                                            on:click=move |_| {
                                                if revealed.with_untracked(Option::is_some) {
                                                    revealed.set(None);
                                                } else {
                                                    reveal.dispatch(());
                                                }
                                            }
                                        >
                                            {move || if revealed.get().is_some() { "Hide" } else { "Reveal" }}
                                        </button>
                                    </dd>
                                    <dt>"Signature"</dt>
                                    <dd>{credential.signature.clone()}</dd>
                                </dl>
                                {move || {
                                    revealed.get().and_then(Result::err).map(|error| {
                                        view! { <ErrorNotice error action="Reading the credential failed"/> }
                                    })
                                }}
                                <div class="actions">
                                    <button type="button" class="button" data-test="edit" on:click=move |_| start_update(&for_edit)>
                                        "Update…"
                                    </button>
                                    <button
                                        type="button"
                                        class="button button-danger-outline"
                                        data-test="delete"
                                        on:click=move |_| confirming_delete.set(true)
                                    >
                                        "Delete"
                                    </button>
                                </div>
                                <Show when=move || editing.get()>{form(true)}</Show>
                            }
                            .into_any()
                        }
                    },
                }
            })}
        </Transition>
        <ConfirmDialog
            open=confirming_delete
            title="Delete EC2 credential?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming_delete.set(false);
                delete.dispatch(());
            })
            on_cancel=Callback::new(move |_| confirming_delete.set(false))
        >
            <p data-test="confirm-text">
                {move || format!("The EC2 credential of {} will be deleted. Tools using it will stop working.", target.get().name)}
            </p>
        </ConfirmDialog>
    }
}

/// The one-time dialog of a v2.0 EC2 credential just granted or updated for `user`.
fn ksadm_secret(user: &TargetUser, credential: &ksadm::Ec2Credential) -> OneTimeSecret {
    OneTimeSecret {
        fields: vec![
            SecretField {
                label: "Username".into(),
                value: credential.username.clone(),
            },
            SecretField {
                label: "Secret".into(),
                value: credential.secret.clone(),
            },
        ],
        files: vec![SecretFile::credentials_csv(
            &[USER_NAME, "Username", "Secret"],
            &[vec![
                Cell::Text(user.name.clone()),
                Cell::Text(credential.username.clone()),
                Cell::Key(credential.secret.clone()),
            ]],
        )],
        ..OneTimeSecret::new("EC2 credential saved", credential.username.clone())
    }
}
