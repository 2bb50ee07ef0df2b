//! Back and Forward: the page shown is always the page the address bar names, and a history step
//! while a one-time secret waits to be saved asks first, as leaving by a reload does.
//!
//! Part of the chunk fetched on signing in (a signed-out tab has one page, and no secret unless a
//! write sent before signing out brings one, which keeps this mounted), but for one listener the
//! shell adds before the router's.

use crate::components::use_operations;
use crate::routing::app_base;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// What the user is asked when Back or Forward would leave a page with a secret on it.
pub const LEAVE_QUESTION: &str = "A new secret has not been saved yet. Leave this page anyway? \
     (The secret stays on screen until you confirm you saved it.)";

/// Decides whether a history step may reach the router (false: it is held).
type StepGuard = Box<dyn Fn() -> bool>;

thread_local! {
    /// The guard the signed-in chunk installs; the shell's listener asks it.
    static GUARD: RefCell<Option<StepGuard>> = const { RefCell::new(None) };
}

/// The shell's part, called before the router is built: listeners on the window run in the order
/// they were added, so only one added before the router's can keep a step from reaching it. It
/// asks the guard the signed-in chunk installed, if any (so the guard's code is not in the shell).
pub fn listen_before_router() {
    let listener = window_event_listener(leptos::ev::popstate, |ev| {
        let allowed = GUARD.with(|guard| guard.borrow().as_ref().is_none_or(|allows| allows()));
        if !allowed {
            ev.stop_immediate_propagation();
        }
    });
    on_cleanup(move || listener.remove());
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

/// Installs the guard the shell's listener asks (see [`listen_before_router`]): while a secret
/// waits, a step is held, the address put back on the page shown (`shown`), and the user asked.
fn guard_history(shown: StoredValue<String>, agreed: StoredValue<bool>) {
    let operations = use_operations();
    let allows: StepGuard = Box::new(move || {
        if agreed.try_get_value() == Some(true) {
            agreed.set_value(false);
            return true;
        }
        if !operations.secret_waiting() {
            return true;
        }
        let (Some(shown), Some(window)) = (shown.try_get_value(), web_sys::window()) else {
            return true;
        };
        let Ok(history) = window.history() else {
            return true;
        };
        // Held: the address goes back to the page shown, so the address bar and the page agree
        // while the user is asked.
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&shown));
        if window.confirm_with_message(LEAVE_QUESTION).unwrap_or(false) {
            // The entry before the one just pushed is where the user was going (Back), or the
            // page they went Forward to.
            agreed.set_value(true);
            let _ = history.back();
        }
        false
    });
    GUARD.with(|guard| *guard.borrow_mut() = Some(allows));
    on_cleanup(|| GUARD.with(|guard| *guard.borrow_mut() = None));
}

/// Inside the router: asks before a history step leaves a secret unsaved, and keeps the router's
/// own record of history in step with the browser's.
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
    let shown = StoredValue::new(current_address());
    let agreed = StoredValue::new(false);
    guard_history(shown, agreed);
    Effect::new(move |_| {
        let search = location.search.get();
        let query = if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        };
        shown.set_value(format!(
            "{}{query}{}",
            location.pathname.get(),
            location.hash.get()
        ));
    });
    let base = app_base();
    // Not capturing: it runs once the router has taken the step.
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
