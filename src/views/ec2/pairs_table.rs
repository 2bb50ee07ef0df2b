//! The table of a user's key pairs, each secret masked until asked for (then read afresh).

use super::masked_secret::MaskedSecret;
use crate::api::ec2::Ec2Credential;
use crate::api::users::Project;
use crate::api::ApiError;
use crate::components::{use_toasts, ErrorNotice, TargetUser};
use crate::services::OsEc2;
use leptos::prelude::*;
use std::collections::HashMap;

#[component]
pub(super) fn PairsTable(
    service: OsEc2,
    target: Signal<TargetUser>,
    pairs: LocalResource<Result<Vec<Ec2Credential>, ApiError>>,
    projects: LocalResource<Result<Vec<Project>, ApiError>>,
    /// The access key of the pair whose deletion is being asked about.
    to_delete: RwSignal<Option<String>>,
) -> impl IntoView {
    let toasts = use_toasts();
    // Secrets the user asked to see, read afresh from Keystone (show), by access key.
    let revealed = RwSignal::new(HashMap::<String, String>::new());
    let reveal = Action::new_local(move |access: &String| {
        let access = access.clone();
        let shown = revealed.with_untracked(|r| r.contains_key(&access));
        let read = service.show(target.get_untracked().id, access.clone());
        async move {
            if shown {
                // Run when the task is first polled: the page may be gone by then.
                revealed.try_update(|r| r.remove(&access));
                return;
            }
            match read.await {
                // The page may be gone when the answer comes.
                Ok(pair) => {
                    revealed.try_update(|r| r.insert(access, pair.secret.expose().to_string()));
                }
                Err(error) => {
                    toasts.error(format!("Reading the credential {access} failed: {error}"))
                }
            }
        }
    });
    let project_name = move |id: &str| -> String {
        let named = projects.get().and_then(|r| r.ok());
        let named = named
            .and_then(|ps| ps.into_iter().find(|p| p.id == id))
            .map(|p| p.name);
        named.unwrap_or_else(|| id.to_string())
    };
    let row = move |pair: Ec2Credential| {
        let access = pair.access.clone();
        let project = project_name(&pair.tenant_id.unwrap_or_default());
        view! { <PairRow access project revealed reveal to_delete /> }
    };
    let listed = move || {
        Suspend::new(async move {
            match pairs.await {
                Err(error) => {
                    view! { <ErrorNotice error action="Listing EC2 credentials failed" /> }.into_any()
                }
                Ok(list) if list.is_empty() => view! {
                    <p class="empty-state" data-test="ec2-empty">
                        "No EC2 credentials yet. Choose \"New EC2 credential\" to make one for S3- or EC2-compatible tools with this cloud."
                    </p>
                }
                .into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="table" data-test="ec2-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Access key"</th>
                                    <th scope="col">"Project"</th>
                                    <th scope="col">"Secret key"</th>
                                    <th scope="col">
                                        <span class="visually-hidden">"Actions"</span>
                                    </th>
                                </tr>
                            </thead>
                            <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="list-title">
            <h2 id="list-title">"EC2 credentials"</h2>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>{listed}</Transition>
        </section>
    }
}

#[component]
fn PairRow(
    access: String,
    project: String,
    revealed: RwSignal<HashMap<String, String>>,
    reveal: Action<String, ()>,
    to_delete: RwSignal<Option<String>>,
) -> impl IntoView {
    let value = {
        let access = access.clone();
        Signal::derive(move || revealed.with(|r| r.get(&access).cloned()))
    };
    let for_reveal = access.clone();
    let toggle = Callback::new(move |()| {
        reveal.dispatch(for_reveal.clone());
    });
    let (for_delete, row_access) = (access.clone(), access.clone());
    view! {
        <tr data-test="ec2-row" data-access=row_access>
            <td>
                <code>{access}</code>
            </td>
            <td>{project}</td>
            <td>
                <MaskedSecret
                    value
                    shown=Signal::derive(move || value.with(Option::is_some))
                    on_toggle=toggle
                />
            </td>
            <td>
                <button
                    type="button"
                    class="button button-small button-danger-outline"
                    data-test="delete"
                    on:click=move |_| to_delete.set(Some(for_delete.clone()))
                >
                    "Delete"
                </button>
            </td>
        </tr>
    }
}
