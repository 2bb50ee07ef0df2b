//! Permanent access keys (AK/SK) of the IAM `/v3.0/OS-CREDENTIAL/credentials` family: the list
//! of a user's keys, creating, editing, deleting, and the guided rotation.

mod create;
mod delete;
mod description;
mod keys;
pub mod rotation;
mod row;
mod secret;
mod table;

pub use secret::access_key_secret;

use crate::components::PageHeading;
use crate::services::access_keys::use_access_keys;
use keys::KeysView;
use leptos::prelude::*;

#[component]
pub fn AccessKeysPage() -> impl IntoView {
    let service = use_access_keys();
    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="Access keys" />
            <p class="page-intro">
                "Permanent access keys (AK/SK) for signing API and object-storage requests. A user has at most two."
            </p>
            {match service {
                Some(service) => view! { <KeysView service /> }.into_any(),
                None => {
                    view! {
                        <p class="empty-state">
                            "This cloud's configuration offers no access-key API. An operator can enable it in config.json."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
