//! The rotation panel: where the rotation stands, the step to take, and a way to cancel.

use super::progress::RotationProgress;
use super::step_body::StepBody;
use super::steps::{doing, make_room, run_step};
use crate::api::access_keys::{AccessKey, KEYS_PER_USER};
use crate::api::rotation::{Rotation, Step};
use crate::api::ApiError;
use crate::components::{use_operations, use_toasts, ErrorNotice, PageLife};
use crate::services::AccessKeys;
use leptos::prelude::*;

/// What the parts of the panel share.
#[derive(Clone, Copy)]
pub(super) struct Wizard {
    pub progress: RotationProgress,
    /// The tab's progress, checked against the server's keys.
    pub current: Signal<Option<Rotation>>,
    /// The user's keys as the page last listed them; `None` until they are.
    pub keys: Signal<Option<Vec<AccessKey>>>,
    pub run: Action<Rotation, Result<(), ApiError>>,
    pub make_room: Action<AccessKey, Result<(), ApiError>>,
    pub busy: Signal<bool>,
    /// The old key as the server has it now, for its last use; read again after every write.
    pub old_key: LocalResource<Result<Option<AccessKey>, ApiError>>,
}

impl Wizard {
    pub fn step(&self) -> Step {
        self.current.get().map(|r| r.step).unwrap_or(Step::Done)
    }

    pub fn new_access(&self) -> String {
        self.current
            .get()
            .and_then(|r| r.new_access)
            .unwrap_or_default()
    }

    /// The user's keys besides the one being rotated.
    pub fn others(&self) -> Vec<AccessKey> {
        let old = self.current.get().map(|r| r.old_access).unwrap_or_default();
        let keys = self.keys.get().unwrap_or_default();
        keys.into_iter().filter(|k| k.access != old).collect()
    }

    pub fn full(&self) -> bool {
        self.keys.with(|k| k.as_ref().map_or(0, Vec::len)) >= KEYS_PER_USER
    }

    /// Sends the current step's request.
    pub fn take_step(&self) {
        if let Some(rotation) = self.current.get_untracked() {
            self.run.dispatch(rotation);
        }
    }

    /// Moves on to `step` without a request (the secret was saved).
    pub fn advance(&self, step: Step) {
        if let Some(rotation) = self.current.get_untracked() {
            self.progress.set(Some(rotation.at(step)));
        }
    }
}

/// A failed request of `action`, said as `what` failed.
fn failure<I: 'static>(
    action: Action<I, Result<(), ApiError>>,
    what: &'static str,
) -> impl Fn() -> Option<AnyView> {
    move || {
        let error = action.value().get()?.err()?;
        Some(view! { <ErrorNotice error action=what /> }.into_any())
    }
}

fn cancelled(current: Option<Rotation>) -> String {
    match current {
        Some(Rotation { step: Step::Create, .. }) | None => "Rotation cancelled; nothing was changed.".to_string(),
        Some(r) => format!(
            "Rotation cancelled. The keys stay as they are now: {} is {}, {} exists. Change them from the list if needed.",
            r.old_access,
            if r.step == Step::Delete { "inactive" } else { "still active" },
            r.new_access.unwrap_or_default(),
        ),
    }
}

#[component]
pub fn RotationWizard(
    service: AccessKeys,
    progress: RotationProgress,
    keys: Signal<Option<Vec<AccessKey>>>,
) -> impl IntoView {
    let (toasts, operations, page) = (use_toasts(), use_operations(), PageLife::new());
    // Derived, not a Memo: with Leptos 0.8.23, a Memo reading the page's key list (a
    // LocalResource) here stopped that list from being read again after any later write (the e2e
    // rotation tests caught it: "make room" never showed the key it had just deactivated).
    let current = Signal::derive(move || {
        let stored = progress.get()?;
        Some(keys.with(|k| match k {
            Some(keys) => stored.reconciled(keys),
            None => stored,
        }))
    });
    let run = Action::new_local(move |rotation: &Rotation| {
        let (what, slot) = (doing(rotation), progress.slot());
        let done = (rotation.step == Step::Delete).then(|| rotation.old_access.clone());
        let work = run_step(service, slot, rotation.clone(), operations);
        async move {
            operations.run(what, Some(page), work).await?;
            if let Some(old) = done {
                toasts.success(format!("Rotation done: {old} is deleted."));
            }
            Ok::<(), ApiError>(())
        }
    });
    // A step is under way when this page sent it, or an earlier visit did and it is still running.
    let busy = Signal::derive(move || {
        run.pending().get()
            || current.with(|r| r.as_ref().is_some_and(|r| operations.is_running(&doing(r))))
    });
    let make_room = Action::new_local(move |key: &AccessKey| {
        let work = make_room(service, key);
        operations.run("Making room for the new key", Some(page), work)
    });
    let old_access = Memo::new(move |_| progress.get().map(|r| r.old_access));
    let old_key = LocalResource::new(move || {
        let (old, _) = (old_access.get(), operations.changed());
        let shown = old.map(|old| service.show(old));
        async move {
            match shown {
                Some(shown) => shown.await.map(Some),
                None => Ok(None),
            }
        }
    });
    let wizard = Wizard {
        progress,
        current,
        keys,
        run,
        make_room,
        busy,
        old_key,
    };
    let cancel = move |_| {
        toasts.info(cancelled(current.get_untracked()));
        progress.set(None);
    };
    let title = move || {
        let old = current.get().map(|r| r.old_access).unwrap_or_default();
        format!("Rotating access key {old}")
    };

    view! {
        <section class="panel rotation" aria-labelledby="rotation-title" data-test="rotation">
            <h2 id="rotation-title">{title}</h2>
            <StepList wizard />
            {failure(run, "This step failed")}
            {failure(make_room, "Making room failed")}
            <div class="step-body" data-test="rotation-step">
                <StepBody wizard />
            </div>
            <Show when=move || wizard.step() != Step::Done>
                <button type="button" class="button" data-test="rotation-cancel" on:click=cancel>
                    "Cancel rotation"
                </button>
            </Show>
        </section>
    }
}

/// The steps, the current one marked; and, after a reload, what the server decided.
#[component]
fn StepList(wizard: Wizard) -> impl IntoView {
    let step = move || wizard.step();
    // Sent before the page was reloaded (or left) and no longer running: the server decided.
    let checked = move || {
        let rotation = wizard.current.get()?;
        let sent = rotation
            .in_flight
            .filter(|_| !wizard.busy.get() && rotation.step != Step::Done)?;
        Some(view! {
            <p class="notice notice-info" role="status" data-test="rotation-checked">
                {format!(
                    "\"{}\" was sent before the page was left or reloaded. Keyrack read the keys again: the step shown is where the rotation stands on the server.",
                    sent.label(),
                )}
            </p>
        })
    };
    view! {
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
        {checked}
    }
}
