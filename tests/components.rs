//! Component tests: shared widgets mounted in a real browser (headless Chromium, via
//! wasm-bindgen-test), checked through the DOM a user sees.
#![cfg(target_arch = "wasm32")]

use keyrack::api::error::HttpFailure;
use keyrack::api::ApiError;
use keyrack::components::{ConfirmDialog, ErrorNotice, ToastRegion, Toasts};
use keyrack::views::ConfigError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh element to mount into, so tests do not see each other's DOM.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&element)
        .expect("append");
    element.unchecked_into()
}

fn text_of(root: &web_sys::HtmlElement, css: &str) -> Option<String> {
    root.query_selector(css)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}

fn click(root: &web_sys::HtmlElement, css: &str) {
    let element: web_sys::HtmlElement = root
        .query_selector(css)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into();
    element.click();
}

#[wasm_bindgen_test]
async fn error_notice_shows_summary_server_words_request_id_and_cors_hint() {
    let root = container();
    let failure = ApiError::Http(HttpFailure {
        status: 409,
        server_message: Some("Duplicate entry".into()),
        request_id: Some("req-42".into()),
        ..HttpFailure::default()
    });
    let unreachable = ApiError::Unreachable {
        url: "http://127.0.0.1:5000/v3/auth/tokens".into(),
        origin: "http://console.example".into(),
        answers_without_cors: Some(true),
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <div id="conflict"><ErrorNotice error=failure.clone() action="Creating failed"/></div>
            <div id="cors"><ErrorNotice error=unreachable.clone()/></div>
        }
    });
    leptos::task::tick().await;

    let conflict = text_of(&root, "#conflict [role=alert]").expect("an alert");
    assert!(
        conflict.contains("Creating failed: This conflicts with something that already exists."),
        "{conflict}"
    );
    assert!(
        conflict.contains("The server said: Duplicate entry"),
        "{conflict}"
    );
    assert!(conflict.contains("req-42"), "{conflict}");
    assert!(text_of(&root, "#conflict .notice-hint").is_none());

    let hint = text_of(&root, "#cors .notice-hint").expect("a hint");
    assert!(
        hint.contains("[cors]\nallowed_origin = http://console.example"),
        "{hint}"
    );
}

#[wasm_bindgen_test]
async fn confirm_dialog_opens_modal_and_reports_the_choice() {
    let root = container();
    let open = RwSignal::new(false);
    let confirmed = RwSignal::new(0);
    let cancelled = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ConfirmDialog
                open=open
                title="Delete credential?".to_string()
                confirm_label="Delete".to_string()
                danger=true
                on_confirm=Callback::new(move |_| {
                    confirmed.update(|n| *n += 1);
                    open.set(false);
                })
                on_cancel=Callback::new(move |_| {
                    cancelled.update(|n| *n += 1);
                    open.set(false);
                })
            >
                <p>"Credential abc will be deleted."</p>
            </ConfirmDialog>
        }
    });
    leptos::task::tick().await;
    let dialog: web_sys::HtmlDialogElement = root
        .query_selector("dialog")
        .ok()
        .flatten()
        .expect("a dialog")
        .unchecked_into();
    assert!(!dialog.open(), "closed until asked");

    open.set(true);
    leptos::task::tick().await;
    assert!(dialog.open(), "opens when asked");
    assert!(text_of(&root, "dialog").is_some_and(|t| t.contains("Credential abc will be deleted.")));
    click(&root, "dialog .button-danger");
    leptos::task::tick().await;
    assert_eq!(confirmed.get_untracked(), 1);
    assert!(!dialog.open(), "closes after confirming");

    open.set(true);
    leptos::task::tick().await;
    click(&root, "dialog button[autofocus]");
    leptos::task::tick().await;
    assert_eq!(cancelled.get_untracked(), 1);
    assert_eq!(confirmed.get_untracked(), 1, "cancel does not confirm");
    assert!(!dialog.open());
}

#[wasm_bindgen_test]
async fn toasts_appear_in_a_live_region_and_can_be_dismissed() {
    let root = container();
    let toasts = StoredValue::new(None::<Toasts>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        toasts.set_value(Some(Toasts::provide()));
        view! { <ToastRegion/> }
    });
    leptos::task::tick().await;
    let toasts = toasts.get_value().expect("provided");
    toasts.error("Deleting failed: not permitted");
    toasts.success("Credential created");
    leptos::task::tick().await;

    let region = root
        .query_selector("[aria-live=polite]")
        .ok()
        .flatten()
        .expect("a live region");
    let text = region.text_content().unwrap_or_default();
    assert!(
        text.contains("Deleting failed: not permitted") && text.contains("Credential created"),
        "{text}"
    );
    assert!(root.query_selector(".toast-error").ok().flatten().is_some());

    click(&root, ".toast-error .toast-close");
    leptos::task::tick().await;
    let text = region.text_content().unwrap_or_default();
    assert!(!text.contains("Deleting failed"), "dismissed: {text}");
    assert!(text.contains("Credential created"));
}

#[wasm_bindgen_test]
async fn the_configuration_error_page_names_the_file_and_the_problem() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), || {
        view! {
            <ConfigError
                url="https://cdn.example/keyrack/config.json".to_string()
                problem="it names no cloud".to_string()
            />
        }
    });
    leptos::task::tick().await;
    let text = text_of(&root, "[data-test=config-error]").expect("the error");
    assert!(
        text.contains("https://cdn.example/keyrack/config.json"),
        "{text}"
    );
    assert!(text.contains("it names no cloud"), "{text}");
    assert!(text_of(&root, "h1").is_some_and(|h| h.contains("cannot start")));
}
