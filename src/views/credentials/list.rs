//! The list of credentials: filters in the URL, search, sort, bulk delete.

use super::bulk::{BulkDelete, BulkDeleteButton, BulkResults};
use super::create::CreateCredential;
use super::filters::Filters;
use super::names::use_names;
use super::rows::{matching, sorted_rows, SortBy};
use super::table::CredentialsTable;
use crate::components::{use_operations, ErrorNotice, PageHeading};
use crate::routing::Page;
use crate::services::credentials::use_credentials;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Goes to an address of the console (`use_navigate`'s function, which is not `Copy`).
type Navigate = Box<dyn Fn(&str)>;

/// The list's filters, as the address holds them, and the way to change them.
#[derive(Clone, Copy)]
pub(super) struct ListFilter {
    pub user: Memo<Option<String>>,
    pub kind: Memo<Option<String>>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl ListFilter {
    fn from_address() -> Self {
        let query = use_query_map();
        let navigate = use_navigate();
        let non_empty = move |name: &str| query.with(|q| q.get(name)).filter(|v| !v.is_empty());
        ListFilter {
            user: Memo::new(move |_| non_empty("user_id")),
            kind: Memo::new(move |_| non_empty("type")),
            navigate: StoredValue::new_local(Box::new(move |to: &str| {
                navigate(to, Default::default())
            })),
        }
    }

    /// Goes to the list filtered by `user_id` and `kind`. Only while the page is shown: once it
    /// is gone (a late answer), nothing navigates.
    pub fn set(&self, user_id: Option<String>, kind: Option<String>) {
        let to = Page::Credentials { user_id, kind }.path();
        self.navigate.try_with_value(|go| go(&to));
    }

    pub fn set_user(&self, user_id: Option<String>) {
        self.set(user_id, self.kind.try_get_untracked().flatten());
    }

    pub fn set_kind(&self, kind: Option<String>) {
        self.set(self.user.try_get_untracked().flatten(), kind);
    }

    pub fn is_filtered(&self) -> bool {
        self.user.get_untracked().is_some() || self.kind.get_untracked().is_some()
    }
}

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let (service, operations, names) = (use_credentials(), use_operations(), use_names());
    let filter = ListFilter::from_address();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let listing = LocalResource::new(move || {
        let (user, kind, _) = (filter.user.get(), filter.kind.get(), operations.changed());
        service.list(user, kind)
    });
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Type, true));
    let prepared = Memo::new(move |_| match listing.get() {
        Some(Ok(list)) => sorted_rows(
            list.credentials,
            &names.get().unwrap_or_default(),
            sort.get(),
        ),
        _ => Vec::new(),
    });
    // The matches, as positions in `prepared` (ascending).
    let matches = Memo::new(move |_| prepared.with(|all| matching(all, &search.get())));
    let bulk = BulkDelete::new(service);

    let summary = move || match listing.get() {
        None => view! { <p class="loading">"Loading…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorNotice error action="Listing credentials failed" /> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ListSummary
                truncated=list.truncated
                empty=list.credentials.is_empty()
                filtered=filter.is_filtered()
                matches
            />
        }
        .into_any(),
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
                <Filters filter search names />
                {summary}
                <BulkDeleteButton bulk />
                <CredentialsTable prepared matches sort selected=bulk.selected />
                <BulkResults bulk />
            </section>
        </section>
    }
}

/// What the list holds: cut short, empty, and how many rows match the search.
#[component]
fn ListSummary(
    truncated: bool,
    empty: bool,
    filtered: bool,
    matches: Memo<Vec<usize>>,
) -> impl IntoView {
    let truncated = truncated.then(|| view! {
        <p class="notice notice-warning" data-test="truncated">
            "Keystone returned only part of the list (its list_limit). Filter by user or type to see the rest."
        </p>
    });
    let empty = empty.then(|| view! {
        <p class="empty-state" data-test="credentials-empty">
            {if filtered {
                "No credentials match these filters. Clear them to see every credential you may read."
            } else {
                "No credentials yet. Choose \"New credential\" to create one: an EC2 key pair, a TOTP seed, a certificate or a custom type."
            }}
        </p>
    });
    view! {
        {truncated}
        {empty}
        // A live region: the count is read out as the search narrows the list.
        <p class="count" role="status" data-test="count">
            {move || match matches.with(Vec::len) {
                1 => "1 match".to_string(),
                n => format!("{n} matches"),
            }}
        </p>
    }
}
