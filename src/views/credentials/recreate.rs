//! Changing a credential's type or project, which Keystone 30 cannot PATCH: a new credential with
//! the same blob, the old one deleted (for ec2 the old one first, put back if the new one fails),
//! each step reported.

use crate::api::credentials::{Credential, RecreateFailure};
use crate::components::{
    use_operations, use_toasts, OneTimeSecret, OwnProjects, PageLife, ProjectField, SecretField,
};
use crate::routing::Page;
use crate::services::Credentials;
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// What the re-create form and its outcome share.
#[derive(Clone, Copy)]
pub(super) struct Recreate {
    /// The type and project typed, while the form is open.
    form: RwSignal<Option<(String, String)>>,
    /// What the last attempt did, step by step.
    steps: RwSignal<Vec<String>>,
    own_projects: OwnProjects,
    action: Action<(Credential, String, String), Result<(), RecreateFailure>>,
}

/// The one-time dialog of a blob that exists nowhere else any more.
fn lost_blob(old_id: &str, blob: String) -> OneTimeSecret {
    OneTimeSecret {
        fields: vec![SecretField {
            label: "Blob".into(),
            value: blob,
        }],
        ..OneTimeSecret::new(
            format!("The blob of the deleted credential {old_id}"),
            old_id,
        )
    }
}

impl Recreate {
    pub fn new(service: Credentials, id: Memo<String>) -> Self {
        let store = use_session();
        let (operations, toasts, page) = (use_operations(), use_toasts(), PageLife::new());
        let navigate = use_navigate();
        let (form, steps) = (RwSignal::new(None), RwSignal::new(Vec::new()));
        let own_projects = OwnProjects::read();
        let action =
            Action::new_local(move |(old, kind, project): &(Credential, String, String)| {
                let (kind, project) = (kind.trim().to_string(), project.trim().to_string());
                // Refused before anything is deleted: an ec2 credential for a delegated token
                // (Keystone refuses it, after the old one would already be gone), or without a project.
                let refused = match kind == "ec2" {
                    true => delegation_refusal(store.delegation())
                        .map(str::to_string)
                        .or_else(|| {
                            project.is_empty().then(|| {
                                "An ec2 credential needs a project: nothing was changed."
                                    .to_string()
                            })
                        }),
                    false => None,
                }
                .or_else(|| own_projects.refusal(&project));
                let (old_id, what) = (old.id.clone(), format!("Changing credential {}", old.id));
                let asked_from = old.id.clone();
                let project = Some(project).filter(|p| !p.is_empty());
                let recreated = service.recreate(old.clone(), kind, project);
                let navigate = navigate.clone();
                let work = async move {
                    if let Some(why) = refused {
                        return Err(RecreateFailure {
                            steps: vec![why],
                            lost_blob: None,
                        });
                    }
                    let outcome = recreated.await;
                    if let Err(RecreateFailure {
                        lost_blob: Some(blob),
                        ..
                    }) = &outcome
                    {
                        operations.reveal(lost_blob(&old_id, blob.expose().to_string()));
                    }
                    outcome
                };
                async move {
                    let outcome = operations.run(what, Some(page), work).await;
                    let taken = match &outcome {
                        Ok((_, taken)) => taken.clone(),
                        Err(failure) => failure.steps.clone(),
                    };
                    steps.try_set(taken);
                    let (new, taken) = outcome?;
                    toasts.success(taken.join(" "));
                    form.try_set(None);
                    // Only from the page that asked, still showing the old credential.
                    if id.try_get_untracked().as_ref() == Some(&asked_from) {
                        navigate(&Page::Credential { id: new.id }.path(), Default::default());
                    }
                    Ok(())
                }
            });
        Recreate {
            form,
            steps,
            own_projects,
            action,
        }
    }

    /// Opens the form with the credential's type and project.
    pub fn open(&self, kind: String, project: String) {
        self.form.set(Some((kind, project)));
    }
}

/// The form (while open) and what the last attempt did.
#[component]
pub(super) fn RecreatePanel(old: Credential, recreate: Recreate) -> impl IntoView {
    let (form, steps) = (recreate.form, recreate.steps);
    // Whether the form is open, apart from what is typed in it: typing must not rebuild the form.
    let open = Memo::new(move |_| form.with(Option::is_some));
    let taken = move || {
        let items = steps
            .get()
            .into_iter()
            .map(|step| view! { <li>{step}</li> });
        view! {
            <ul class="bulk-results" data-test="recreate-steps">
                {items.collect_view()}
            </ul>
        }
    };
    view! {
        <Show when=move || open.get()>
            <RecreateForm old=old.clone() recreate />
        </Show>
        <Show when=move || !steps.with(Vec::is_empty)>{taken}</Show>
    }
}

#[component]
fn RecreateForm(old: Credential, recreate: Recreate) -> impl IntoView {
    let Recreate {
        form,
        own_projects,
        action,
        ..
    } = recreate;
    let edit = move |change: &dyn Fn(&mut (String, String))| {
        form.update(|f| {
            if let Some(f) = f {
                change(f)
            }
        })
    };
    let kind = move || form.get().map(|f| f.0).unwrap_or_default();
    let project = Signal::derive(move || form.get().map(|f| f.1).unwrap_or_default());
    let submit = move |_| {
        if let Some((kind, project)) = form.get_untracked() {
            action.dispatch((old.clone(), kind, project));
        }
    };
    view! {
        <section class="panel" data-test="recreate-form">
            <p>
                "Keystone cannot change a credential's type or project in place: the console creates a new credential with the same blob and deletes the old one, and reports each step."
            </p>
            <label class="field">
                <span>"Type"</span>
                <input
                    name="recreate-type"
                    prop:value=kind
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        edit(&|f| f.0 = typed.clone());
                    }
                />
            </label>
            <ProjectField
                projects=own_projects
                name="recreate-project"
                label="Project ID"
                value=project
                on_change=move |typed: String| edit(&|f| f.1 = typed.clone())
            />
            <button
                type="button"
                class="button button-primary"
                data-test="recreate-submit"
                disabled=move || action.pending().get()
                on:click=submit
            >
                "Re-create"
            </button>
            <button type="button" class="button" on:click=move |_| form.set(None)>
                "Cancel"
            </button>
        </section>
    }
}
