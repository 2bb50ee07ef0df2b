//! Component tests: shared widgets mounted in a real browser (headless Chromium, via
//! wasm-bindgen-test), checked through the DOM a user sees.
#![cfg(target_arch = "wasm32")]

use keyrack::api::error::HttpFailure;
use keyrack::api::ApiError;
use keyrack::components::operations::OperationsHost;
use keyrack::components::toast::ToastList;
use keyrack::components::{
    ConfirmDialog, ErrorNotice, OneTimeSecret, Operations, PageLife, SecretField, ToastRegion,
    Toasts,
};
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
        view! {
            <ToastRegion>
                <ToastList/>
            </ToastRegion>
        }
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

#[wasm_bindgen_test]
async fn a_write_outlives_its_page_and_tells_its_failure_where_the_user_is() {
    let root = container();
    let services = StoredValue::new(None::<(Toasts, Operations)>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let toasts = Toasts::provide();
        services.set_value(Some((toasts, Operations::provide(toasts))));
        view! {
            <ToastRegion>
                <ToastList/>
            </ToastRegion>
        }
    });
    leptos::task::tick().await;
    let (toasts, operations) = services.get_value().expect("provided");
    let page_owner = Owner::new();
    let page = page_owner.with(PageLife::new);

    // The page is shown: it shows the failure itself, no toast.
    let refused: Result<(), String> = operations
        .run("Creating an access key", Some(page), async {
            Err("the key service refused".to_string())
        })
        .await;
    assert!(refused.is_err());
    assert!(toasts.items().is_empty(), "{:?}", toasts.items());

    // The page is gone by the time the answer arrives: a toast tells it, and a write under way
    // is listed for the user until then.
    let (answer, answered) = one_shot();
    let write = operations.run("Creating an access key", Some(page), async move {
        answered.await;
        Err::<(), _>("the key service refused".to_string())
    });
    leptos::task::spawn_local(async move {
        let _ = write.await;
    });
    leptos::task::tick().await;
    assert_eq!(
        operations.unfinished(),
        vec!["Creating an access key…".to_string()]
    );
    assert!(operations.busy());
    page_owner.cleanup();
    assert!(page.gone());
    answer();
    for _ in 0..200 {
        if !toasts.items().is_empty() {
            break;
        }
        pause().await;
    }
    let told: Vec<String> = toasts.items().into_iter().map(|t| t.text).collect();
    assert_eq!(
        told,
        vec!["Creating an access key failed: the key service refused".to_string()]
    );
    assert!(!operations.busy());
}

/// A one-shot signal from the test to a future: (send it, the future that waits for it).
fn one_shot() -> (impl FnOnce(), impl std::future::Future<Output = ()>) {
    let (sender, receiver) = std::sync::mpsc::channel::<()>();
    let wait = async move {
        loop {
            if receiver.try_recv().is_ok() {
                return;
            }
            pause().await;
        }
    };
    (
        move || {
            let _ = sender.send(());
        },
        wait,
    )
}

/// A few milliseconds of the browser's time.
async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn new_secrets_are_shown_one_at_a_time_over_the_page_in_the_order_they_came() {
    let root = container();
    let services = StoredValue::new(None::<Operations>);
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        services.set_value(Some(Operations::provide(Toasts::provide())));
        view! { <OperationsHost/> }
    });
    leptos::task::tick().await;
    let operations = services.get_value().expect("provided");
    let saved = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for (title, value) in [("First key", "SECRET-ONE"), ("Second key", "SECRET-TWO")] {
        let counted = std::sync::Arc::clone(&saved);
        operations.reveal(OneTimeSecret {
            fields: vec![SecretField {
                label: "Secret key".into(),
                value: value.into(),
            }],
            after_saved: Some(std::sync::Arc::new(move || {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })),
            ..OneTimeSecret::new(title, value)
        });
    }
    leptos::task::tick().await;
    assert!(operations.secret_pending_for("SECRET-TWO"));
    let shown = text_of(&root, "[data-test=secret-dialog]").unwrap_or_default();
    assert!(
        shown.contains("SECRET-ONE") && !shown.contains("SECRET-TWO"),
        "{shown}"
    );

    // Saved and closed: the next one shows, and what was to follow the first one ran once.
    click(&root, "[data-test=secret-saved]");
    leptos::task::tick().await;
    click(&root, "[data-test=secret-close]");
    // The dialog's close event comes as a task of its own.
    for _ in 0..200 {
        if saved.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            break;
        }
        pause().await;
    }
    leptos::task::tick().await;
    assert_eq!(saved.load(std::sync::atomic::Ordering::SeqCst), 1);
    let shown = text_of(&root, "[data-test=secret-dialog]").unwrap_or_default();
    assert!(
        shown.contains("SECRET-TWO") && !shown.contains("SECRET-ONE"),
        "{shown}"
    );
    assert!(!operations.secret_pending_for("SECRET-ONE"));
}

