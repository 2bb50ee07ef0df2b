//! The palette itself: a field and the commands matching it, as a combobox over a listbox, fully
//! operable from the keyboard.

use super::commands::{commands_for, Command, Context};
use crate::api::access_keys::KeyStatus;
use crate::components::focus::{opener, return_focus};
use crate::routing::Family;
use crate::services::users::use_users;
use crate::services::AccessKeys;
use crate::session::use_session;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// Presses the button matching `selector` once the page shows it (a page just navigated to is
/// still loading), trying for a few seconds.
fn press_when_shown(selector: String, tries: u32) {
    let button = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match button {
        Some(button) => button.click(),
        None if tries > 0 => set_timeout(
            move || press_when_shown(selector, tries - 1),
            std::time::Duration::from_millis(100),
        ),
        None => {}
    }
}

/// The commands matching what is typed, with what they are matched against read from the
/// servers: the user's own active keys, and (for administrators) users named as typed.
fn matching_commands(query: RwSignal<String>) -> Signal<Vec<Command>> {
    let store = use_session();
    let families = store
        .cloud()
        .map(|c| Family::offered_by(&c))
        .unwrap_or_default();
    let (keys, users) = (AccessKeys::of(store), use_users());
    // The user's own active keys, to offer their rotation.
    let own_keys = LocalResource::new(move || {
        let own_id = store
            .active()
            .map(|s| s.info.user.id.clone())
            .unwrap_or_default();
        let listed = keys.map(|keys| keys.list(own_id));
        async move {
            let Some(listed) = listed else {
                return Vec::new();
            };
            listed
                .await
                .map(|keys| {
                    keys.into_iter()
                        .filter(|k| k.status == KeyStatus::Active)
                        .map(|k| k.access)
                        .collect()
                })
                .unwrap_or_default()
        }
    });
    // Users named exactly as typed, for administrators (who may open anyone's credentials).
    let users = LocalResource::new(move || {
        let typed = query.get().trim().to_string();
        let wanted = store.is_admin() && typed.len() >= 2 && !typed.contains(char::is_whitespace);
        let found = wanted.then(|| users.find_by_name(typed));
        async move {
            match found {
                Some(found) => found.await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    Signal::derive(move || {
        let context = Context {
            families: families.clone(),
            own_keys: own_keys.get().unwrap_or_default(),
            users: users.get().unwrap_or_default(),
        };
        commands_for(&query.get(), &context)
    })
}

#[component]
pub fn Palette(close: Callback<()>, show_shortcuts: Callback<()>) -> impl IntoView {
    let store = use_session();
    let navigate = use_navigate();
    let dialog = NodeRef::<Dialog>::new();
    let opened_by = StoredValue::new_local(opener());
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let results = matching_commands(query);

    dialog.on_load(|dialog| {
        let _ = dialog.show_modal();
    });
    let dismiss = move || {
        return_focus(opened_by.get_value());
        close.run(());
    };
    let run = move |command: Command| {
        match &command {
            Command::SignOut => press_when_shown("[data-test=sign-out]".into(), 0),
            Command::Shortcuts => {
                show_shortcuts.run(());
                return;
            }
            Command::Create(family) => store.draft(family.create_form_draft(), || true).set(true),
            Command::Rotate { access } => press_when_shown(
                format!("[data-test=key-row][data-access='{access}'] [data-test=rotate]"),
                50,
            ),
            _ => {}
        }
        if let Some(path) = command.path() {
            navigate(&path, Default::default());
        }
        close.run(());
    };
    let run = StoredValue::new_local(run);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = results.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" => active.update(|a| *a = (*a + 1).min(count.saturating_sub(1))),
            "ArrowUp" => active.update(|a| *a = a.saturating_sub(1)),
            "Home" => active.set(0),
            "End" => active.set(count.saturating_sub(1)),
            "Enter" => {
                if let Some(command) = results.with(|r| r.get(active.get_untracked()).cloned()) {
                    run.with_value(|run| run(command));
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <dialog
            node_ref=dialog
            class="palette"
            aria-label="Command palette"
            data-test="palette"
            on:close=move |_| dismiss()
        >
            <input
                type="text"
                name="palette"
                role="combobox"
                aria-expanded="true"
                aria-controls="palette-options"
                aria-autocomplete="list"
                aria-activedescendant=move || format!("palette-option-{}", active.get())
                autocomplete="off"
                autofocus
                placeholder="A page, an action, a user name, a credential id or an access key"
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                }
                on:keydown=on_key
            />
            <Options
                results
                active
                run=Callback::new(move |command| run.with_value(|run| run(command)))
            />
            <p class="hint" role="status" data-test="palette-count">
                {move || match results.with(Vec::len) {
                    0 => "Nothing matches.".to_string(),
                    1 => "1 command. Enter runs it; Esc closes.".to_string(),
                    n => format!("{n} commands. ↑ ↓ choose, Enter runs, Esc closes."),
                }}
            </p>
        </dialog>
    }
}

/// The matching commands as a listbox: the one under the pointer becomes the active one.
#[component]
fn Options(
    results: Signal<Vec<Command>>,
    active: RwSignal<usize>,
    run: Callback<Command>,
) -> impl IntoView {
    let option = move |(at, command): (usize, Command)| {
        let label = command.label();
        view! {
            <li
                role="option"
                id=format!("palette-option-{at}")
                aria-selected=move || (active.get() == at).to_string()
                on:mousemove=move |_| active.set(at)
                on:click=move |_| run.run(command.clone())
            >
                {label}
            </li>
        }
    };
    view! {
        <ul role="listbox" id="palette-options" aria-label="Commands" class="palette-options">
            {move || results.get().into_iter().enumerate().map(option).collect_view()}
        </ul>
    }
}
