//! Who is signed in, where, with which roles, and for how long.

use crate::api::time::format_remaining;
use crate::components::scope_menu::ScopeMenu;
use crate::session::use_session;
use leptos::prelude::*;

/// Five minutes before expiry the header warns.
pub(super) const EXPIRY_WARNING_MS: f64 = 5.0 * 60.0 * 1000.0;

/// How many role names the header shows before folding the rest into a list.
const SHOWN_ROLES: usize = 1;

#[component]
pub(super) fn SessionFacts() -> impl IntoView {
    let store = use_session();
    let session = Memo::new(move |_| store.active());
    let remaining = move || store.remaining_ms().unwrap_or(0.0);
    let expiring_soon = move || remaining() < EXPIRY_WARNING_MS;
    let who = move || {
        session.with(|s| {
            let user = &s.as_ref()?.info.user;
            Some(match &user.domain {
                Some(domain) => format!("{} ({})", user.name, domain.name),
                None => user.name.clone(),
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
    // Delegated tokens cannot be traded for another scope.
    let project_or_menu = move || match store.delegation() {
        Some(_) => view! {
            <span class="truncate" data-test="session-project" title=project>
                {project}
            </span>
        }
        .into_any(),
        None => view! { <ScopeMenu current=project /> }.into_any(),
    };
    let roles = move || {
        let names = session.with(|s| s.as_ref().map(|s| s.info.roles_by_power()));
        view! { <Roles names=names.unwrap_or_default() /> }
    };
    let mode = move || {
        if store.is_admin() {
            "Administrator"
        } else {
            "Self-service"
        }
    };
    view! {
        <dl class="session-facts">
            <div>
                <dt>"User"</dt>
                <dd class="truncate" data-test="session-user" title=who>
                    {who}
                </dd>
            </div>
            <div>
                <dt>"Project"</dt>
                <dd>{project_or_menu}</dd>
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
    }
}

/// The most powerful role; more fold into a list the user opens, so the header stays one line.
#[component]
fn Roles(names: Vec<String>) -> impl IntoView {
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
}
