//! How a failed API call is shown in place: what happened, what the server said, what to do.

use crate::api::ApiError;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(
    error: ApiError,
    /// What was being done, e.g. "Signing in failed".
    #[prop(optional, into)]
    action: Option<String>,
) -> impl IntoView {
    let summary = match action {
        Some(action) => format!("{action}: {}", error.summary()),
        None => error.summary(),
    };
    let detail = error.server_detail();
    let hint = error.operator_hint();
    let request_id = error.request_id().map(str::to_string);
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-summary">{summary}</p>
            {detail.map(|d| view! { <p class="notice-detail">"The server said: " {d}</p> })}
            {hint.map(|h| view! { <pre class="notice-hint">{h}</pre> })}
            {request_id
                .map(|id| {
                    view! { <p class="notice-request-id">"Request ID: " <code>{id}</code></p> }
                })}
        </div>
    }
}
