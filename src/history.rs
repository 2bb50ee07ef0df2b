//! Back and Forward: the page shown is always the page the address bar names, and a history step
//! while a one-time secret waits to be saved asks first, as leaving by a reload does.

use crate::components::Operations;
use crate::routing::app_base;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The address of the page the console shows, and whether the next history step is one the user
/// already agreed to.
#[derive(Clone, Copy)]
pub struct HistoryGuard {
    shown: StoredValue<String>,
    agreed: StoredValue<bool>,
}

/// What the user is asked when Back or Forward would leave a page with a secret on it.
pub const LEAVE_QUESTION: &str = "A new secret has not been saved yet. Leave this page anyway? \
     (The secret stays on screen until you confirm you saved it.)";

impl HistoryGuard {
    /// Must run before the router is built: its listener then comes before the router's, and can
    /// keep a history step from reaching it.
    pub fn install(operations: Operations) -> Self {
        let guard = HistoryGuard {
            shown: StoredValue::new(current_address()),
            agreed: StoredValue::new(false),
        };
        let listener = window_event_listener(leptos::ev::popstate, move |ev| {
            if guard.agreed.get_value() {
                guard.agreed.set_value(false);
                return;
            }
            if operations.shown_secret().is_none() {
                return;
            }
            // The router does not see this step; the address goes back to the page shown, so the
            // address bar and the page agree while the user is asked.
            ev.stop_immediate_propagation();
            let Some(window) = web_sys::window() else {
                return;
            };
            let Ok(history) = window.history() else {
                return;
            };
            let shown = guard.shown.get_value();
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&shown));
            if window.confirm_with_message(LEAVE_QUESTION).unwrap_or(false) {
                // The entry before the one just pushed is where the user was going (Back), or
                // the page they went Forward to.
                guard.agreed.set_value(true);
                let _ = history.back();
            }
        });
        on_cleanup(move || listener.remove());
        provide_context(guard);
        guard
    }
}

/// `path?query#hash` of the window's address, base included.
fn current_address() -> String {
    web_sys::window()
        .map(|w| w.location())
        .map(|l| {
            format!(
                "{}{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default(),
                l.hash().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Inside the router: keeps the guard told of the page shown, and the router's own record of
/// history in step with the browser's.
///
/// leptos_router 0.8.17 keeps a stack of the addresses it went through, popping it on Back but not
/// pushing on Forward; a link to the page before a Forward step then matches the top of that stack,
/// and the router shows the page without adding it to history, leaving the address bar on the old
/// page. After every history step this tells the router the current address (a replace, which
/// changes nothing the browser keeps), which puts it on top of the router's stack.
#[component]
pub fn HistoryInStep() -> impl IntoView {
    let location = use_location();
    let navigate = use_navigate();
    if let Some(guard) = use_context::<HistoryGuard>() {
        Effect::new(move |_| {
            let address = format!(
                "{}{}{}",
                location.pathname.get(),
                location.search.with(|s| if s.is_empty() {
                    String::new()
                } else {
                    format!("?{s}")
                }),
                location.hash.get()
            );
            guard.shown.set_value(address);
        });
    }
    let base = app_base();
    // Registered after the router's listener, so it runs once the router has taken the step.
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        let address = current_address();
        let page = address.strip_prefix(base.as_str()).unwrap_or(&address);
        navigate(
            page,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    on_cleanup(move || listener.remove());
}
