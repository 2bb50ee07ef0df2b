//! The list of credentials: filters in the URL, search, sort, bulk delete.

use super::create::CreateCredential;
use super::names::use_names;
use crate::api::credentials::{self, searchable_blob, Credential, KNOWN_TYPES};
use crate::api::users::User;
use crate::api::ApiError;
use crate::components::{
    use_operations, use_toasts, ConfirmDialog, ErrorNotice, PageHeading, PageLife, RowWindow,
    UserMatches,
};
use crate::routing::{use_page_href, Page};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Type,
    User,
    Project,
    Id,
}

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let query = use_query_map();
    let navigate = use_navigate();
    let page_href = use_page_href();
    let url = store.identity_url();
    let filter_user =
        Memo::new(move |_| query.with(|q| q.get("user_id")).filter(|u| !u.is_empty()));
    let filter_type = Memo::new(move |_| query.with(|q| q.get("type")).filter(|t| !t.is_empty()));
    let operations = use_operations();
    let page = PageLife::new();
    let names = use_names();

    let list_url = url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let listing = LocalResource::new(move || {
        let (user, kind, _) = (filter_user.get(), filter_type.get(), operations.changed());
        let (client, url) = (store.client(), list_url.clone());
        async move { credentials::list(&client, &url, user.as_deref(), kind.as_deref()).await }
    });

    let set_filter = {
        let navigate = navigate.clone();
        move |user_id: Option<String>, kind: Option<String>| {
            let target = Page::Credentials { user_id, kind }.path();
            navigate(&target, Default::default());
        }
    };
    let set_filter = StoredValue::new_local(set_filter);

    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Type, true));
    // Names and the lower-case text to search are worked out once per listing, and sorted once
    // per sort order, so a keystroke in the search box only filters.
    let prepared = Memo::new(move |_| {
        let Some(Ok(list)) = listing.get() else {
            return Vec::new();
        };
        let names = names.get().unwrap_or_default();
        let mut prepared: Vec<(Credential, String, String, String)> = list
            .credentials
            .into_iter()
            .map(|c| {
                let user = names.user(&c.user_id);
                let project = names.project(c.project_id.as_deref());
                let haystack = [
                    c.id.as_str(),
                    c.kind.as_str(),
                    &user,
                    &project,
                    &searchable_blob(&c.kind, &c.blob),
                ]
                .join(" ")
                .to_lowercase();
                (c, user, project, haystack)
            })
            .collect();
        let (by, ascending) = sort.get();
        prepared.sort_by(|a, b| {
            let key = |r: &(Credential, String, String, String)| match by {
                SortBy::Type => r.0.kind.clone(),
                SortBy::User => r.1.to_lowercase(),
                SortBy::Project => r.2.to_lowercase(),
                SortBy::Id => r.0.id.clone(),
            };
            let order = key(a).cmp(&key(b)).then_with(|| a.0.id.cmp(&b.0.id));
            if ascending {
                order
            } else {
                order.reverse()
            }
        });
        prepared
    });
    // The matches, as positions in `prepared` (ascending).
    let rows = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        prepared.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, (_, _, _, haystack))| needle.is_empty() || haystack.contains(&needle))
                .map(|(at, _)| at)
                .collect::<Vec<_>>()
        })
    });
    let window = RowWindow::new();
    let drawn = move || rows.with(|r| window.rows(r.len()));
    let has_rows = Memo::new(move |_| rows.with(|r| !r.is_empty()));
    Effect::new(move |_| {
        if has_rows.get() {
            window.measure_next_frame();
        }
    });
    let visible_rows = move || {
        let range = drawn();
        rows.with(|r| {
            prepared.with(|all| {
                r.get(range)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|at| {
                        all.get(*at).map(|(c, user, project, _)| {
                            (*at, c.clone(), user.clone(), project.clone())
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    let selected = RwSignal::new(BTreeSet::<String>::new());
    let bulk_results = RwSignal::new(Vec::<(String, Result<(), ApiError>)>::new());
    let confirming_bulk = RwSignal::new(false);
    let delete_url = url.clone();
    let bulk_delete = Action::new_local(move |ids: &Vec<String>| {
        let (ids, client, url) = (ids.clone(), store.client(), delete_url.clone());
        let what = format!("Deleting {} credentials", ids.len());
        let work = async move {
            let mut results = Vec::new();
            for id in ids {
                let outcome = credentials::delete(&client, &url, &id).await;
                results.push((id, outcome));
            }
            Ok::<_, ApiError>(results)
        };
        async move {
            let Ok(results) = operations.run(what, Some(page), work).await else {
                return;
            };
            let failed = results.iter().filter(|(_, r)| r.is_err()).count();
            if failed == 0 {
                toasts.success(format!("{} credentials deleted.", results.len()));
            } else {
                toasts.error(format!(
                    "{failed} of {} deletions failed; see the results.",
                    results.len()
                ));
            }
            // Shown only while the page is.
            bulk_results.try_set(results);
            selected.try_set(BTreeSet::new());
        }
    });

    let user_name_filter = RwSignal::new(String::new());
    let find_url = url.clone();
    // As the user picker does: one match filters at once; none is said so; several are offered.
    let find_user = Action::new_local(move |name: &String| {
        let (name, client, url) = (name.trim().to_string(), store.client(), find_url.clone());
        async move {
            let users = crate::api::users::find_by_name(&client, &url, &name).await?;
            if let [user] = users.as_slice() {
                // Only on the page that asked: once it is gone, nothing navigates.
                set_filter.try_with_value(|f| {
                    f(
                        Some(user.id.clone()),
                        filter_type.try_get_untracked().flatten(),
                    )
                });
            }
            Ok::<_, ApiError>((name, users))
        }
    });

    let header = move |label: &'static str, by: SortBy| {
        let arrow = move || match sort.get() {
            (current, true) if current == by => " ▲",
            (current, false) if current == by => " ▼",
            _ => "",
        };
        view! {
            <th
                scope="col"
                aria-sort=move || match sort.get() {
                    (current, true) if current == by => "ascending",
                    (current, false) if current == by => "descending",
                    _ => "none",
                }
            >
                <button
                    type="button"
                    class="sort"
                    on:click=move |_| {
                        sort.update(|(current, ascending)| {
                            if *current == by {
                                *ascending = !*ascending
                            } else {
                                *current = by;
                                *ascending = true;
                            }
                        })
                    }
                >
                    {label}
                    {arrow}
                </button>
            </th>
        }
    };

    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="Credentials" />
            <p class="page-intro">
                "Keystone's v3 credentials: EC2 key pairs, TOTP seeds, certificates and custom types."
            </p>
            <CreateCredential />
            <section class="panel" aria-labelledby="list-title">
                <h2 id="list-title">"All credentials"</h2>
                <div class="filters">
                    <Show when=move || store.is_admin()>
                        <form
                            class="inline-form"
                            on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                let name = user_name_filter.get_untracked();
                                if name.trim().is_empty() {
                                    set_filter.with_value(|f| f(None, filter_type.get_untracked()));
                                } else {
                                    find_user.dispatch(name);
                                }
                            }
                        >
                            <label class="field-inline">
                                <span>"User name"</span>
                                <input
                                    name="filter-user"
                                    placeholder="everyone"
                                    bind:value=user_name_filter
                                />
                            </label>
                            <button type="submit" class="button">
                                "Filter"
                            </button>
                        </form>
                    </Show>
                    <label class="field-inline">
                        <span>"Type"</span>
                        <select
                            name="filter-type"
                            on:change=move |ev| {
                                let kind = event_target_value(&ev);
                                set_filter
                                    .with_value(|f| f(filter_user.get_untracked(), Some(kind)));
                            }
                        >
                            // The known types, and whatever other type the address filters by.
                            {move || {
                                let current = filter_type.get().unwrap_or_default();
                                let mut kinds: Vec<String> = std::iter::once("")
                                    .chain(KNOWN_TYPES)
                                    .map(str::to_string)
                                    .collect();
                                if !kinds.contains(&current) {
                                    kinds.push(current.clone());
                                }
                                kinds
                                    .into_iter()
                                    .map(|k| {
                                        let label = if k.is_empty() {
                                            "all types".to_string()
                                        } else {
                                            k.clone()
                                        };
                                        view! {
                                            <option value=k.clone() prop:selected=k == current>
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
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
                {move || {
                    filter_user
                        .get()
                        .map(|user| {
                            let shown = names.get().map(|n| n.user(&user)).unwrap_or(user);
                            view! {
                                <p data-test="active-filter">
                                    "Showing the credentials of " <strong>{shown}</strong> " "
                                    <button
                                        type="button"
                                        class="button button-small"
                                        on:click=move |_| {
                                            set_filter
                                                .with_value(|f| f(None, filter_type.get_untracked()));
                                        }
                                    >
                                        "Show everyone's"
                                    </button>
                                </p>
                            }
                        })
                }}
                {move || {
                    find_user
                        .value()
                        .get()
                        .map(|found| match found {
                            Err(error) => {
                                view! { <ErrorNotice error action="Filtering failed" /> }.into_any()
                            }
                            Ok((name, users)) => {
                                view! {
                                    <UserMatches
                                        name
                                        users
                                        choose=move |user: User| {
                                            set_filter
                                                .with_value(|f| f(
                                                    Some(user.id.clone()),
                                                    filter_type.get_untracked(),
                                                ));
                                        }
                                    />
                                }
                                    .into_any()
                            }
                        })
                }}
                {move || match listing.get() {
                    None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                    Some(Err(error)) => {
                        view! { <ErrorNotice error action="Listing credentials failed" /> }
                            .into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            {list
                                .truncated
                                .then(|| {
                                    view! {
                                        <p class="notice notice-warning" data-test="truncated">
                                            "Keystone returned only part of the list (its list_limit). Filter by user or type to see the rest."
                                        </p>
                                    }
                                })}
                            {list
                                .credentials
                                .is_empty()
                                .then(|| {
                                    let filtered = filter_user.get_untracked().is_some()
                                        || filter_type.get_untracked().is_some();
                                    view! {
                                        <p class="empty-state" data-test="credentials-empty">
                                            {if filtered {
                                                "No credentials match these filters. Clear them to see every credential you may read."
                                            } else {
                                                "No credentials yet. Choose \"New credential\" to create one: an EC2 key pair, a TOTP seed, a certificate or a custom type."
                                            }}
                                        </p>
                                    }
                                })}
                            // A live region: the count is read out as the search narrows the list.
                            <p class="count" role="status" data-test="count">
                                {move || match rows.with(Vec::len) {
                                    1 => "1 match".to_string(),
                                    n => format!("{n} matches"),
                                }}
                            </p>
                        }
                            .into_any()
                    }
                }}
                <div class="bulk-actions">
                    <button
                        type="button"
                        class="button button-danger-outline"
                        data-test="bulk-delete"
                        disabled=move || {
                            selected.with(BTreeSet::is_empty) || bulk_delete.pending().get()
                        }
                        on:click=move |_| confirming_bulk.set(true)
                    >
                        {move || format!("Delete selected ({})", selected.with(BTreeSet::len))}
                    </button>
                </div>
                <div
                    class="table-scroll"
                    node_ref=window.scroller
                    on:scroll=move |_| window.measure()
                >
                    <table
                        class="table table-rows"
                        data-test="credentials-table"
                        aria-rowcount=move || rows.with(Vec::len) + 1
                    >
                        <thead>
                            <tr aria-rowindex="1">
                                <th scope="col" class="col-select">
                                    <span class="visually-hidden">"Select"</span>
                                </th>
                                {header("Type", SortBy::Type)}
                                {header("User", SortBy::User)}
                                {header("Project", SortBy::Project)}
                                {header("ID", SortBy::Id)}
                            </tr>
                        </thead>
                        <tbody>
                            <tr class="spacer" aria-hidden="true">
                                <td
                                    colspan="5"
                                    style:height=move || window.height_of(drawn().start)
                                ></td>
                            </tr>
                            // Keyed by position too: a new sort order draws its rows anew, and the
                            // row numbers below follow the matches.
                            <For
                                each=visible_rows
                                key=|(at, c, user, project)| (
                                    *at,
                                    c.id.clone(),
                                    user.clone(),
                                    project.clone(),
                                )
                                let:row
                            >
                                {
                                    let (at, credential, user, project) = row;
                                    let id = credential.id.clone();
                                    let href = page_href(
                                        &Page::Credential { id: id.clone() }.path(),
                                    );
                                    let short_id = format!(
                                        "{}…",
                                        id.chars().take(16).collect::<String>(),
                                    );
                                    let for_check = id.clone();
                                    let checked = {
                                        let id = id.clone();
                                        move || selected.with(|s| s.contains(&id))
                                    };
                                    let row_number = move || {
                                        rows.with(|r| r.binary_search(&at).unwrap_or_default() + 2)
                                    };
                                    // Encoded: an id is never read as more than one segment of the path.
                                    // Its place among the matches, read out by screen readers (the table
                                    // says how many rows it has, though only some are drawn).
                                    view! {
                                        <tr
                                            data-test="credential-row"
                                            data-id=id.clone()
                                            data-type=credential.kind.clone()
                                            aria-rowindex=row_number
                                        >
                                            <td>
                                                <input
                                                    type="checkbox"
                                                    aria-label=format!("Select {}", id)
                                                    prop:checked=checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected
                                                            .update(|s| {
                                                                if on {
                                                                    s.insert(for_check.clone());
                                                                } else {
                                                                    s.remove(&for_check);
                                                                }
                                                            });
                                                    }
                                                />
                                            </td>
                                            <td>{credential.kind.clone()}</td>
                                            <td title=user.clone()>{user.clone()}</td>
                                            <td title=project.clone()>{project.clone()}</td>
                                            <td>
                                                <a href=href>
                                                    <code>{short_id}</code>
                                                </a>
                                            </td>
                                        </tr>
                                    }
                                }
                            </For>
                            <tr class="spacer" aria-hidden="true">
                                <td
                                    colspan="5"
                                    style:height=move || {
                                        window
                                            .height_of(rows.with(Vec::len).saturating_sub(drawn().end))
                                    }
                                ></td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                <Show when=move || bulk_results.with(|r| !r.is_empty())>
                    <ul class="bulk-results" data-test="bulk-results">
                        {move || {
                            bulk_results
                                .get()
                                .into_iter()
                                .map(|(id, outcome)| match outcome {
                                    Ok(()) => {
                                        view! { <li class="done">{format!("{id}: deleted")}</li> }
                                            .into_any()
                                    }
                                    Err(error) => {
                                        view! {
                                            <li class="failed">
                                                {format!("{id}: failed — {error}")}
                                            </li>
                                        }
                                            .into_any()
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </section>
        </section>
        <ConfirmDialog
            open=confirming_bulk
            title="Delete the selected credentials?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming_bulk.set(false);
                bulk_delete.dispatch(selected.get_untracked().into_iter().collect());
            })
            on_cancel=Callback::new(move |_| confirming_bulk.set(false))
        >
            <p data-test="confirm-text">
                {move || {
                    format!(
                        "{} credentials will be deleted: {}",
                        selected.with(BTreeSet::len),
                        selected.get().into_iter().collect::<Vec<_>>().join(", "),
                    )
                }}
            </p>
        </ConfirmDialog>
    }
}
