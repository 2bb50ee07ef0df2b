//! The credentials table: sortable columns, a checkbox per row, and only the rows in view drawn
//! (a list of thousands scrolls as one of tens).

use super::rows::{Row, SortBy};
use crate::components::RowWindow;
use crate::routing::{use_page_href, Page};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub(super) fn CredentialsTable(
    prepared: Memo<Vec<Row>>,
    /// Positions in `prepared` of the rows that match the search (ascending).
    matches: Memo<Vec<usize>>,
    sort: RwSignal<(SortBy, bool)>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    // Read once here, not per row: rows are drawn anew as the table scrolls.
    let page_href = use_page_href();
    let window = RowWindow::new();
    let drawn = move || matches.with(|r| window.rows(r.len()));
    let has_rows = Memo::new(move |_| matches.with(|r| !r.is_empty()));
    Effect::new(move |_| {
        if has_rows.get() {
            window.measure_next_frame();
        }
    });
    let visible_rows = move || {
        let range = drawn();
        matches.with(|r| {
            prepared.with(|all| {
                let drawn = r.get(range).unwrap_or_default();
                drawn
                    .iter()
                    .filter_map(|at| Some((*at, all.get(*at)?.clone())))
                    .collect::<Vec<_>>()
            })
        })
    };
    let below = move || window.height_of(matches.with(Vec::len).saturating_sub(drawn().end));
    view! {
        <div class="table-scroll" node_ref=window.scroller on:scroll=move |_| window.measure()>
            <table
                class="table table-rows"
                data-test="credentials-table"
                aria-rowcount=move || matches.with(Vec::len) + 1
            >
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="col-select">
                            <span class="visually-hidden">"Select"</span>
                        </th>
                        <SortHeader label="Type" by=SortBy::Type sort />
                        <SortHeader label="User" by=SortBy::User sort />
                        <SortHeader label="Project" by=SortBy::Project sort />
                        <SortHeader label="ID" by=SortBy::Id sort />
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true">
                        <td colspan="5" style:height=move || window.height_of(drawn().start)></td>
                    </tr>
                    // Keyed by position too: a new sort order draws its rows anew, and the row
                    // numbers follow the matches.
                    <For
                        each=visible_rows
                        key=|(at, row)| (*at, row.credential.id.clone(), row.user.clone(), row.project.clone())
                        let:((at, row))
                    >
                        {
                            // Encoded: an id is never read as more than one segment of the path.
                            let href = page_href(&Page::Credential { id: row.credential.id.clone() }.path());
                            view! { <CredentialRow at row href matches selected /> }
                        }
                    </For>
                    <tr class="spacer" aria-hidden="true">
                        <td colspan="5" style:height=below></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// A column's name, as a button that sorts by it (again: the other way).
#[component]
fn SortHeader(label: &'static str, by: SortBy, sort: RwSignal<(SortBy, bool)>) -> impl IntoView {
    let order = move || match sort.get() {
        (current, ascending) if current == by => Some(ascending),
        _ => None,
    };
    let aria_sort = move || match order() {
        Some(true) => "ascending",
        Some(false) => "descending",
        None => "none",
    };
    let arrow = move || match order() {
        Some(true) => " ▲",
        Some(false) => " ▼",
        None => "",
    };
    let choose = move |_| {
        sort.update(|(current, ascending)| {
            if *current == by {
                *ascending = !*ascending
            } else {
                *current = by;
                *ascending = true;
            }
        })
    };
    view! {
        <th scope="col" aria-sort=aria_sort>
            <button type="button" class="sort" on:click=choose>
                {label}
                {arrow}
            </button>
        </th>
    }
}

#[component]
fn CredentialRow(
    /// The row's position in the sorted list.
    at: usize,
    row: Row,
    /// The address of the credential's page.
    href: String,
    matches: Memo<Vec<usize>>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let Row {
        credential,
        user,
        project,
        ..
    } = row;
    let id = credential.id.clone();
    let short_id = format!("{}…", id.chars().take(16).collect::<String>());
    let checked = {
        let id = id.clone();
        move || selected.with(|s| s.contains(&id))
    };
    let toggle = {
        let id = id.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            selected.update(|s| {
                match on {
                    true => s.insert(id.clone()),
                    false => s.remove(&id),
                };
            });
        }
    };
    // Its place among the matches, read out by screen readers (the table says how many rows it
    // has, though only some are drawn).
    let row_number = move || matches.with(|r| r.binary_search(&at).unwrap_or_default() + 2);
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
                    aria-label=format!("Select {id}")
                    prop:checked=checked
                    on:change=toggle
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
