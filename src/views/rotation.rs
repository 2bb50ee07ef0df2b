//! The guided rotation of an access key: make room → create the new key → save its secret →
//! deactivate the old key → check the old key's last use → delete the old key.
//!
//! Progress (never the secret) is kept in the tab's `sessionStorage`, so a reload resumes at the
//! right step.

use crate::api::access_keys::{self, AccessKey, AccessKeyChange, KeyStatus, KEYS_PER_USER};
use crate::api::ApiError;
use crate::components::{use_toasts, ErrorNotice, SecretDialog, SecretField, SecretFile};
use crate::session::use_session;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "keyrack.rotation";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Room for a new key (at most two per user), then create it.
    Create,
    /// The new key exists; its secret must be saved.
    SaveSecret,
    /// Clients use the new key; the old one is deactivated.
    Deactivate,
    /// The old key is inactive; after checking its last use, delete it.
    Delete,
    Done,
}

impl Step {
    const LIST: [(Step, &'static str); 5] = [
        (Step::Create, "Create the new key"),
        (Step::SaveSecret, "Save the new secret"),
        (Step::Deactivate, "Switch clients, deactivate the old key"),
        (Step::Delete, "Check the old key's last use, delete it"),
        (Step::Done, "Done"),
    ];

    fn index(self) -> usize {
        Step::LIST.iter().position(|(s, _)| *s == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    pub user_id: String,
    pub user_name: String,
    pub old_access: String,
    pub new_access: Option<String>,
    pub step: Step,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The rotation under way in this tab, if any.
pub fn stored_rotation() -> Option<Rotation> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Sets the rotation state and keeps the tab's copy in step with it.
pub fn set_rotation(signal: RwSignal<Option<Rotation>>, rotation: Option<Rotation>) {
    if let Some(storage) = storage() {
        let _ = match rotation
            .as_ref()
            .and_then(|r| serde_json::to_string(r).ok())
        {
            Some(text) => storage.set_item(STORAGE_KEY, &text),
            None => storage.remove_item(STORAGE_KEY),
        };
    }
    signal.set(rotation);
}

#[component]
pub fn RotationWizard(
    base_url: String,
    rotation: RwSignal<Option<Rotation>>,
    /// The user's keys as the page last listed them.
    keys: Signal<Vec<AccessKey>>,
    /// Tells the page to list the keys again.
    on_change: Callback<()>,
) -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    // The secret of the key created in this page's life; gone on reload, never stored.
    let new_secret = RwSignal::new(None::<(String, String)>);
    let advance = move |change: &dyn Fn(&mut Rotation)| {
        if let Some(mut current) = rotation.get_untracked() {
            change(&mut current);
            set_rotation(rotation, Some(current));
        }
        on_change.run(());
    };

    let url = base_url.clone();
    let run = Action::new_local(move |step: &Step| {
        let (step, client, url, current) =
            (*step, store.client(), url.clone(), rotation.get_untracked());
        async move {
            let Some(current) = current else {
                return Ok(());
            };
            match step {
                Step::Create => {
                    let description = format!("rotation of {}", current.old_access);
                    let key =
                        access_keys::create(&client, &url, &current.user_id, &description).await?;
                    new_secret.set(Some((
                        key.access.clone(),
                        key.secret.clone().unwrap_or_default(),
                    )));
                    advance(&|r| {
                        r.new_access = Some(key.access.clone());
                        r.step = Step::SaveSecret;
                    });
                }
                Step::Deactivate => {
                    let change = AccessKeyChange {
                        status: Some(KeyStatus::Inactive),
                        description: None,
                    };
                    access_keys::modify(&client, &url, &current.old_access, change).await?;
                    advance(&|r| r.step = Step::Delete);
                }
                Step::Delete => {
                    access_keys::delete(&client, &url, &current.old_access).await?;
                    toasts.success(format!("Rotation done: {} is deleted.", current.old_access));
                    advance(&|r| r.step = Step::Done);
                }
                Step::SaveSecret | Step::Done => {}
            }
            Ok::<(), ApiError>(())
        }
    });
    let url = base_url.clone();
    let make_room = Action::new_local(move |key: &AccessKey| {
        let (key, client, url) = (key.clone(), store.client(), url.clone());
        async move {
            if key.status == KeyStatus::Active {
                access_keys::modify(
                    &client,
                    &url,
                    &key.access,
                    AccessKeyChange {
                        status: Some(KeyStatus::Inactive),
                        description: None,
                    },
                )
                .await?;
            } else {
                access_keys::delete(&client, &url, &key.access).await?;
            }
            on_change.run(());
            Ok::<(), ApiError>(())
        }
    });
    let url = base_url.clone();
    let old_key = LocalResource::new(move || {
        let (client, url) = (store.client(), url.clone());
        let current = rotation.get();
        async move {
            match current {
                Some(r) if r.step == Step::Delete => {
                    access_keys::show(&client, &url, &r.old_access)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    let cancel = move |_| {
        let message = match rotation.get_untracked() {
            Some(Rotation { step: Step::Create, .. }) | None => "Rotation cancelled; nothing was changed.".to_string(),
            Some(r) => format!(
                "Rotation cancelled. The keys stay as they are now: {} is {}, {} exists. Change them from the list if needed.",
                r.old_access,
                if r.step == Step::Delete { "inactive" } else { "still active" },
                r.new_access.unwrap_or_default(),
            ),
        };
        toasts.info(message);
        new_secret.set(None);
        set_rotation(rotation, None);
    };

    let step = move || rotation.get().map(|r| r.step).unwrap_or(Step::Done);
    let others = move || {
        let old = rotation.get().map(|r| r.old_access).unwrap_or_default();
        keys.get()
            .into_iter()
            .filter(|k| k.access != old)
            .collect::<Vec<_>>()
    };
    let full = move || keys.get().len() >= KEYS_PER_USER;

    view! {
        <section class="panel rotation" aria-labelledby="rotation-title" data-test="rotation">
            <h2 id="rotation-title">
                {move || format!("Rotating access key {}", rotation.get().map(|r| r.old_access).unwrap_or_default())}
            </h2>
            <ol class="steps" data-test="rotation-steps">
                {Step::LIST
                    .into_iter()
                    .map(|(s, label)| {
                        view! {
                            <li
                                class:step-done=move || s.index() < step().index()
                                class:step-current=move || s == step()
                                aria-current=move || (s == step()).then_some("step")
                            >
                                {label}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {move || run.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error action="This step failed"/> })}
            {move || make_room.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error action="Making room failed"/> })}
            <div class="step-body" data-test="rotation-step">
                {move || match step() {
                    Step::Create if full() => view! {
                        <p>"A user may have two keys, and this one has two. Make room first:"</p>
                        <ul class="choices">
                            {others()
                                .into_iter()
                                .map(|key| {
                                    let label = if key.status == KeyStatus::Active {
                                        format!("Deactivate {}", key.access)
                                    } else {
                                        format!("Delete inactive key {}", key.access)
                                    };
                                    view! {
                                        <li>
                                            <button type="button" class="button" data-test="make-room" on:click=move |_| {
                                                make_room.dispatch(key.clone());
                                            }>{label}</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Step::Create => view! {
                        <p>"First a new key is created beside the old one; nothing stops working."</p>
                        <button type="button" class="button button-primary" data-test="rotation-create"
                            disabled=move || run.pending().get()
                            on:click=move |_| { run.dispatch(Step::Create); }>
                            "Create the new key"
                        </button>
                    }
                    .into_any(),
                    Step::SaveSecret => view! {
                        <Show
                            when=move || new_secret.get().is_none()
                            fallback=|| view! { <p>"Save the new secret from the dialog."</p> }
                        >
                            <p class="notice notice-warning" data-test="secret-lost">
                                {move || format!(
                                    "The page was reloaded after the new key {} was created, and its secret is only ever shown once. If you did not save it, delete that key from the list and start again.",
                                    rotation.get().and_then(|r| r.new_access).unwrap_or_default(),
                                )}
                            </p>
                            <button type="button" class="button button-primary" data-test="rotation-saved"
                                on:click=move |_| advance(&|r| r.step = Step::Deactivate)>
                                "I saved the secret: continue"
                            </button>
                        </Show>
                    }
                    .into_any(),
                    Step::Deactivate => view! {
                        <p>
                            {move || format!(
                                "Switch every client (scripts, tools, CI) to the new key {}. Then deactivate the old key: anything still using it fails from then on, and can be fixed while the old key could still be turned back on.",
                                rotation.get().and_then(|r| r.new_access).unwrap_or_default(),
                            )}
                        </p>
                        <button type="button" class="button button-primary" data-test="rotation-deactivate"
                            disabled=move || run.pending().get()
                            on:click=move |_| { run.dispatch(Step::Deactivate); }>
                            "Clients switched: deactivate the old key"
                        </button>
                    }
                    .into_any(),
                    Step::Delete => view! {
                        <p data-test="old-last-use">
                            {move || match old_key.get() {
                                Some(Ok(Some(key))) if key.never_used() => "The old key was never used.".to_string(),
                                Some(Ok(Some(key))) => format!(
                                    "The old key was last used at {}. If that is after you switched, something still uses it: reactivate it from the list and find it before deleting.",
                                    key.last_use_time.unwrap_or_default(),
                                ),
                                Some(Err(error)) => format!("Its last use could not be read: {error}"),
                                _ => "Reading the old key's last use…".to_string(),
                            }}
                        </p>
                        <button type="button" class="button button-danger" data-test="rotation-delete"
                            disabled=move || run.pending().get()
                            on:click=move |_| { run.dispatch(Step::Delete); }>
                            "Delete the old key"
                        </button>
                    }
                    .into_any(),
                    Step::Done => view! {
                        <p data-test="rotation-done">"Rotation complete: only the new key remains."</p>
                        <button type="button" class="button" on:click=move |_| set_rotation(rotation, None)>"Close"</button>
                    }
                    .into_any(),
                }}
            </div>
            <Show when=move || step() != Step::Done>
                <button type="button" class="button" data-test="rotation-cancel" on:click=cancel>"Cancel rotation"</button>
            </Show>
        </section>
        {move || {
            new_secret.get().map(|(access, secret)| {
                let user = rotation.get_untracked().map(|r| r.user_name).unwrap_or_default();
                let fields = vec![
                    SecretField { label: "Access key".into(), value: access.clone() },
                    SecretField { label: "Secret key".into(), value: secret.clone() },
                ];
                let files = vec![SecretFile::credentials_csv(&["User Name", "Access Key Id", "Secret Access Key"], &[vec![user, access, secret]])];
                view! {
                    <SecretDialog
                        title="New access key".to_string()
                        fields
                        files
                        on_close=Callback::new(move |_| {
                            new_secret.set(None);
                            advance(&|r| r.step = Step::Deactivate);
                        })
                    />
                }
            })
        }}
    }
}
