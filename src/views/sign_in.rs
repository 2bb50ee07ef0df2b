//! Sign-in with Keystone v3: password, an existing token, or an application credential.

use crate::api::identity::SignIn;
use crate::api::{ApiError, Secret};
use crate::components::{ErrorNotice, PageHeading, PageLife};
use crate::routing::safe_next;
use crate::routing::Family;
use crate::session::use_session;
use crate::views::lazy::sign_in_and_begin;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    Token,
    ApplicationCredential,
}

impl Method {
    const ALL: [Method; 3] = [
        Method::Password,
        Method::Token,
        Method::ApplicationCredential,
    ];

    fn label(self) -> &'static str {
        match self {
            Method::Password => "Password",
            Method::Token => "Token",
            Method::ApplicationCredential => "Application credential",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::Token => "token",
            Method::ApplicationCredential => "application-credential",
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let store = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    // Where the cloud signed in to opens, unless a page of this console was asked for.
    let next = move |cloud: usize| {
        let home = Family::home_of(store.config().clouds.get(cloud)).path();
        safe_next(query.with_untracked(|q| q.get("next")).as_deref(), home)
    };
    let config = store.config();
    let clouds: Vec<(usize, String)> = config
        .clouds
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.name.clone()))
        .collect();
    let several_clouds = clouds.len() > 1;

    let cloud_index = RwSignal::new(0usize);
    let method = RwSignal::new(Method::Password);
    let user = RwSignal::new(String::new());
    let domain = RwSignal::new(
        config
            .clouds
            .first()
            .map(|c| c.default_domain.clone())
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let project = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let app_cred_id = RwSignal::new(String::new());
    let app_cred_secret = RwSignal::new(String::new());

    let page = PageLife::new();
    let submit = Action::new_local(move |(cloud, how): &(usize, SignIn)| {
        let (cloud, how) = (*cloud, how.clone());
        let identity_url = store
            .config()
            .clouds
            .get(cloud)
            .map(|c| c.identity_url().to_string())
            .unwrap_or_default();
        let (navigate, next) = (navigate.clone(), next(cloud));
        async move {
            sign_in_and_begin(store, cloud, identity_url, how).await?;
            // Only from the sign-in page: a user who went elsewhere meanwhile stays there.
            if !page.gone() {
                let options = NavigateOptions {
                    replace: true,
                    ..Default::default()
                };
                navigate(&next, options);
            }
            Ok::<(), ApiError>(())
        }
    });
    let pending = submit.pending();
    let failure = move || submit.value().get().and_then(Result::err);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let how = match method.get_untracked() {
            Method::Password => SignIn::Password {
                user: user.get_untracked().trim().to_string(),
                domain: domain.get_untracked().trim().to_string(),
                password: Secret::new(password.get_untracked()),
                project: Some(project.get_untracked()).filter(|p| !p.trim().is_empty()),
            },
            Method::Token => SignIn::Token(Secret::new(token.get_untracked().trim())),
            Method::ApplicationCredential => SignIn::ApplicationCredential {
                id: app_cred_id.get_untracked().trim().to_string(),
                secret: Secret::new(app_cred_secret.get_untracked()),
            },
        };
        submit.dispatch((cloud_index.get_untracked(), how));
    };

    view! {
        <section class="page sign-in" aria-labelledby="page-title">
            <PageHeading title="Sign in to Keyrack" />
            {move || {
                store
                    .end_reason()
                    .map(|reason| {
                        view! {
                            <p class="notice notice-info" role="status" data-test="end-reason">
                                {reason.notice()}
                            </p>
                        }
                    })
            }}
            <form class="form" on:submit=on_submit>
                {several_clouds
                    .then(move || {
                        view! {
                            <label class="field">
                                <span>"Cloud"</span>
                                <select
                                    name="cloud"
                                    on:change=move |ev| {
                                        if let Ok(index) = event_target_value(&ev).parse::<usize>()
                                        {
                                            cloud_index.set(index);
                                        }
                                    }
                                >
                                    {clouds
                                        .iter()
                                        .map(|(i, name)| {
                                            view! {
                                                <option value=i.to_string()>{name.clone()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    })}
                <fieldset class="method-choice">
                    <legend>"Sign in with"</legend>
                    {Method::ALL
                        .into_iter()
                        .map(|m| {
                            view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="method"
                                        value=m.id()
                                        prop:checked=move || method.get() == m
                                        on:change=move |_| method.set(m)
                                    />
                                    {m.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <fieldset
                    class="method-fields"
                    hidden=move || method.get() != Method::Password
                    disabled=move || method.get() != Method::Password
                >
                    <label class="field">
                        <span>"User name"</span>
                        <input name="user" required autocomplete="username" bind:value=user />
                    </label>
                    <label class="field">
                        <span>"Domain"</span>
                        <input name="domain" required bind:value=domain />
                    </label>
                    <label class="field">
                        <span>"Password"</span>
                        <input
                            name="password"
                            type="password"
                            required
                            autocomplete="current-password"
                            bind:value=password
                        />
                    </label>
                    <label class="field">
                        <span>
                            "Project "
                            <small>"(optional: the user's default project otherwise)"</small>
                        </span>
                        <input name="project" bind:value=project />
                    </label>
                </fieldset>
                <fieldset
                    class="method-fields"
                    hidden=move || method.get() != Method::Token
                    disabled=move || method.get() != Method::Token
                >
                    <label class="field">
                        <span>"Token"</span>
                        <input
                            name="token"
                            type="password"
                            required
                            autocomplete="off"
                            bind:value=token
                        />
                    </label>
                </fieldset>
                <fieldset
                    class="method-fields"
                    hidden=move || method.get() != Method::ApplicationCredential
                    disabled=move || method.get() != Method::ApplicationCredential
                >
                    <label class="field">
                        <span>"Application credential ID"</span>
                        <input
                            name="app-cred-id"
                            required
                            autocomplete="username"
                            bind:value=app_cred_id
                        />
                    </label>
                    <label class="field">
                        <span>"Secret"</span>
                        <input
                            name="app-cred-secret"
                            type="password"
                            required
                            autocomplete="current-password"
                            bind:value=app_cred_secret
                        />
                    </label>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            {move || {
                failure().map(|error| view! { <ErrorNotice error action="Signing in failed" /> })
            }}
        </section>
    }
}
