//! Whose credentials a view shows: the signed-in user's own, or, for an administrator, any
//! user's, chosen by name (resolved through `/v3/users`).

use crate::api::error::ApiError;
use crate::api::users::User;
use crate::components::ErrorNotice;
use crate::routing::{target_user_id, AppBase};
use crate::services::users::use_users;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUser {
    pub id: String,
    /// The name Keystone gives this user; the id while it is being read or if it cannot be.
    pub name: String,
    /// Why Keystone could not tell the user's name (no such user, not allowed to read it).
    pub problem: Option<ApiError>,
}

/// The signed-in user, as the default target.
pub fn own_user() -> TargetUser {
    let store = use_session();
    let (id, name) = store
        .active()
        .map(|s| (s.info.user.id.clone(), s.info.user.name.clone()))
        .unwrap_or_default();
    TargetUser {
        id,
        name,
        problem: None,
    }
}

/// The user whose credentials the page shows: `?user_id=…` in the URL (so a reload or a shared
/// link keeps it), else the signed-in user. Another user's name is read from Keystone: a name in
/// the address (`user_name=…`, as links of earlier versions carried) is ignored, since a link
/// could pair any id with any name, and the name goes into files and request bodies.
pub fn use_target_user() -> Signal<TargetUser> {
    let query = use_query_map();
    let mine = own_user();
    let own_id = mine.id.clone();
    // Another user than the signed-in one, by the rule the shell's early reads follow.
    let other_id = Memo::new(move |_| {
        Some(target_user_id(query.with(|q| q.get("user_id")), &own_id)).filter(|id| *id != own_id)
    });
    let users = use_users();
    let looked_up = LocalResource::new(move || {
        let read = other_id.get().map(|id| users.by_id(id));
        async move {
            match read {
                Some(read) => Some(read.await),
                None => None,
            }
        }
    });
    // Derived, not a memo: a memo over a resource stops it refetching (see
    // views/access_keys/rotation/wizard.rs).
    Signal::derive(move || {
        let Some(id) = other_id.get() else {
            return mine.clone();
        };
        match looked_up.get().flatten() {
            Some(Ok(user)) if user.id == id => TargetUser {
                id,
                name: user.name,
                problem: None,
            },
            Some(Err(problem)) => TargetUser {
                name: id.clone(),
                id,
                problem: Some(problem),
            },
            _ => TargetUser {
                name: id.clone(),
                id,
                problem: None,
            },
        }
    })
}

#[component]
pub fn UserPicker(target: Signal<TargetUser>) -> impl IntoView {
    let store = use_session();
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    let location = use_location();
    let base = use_context::<AppBase>().map(|b| b.0).unwrap_or_default();
    let choose = StoredValue::new_local(move |user: &User| {
        let path = location.pathname.get_untracked();
        let here = path
            .strip_prefix(base.as_str())
            .unwrap_or(&path)
            .to_string();
        navigate(
            &format!("{here}?user_id={}", js_sys::encode_uri_component(&user.id)),
            Default::default(),
        );
    });
    let users = use_users();
    let lookup = Action::new_local(move |name: &String| {
        let name = name.trim().to_string();
        let found = users.find_by_name(name.clone());
        async move {
            let users = found.await?;
            // A single match is chosen at once; several (one per domain) are offered below.
            // Only while the picker is shown: a page left meanwhile is not navigated from.
            if let [user] = users.as_slice() {
                choose.try_with_value(|choose| choose(user));
            }
            Ok((name, users))
        }
    });
    let outcome = move || {
        lookup.value().get().map(|result| match result {
            Err(error) => {
                view! { <ErrorNotice error action="Finding the user failed" /> }.into_any()
            }
            Ok((name, users)) => view! {
                <UserMatches
                    name
                    users
                    choose=move |user: User| choose.with_value(|choose| choose(&user))
                />
            }
            .into_any(),
        })
    };
    let mine = own_user();
    view! {
        <div class="user-picker">
            <p data-test="target-user">
                "Credentials of " <strong>{move || target.get().name}</strong>
                {move || (target.get().id == mine.id).then_some(" (you)")}
            </p>
            {move || {
                target
                    .get()
                    .problem
                    .map(|error| view! { <ErrorNotice error action="Reading this user failed" /> })
            }}
            <Show when=move || store.is_admin()>
                <form
                    class="inline-form"
                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if !name.get_untracked().trim().is_empty() {
                            lookup.dispatch(name.get_untracked());
                        }
                    }
                >
                    <label class="field-inline">
                        <span>"User name"</span>
                        <input name="target-user" bind:value=name />
                    </label>
                    <button type="submit" class="button" disabled=move || lookup.pending().get()>
                        "Show their credentials"
                    </button>
                </form>
                {outcome}
            </Show>
        </div>
    }
}

/// What a look-up by name found when it did not settle on one user: nobody (said so), or several
/// (one per domain), offered to choose from. One match shows nothing: the caller took it.
#[component]
pub fn UserMatches(
    name: String,
    users: Vec<User>,
    #[prop(into)] choose: Callback<User>,
) -> impl IntoView {
    match users.len() {
        0 => view! {
            <p class="notice notice-error" role="alert">
                {format!("No user is named \"{name}\".")}
            </p>
        }
        .into_any(),
        1 => ().into_any(),
        _ => view! {
            <p>"Several users have that name; choose one:"</p>
            <ul class="choices">
                {users
                    .into_iter()
                    .map(|user| {
                        let label = format!("{} (domain {})", user.name, user.domain_id);
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="button"
                                    on:click=move |_| choose.run(user.clone())
                                >
                                    {label}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}
