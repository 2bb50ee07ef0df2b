//! EC2 credentials: Keystone v3 OS-EC2, or the v2.0 OS-KSADM extension, as the cloud offers.

mod ksadm_form;
mod ksadm_view;
mod masked_secret;
mod os_ec2;
mod os_ec2_create;
mod pairs_table;
mod secrets;

use crate::api::identity::Delegation;
use crate::components::PageHeading;
use crate::services::ec2::{use_ec2, Ec2};
use ksadm_view::KsadmView;
use leptos::prelude::*;
use os_ec2::OsEc2View;

#[component]
pub fn Ec2Page() -> impl IntoView {
    let service = use_ec2();
    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="EC2 credentials" />
            <p class="page-intro">
                "Access and secret key pairs for S3- and EC2-compatible tools (the AWS CLI, s3cmd, SDKs)."
            </p>
            {match service {
                Some(Ec2::OsEc2(service)) => view! { <OsEc2View service /> }.into_any(),
                Some(Ec2::Ksadm(service)) => view! { <KsadmView service /> }.into_any(),
                None => {
                    view! {
                        <p class="empty-state">
                            "This cloud's configuration offers no EC2 credential API. An operator can enable it in config.json."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Why creating an EC2 credential is refused for delegated tokens, or `None` when it is allowed
/// (also for an ec2-type credential on the Credentials page: the same secret by another route).
pub fn delegation_refusal(delegation: Option<Delegation>) -> Option<&'static str> {
    delegation.map(|d| match d {
        Delegation::ApplicationCredential => "You signed in with an application credential. Keystone refuses EC2 credentials to such tokens, because a credential made from one would outlive the limits the application credential was given. Sign in with your password to create one.",
        Delegation::Trust => "You signed in with a trust. Keystone refuses EC2 credentials to trust-scoped tokens, because a credential made from one would outlive the trust. Sign in with your password to create one.",
    })
}
