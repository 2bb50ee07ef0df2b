//! The three credential families and their routed pages.

use crate::api::config::Cloud;
use crate::session::use_session;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    V3Credentials,
    Ec2,
    AccessKeys,
}

impl Family {
    pub const ALL: [Family; 3] = [Family::V3Credentials, Family::Ec2, Family::AccessKeys];

    pub fn path(self) -> &'static str {
        match self {
            Family::V3Credentials => "/credentials",
            Family::Ec2 => "/ec2",
            Family::AccessKeys => "/access-keys",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Family::V3Credentials => "Credentials",
            Family::Ec2 => "EC2 credentials",
            Family::AccessKeys => "Access keys",
        }
    }

    pub fn is_offered_by(self, cloud: &Cloud) -> bool {
        match self {
            Family::V3Credentials => cloud.credentials_v3,
            Family::Ec2 => cloud.ec2.is_some(),
            Family::AccessKeys => cloud.access_keys.is_some(),
        }
    }

    pub fn offered_by(cloud: &Cloud) -> Vec<Family> {
        Family::ALL
            .into_iter()
            .filter(|f| f.is_offered_by(cloud))
            .collect()
    }
}

/// A family's page. The views themselves are built in their own issues; until then the page
/// says what the cloud offers.
#[component]
pub fn FamilyPage(family: Family) -> impl IntoView {
    let store = use_session();
    let offered = move || store.cloud().is_some_and(|c| family.is_offered_by(&c));
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{family.title()}</h1>
            <Show
                when=offered
                fallback=move || {
                    view! {
                        <p class="empty-state">
                            "This cloud's configuration does not offer this API. An operator can enable it in config.json."
                        </p>
                    }
                }
            >
                <p class="empty-state">"This view is not built yet."</p>
            </Show>
        </section>
    }
}
