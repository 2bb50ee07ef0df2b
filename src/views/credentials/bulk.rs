//! Deleting the selected credentials at once: the button, the question, and each one's outcome.

use crate::api::ApiError;
use crate::components::{use_operations, use_toasts, ConfirmDelete, PageLife};
use crate::services::Credentials;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// What the parts of a bulk delete share.
#[derive(Clone, Copy)]
pub(super) struct BulkDelete {
    /// The ids ticked in the table.
    pub selected: RwSignal<BTreeSet<String>>,
    results: RwSignal<Vec<(String, Result<(), ApiError>)>>,
    confirming: RwSignal<bool>,
    delete: Action<Vec<String>, ()>,
}

impl BulkDelete {
    pub fn new(service: Credentials) -> Self {
        let (operations, toasts, page) = (use_operations(), use_toasts(), PageLife::new());
        let selected = RwSignal::new(BTreeSet::new());
        let results = RwSignal::new(Vec::new());
        let delete = Action::new_local(move |ids: &Vec<String>| {
            let what = format!("Deleting {} credentials", ids.len());
            let deletions: Vec<_> = ids
                .iter()
                .map(|id| (id.clone(), service.delete(id.clone())))
                .collect();
            let work = async move {
                let mut outcomes = Vec::new();
                for (id, deletion) in deletions {
                    outcomes.push((id, deletion.await));
                }
                Ok::<_, ApiError>(outcomes)
            };
            async move {
                let Ok(outcomes) = operations.run(what, Some(page), work).await else {
                    return;
                };
                let failed = outcomes.iter().filter(|(_, r)| r.is_err()).count();
                match failed {
                    0 => toasts.success(format!("{} credentials deleted.", outcomes.len())),
                    _ => toasts.error(format!(
                        "{failed} of {} deletions failed; see the results.",
                        outcomes.len()
                    )),
                }
                // Shown only while the page is.
                results.try_set(outcomes);
                selected.try_set(BTreeSet::new());
            }
        });
        BulkDelete {
            selected,
            results,
            confirming: RwSignal::new(false),
            delete,
        }
    }
}

/// "Delete selected (n)", and the question it asks.
#[component]
pub(super) fn BulkDeleteButton(bulk: BulkDelete) -> impl IntoView {
    let BulkDelete {
        selected,
        confirming,
        delete,
        ..
    } = bulk;
    let listed = move || {
        let ids = selected.get().into_iter().collect::<Vec<_>>();
        format!(
            "{} credentials will be deleted: {}",
            ids.len(),
            ids.join(", ")
        )
    };
    view! {
        <div class="bulk-actions">
            <button
                type="button"
                class="button button-danger-outline"
                data-test="bulk-delete"
                disabled=move || selected.with(BTreeSet::is_empty) || delete.pending().get()
                on:click=move |_| confirming.set(true)
            >
                {move || format!("Delete selected ({})", selected.with(BTreeSet::len))}
            </button>
        </div>
        <ConfirmDelete
            open=confirming
            title="Delete the selected credentials?"
            text=Signal::derive(listed)
            on_confirm=Callback::new(move |_| {
                confirming.set(false);
                delete.dispatch(selected.get_untracked().into_iter().collect());
            })
            on_cancel=Callback::new(move |_| confirming.set(false))
        />
    }
}

/// Each deletion's outcome, after a bulk delete.
#[component]
pub(super) fn BulkResults(bulk: BulkDelete) -> impl IntoView {
    let results = bulk.results;
    let items = move || {
        results
            .get()
            .into_iter()
            .map(|(id, outcome)| match outcome {
                Ok(()) => view! { <li class="done">{format!("{id}: deleted")}</li> }.into_any(),
                Err(error) => {
                    view! { <li class="failed">{format!("{id}: failed — {error}")}</li> }.into_any()
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || results.with(|r| !r.is_empty())>
            <ul class="bulk-results" data-test="bulk-results">
                {items}
            </ul>
        </Show>
    }
}
