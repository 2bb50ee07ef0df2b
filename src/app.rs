//! The root: load the runtime configuration, then the routed console.

use crate::api::config::{read_config, ConfigProblem, RuntimeConfig, CONFIG_FILE};
use crate::browser::parse_json;
use crate::components::history::listen_before_router;
use crate::components::{Operations, PageAnnouncer, PageFocus, SkipLink, ToastRegion, Toasts};
use crate::routing::{app_base, AppBase, Family, RequireSession, SIGN_IN};
use crate::session::{use_session, SessionStore};
use crate::views::lazy::{
    restore_session, LazyConfigError, LazyNotFound, LazyOperationsHost, LazySignedInHeader,
    LazySignedInTools, LazyToastList,
};
use crate::views::{
    LazyAccessKeysPage, LazyCredentialPage, LazyCredentialsPage, LazyEc2Page, SignInPage,
};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use std::sync::Arc;

/// `config.json` beside `index.html`, wherever the console is hosted.
fn config_url() -> String {
    format!("{}/{CONFIG_FILE}", app_base())
}

pub async fn load_config() -> Result<RuntimeConfig, ConfigProblem> {
    let url = config_url();
    let problem = |problem: String| ConfigProblem {
        url: url.clone(),
        problem,
    };
    let response = Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| problem(format!("could not be loaded: {e}")))?;
    if !response.ok() {
        return Err(problem(format!(
            "could not be loaded: the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| problem(format!("could not be read: {e}")))?;
    let json = parse_json(&text).map_err(|why| problem(format!("is not valid JSON: {why}")))?;
    read_config(json).map_err(|why| problem(format!("cannot be used: {why}")))
}

#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(load_config);
    // Not a <Suspense>: it would also wait for every resource the pages read outside their own
    // <Transition>, and blank the whole console while any of them loads.
    // Only the configuration decides what is built here; what the console reads while it is
    // built must not rebuild it.
    move || {
        let state = config.get();
        untrack(move || match state {
            None => view! { <p class="loading">"Loading Keyrack…"</p> }.into_any(),
            Some(Ok(config)) => view! { <Console config=Arc::new(config) /> }.into_any(),
            Some(Err(problem)) => {
                provide_context(problem);
                view! { <LazyConfigError /> }.into_any()
            }
        })
    }
}

#[component]
fn Console(config: Arc<RuntimeConfig>) -> impl IntoView {
    let store = SessionStore::provide(config, restore_session);
    let operations = Operations::provide(Toasts::provide());
    let busy = Memo::new(move |_| operations.busy());
    let signed_in = Memo::new(move |_| store.active().is_some());
    // Also while a write sent before signing out may still bring a secret.
    let tools = Memo::new(move |_| signed_in.get() || busy.get());
    PageFocus::provide();
    // Before the router, so that its listener comes first.
    listen_before_router();
    let base = app_base();
    provide_context(AppBase(base.clone()));
    view! {
        <Router base=base>
            <SkipLink />
            <PageAnnouncer />
            // The sign-in page shows no header.
            {move || signed_in.get().then(|| view! { <LazySignedInHeader /> })}
            <main id="main" tabindex="-1">
                <Routes fallback=LazyNotFound>
                    <Route path=path!("/") view=HomeRedirect />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route
                        path=path!("/credentials")
                        view=|| {
                            view! {
                                <RequireSession>
                                    <LazyCredentialsPage />
                                </RequireSession>
                            }
                        }
                    />
                    <Route
                        path=path!("/credentials/:id")
                        view=|| {
                            view! {
                                <RequireSession>
                                    <LazyCredentialPage />
                                </RequireSession>
                            }
                        }
                    />
                    <Route
                        path=path!("/ec2")
                        view=|| {
                            view! {
                                <RequireSession>
                                    <LazyEc2Page />
                                </RequireSession>
                            }
                        }
                    />
                    <Route
                        path=path!("/access-keys")
                        view=|| {
                            view! {
                                <RequireSession>
                                    <LazyAccessKeysPage />
                                </RequireSession>
                            }
                        }
                    />
                </Routes>
            </main>
            <ToastRegion>
                <LazyToastList />
            </ToastRegion>
            // Writes outlive their page: their secrets show over whatever page is open.
            {move || busy.get().then(|| view! { <LazyOperationsHost /> })}
            {move || tools.get().then(|| view! { <LazySignedInTools /> })}
        </Router>
    }
}

/// `/`: the page the signed-in cloud opens on, or signing in (which then leads to the page of
/// the cloud chosen there). A session this tab stored is read first: a reload of `/` stays signed in.
#[component]
fn HomeRedirect() -> impl IntoView {
    let store = use_session();
    move || {
        if store.restoring() {
            return ().into_any();
        }
        let path = match store.cloud() {
            Some(cloud) => Family::home_of(Some(&cloud)).path(),
            None => SIGN_IN,
        };
        view! { <Redirect path /> }.into_any()
    }
}
