//! What the current step asks of the user.

use super::wizard::Wizard;
use crate::api::access_keys::KeyStatus;
use crate::api::rotation::Step;
use crate::components::use_operations;
use leptos::prelude::*;

#[component]
pub(super) fn StepBody(wizard: Wizard) -> impl IntoView {
    move || match wizard.step() {
        Step::Create if wizard.full() => view! { <MakeRoom wizard /> }.into_any(),
        Step::Create => view! {
            <p>"First a new key is created beside the old one; nothing stops working."</p>
            <StepButton wizard test="rotation-create" label="Create the new key" />
        }
        .into_any(),
        Step::SaveSecret => view! { <SaveSecret wizard /> }.into_any(),
        Step::Deactivate => {
            let switch_first = move || {
                format!(
                    "Switch every client (scripts, tools, CI) to the new key {}. Then deactivate the old key: anything still using it fails from then on, and can be fixed while the old key could still be turned back on.",
                    wizard.new_access(),
                )
            };
            view! {
                <p>{switch_first}</p>
                <StepButton
                    wizard
                    test="rotation-deactivate"
                    label="Clients switched: deactivate the old key"
                />
            }
            .into_any()
        }
        Step::Delete => view! { <DeleteOld wizard /> }.into_any(),
        Step::Done => view! {
            <p data-test="rotation-done">"Rotation complete: only the new key remains."</p>
            <button type="button" class="button" on:click=move |_| wizard.progress.set(None)>
                "Close"
            </button>
        }
        .into_any(),
    }
}

/// The button that sends the current step's request.
#[component]
fn StepButton(
    wizard: Wizard,
    test: &'static str,
    label: &'static str,
    #[prop(default = "button button-primary")] class: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=class
            data-test=test
            disabled=wizard.busy
            on:click=move |_| wizard.take_step()
        >
            {label}
        </button>
    }
}

/// Two keys already: one of the others must be deactivated or deleted first.
#[component]
fn MakeRoom(wizard: Wizard) -> impl IntoView {
    let choice = move |key: crate::api::access_keys::AccessKey| {
        let label = match key.status {
            KeyStatus::Active => format!("Deactivate {}", key.access),
            KeyStatus::Inactive => format!("Delete inactive key {}", key.access),
        };
        view! {
            <li>
                <button
                    type="button"
                    class="button"
                    data-test="make-room"
                    on:click=move |_| {
                        wizard.make_room.dispatch(key.clone());
                    }
                >
                    {label}
                </button>
            </li>
        }
    };
    view! {
        <p>"A user may have two keys, and this one has two. Make room first:"</p>
        <ul class="choices">{wizard.others().into_iter().map(choice).collect_view()}</ul>
    }
}

/// The new secret waits in its dialog; after a reload it is gone, and the user says so.
#[component]
fn SaveSecret(wizard: Wizard) -> impl IntoView {
    let operations = use_operations();
    let lost = move || {
        format!(
            "The new key {} was created, but its dialog was not closed in this tab (the page was reloaded), and a secret is only ever shown once. If you did not save it, delete that key from the list and start again.",
            wizard.new_access(),
        )
    };
    view! {
        <Show
            when=move || !operations.secret_pending_for(&wizard.new_access())
            fallback=|| view! { <p>"Save the new secret from the dialog."</p> }
        >
            <p class="notice notice-warning" data-test="secret-lost">
                {lost}
            </p>
            <button
                type="button"
                class="button button-primary"
                data-test="rotation-saved"
                on:click=move |_| wizard.advance(Step::Deactivate)
            >
                "I saved the secret: continue"
            </button>
        </Show>
    }
}

/// The old key's last use, read again, before it is deleted.
#[component]
fn DeleteOld(wizard: Wizard) -> impl IntoView {
    let last_use = move || {
        match wizard.old_key.get() {
        Some(Ok(Some(key))) if key.never_used() => "The old key was never used.".to_string(),
        Some(Ok(Some(key))) => format!(
            "The old key was last used at {}. If that is after you switched, something still uses it: reactivate it from the list and find it before deleting.",
            key.last_use_time.unwrap_or_default(),
        ),
        Some(Err(error)) => format!("Its last use could not be read: {error}"),
        _ => "Reading the old key's last use…".to_string(),
    }
    };
    view! {
        <p data-test="old-last-use">{last_use}</p>
        <StepButton
            wizard
            test="rotation-delete"
            label="Delete the old key"
            class="button button-danger"
        />
    }
}
