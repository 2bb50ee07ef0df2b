//! Choosing where the session works: a project (or a domain) the user has a role on, as Horizon's
//! project switcher does. Keystone gives roles only with a scope, so an unscoped sign-in is asked
//! to choose; the header offers the choice at any time.

use crate::api::identity::Scope;
use crate::components::{use_operations, use_toasts, ErrorNotice};
use crate::services::users::use_users;
use crate::session::{switch_scope, use_session};
use leptos::prelude::*;

/// The user's projects and domains, each a button that switches the session to it.
#[component]
pub fn ScopeChoices() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let operations = use_operations();
    let users = use_users();
    let choices = LocalResource::new(move || users.available_scopes());
    // Runs as the app's: the header that started it is built anew by the session it begins.
    let switch = Action::new_local(move |scope: &Scope| {
        let scope = scope.clone();
        async move {
            let label = scope.label();
            switch_scope(store, scope).await?;
            toasts.success(format!("Now working in {label}."));
            Ok::<(), crate::api::ApiError>(())
        }
    });
    let busy = move || switch.pending().get() || operations.writing();
    view! {
        {move || match choices.get() {
            None => view! { <p class="loading">"Loading your projects…"</p> }.into_any(),
            Some(Err(error)) => {
                view! { <ErrorNotice error action="Listing your projects failed" /> }.into_any()
            }
            Some(Ok(scopes)) if scopes.is_empty() => {
                view! {
                    <p data-test="no-scopes">
                        "You have no role on any project or domain: ask an administrator to give you one."
                    </p>
                }
                    .into_any()
            }
            Some(Ok(scopes)) => {
                view! {
                    <ul class="scope-choices" data-test="scope-choices">
                        {scopes
                            .into_iter()
                            .map(|scope| {
                                let current = store
                                    .active()
                                    .is_some_and(|s| scope.is_scope_of(&s.info));
                                let label = scope.label();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="button button-small"
                                            data-scope=scope.id().to_string()
                                            aria-current=current.then_some("true")
                                            disabled=move || current || busy()
                                            on:click=move |_| {
                                                switch.dispatch(scope.clone());
                                            }
                                        >
                                            {label}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }
        }}
        <Show when=move || operations.writing()>
            <p class="hint">"Switching waits until the changes under way are saved."</p>
        </Show>
        {move || {
            switch
                .value()
                .get()
                .and_then(Result::err)
                .map(|error| view! { <ErrorNotice error action="Switching failed" /> })
        }}
    }
}

/// The header's project: names where the session works and opens the list to switch.
#[component]
pub fn ScopeMenu(#[prop(into)] current: Signal<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details
            class="scope-menu"
            data-test="scope-menu"
            prop:open=move || open.get()
            on:toggle=move |ev| {
                open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"));
            }
        >
            <summary class="truncate" data-test="session-project" title=move || current.get()>
                {move || current.get()}
            </summary>
            // Asked for only once opened: most pages never need the list.
            <Show when=move || open.get()>
                <div class="menu-panel">
                    <ScopeChoices />
                </div>
            </Show>
        </details>
    }
}
