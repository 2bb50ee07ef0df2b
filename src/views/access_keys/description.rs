//! A key's description, edited in place.

use super::keys::KeyActions;
use crate::api::access_keys::{AccessKeyChange, MAX_DESCRIPTION_CHARS};
use leptos::prelude::*;

#[component]
pub(super) fn DescriptionCell(access: String, text: String, actions: KeyActions) -> impl IntoView {
    let editing = actions.editing;
    let row_access = access.clone();
    let is_editing = move || editing.with(|e| e.as_ref().is_some_and(|(a, _)| *a == row_access));
    let shown = move || {
        let (text, access) = (text.clone(), access.clone());
        let edit = {
            let text = text.clone();
            move |_| editing.set(Some((access.clone(), text.clone())))
        };
        view! {
            {text}
            " "
            <button
                type="button"
                class="button button-small"
                data-test="edit-description"
                on:click=edit
            >
                "Edit"
            </button>
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some((access, text)) = editing.get_untracked() {
            let change = AccessKeyChange {
                status: None,
                description: Some(text),
            };
            actions.modify.dispatch((access, change));
            editing.set(None);
        }
    };
    let typed = move |ev| {
        let text = event_target_value(&ev);
        editing.update(|e| {
            if let Some((_, t)) = e {
                *t = text;
            }
        });
    };
    view! {
        <Show when=is_editing fallback=shown>
            <form class="inline-form" on:submit=save>
                <input
                    name="edit-description"
                    maxlength=MAX_DESCRIPTION_CHARS.to_string()
                    prop:value=move || editing.get().map(|(_, t)| t).unwrap_or_default()
                    on:input=typed
                />
                <button type="submit" class="button button-small">
                    "Save"
                </button>
                <button
                    type="button"
                    class="button button-small"
                    on:click=move |_| editing.set(None)
                >
                    "Cancel"
                </button>
            </form>
        </Show>
    }
}
