//! Where keyboard focus goes when the page changes under the user: to the new page's heading after
//! a navigation (and a screen reader hears the page's name), back to the control that opened a
//! dialog when it closes, into the page from "Skip to content".

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

thread_local! {
    /// The last element outside a dialog that had focus. A button that starts a write is disabled
    /// while it runs, which drops focus to `<body>`; the dialog that opens next returns here.
    static LAST_FOCUSED: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
}

/// The console's page announcements and whether headings take focus, from context.
#[derive(Clone, Copy)]
pub struct PageFocus {
    /// The name of the page shown, read out by the live region.
    announced: RwSignal<String>,
    /// Set once the first page heading was drawn: the page a tab opens on keeps the browser's
    /// own focus; every page after it takes focus to its heading.
    first_drawn: StoredValue<bool>,
}

impl PageFocus {
    pub fn provide() -> Self {
        let focus = PageFocus {
            announced: RwSignal::new(String::new()),
            first_drawn: StoredValue::new(false),
        };
        provide_context(focus);
        focus
    }
}

/// Starts remembering which control had focus, for dialogs to give it back: once signed in,
/// where dialogs are (its code is in the chunk fetched on signing in).
pub fn track_focus() {
    let listener = window_event_listener(leptos::ev::focusin, |ev| {
        let Some(element) = ev.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
            return;
        };
        if element.closest("dialog").ok().flatten().is_none() {
            LAST_FOCUSED.with(|last| *last.borrow_mut() = Some(element));
        }
    });
    on_cleanup(move || listener.remove());
}

/// The control to return focus to once a dialog opening now closes.
pub fn opener() -> Option<HtmlElement> {
    LAST_FOCUSED.with(|last| last.borrow().clone())
}

/// Focuses `opener` if it is still in the page and usable, else the page's heading.
pub fn return_focus(opener: Option<HtmlElement>) {
    let usable = opener.filter(|element| {
        element.is_connected() && !element.matches(":disabled, [inert] *").unwrap_or(true)
    });
    match usable {
        Some(element) => {
            let _ = element.focus();
        }
        None => focus_page(),
    }
}

/// Moves focus to the page's heading (or, lacking one, to `<main>`), as after a navigation.
pub fn focus_page() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = document
        .query_selector("main h1[tabindex]")
        .ok()
        .flatten()
        .or_else(|| document.get_element_by_id("main"));
    if let Some(target) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

/// A page's `<h1>`: names the tab, is announced, and takes focus when the user came from
/// another page of the console.
#[component]
pub fn PageHeading(#[prop(into)] title: String) -> impl IntoView {
    if let Some(focus) = use_context::<PageFocus>() {
        let first = !focus.first_drawn.get_value();
        focus.first_drawn.set_value(true);
        let announced = title.clone();
        // After the frame in which the page is put in the document (an element not yet in it
        // cannot take focus), unless a dialog open over the page keeps it (a one-time secret
        // shown as the page changed).
        request_animation_frame(move || {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            document.set_title(&format!("{announced} · Keyrack"));
            focus.announced.set(announced);
            let dialog_open = document
                .query_selector("dialog[open]")
                .ok()
                .flatten()
                .is_some();
            if !first && !dialog_open {
                focus_page();
            }
        });
    }
    view! {
        <h1 id="page-title" tabindex="-1">
            {title}
        </h1>
    }
}

/// Tells screen readers the name of each page the console shows (moving focus to the heading
/// does too; a live region also covers pages whose heading does not take focus).
#[component]
pub fn PageAnnouncer() -> impl IntoView {
    let focus = use_context::<PageFocus>();
    view! {
        <div
            class="visually-hidden"
            role="status"
            aria-live="polite"
            aria-atomic="true"
            data-test="route-announcer"
        >
            {move || focus.map(|f| f.announced.get())}
        </div>
    }
}

/// "Skip to content": moves focus into the page (a hash link alone would only change the address,
/// since the router handles the click).
#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a
            class="skip-link"
            href="#main"
            on:click=move |ev| {
                ev.prevent_default();
                focus_page();
            }
        >
            "Skip to content"
        </a>
    }
}
