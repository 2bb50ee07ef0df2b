//! The table of a user's keys (or why there is none).

use super::keys::KeyActions;
use super::row::KeyRow;
use crate::api::access_keys::AccessKey;
use crate::api::ApiError;
use crate::components::ErrorNotice;
use crate::session::now_ms;
use leptos::prelude::*;

#[component]
pub(super) fn KeysTable(
    keys: LocalResource<Result<Vec<AccessKey>, ApiError>>,
    actions: KeyActions,
) -> impl IntoView {
    let listed = move || {
        Suspend::new(async move {
            match keys.await {
                Err(error) => {
                    view! { <ErrorNotice error action="Listing access keys failed" /> }.into_any()
                }
                Ok(list) if list.is_empty() => {
                    view! {
                        <p class="empty-state" data-test="keys-empty">
                            "No access keys yet. Choose \"New access key\" to create one; its secret is shown once."
                        </p>
                    }
                        .into_any()
                }
                Ok(list) => view! { <Table list actions /> }.into_any(),
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="list-title">
            <h2 id="list-title">"Access keys"</h2>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>{listed}</Transition>
        </section>
    }
}

#[component]
fn Table(list: Vec<AccessKey>, actions: KeyActions) -> impl IntoView {
    let now = now_ms() as i64;
    view! {
        <div class="table-wrap">
            <table class="table" data-test="keys-table">
                <thead>
                    <tr>
                        <th scope="col">"Access key"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|key| view! { <KeyRow key now actions /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
