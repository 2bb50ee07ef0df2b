//! The list of keyboard shortcuts (`?`).

use crate::components::focus::{opener, return_focus};
use leptos::html::Dialog;
use leptos::prelude::*;

const SHORTCUTS: [(&str, &str); 7] = [
    (
        "Ctrl K, ⌘ K or /",
        "Open the command palette: go to a page, a user or a credential, or run an action",
    ),
    (
        "↑ ↓, Enter",
        "Choose in the palette, and run what is chosen",
    ),
    ("?", "Show these shortcuts"),
    (
        "Esc",
        "Close the palette or a dialog (a new secret's dialog waits until you saved it)",
    ),
    (
        "Tab, Shift Tab",
        "Move between controls; after a page change, focus starts at its heading",
    ),
    (
        "Skip to content",
        "The first Tab stop of every page: straight to the page",
    ),
    (
        "Back, Forward",
        "Move between pages; they ask first while a new secret is not saved",
    ),
];

#[component]
pub fn Shortcuts(close: Callback<()>) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let opened_by = StoredValue::new_local(opener());
    dialog.on_load(|dialog| {
        let _ = dialog.show_modal();
    });
    let done = move || {
        return_focus(opened_by.get_value());
        close.run(());
    };
    view! {
        <dialog
            node_ref=dialog
            class="shortcuts-dialog"
            aria-labelledby="shortcuts-title"
            data-test="shortcuts"
            on:close=move |_| done()
        >
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl class="shortcut-list">
                {SHORTCUTS
                    .iter()
                    .map(|(keys, what)| {
                        view! {
                            <div>
                                <dt>
                                    <kbd>{*keys}</kbd>
                                </dt>
                                <dd>{*what}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="button"
                    autofocus
                    on:click=move |_| {
                        if let Some(dialog) = dialog.get_untracked() {
                            dialog.close();
                        }
                    }
                >
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
