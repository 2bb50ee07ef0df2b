//! The guided rotation of an access key: make room → create the new key → save its secret →
//! deactivate the old key → check the old key's last use → delete the old key.
//!
//! Progress (never the secret) is kept in the tab's `sessionStorage`. It is saved before each
//! step's request and after its answer, by the step itself (which runs on when the page is gone),
//! and what the page shows is that progress checked against the keys the server holds: a reload,
//! or a step answered while the user was elsewhere, resumes at the right step.

use crate::api::access_keys::{self, AccessKey, AccessKeyChange, KeyStatus, KEYS_PER_USER};
use crate::api::rotation::{Rotation, Step};
use crate::api::{ApiError, Client};
use crate::components::{
    use_operations, use_toasts, ErrorNotice, OneTimeSecret, Operations, PageLife, TargetUser,
};
use crate::session::use_session;
use crate::views::access_keys::access_key_secret;
use leptos::prelude::*;
use std::sync::Arc;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Where the tab keeps the rotation of the signed-in user on this cloud
/// ([`SessionStore::tab_key`](crate::session::SessionStore::tab_key): gone on signing out).
fn rotation_slot() -> String {
    use_session().tab_key("rotation")
}

/// The rotation kept in `slot`, if any.
fn stored_rotation(slot: &str) -> Option<Rotation> {
    let text = storage()?.get_item(slot).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Keeps `rotation` in `slot` as the tab's progress, or forgets it. Storage only, no signal: a
/// step calls it after its answer arrived, when the page that started it may be gone.
fn save_rotation(slot: &str, rotation: Option<&Rotation>) {
    if let Some(storage) = storage() {
        let _ = match rotation.and_then(|r| serde_json::to_string(r).ok()) {
            Some(text) => storage.set_item(slot, &text),
            None => storage.remove_item(slot),
        };
    }
}

/// The tab's rotation progress for the user a page shows. It is read again whenever a write
/// finished (a step answered after its page was left saved it) and whenever the page changed it.
#[derive(Clone, Copy)]
pub struct RotationProgress {
    slot: StoredValue<String>,
    stored: Memo<Option<Rotation>>,
    touched: RwSignal<u32>,
}

impl RotationProgress {
    pub fn new(target: Signal<TargetUser>) -> Self {
        let operations = use_operations();
        let touched = RwSignal::new(0u32);
        let slot = StoredValue::new(rotation_slot());
        let stored = Memo::new(move |_| {
            operations.changed();
            touched.track();
            let user = target.with(|t| t.id.clone());
            slot.with_value(|slot| stored_rotation(slot))
                .filter(|r| r.user_id == user)
        });
        RotationProgress {
            slot,
            stored,
            touched,
        }
    }

    /// Where this progress is kept, for the code of a step to save it after its answer.
    pub fn slot(&self) -> String {
        self.slot.get_value()
    }

    pub fn get(&self) -> Option<Rotation> {
        self.stored.get()
    }

    pub fn is_some(&self) -> bool {
        self.stored.with(Option::is_some)
    }

    /// Starts, changes or ends the rotation, from the page (not after an `await`).
    pub fn set(&self, rotation: Option<Rotation>) {
        self.slot
            .with_value(|slot| save_rotation(slot, rotation.as_ref()));
        self.touched.update(|n| *n += 1);
    }
}

/// What a step is doing, as the list of writes under way names it.
fn doing(rotation: &Rotation) -> String {
    let what = match rotation.step {
        Step::Create => "Creating the new key",
        Step::Deactivate => "Deactivating the old key",
        Step::Delete => "Deleting the old key",
        Step::SaveSecret | Step::Done => "Rotating",
    };
    format!("{what} of the rotation of {}", rotation.old_access)
}

/// The one-time dialog of the new key. Once the user saved it, the rotation moves on to
/// deactivating the old key (if it is still waiting for that secret).
fn new_key_secret(slot: String, rotation: &Rotation, key: &AccessKey) -> OneTimeSecret {
    let saved_access = key.access.clone();
    OneTimeSecret {
        after_saved: Some(Arc::new(move || {
            if let Some(waiting) = stored_rotation(&slot).filter(|r| {
                r.step == Step::SaveSecret && r.new_access.as_deref() == Some(&saved_access)
            }) {
                save_rotation(&slot, Some(&waiting.at(Step::Deactivate)));
            }
        })),
        ..access_key_secret(&rotation.user_name, key)
    }
}

/// Sends the request of `rotation`'s step and saves the progress before and after it. Owns all it
/// touches: it runs on when the page that started it is gone.
async fn run_step(
    client: Client,
    url: String,
    slot: String,
    rotation: Rotation,
    operations: Operations,
) -> Result<(), ApiError> {
    save_rotation(&slot, Some(&rotation.sending()));
    let outcome = match rotation.step {
        Step::Create => {
            let description = rotation.new_key_description();
            access_keys::create(&client, &url, &rotation.user_id, &description)
                .await
                .map(|key| {
                    let next = Rotation {
                        new_access: Some(key.access.clone()),
                        ..rotation.at(Step::SaveSecret)
                    };
                    operations.reveal(new_key_secret(slot.clone(), &next, &key));
                    next
                })
        }
        Step::Deactivate => {
            let change = AccessKeyChange {
                status: Some(KeyStatus::Inactive),
                description: None,
            };
            access_keys::modify(&client, &url, &rotation.old_access, change)
                .await
                .map(|_| rotation.at(Step::Delete))
        }
        Step::Delete => access_keys::delete(&client, &url, &rotation.old_access)
            .await
            .map(|()| rotation.at(Step::Done)),
        Step::SaveSecret | Step::Done => Ok(rotation.clone()),
    };
    match &outcome {
        Ok(next) => save_rotation(&slot, Some(next)),
        // Nothing changed on the server: the step can be tried again.
        Err(_) => save_rotation(&slot, Some(&rotation.at(rotation.step))),
    }
    outcome.map(|_| ())
}

#[component]
pub fn RotationWizard(
    base_url: String,
    progress: RotationProgress,
    /// The user's keys as the page last listed them; `None` until they are.
    keys: Signal<Option<Vec<AccessKey>>>,
) -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let operations = use_operations();
    let page = PageLife::new();
    // Where the rotation stands: the tab's progress, checked against the server's keys. Derived,
    // not a Memo: with Leptos 0.8.23, a Memo reading the page's key list (a LocalResource) here
    // stopped that list from being read again after any later write (the e2e rotation tests
    // caught it: "make room" never showed the key it had just deactivated).
    let current = Signal::derive(move || {
        let stored = progress.get()?;
        Some(keys.with(|k| match k {
            Some(keys) => stored.reconciled(keys),
            None => stored,
        }))
    });
    let listed = move || keys.get().unwrap_or_default();

    let url = base_url.clone();
    let run = Action::new_local(move |rotation: &Rotation| {
        let (rotation, client, url) = (rotation.clone(), store.client(), url.clone());
        let slot = progress.slot();
        let what = doing(&rotation);
        let done = (rotation.step == Step::Delete).then(|| rotation.old_access.clone());
        async move {
            operations
                .run(
                    what,
                    Some(page),
                    run_step(client, url, slot, rotation, operations),
                )
                .await?;
            if let Some(old) = done {
                toasts.success(format!("Rotation done: {old} is deleted."));
            }
            Ok::<(), ApiError>(())
        }
    });
    // A step is under way when this page sent it, or an earlier visit did and it is still running.
    let busy = move || {
        run.pending().get()
            || current.with(|r| r.as_ref().is_some_and(|r| operations.is_running(&doing(r))))
    };
    let url = base_url.clone();
    let make_room = Action::new_local(move |key: &AccessKey| {
        let (key, client, url) = (key.clone(), store.client(), url.clone());
        let work = async move {
            if key.status == KeyStatus::Active {
                let change = AccessKeyChange {
                    status: Some(KeyStatus::Inactive),
                    description: None,
                };
                access_keys::modify(&client, &url, &key.access, change)
                    .await
                    .map(|_| ())
            } else {
                access_keys::delete(&client, &url, &key.access).await
            }
        };
        operations.run("Making room for the new key", Some(page), work)
    });
    let url = base_url.clone();
    // The old key as the server has it now, for its last use; read again after every write.
    let old_access = Memo::new(move |_| progress.get().map(|r| r.old_access));
    let old_key = LocalResource::new(move || {
        let (client, url) = (store.client(), url.clone());
        let (old, _) = (old_access.get(), operations.changed());
        async move {
            match old {
                Some(old) => access_keys::show(&client, &url, &old).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let cancel = move |_| {
        let message = match current.get_untracked() {
            Some(Rotation { step: Step::Create, .. }) | None => "Rotation cancelled; nothing was changed.".to_string(),
            Some(r) => format!(
                "Rotation cancelled. The keys stay as they are now: {} is {}, {} exists. Change them from the list if needed.",
                r.old_access,
                if r.step == Step::Delete { "inactive" } else { "still active" },
                r.new_access.unwrap_or_default(),
            ),
        };
        toasts.info(message);
        progress.set(None);
    };
    let dispatch = move |_| {
        if let Some(rotation) = current.get_untracked() {
            run.dispatch(rotation);
        }
    };
    let advance = move |step: Step| {
        if let Some(rotation) = current.get_untracked() {
            progress.set(Some(rotation.at(step)));
        }
    };

    let step = move || current.get().map(|r| r.step).unwrap_or(Step::Done);
    let new_access = move || current.get().and_then(|r| r.new_access).unwrap_or_default();
    let others = move || {
        let old = current.get().map(|r| r.old_access).unwrap_or_default();
        listed()
            .into_iter()
            .filter(|k| k.access != old)
            .collect::<Vec<_>>()
    };
    let full = move || listed().len() >= KEYS_PER_USER;
    // Sent before the page was reloaded (or left) and no longer running: the server decided.
    let checked = move || {
        current
            .get()
            .filter(|r| !busy() && r.step != Step::Done)
            .and_then(|r| r.in_flight)
    };

    view! {
        <section class="panel rotation" aria-labelledby="rotation-title" data-test="rotation">
            <h2 id="rotation-title">
                {move || {
                    format!(
                        "Rotating access key {}",
                        current.get().map(|r| r.old_access).unwrap_or_default(),
                    )
                }}
            </h2>
            <ol class="steps" data-test="rotation-steps">
                {Step::LIST
                    .into_iter()
                    .map(|(s, label)| {
                        view! {
                            <li
                                class:step-done=move || s < step()
                                class:step-current=move || s == step()
                                aria-current=move || (s == step()).then_some("step")
                            >
                                {label}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {move || {
                checked()
                    .map(|sent| {
                        view! {
                            <p
                                class="notice notice-info"
                                role="status"
                                data-test="rotation-checked"
                            >
                                {format!(
                                    "\"{}\" was sent before the page was left or reloaded. Keyrack read the keys again: the step shown is where the rotation stands on the server.",
                                    sent.label(),
                                )}
                            </p>
                        }
                    })
            }}
            {move || {
                run.value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| view! { <ErrorNotice error action="This step failed" /> })
            }}
            {move || {
                make_room
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| view! { <ErrorNotice error action="Making room failed" /> })
            }}
            <div class="step-body" data-test="rotation-step">
                {move || match step() {
                    Step::Create if full() => {
                        view! {
                            <p>
                                "A user may have two keys, and this one has two. Make room first:"
                            </p>
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
                                                <button
                                                    type="button"
                                                    class="button"
                                                    data-test="make-room"
                                                    on:click=move |_| {
                                                        make_room.dispatch(key.clone());
                                                    }
                                                >
                                                    {label}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Step::Create => {
                        view! {
                            <p>
                                "First a new key is created beside the old one; nothing stops working."
                            </p>
                            <button
                                type="button"
                                class="button button-primary"
                                data-test="rotation-create"
                                disabled=busy
                                on:click=dispatch
                            >
                                "Create the new key"
                            </button>
                        }
                            .into_any()
                    }
                    Step::SaveSecret => {
                        view! {
                            <Show
                                when=move || !operations.secret_pending_for(&new_access())
                                fallback=|| view! { <p>"Save the new secret from the dialog."</p> }
                            >
                                <p class="notice notice-warning" data-test="secret-lost">
                                    {move || {
                                        format!(
                                            "The new key {} was created, but its dialog was not closed in this tab (the page was reloaded), and a secret is only ever shown once. If you did not save it, delete that key from the list and start again.",
                                            new_access(),
                                        )
                                    }}
                                </p>
                                <button
                                    type="button"
                                    class="button button-primary"
                                    data-test="rotation-saved"
                                    on:click=move |_| advance(Step::Deactivate)
                                >
                                    "I saved the secret: continue"
                                </button>
                            </Show>
                        }
                            .into_any()
                    }
                    Step::Deactivate => {
                        view! {
                            <p>
                                {move || {
                                    format!(
                                        "Switch every client (scripts, tools, CI) to the new key {}. Then deactivate the old key: anything still using it fails from then on, and can be fixed while the old key could still be turned back on.",
                                        new_access(),
                                    )
                                }}
                            </p>
                            <button
                                type="button"
                                class="button button-primary"
                                data-test="rotation-deactivate"
                                disabled=busy
                                on:click=dispatch
                            >
                                "Clients switched: deactivate the old key"
                            </button>
                        }
                            .into_any()
                    }
                    Step::Delete => {
                        view! {
                            <p data-test="old-last-use">
                                {move || match old_key.get() {
                                    Some(Ok(Some(key))) if key.never_used() => {
                                        "The old key was never used.".to_string()
                                    }
                                    Some(Ok(Some(key))) => {
                                        format!(
                                            "The old key was last used at {}. If that is after you switched, something still uses it: reactivate it from the list and find it before deleting.",
                                            key.last_use_time.unwrap_or_default(),
                                        )
                                    }
                                    Some(Err(error)) => {
                                        format!("Its last use could not be read: {error}")
                                    }
                                    _ => "Reading the old key's last use…".to_string(),
                                }}
                            </p>
                            <button
                                type="button"
                                class="button button-danger"
                                data-test="rotation-delete"
                                disabled=busy
                                on:click=dispatch
                            >
                                "Delete the old key"
                            </button>
                        }
                            .into_any()
                    }
                    Step::Done => {
                        view! {
                            <p data-test="rotation-done">
                                "Rotation complete: only the new key remains."
                            </p>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| progress.set(None)
                            >
                                "Close"
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
            <Show when=move || step() != Step::Done>
                <button type="button" class="button" data-test="rotation-cancel" on:click=cancel>
                    "Cancel rotation"
                </button>
            </Show>
        </section>
    }
}
