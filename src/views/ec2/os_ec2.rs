//! Keystone v3 OS-EC2: a user's key pairs, one per project they choose.

use super::delegation_refusal;
use super::secrets::new_pair_secret;
use crate::api::ec2::{self, Ec2Credential};
use crate::api::users::{projects_of, Project};
use crate::api::ApiError;
use crate::components::MASK;
use crate::components::{
    use_operations, use_target_user, use_toasts, ConfirmDialog, CreatePanel, ErrorNotice, PageLife,
    TargetUser, UserPicker,
};
use crate::session::use_session;
use crate::views::Family;
use leptos::prelude::*;
use std::collections::HashMap;

#[component]
pub(super) fn OsEc2View() -> impl IntoView {
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
        <UserPicker target />
        <CreatePanel title=Family::Ec2.create_label() open=create_open>
            {move || {
                refusal()
                    .map(|why| {
                        view! {
                            <p class="notice notice-warning" data-test="create-refused">
                                {why}
                            </p>
                        }
                    })
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
                                    view! {
                                        <option value=p.id.clone() selected=is_selected>
                                            {p.name}
                                        </option>
                                    }
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
                    {move || {
                        if create.pending().get() { "Creating…" } else { "Create EC2 credential" }
                    }}
                </button>
            </form>
            {move || {
                create
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| {
                        view! { <ErrorNotice error action="Creating the EC2 credential failed" /> }
                    })
            }}
            {move || {
                projects
                    .get()
                    .and_then(Result::err)
                    .map(|error| {
                        view! { <ErrorNotice error action="Listing the user's projects failed" /> }
                    })
            }}
        </CreatePanel>
        <section class="panel" aria-labelledby="list-title">
            <h2 id="list-title">"EC2 credentials"</h2>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match credentials.await {
                        Err(error) => {
                            view! { <ErrorNotice error action="Listing EC2 credentials failed" /> }
                                .into_any()
                        }
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="empty-state" data-test="ec2-empty">
                                    "No EC2 credentials yet. Choose \"New EC2 credential\" to make one for S3- or EC2-compatible tools with this cloud."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="table" data-test="ec2-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Access key"</th>
                                                <th scope="col">"Project"</th>
                                                <th scope="col">"Secret key"</th>
                                                <th scope="col">
                                                    <span class="visually-hidden">"Actions"</span>
                                                </th>
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
                                                    let project = credential
                                                        .tenant_id
                                                        .clone()
                                                        .unwrap_or_default();
                                                    let for_delete = access.clone();
                                                    view! {
                                                        <tr data-test="ec2-row" data-access=access.clone()>
                                                            <td>
                                                                <code>{access.clone()}</code>
                                                            </td>
                                                            <td>{project_name(&project)}</td>
                                                            <td>
                                                                <code data-test="ec2-secret">
                                                                    {
                                                                        let shown = shown.clone();
                                                                        move || shown().unwrap_or_else(|| MASK.to_string())
                                                                    }
                                                                </code>
                                                                " "
                                                                <button
                                                                    type="button"
                                                                    class="button button-small"
                                                                    data-test="reveal"
                                                                    on:click=toggle
                                                                >
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
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
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
                {move || {
                    format!(
                        "The EC2 credential with access key {} will be deleted. Tools using it will stop working.",
                        to_delete.get().unwrap_or_default(),
                    )
                }}
            </p>
        </ConfirmDialog>
    }
}
