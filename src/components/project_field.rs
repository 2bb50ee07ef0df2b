//! The project a credential goes into. An administrator may name any project; a member may put
//! credentials only in projects they have a role on, so they choose from those.

use crate::api::error::ApiError;
use crate::api::users::Project;
use crate::services::users::use_users;
use crate::session::use_session;
use leptos::prelude::*;

/// The projects the signed-in member has a role on; nothing to read for an administrator.
#[derive(Clone, Copy)]
pub struct OwnProjects(LocalResource<Option<Result<Vec<Project>, ApiError>>>);

impl OwnProjects {
    /// Starts reading them (from a component: the read belongs to it).
    pub fn read() -> Self {
        let (store, users) = (use_session(), use_users());
        OwnProjects(LocalResource::new(move || {
            let own_id = store.active().map(|s| s.info.user.id.clone());
            let read = own_id
                .filter(|_| !store.is_admin())
                .map(|id| users.projects_of(id));
            async move {
                match read {
                    Some(read) => Some(read.await),
                    None => None,
                }
            }
        }))
    }

    /// Why a credential may not go into `project_id` (empty: no project), read when the form
    /// is sent.
    pub fn refusal(&self, project_id: &str) -> Option<String> {
        if project_id.is_empty() {
            return None;
        }
        match self.0.get_untracked() {
            Some(None) => None,
            Some(Some(Ok(projects))) if projects.iter().any(|p| p.id == project_id) => None,
            Some(Some(Ok(_))) => Some(format!(
                "You have no role on project \"{project_id}\": choose one of your projects."
            )),
            Some(Some(Err(error))) => Some(format!(
                "Your projects could not be read, so none can be chosen: {error}"
            )),
            None => Some("Your projects are still being read: try again in a moment.".into()),
        }
    }
}

/// A project id field: free text for an administrator, a choice among their own projects for
/// a member.
#[component]
pub fn ProjectField(
    projects: OwnProjects,
    /// The form field's name.
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
) -> impl IntoView {
    let member_list = move || projects.0.get().flatten();
    move || match member_list() {
        None => view! {
            <label class="field">
                <span>{label}</span>
                <input
                    name=name
                    prop:value=move || value.get()
                    on:input=move |ev| on_change.run(event_target_value(&ev))
                />
            </label>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="field">
                <span>{label}</span>
                <p class="notice notice-error" role="alert">
                    {format!("Your projects could not be read: {error}")}
                </p>
            </div>
        }
        .into_any(),
        Some(Ok(list)) => {
            let options = list.clone();
            let known = move || value.with(|v| list.iter().any(|p| &p.id == v));
            view! {
                <label class="field">
                    <span>{label} " " <small>"(one you have a role on)"</small></span>
                    <select name=name on:change=move |ev| on_change.run(event_target_value(&ev))>
                        <option value="" selected=move || !known()>
                            "Choose a project"
                        </option>
                        {options
                            .into_iter()
                            .map(|p| {
                                let id = p.id.clone();
                                view! {
                                    <option value=p.id selected=move || value.with(|v| *v == id)>
                                        {p.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
    }
}
