//! The command palette (Ctrl/⌘-K, or `/` outside a field) and the keyboard shortcuts help (`?`).
//! Part of the chunk fetched on signing in: the sign-in page does not download them.

pub mod commands;
mod dialog;
mod shortcuts;

use dialog::Palette;
use leptos::prelude::*;
use shortcuts::Shortcuts;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overlay {
    Palette,
    Shortcuts,
}

/// Whether the key was typed into a field (where `/` and `?` are text, not shortcuts).
fn typed_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    element.is_content_editable()
        || matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

/// A dialog the page opened (a confirmation, a one-time secret) keeps the keyboard.
fn a_dialog_is_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("dialog[open]").ok().flatten())
        .is_some()
}

/// Listens for the shortcuts while signed in and shows what they open.
#[component]
pub fn PaletteHost() -> impl IntoView {
    let overlay = RwSignal::new(None::<Overlay>);
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() || ev.alt_key() || overlay.get_untracked().is_some() {
            return;
        }
        let command_key = ev.ctrl_key() || ev.meta_key();
        let key = ev.key();
        let wanted = if command_key && key.eq_ignore_ascii_case("k") {
            Some(Overlay::Palette)
        } else if command_key || typed_in_a_field(&ev) {
            None
        } else {
            match key.as_str() {
                "/" => Some(Overlay::Palette),
                "?" => Some(Overlay::Shortcuts),
                _ => None,
            }
        };
        if let Some(wanted) = wanted {
            if !a_dialog_is_open() {
                ev.prevent_default();
                overlay.set(Some(wanted));
            }
        }
    });
    on_cleanup(move || listener.remove());
    let close = Callback::new(move |_| overlay.set(None));
    let show_shortcuts = Callback::new(move |_| overlay.set(Some(Overlay::Shortcuts)));
    move || match overlay.get() {
        Some(Overlay::Palette) => view! { <Palette close show_shortcuts /> }.into_any(),
        Some(Overlay::Shortcuts) => view! { <Shortcuts close /> }.into_any(),
        None => ().into_any(),
    }
}
