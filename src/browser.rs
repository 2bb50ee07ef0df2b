//! The few browser services the views use: clipboard, file download, random bytes, reload.

use crate::api::json::Json;
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

/// Deeper than any configuration needs: a file nested further is refused rather than read by
/// recursion that could exhaust the stack.
const JSON_DEPTH: usize = 16;

/// Parses JSON text with the browser's own parser (see [`Json`] for why not serde_json here).
pub fn parse_json(text: &str) -> Result<Json, String> {
    let value = js_sys::JSON::parse(text).map_err(|error| {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default()
    })?;
    to_json(&value, JSON_DEPTH).ok_or_else(|| "it is nested too deeply".to_string())
}

fn to_json(value: &wasm_bindgen::JsValue, depth: usize) -> Option<Json> {
    let depth = depth.checked_sub(1)?;
    Some(if let Some(flag) = value.as_bool() {
        Json::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        Json::Number(number)
    } else if let Some(text) = value.as_string() {
        Json::Text(text)
    } else if js_sys::Array::is_array(value) {
        let items = js_sys::Array::from(value);
        Json::List(
            items
                .iter()
                .map(|item| to_json(&item, depth))
                .collect::<Option<_>>()?,
        )
    } else if value.is_object() {
        let entries = js_sys::Object::entries(value.unchecked_ref());
        let members = entries.iter().map(|entry| {
            let entry = js_sys::Array::from(&entry);
            Some((entry.get(0).as_string()?, to_json(&entry.get(1), depth)?))
        });
        Json::Object(members.collect::<Option<_>>()?)
    } else {
        Json::Null
    })
}
