//! One credential: its fields, the blob with secrets masked, blob update, re-create, delete.

use super::names::use_names;
use crate::api::credentials::{
    self, blob_fields, check_blob, ec2_access, secret_fields, Credential, RecreateFailure,
};
use crate::api::ApiError;
use crate::components::MASK;
use crate::components::{
    use_operations, use_toasts, ConfirmDialog, ErrorNotice, OneTimeSecret, OwnProjects,
    PageHeading, PageLife, ProjectField, SecretField,
};
use crate::routing::{use_page_href, Page};
use crate::session::use_session;
use crate::views::ec2::delegation_refusal;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// One credential: all fields, the blob per type with its secrets masked, blob update, delete.
#[component]
pub fn CredentialPage() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let params = use_params_map();
    let navigate = use_navigate();
    let page_href = use_page_href();
    let url = store.identity_url();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let operations = use_operations();
    let page = PageLife::new();
    let names = use_names();
    let show_url = url.clone();
    // Read again whenever a write finished.
    let credential = LocalResource::new(move || {
        let (id, _) = (id.get(), operations.changed());
        let (client, url) = (store.client(), show_url.clone());
        async move { credentials::show(&client, &url, &id).await }
    });
    let revealed = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let delete_url = url.clone();
    let id_now = id;
    let delete = Action::new_local(move |id: &String| {
        let (id, client, url, navigate) = (
            id.clone(),
            store.client(),
            delete_url.clone(),
            navigate.clone(),
        );
        let page_showing =
            move |deleted: &String| id_now.try_get_untracked().as_ref() == Some(deleted);
        async move {
            let work = credentials::delete(&client, &url, &id);
            let what = format!("Deleting credential {id}");
            operations.run(what, Some(page), work).await?;
            toasts.success(format!("Credential {id} deleted."));
            // Back to the list only from the page that asked, still showing that credential.
            if page_showing(&id) {
                navigate(&Page::all_credentials().path(), Default::default());
            }
            Ok::<(), ApiError>(())
        }
    });

    // Blob update: the server's current blob is read again before the change is shown. The
    // draft survives the page (a session that ends mid-edit comes back to it after signing in).
    let draft = Memo::new(move |_| {
        store.draft(&format!("credential-blob/{}", id.get()), || None::<String>)
    });
    let review = RwSignal::new(None::<Result<(String, String), ApiError>>);
    let review_url = url.clone();
    let start_review = Action::new_local(move |(id, proposed): &(String, String)| {
        let (id, proposed, client, url) = (
            id.clone(),
            proposed.clone(),
            store.client(),
            review_url.clone(),
        );
        async move {
            let current = credentials::show(&client, &url, &id).await;
            review.try_set(Some(current.map(|current| (current.blob, proposed))));
        }
    });
    let save_url = url.clone();
    let save = Action::new_local(move |(id, blob): &(String, String)| {
        let (id, blob, client, url) = (id.clone(), blob.clone(), store.client(), save_url.clone());
        // The draft as the store keeps it: cleared also when the page was left meanwhile.
        let draft = store.draft_handle(&format!("credential-blob/{id}"), || None::<String>);
        async move {
            let work = credentials::update_blob(&client, &url, &id, &blob);
            operations
                .run(format!("Saving the blob of {id}"), Some(page), work)
                .await?;
            toasts.success("Blob saved.");
            draft.set(None);
            review.try_set(None);
            Ok::<(), ApiError>(())
        }
    });

    // Type and project cannot be PATCHed (Keystone 30 accepts only the blob): they change by
    // re-creating. An ec2 credential's id comes from its access key, so the old one must go first;
    // if the new one then fails, the old one is put back.
    let recreate_form = RwSignal::new(None::<(String, String)>);
    // Whether the form is open, apart from what is typed in it: typing must not rebuild the form.
    let recreate_open = Memo::new(move |_| recreate_form.with(Option::is_some));
    let recreate_steps = RwSignal::new(Vec::<String>::new());
    let recreate_url = url.clone();
    let recreate_navigate = use_navigate();
    let own_projects = OwnProjects::read();
    let recreate = Action::new_local(move |(old, kind, project): &(Credential, String, String)| {
        let (old, kind, project) = (
            old.clone(),
            kind.trim().to_string(),
            project.trim().to_string(),
        );
        let (client, url, navigate) = (
            store.client(),
            recreate_url.clone(),
            recreate_navigate.clone(),
        );
        let what = format!("Changing credential {}", old.id);
        // Refused before anything is deleted: an ec2 credential for a delegated token (Keystone
        // refuses it, after the old one would already be gone), or without a project.
        let refused = match kind == "ec2" {
            true => delegation_refusal(store.delegation())
                .map(str::to_string)
                .or_else(|| {
                    project.is_empty().then(|| {
                        "An ec2 credential needs a project: nothing was changed.".to_string()
                    })
                }),
            false => None,
        }
        .or_else(|| own_projects.refusal(&project));
        let work = async move {
            if let Some(why) = refused {
                return Err(RecreateFailure {
                    steps: vec![why],
                    lost_blob: None,
                });
            }
            let project = Some(project).filter(|p| !p.is_empty());
            let outcome =
                credentials::recreate(&client, &url, &old, &kind, project.as_deref()).await;
            if let Err(RecreateFailure {
                lost_blob: Some(blob),
                ..
            }) = &outcome
            {
                operations.reveal(OneTimeSecret {
                    fields: vec![SecretField {
                        label: "Blob".into(),
                        value: blob.clone(),
                    }],
                    ..OneTimeSecret::new(
                        format!("The blob of the deleted credential {}", old.id),
                        old.id.clone(),
                    )
                });
            }
            outcome.map(|(new, steps)| (old.id, new, steps))
        };
        async move {
            match operations.run(what, Some(page), work).await {
                Ok((old_id, new, steps)) => {
                    toasts.success(steps.join(" "));
                    recreate_steps.try_set(steps);
                    recreate_form.try_set(None);
                    // Only from the page that asked, still showing the old credential.
                    if id.try_get_untracked().as_ref() == Some(&old_id) {
                        navigate(&Page::Credential { id: new.id }.path(), Default::default());
                    }
                    Ok(())
                }
                Err(failure) => {
                    recreate_steps.try_set(failure.steps.clone());
                    Err(failure)
                }
            }
        }
    });

    view! {
        <section class="page" aria-labelledby="page-title">
            <p>
                <A href=page_href(&Page::all_credentials().path())>"← All credentials"</A>
            </p>
            <PageHeading title="Credential" />
            {move || match credential.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Err(error)) => {
                    let action = if error.status() == Some(403) || error.status() == Some(404) {
                        "This credential was not found or you may not see it"
                    } else {
                        "Reading the credential failed"
                    };
                    view! { <ErrorNotice error action /> }.into_any()
                }
                Some(Ok(c)) => {
                    let names = names.get().unwrap_or_default();
                    let secrets = secret_fields(&c.kind);
                    let fields = blob_fields(&c.blob);
                    let (id_for_save, for_edit, for_review) = (
                        c.id.clone(),
                        c.clone(),
                        c.id.clone(),
                    );
                    let for_draft = c.blob.clone();
                    let for_recreate = (c.kind.clone(), c.project_id.clone().unwrap_or_default());
                    let for_recreate_action = c.clone();
                    let is_ec2 = c.kind == "ec2";
                    view! {
                        <dl class="facts" data-test="credential-facts">
                            <dt>"ID"</dt>
                            <dd>
                                <code>{c.id.clone()}</code>
                            </dd>
                            <dt>"Type"</dt>
                            <dd data-test="credential-type">{c.kind.clone()}</dd>
                            <dt>"User"</dt>
                            <dd>
                                {names.user(&c.user_id)}" "<small>
                                    <code>{c.user_id.clone()}</code>
                                </small>
                            </dd>
                            <dt>"Project"</dt>
                            <dd>{names.project(c.project_id.as_deref())}</dd>
                        </dl>
                        <h2>"Blob"</h2>
                        <dl class="facts" data-test="credential-blob">
                            {fields
                                .into_iter()
                                .map(|(name, value)| {
                                    let secret = secrets.contains(&name.as_str());
                                    view! {
                                        <dt>{name}</dt>
                                        <dd>
                                            <pre class="blob-value">
                                                {move || {
                                                    if secret && !revealed.get() {
                                                        MASK.to_string()
                                                    } else {
                                                        value.clone()
                                                    }
                                                }}
                                            </pre>
                                        </dd>
                                    }
                                })
                                .collect_view()}
                        </dl>
                        {(!secrets.is_empty())
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="button button-small"
                                        data-test="reveal"
                                        on:click=move |_| revealed.update(|r| *r = !*r)
                                    >
                                        {move || {
                                            if revealed.get() {
                                                "Hide secrets"
                                            } else {
                                                "Reveal secrets"
                                            }
                                        }}
                                    </button>
                                }
                            })}
                        <div class="actions">
                            <button
                                type="button"
                                class="button"
                                data-test="edit-blob"
                                on:click=move |_| {
                                    draft.get_untracked().set(Some(for_draft.clone()));
                                    review.set(None);
                                }
                            >
                                "Edit blob…"
                            </button>
                            <button
                                type="button"
                                class="button"
                                data-test="recreate"
                                on:click=move |_| {
                                    recreate_form
                                        .set(
                                            Some((for_recreate.0.clone(), for_recreate.1.clone())),
                                        );
                                }
                            >
                                "Change type or project…"
                            </button>
                            <button
                                type="button"
                                class="button button-danger-outline"
                                data-test="delete"
                                on:click=move |_| confirming.set(true)
                            >
                                "Delete"
                            </button>
                        </div>
                        {move || {
                            recreate_open
                                .get()
                                .then(|| {
                                    let old = for_recreate_action.clone();
                                    view! {
                                        <section class="panel" data-test="recreate-form">
                                            <p>
                                                "Keystone cannot change a credential's type or project in place: the console creates a new credential with the same blob and deletes the old one, and reports each step."
                                            </p>
                                            <label class="field">
                                                <span>"Type"</span>
                                                <input
                                                    name="recreate-type"
                                                    prop:value=move || {
                                                        recreate_form.get().map(|f| f.0).unwrap_or_default()
                                                    }
                                                    on:input=move |ev| {
                                                        let v = event_target_value(&ev);
                                                        recreate_form
                                                            .update(|f| {
                                                                if let Some(f) = f {
                                                                    f.0 = v;
                                                                }
                                                            });
                                                    }
                                                />
                                            </label>
                                            <ProjectField
                                                projects=own_projects
                                                name="recreate-project"
                                                label="Project ID"
                                                value=Signal::derive(move || {
                                                    recreate_form.get().map(|f| f.1).unwrap_or_default()
                                                })
                                                on_change=move |v| {
                                                    recreate_form
                                                        .update(|f| {
                                                            if let Some(f) = f {
                                                                f.1 = v;
                                                            }
                                                        })
                                                }
                                            />
                                            <button
                                                type="button"
                                                class="button button-primary"
                                                data-test="recreate-submit"
                                                disabled=move || recreate.pending().get()
                                                on:click=move |_| {
                                                    if let Some((kind, project)) = recreate_form.get_untracked()
                                                    {
                                                        recreate.dispatch((old.clone(), kind, project));
                                                    }
                                                }
                                            >
                                                "Re-create"
                                            </button>
                                            <button
                                                type="button"
                                                class="button"
                                                on:click=move |_| recreate_form.set(None)
                                            >
                                                "Cancel"
                                            </button>
                                        </section>
                                    }
                                })
                        }}
                        {move || {
                            (!recreate_steps.with(Vec::is_empty))
                                .then(|| {
                                    view! {
                                        <ul class="bulk-results" data-test="recreate-steps">
                                            {recreate_steps
                                                .get()
                                                .into_iter()
                                                .map(|step| view! { <li>{step}</li> })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                        }}
                        {move || {
                            draft
                                .get()
                                .with(Option::is_some)
                                .then(|| {
                                    let (id, kind, original_access) = (
                                        for_review.clone(),
                                        for_edit.kind.clone(),
                                        ec2_access(&for_edit.blob),
                                    );
                                    let id_for_save = id_for_save.clone();
                                    view! {
                                        <section class="panel" data-test="blob-editor">
                                            {is_ec2
                                                .then(|| {
                                                    view! {
                                                        <p class="notice notice-info">
                                                            "The access key of an ec2 blob cannot change: Keystone keeps the id made from the old one, which would break look-ups by access key. Only the secret may be edited; for a new access key, create a new credential."
                                                        </p>
                                                    }
                                                })}
                                            <label class="field">
                                                <span>"New blob"</span>
                                                <textarea
                                                    name="edit-blob"
                                                    rows="5"
                                                    prop:value=move || draft.get().get().unwrap_or_default()
                                                    on:input=move |ev| {
                                                        draft.get_untracked().set(Some(event_target_value(&ev)))
                                                    }
                                                ></textarea>
                                            </label>
                                            <button
                                                type="button"
                                                class="button"
                                                data-test="review-blob"
                                                on:click=move |_| {
                                                    let proposed = draft
                                                        .get_untracked()
                                                        .get_untracked()
                                                        .unwrap_or_default();
                                                    if let Err(message) = check_blob(&kind, &proposed) {
                                                        toasts.error(message);
                                                        return;
                                                    }
                                                    if kind == "ec2" && ec2_access(&proposed) != original_access
                                                    {
                                                        toasts
                                                            .error(
                                                                "The access key of an ec2 credential cannot be changed.",
                                                            );
                                                        return;
                                                    }
                                                    start_review.dispatch((id.clone(), proposed));
                                                }
                                            >
                                                "Review change"
                                            </button>
                                            {move || {
                                                review
                                                    .get()
                                                    .map(|outcome| match outcome {
                                                        Err(error) => {
                                                            view! {
                                                                <ErrorNotice
                                                                    error
                                                                    action="Re-reading the credential failed"
                                                                />
                                                            }
                                                                .into_any()
                                                        }
                                                        Ok((current, proposed)) => {
                                                            let id = id_for_save.clone();
                                                            view! {
                                                                <div class="diff" data-test="blob-diff">
                                                                    <div>
                                                                        <h3>"On the server now"</h3>
                                                                        <pre>{current}</pre>
                                                                    </div>
                                                                    <div>
                                                                        <h3>"After saving"</h3>
                                                                        <pre>{proposed.clone()}</pre>
                                                                    </div>
                                                                </div>
                                                                <button
                                                                    type="button"
                                                                    class="button button-primary"
                                                                    data-test="save-blob"
                                                                    disabled=move || save.pending().get()
                                                                    on:click=move |_| {
                                                                        save.dispatch((id.clone(), proposed.clone()));
                                                                    }
                                                                >
                                                                    "Save"
                                                                </button>
                                                            }
                                                                .into_any()
                                                        }
                                                    })
                                            }}
                                            {move || {
                                                save.value()
                                                    .get()
                                                    .and_then(Result::err)
                                                    .map(|error| {
                                                        view! {
                                                            <ErrorNotice error action="Saving the blob failed" />
                                                        }
                                                    })
                                            }}
                                        </section>
                                    }
                                })
                        }}
                    }
                        .into_any()
                }
            }}
            {move || {
                delete
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| view! { <ErrorNotice error action="Deleting failed" /> })
            }}
        </section>
        <ConfirmDialog
            open=confirming
            title="Delete credential?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming.set(false);
                delete.dispatch(id.get_untracked());
            })
            on_cancel=Callback::new(move |_| confirming.set(false))
        >
            <p data-test="confirm-text">
                {move || format!("Credential {} will be deleted.", id.get())}
            </p>
        </ConfirmDialog>
    }
}
