//! The list's filters: by user name (administrators), by type, and the search box; the filter in
//! force, and the users a name matched.

use super::list::ListFilter;
use super::names::Names;
use crate::api::credentials::KNOWN_TYPES;
use crate::api::users::User;
use crate::api::ApiError;
use crate::components::{ErrorNotice, UserMatches};
use crate::services::users::use_users;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub(super) fn Filters(
    filter: ListFilter,
    search: RwSignal<String>,
    names: LocalResource<Names>,
) -> impl IntoView {
    let store = use_session();
    let users = use_users();
    // As the user picker does: one match filters at once; none is said so; several are offered.
    let find_user = Action::new_local(move |name: &String| {
        let name = name.trim().to_string();
        let found = users.find_by_name(name.clone());
        async move {
            let users = found.await?;
            if let [user] = users.as_slice() {
                filter.set_user(Some(user.id.clone()));
            }
            Ok::<_, ApiError>((name, users))
        }
    });
    let found = move || {
        Some(match find_user.value().get()? {
            Err(error) => view! { <ErrorNotice error action="Filtering failed" /> }.into_any(),
            Ok((name, users)) => {
                let choose = move |user: User| filter.set_user(Some(user.id));
                view! { <UserMatches name users choose /> }.into_any()
            }
        })
    };
    view! {
        <div class="filters">
            <Show when=move || store.is_admin()>
                <UserNameFilter filter find_user />
            </Show>
            <TypeFilter filter />
            <label class="field-inline">
                <span>"Search"</span>
                <input
                    name="search"
                    type="search"
                    placeholder="id, type, user, project, blob"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </label>
        </div>
        <ActiveFilter filter names />
        {found}
    }
}

#[component]
fn UserNameFilter(
    filter: ListFilter,
    find_user: Action<String, Result<(String, Vec<User>), ApiError>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = typed.get_untracked();
        match name.trim().is_empty() {
            true => filter.set_user(None),
            false => {
                find_user.dispatch(name);
            }
        }
    };
    view! {
        <form class="inline-form" on:submit=submit>
            <label class="field-inline">
                <span>"User name"</span>
                <input name="filter-user" placeholder="everyone" bind:value=typed />
            </label>
            <button type="submit" class="button">
                "Filter"
            </button>
        </form>
    }
}

/// The known types, and whatever other type the address filters by.
#[component]
fn TypeFilter(filter: ListFilter) -> impl IntoView {
    let options = move || {
        let current = filter.kind.get().unwrap_or_default();
        let mut kinds: Vec<String> = std::iter::once("")
            .chain(KNOWN_TYPES)
            .map(str::to_string)
            .collect();
        if !kinds.contains(&current) {
            kinds.push(current.clone());
        }
        let option = move |kind: String| {
            let label = match kind.is_empty() {
                true => "all types".to_string(),
                false => kind.clone(),
            };
            let selected = kind == current;
            view! {
                <option value=kind prop:selected=selected>
                    {label}
                </option>
            }
        };
        kinds.into_iter().map(option).collect_view()
    };
    view! {
        <label class="field-inline">
            <span>"Type"</span>
            <select
                name="filter-type"
                on:change=move |ev| filter.set_kind(Some(event_target_value(&ev)))
            >
                {options}
            </select>
        </label>
    }
}

/// Whose credentials are shown, when the list is filtered by user.
#[component]
fn ActiveFilter(filter: ListFilter, names: LocalResource<Names>) -> impl IntoView {
    move || {
        let user = filter.user.get()?;
        let shown = names.get().map(|n| n.user(&user)).unwrap_or(user);
        Some(view! {
            <p data-test="active-filter">
                "Showing the credentials of " <strong>{shown}</strong> " "
                <button
                    type="button"
                    class="button button-small"
                    on:click=move |_| filter.set_user(None)
                >
                    "Show everyone's"
                </button>
            </p>
        })
    }
}
