//! The few browser services the views use: clipboard, file download, random bytes, reload.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reloads the page. A failed reload leaves the page as it is, with its buttons still there.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Copies text to the clipboard; false when the browser refused.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// Offers `content` as a file download; the object URL is revoked right after the click.
pub fn download(filename: &str, mime: &str, content: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let clicked = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|anchor| {
            anchor.set_href(&url);
            anchor.set_download(filename);
            anchor.click();
        })
        .is_some();
    let _ = web_sys::Url::revoke_object_url(&url);
    clicked
}

/// `count` random bytes from the browser's cryptographic generator.
pub fn random_bytes(count: usize) -> Option<Vec<u8>> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = vec![0u8; count];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// A random lower-case hex string of `count` bytes, as Keystone generates EC2 keys.
pub fn random_hex(count: usize) -> Option<String> {
    Some(
        random_bytes(count)?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// What a panic shows: the app keeps running, but the task that panicked stopped half-way.
const INTERNAL_ERROR: &str = "Keyrack hit an internal error: what you were doing may not have \
     finished. Reload to start afresh; you stay signed in.";

/// Every panic is written to the browser's console and told in a banner with a Reload button.
/// (Without a hook, wasm only says "unreachable", and the user sees nothing at all.)
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| report_internal_error(&info.to_string())));
}

/// Logs `message` and shows the internal-error banner (once, however many panics follow). Plain
/// DOM, no reactive code: after a panic, the reactive state may be half-updated.
pub fn report_internal_error(message: &str) {
    web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(message));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("internal-error").is_some() {
        return;
    }
    let (Ok(banner), Ok(text), Ok(button), Some(body)) = (
        document.create_element("div"),
        document.create_element("p"),
        document.create_element("button"),
        document.body(),
    ) else {
        return;
    };
    banner.set_id("internal-error");
    banner.set_class_name("notice notice-error internal-error");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-test", "internal-error");
    text.set_text_content(Some(INTERNAL_ERROR));
    button.set_class_name("button");
    let _ = button.set_attribute("type", "button");
    button.set_text_content(Some("Reload"));
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(reload);
    let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The banner lives as long as the page; so does its button's handler.
    on_click.forget();
    let _ = banner.append_child(&text);
    let _ = banner.append_child(&button);
    let _ = body.prepend_with_node_1(&banner);
}
