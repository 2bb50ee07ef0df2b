//! Creating, as a button that opens its form: a page opens on its list, and the form is one click
//! away rather than in front of what the user came to see.

use leptos::html::{Button, Section};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The button (`title`, e.g. "New access key") and, once it is pressed, the panel with the form.
/// The form stays in the page while closed (hidden), so what was typed, a failure shown and a
/// request under way are kept; `open` is the caller's (a draft, so an unsent form is open again
/// when the user comes back to the page).
#[component]
pub fn CreatePanel(
    #[prop(into)] title: String,
    open: RwSignal<bool>,
    children: Children,
) -> impl IntoView {
    let button = NodeRef::<Button>::new();
    let panel = NodeRef::<Section>::new();
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        // Focus follows: into the form when it opens, back to the button when it closes.
        request_animation_frame(move || {
            if opening {
                let first = panel.get_untracked().and_then(|p| {
                    p.query_selector("input:not([type=hidden]), select, textarea")
                        .ok()
                        .flatten()
                });
                if let Some(field) = first.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = field.focus();
                }
            } else if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    view! {
        <div class="page-actions">
            <button
                type="button"
                class="button button-primary"
                data-test="open-create"
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls="create-panel"
                on:click=toggle
            >
                {title.clone()}
            </button>
        </div>
        <section
            class="panel"
            id="create-panel"
            aria-labelledby="create-title"
            data-test="create-panel"
            node_ref=panel
            hidden=move || !open.get()
        >
            <div class="panel-head">
                <h2 id="create-title">{title}</h2>
                <button
                    type="button"
                    class="button button-small"
                    data-test="close-create"
                    on:click=toggle
                >
                    "Close"
                </button>
            </div>
            {children()}
        </section>
    }
}