#[wasm_bindgen_test]
fn an_internal_error_is_told_once_with_a_way_to_reload() {
    keyrack::browser::report_internal_error("panicked at src/example.rs:1:1:\nexample");
    keyrack::browser::report_internal_error("panicked at src/example.rs:2:1:\nagain");
    let banner: web_sys::HtmlElement = document()
        .get_element_by_id("internal-error")
        .expect("a banner")
        .unchecked_into();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("Keyrack hit an internal error"), "{text}");
    assert!(text.contains("Reload"), "{text}");
    assert!(
        !text.contains("example.rs"),
        "the details go to the console only: {text}"
    );
    banner.remove();
}

#[wasm_bindgen_test]
fn only_pages_of_this_console_are_returned_to_after_signing_in() {
    use keyrack::routing::resolve_next;
    let origin = "https://console.example";
    for base in ["/console", ""] {
        assert_eq!(
            resolve_next("/ec2?user_id=abc", origin, base).as_deref(),
            Some("/ec2?user_id=abc"),
            "under {base:?}"
        );
        assert_eq!(
            resolve_next("/credentials/ab%2Fcd", origin, base).as_deref(),
            Some("/credentials/ab%2Fcd")
        );
        for hostile in [
            "/\t/evil.example/login",
            "/\n/evil.example",
            "/\r/evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/console/../x",
            "/../x",
            "/%2e%2e/x",
            "/sign-in?next=/x",
            "",
            "ec2",
        ] {
            assert_eq!(
                resolve_next(hostile, origin, base),
                None,
                "{hostile:?} under {base:?}"
            );
        }
    }
}

/// The configuration is parsed by the browser's `JSON.parse` (no JSON parser in the shell): what
/// it yields is the same tree serde_json yields natively, and what it refuses says why.
#[wasm_bindgen_test]
fn the_browser_parses_json_into_the_tree_the_configuration_is_read_from() {
    use keyrack::api::config::read_config;
    use keyrack::api::json::Json;
    use keyrack::browser::parse_json;
    let text = r#"{"clouds":[{"name":"Lab","identity_url":"http://k/v3","credentials_v3":false,
        "request_timeout_seconds":30,"ec2":null,"x":[1.5,"a",true]}]}"#;
    let parsed = parse_json(text).expect("valid JSON");
    let native = Json::from(serde_json::from_str::<serde_json::Value>(text).expect("valid"));
    // serde_json keeps an object's members sorted by name; the browser keeps them as written.
    fn sorted(json: Json) -> Json {
        match json {
            Json::List(items) => Json::List(items.into_iter().map(sorted).collect()),
            Json::Object(members) => {
                let mut members: Vec<_> =
                    members.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                members.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(members)
            }
            other => other,
        }
    }
    assert_eq!(sorted(parsed.clone()), sorted(native));
    let problem = read_config(parsed).expect_err("x is unknown");
    assert_eq!(problem, "cloud \"Lab\": unknown field `x`");

    let syntax = parse_json("{\"clouds\": [").expect_err("unfinished");
    assert!(!syntax.is_empty(), "the browser's own words are kept");
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    assert_eq!(
        parse_json(&deep),
        Err("it is nested too deeply".to_string())
    );
}
