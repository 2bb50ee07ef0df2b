//! What the session needs the user to know: no project yet, expiry near, a server being asked
//! again, a delegated token's limits.

use super::facts::EXPIRY_WARNING_MS;
use crate::api::error::host_of;
use crate::api::identity::Delegation;
use crate::api::retry::MAX_RETRIES;
use crate::api::time::{format_remaining, format_seconds_tenths};
use crate::components::scope_menu::ScopeChoices;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub(super) fn SessionNotices() -> impl IntoView {
    let store = use_session();
    let remaining = move || store.remaining_ms().unwrap_or(0.0);
    let expiring_soon = move || remaining() < EXPIRY_WARNING_MS;
    let unscoped = move || {
        let scopeless = store
            .active()
            .is_some_and(|s| s.info.project.is_none() && s.info.domain.is_none());
        scopeless && store.delegation().is_none()
    };
    let expiry = move || {
        format!(
            "Your session ends in {}. Save your work; you will be asked to sign in again, and brought back here.",
            format_remaining(remaining() as i64),
        )
    };
    let retrying = move || {
        let notice = store.retrying()?;
        let why = if notice.status == 429 {
            "is busy"
        } else {
            "is briefly unavailable"
        };
        let text = format!(
            "{} {why} ({}): asking again in {} s (retry {} of {MAX_RETRIES}).",
            host_of(&notice.url),
            notice.status,
            format_seconds_tenths(notice.wait_ms),
            notice.retry,
        );
        Some(view! {
            <div class="notice notice-info" role="status" data-test="retrying">
                {text}
            </div>
        })
    };
    let delegated = move || {
        let how = match store.delegation()? {
            Delegation::ApplicationCredential => "an application credential",
            Delegation::Trust => "a trust",
        };
        Some(view! {
            <div class="notice notice-warning" role="note" data-test="delegation-warning">
                {format!(
                    "You signed in with {how}. Keystone does not let such delegated tokens manage credentials: creating or deleting them is refused (403) and lists come back empty. Sign in with a password to manage credentials.",
                )}
            </div>
        })
    };
    view! {
        <Show when=unscoped>
            <section
                class="notice notice-info"
                aria-labelledby="unscoped-title"
                data-test="unscoped"
            >
                <h2 id="unscoped-title">"Choose a project"</h2>
                <p>
                    "You signed in without a project, and Keystone gives roles only within one: until you choose, Keyrack works in self-service with no roles."
                </p>
                <ScopeChoices />
            </section>
        </Show>
        <Show when=expiring_soon>
            <div class="notice notice-warning" role="alert" data-test="expiry-warning">
                {expiry}
            </div>
        </Show>
        {retrying}
        {delegated}
    }
}
