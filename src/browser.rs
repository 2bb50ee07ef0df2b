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
