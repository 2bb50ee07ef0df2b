//! The signed-in header: who, where, with which powers, for how long; navigation; sign-out.

use crate::api::error::host_of;
use crate::api::identity::{revoke, Delegation};
use crate::api::retry::MAX_RETRIES;
use crate::api::time::{format_remaining, format_seconds_tenths};
use crate::components::scope_menu::{ScopeChoices, ScopeMenu};
use crate::components::{use_operations, use_toasts, ConfirmDialog};
use crate::routing::use_page_href;
use crate::session::{use_session, EndReason};
use crate::views::lazy::LazySignedInHeader;
use crate::views::Family;
use leptos::prelude::*;
use leptos_router::components::A;

/// Five minutes before expiry the header warns.
const EXPIRY_WARNING_MS: f64 = 5.0 * 60.0 * 1000.0;

/// How many role names the header shows before folding the rest into a list.
const SHOWN_ROLES: usize = 1;

#[component]
pub fn SessionHeader() -> impl IntoView {
    let store = use_session();
    let signed_in = Memo::new(move |_| store.active().is_some());
    move || signed_in.get().then(|| view! { <LazySignedInHeader /> })
}

#[component]
pub fn SignedInHeader() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let session = Memo::new(move |_| store.active());
    let cloud = Memo::new(move |_| store.cloud());
    let remaining = move || store.remaining_ms().unwrap_or(0.0);
    let expiring_soon = move || remaining() < EXPIRY_WARNING_MS;

    let operations = use_operations();
    // What would still be under way if the user signed out now, while they are asked.
    let unfinished = RwSignal::new(Vec::<String>::new());
    let sign_out = Action::new_local(move |_: &()| async move {
        let session = store.active();
        let cloud = store.cloud();
        store.end(EndReason::SignedOut);
        if let (Some(session), Some(cloud)) = (session, cloud) {
            let timeout = cloud.request_timeout_seconds;
            if let Err(error) = revoke(cloud.identity_url(), &session.token, timeout).await {
                toasts.error(format!(
                    "You are signed out here, but Keystone could not revoke the token, so it stays valid until it expires: {}",
                    error.summary()
                ));
            }
        }
    });

    let who = move || {
        session.with(|s| {
            s.as_ref().map(|s| {
                let user = &s.info.user;
                match &user.domain {
                    Some(domain) => format!("{} ({})", user.name, domain.name),
                    None => user.name.clone(),
                }
            })
        })
    };
    let project = Signal::derive(move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| match (&s.info.project, &s.info.domain) {
                    (Some(p), _) => p.name.clone(),
                    (None, Some(d)) => format!("Domain {}", d.name),
                    (None, None) => "No project".to_string(),
                })
                .unwrap_or_default()
        })
    });
    let unscoped = move || {
        session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.info.project.is_none() && s.info.domain.is_none())
        })
    };
    // One role is shown; more fold into a list the user opens, so the header stays one line.
    let roles = move || {
        let mut names: Vec<String> = session.with(|s| {
            s.as_ref()
                .map(|s| s.info.roles.iter().map(|r| r.name.clone()).collect())
                .unwrap_or_default()
        });
        // The most powerful first: the one shown is the one that says what the user may do.
        let rank = |name: &str| {
            ["admin", "manager", "member", "reader"]
                .iter()
                .position(|known| *known == name)
                .unwrap_or(4)
        };
        names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        if names.len() <= SHOWN_ROLES {
            return names.join(", ").into_any();
        }
        let summary = format!(
            "{} +{}",
            names[..SHOWN_ROLES].join(", "),
            names.len() - SHOWN_ROLES
        );
        view! {
            <details class="roles-menu">
                <summary aria-label=format!("{} roles: show all", names.len())>{summary}</summary>
                <ul>{names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
            </details>
        }
        .into_any()
    };
    let mode = move || {
        if store.is_admin() {
            "Administrator"
        } else {
            "Self-service"
        }
    };
    let page_href = use_page_href();
    let families = move || {
        cloud
            .get()
            .map(|c| Family::offered_by(&c))
            .unwrap_or_default()
    };

    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-name">"Keyrack"</span>
                <span class="cloud-name truncate">{move || cloud.get().map(|c| c.name)}</span>
            </div>
            <nav aria-label="Credential families">
                <ul>
                    <For each=families key=|f| *f let:family>
                        <li>
                            <A href=page_href(family.path())>{family.title()}</A>
                        </li>
                    </For>
                </ul>
            </nav>
            <dl class="session-facts">
                <div>
                    <dt>"User"</dt>
                    <dd class="truncate" data-test="session-user" title=who>
                        {who}
                    </dd>
                </div>
                <div>
                    <dt>"Project"</dt>
                    <dd>
                        // Delegated tokens cannot be traded for another scope.
                        {move || {
                            if store.delegation().is_some() {
                                view! {
                                    <span
                                        class="truncate"
                                        data-test="session-project"
                                        title=project
                                    >
                                        {project}
                                    </span>
                                }
                                    .into_any()
                            } else {
                                view! { <ScopeMenu current=project /> }.into_any()
                            }
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Roles"</dt>
                    <dd data-test="session-roles">{roles}</dd>
                </div>
                <div>
                    <dt>"Mode"</dt>
                    <dd data-test="session-mode">{mode}</dd>
                </div>
                <div>
                    <dt>"Session"</dt>
                    <dd data-test="session-remaining" class:expiring=expiring_soon>
                        {move || format!("{} left", format_remaining(remaining() as i64))}
                    </dd>
                </div>
            </dl>
            <button
                type="button"
                class="button"
                data-test="sign-out"
                on:click=move |_| {
                    let under_way = operations.unfinished();
                    if under_way.is_empty() {
                        sign_out.dispatch(());
                    } else {
                        unfinished.set(under_way);
                    }
                }
            >
                "Sign out"
            </button>
        </header>
        <ConfirmDialog
            open=Signal::derive(move || unfinished.with(|u| !u.is_empty()))
            title="Sign out while changes are under way?".to_string()
            confirm_label="Sign out".to_string()
            on_confirm=Callback::new(move |_| {
                unfinished.set(Vec::new());
                sign_out.dispatch(());
            })
            on_cancel=Callback::new(move |_| unfinished.set(Vec::new()))
        >
            <ul data-test="unfinished">
                {move || {
                    unfinished
                        .get()
                        .into_iter()
                        .map(|what| view! { <li>{what}</li> })
                        .collect_view()
                }}
            </ul>
            <p>
                "Signing out does not stop what was already sent: it finishes, and what it brings, a new secret too, is shown here once, over the sign-in page."
            </p>
        </ConfirmDialog>
        <Show when=move || unscoped() && store.delegation().is_none()>
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
                {move || {
                    format!(
                        "Your session ends in {}. Save your work; you will be asked to sign in again, and brought back here.",
                        format_remaining(remaining() as i64),
                    )
                }}
            </div>
        </Show>
        {move || {
            store
                .retrying()
                .map(|notice| {
                    let why = if notice.status == 429 {
                        "is busy"
                    } else {
                        "is briefly unavailable"
                    };
                    view! {
                        <div class="notice notice-info" role="status" data-test="retrying">
                            {format!(
                                "{} {why} ({}): asking again in {} s (retry {} of {MAX_RETRIES}).",
                                host_of(&notice.url),
                                notice.status,
                                format_seconds_tenths(notice.wait_ms),
                                notice.retry,
                            )}
                        </div>
                    }
                })
        }}
        {move || {
            store
                .delegation()
                .map(|delegation| {
                    let how = match delegation {
                        Delegation::ApplicationCredential => "an application credential",
                        Delegation::Trust => "a trust",
                    };
                    view! {
                        <div
                            class="notice notice-warning"
                            role="note"
                            data-test="delegation-warning"
                        >
                            {format!(
                                "You signed in with {how}. Keystone does not let such delegated tokens manage credentials: creating or deleting them is refused (403) and lists come back empty. Sign in with a password to manage credentials.",
                            )}
                        </div>
                    }
                })
        }}
    }
}
