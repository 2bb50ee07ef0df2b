//! Creating a key pair in one of the user's projects.

use super::delegation_refusal;
use super::secrets::new_pair_secret;
use crate::api::users::Project;
use crate::api::ApiError;
use crate::components::{
    use_operations, use_toasts, CreatePanel, ErrorNotice, PageLife, TargetUser,
};
use crate::routing::Family;
use crate::services::OsEc2;
use crate::session::use_session;
use leptos::prelude::*;

type Projects = LocalResource<Result<Vec<Project>, ApiError>>;

#[component]
pub(super) fn CreatePair(
    service: OsEc2,
    target: Signal<TargetUser>,
    /// The projects the user has a role on.
    projects: Projects,
) -> impl IntoView {
    let store = use_session();
    let (toasts, operations, page) = (use_toasts(), use_operations(), PageLife::new());
    let open = store.draft(Family::Ec2.create_form_draft(), || false);
    let listed = move || projects.get().and_then(|r| r.ok()).unwrap_or_default();
    // The project the user picked; until then the token's project when the user has a role on
    // it, else their first project.
    let picked = RwSignal::new(None::<String>);
    let token_project = store
        .active()
        .and_then(|s| s.info.project.clone())
        .map(|p| p.id);
    let chosen = Memo::new(move |_| {
        let projects = listed();
        let has = |id: &String| projects.iter().any(|p| &p.id == id);
        let first = || projects.first().map(|p| p.id.clone());
        picked
            .get()
            .filter(has)
            .or_else(|| token_project.clone().filter(has))
            .or_else(first)
    });
    let create = Action::new_local(move |(user, project): &(TargetUser, Project)| {
        let (user, project) = (user.clone(), project.clone());
        let tools = store
            .active()
            .map(|s| s.info.tool_target())
            .unwrap_or_default();
        let work = service.create(user.id.clone(), project.id.clone());
        async move {
            let pair = operations
                .run("Creating an EC2 credential", Some(page), work)
                .await?;
            let secret = new_pair_secret(
                &user.name,
                &project.name,
                &pair.access,
                pair.secret.expose(),
                &tools,
            );
            operations.reveal(secret);
            Ok::<(), ApiError>(())
        }
    });
    let refusal = move || delegation_refusal(store.delegation());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() || refusal().is_some() {
            return;
        }
        let chosen = chosen.get_untracked();
        let project = projects
            .get_untracked()
            .and_then(|r| r.ok())
            .unwrap_or_default();
        match project.into_iter().find(|p| Some(&p.id) == chosen.as_ref()) {
            Some(project) => {
                create.dispatch((target.get_untracked(), project));
            }
            None => toasts.error("Choose a project for the new credential."),
        }
    };
    let options = move || {
        let selected = chosen.get();
        let option = |p: Project| {
            let is_selected = Some(&p.id) == selected.as_ref();
            view! {
                <option value=p.id.clone() selected=is_selected>
                    {p.name}
                </option>
            }
        };
        listed().into_iter().map(option).collect_view()
    };
    let refused = move || {
        refusal().map(|why| {
            view! {
                <p class="notice notice-warning" data-test="create-refused">
                    {why}
                </p>
            }
        })
    };
    let failed = move || {
        let error = create.value().get()?.err()?;
        Some(view! { <ErrorNotice error action="Creating the EC2 credential failed" /> })
    };
    let unlisted = move || {
        let error = projects.get()?.err()?;
        Some(view! { <ErrorNotice error action="Listing the user's projects failed" /> })
    };
    view! {
        <CreatePanel title=Family::Ec2.create_label() open>
            {refused}
            <form class="inline-form" on:submit=submit>
                <label class="field-inline">
                    <span>"Project"</span>
                    <select
                        name="project"
                        on:change=move |ev| picked.set(Some(event_target_value(&ev)))
                    >
                        {options}
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
            {failed}
            {unlisted}
        </CreatePanel>
    }
}
