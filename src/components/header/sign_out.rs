//! Signing out: the token is forgotten here and revoked at Keystone; writes still under way are
//! named first.

use crate::api::identity::revoke;
use crate::components::{use_operations, use_toasts, ConfirmDialog};
use crate::session::{use_session, EndReason};
use leptos::prelude::*;

#[component]
pub(super) fn SignOut() -> impl IntoView {
    let store = use_session();
    let (toasts, operations) = (use_toasts(), use_operations());
    // What would still be under way if the user signed out now, while they are asked.
    let unfinished = RwSignal::new(Vec::<String>::new());
    let sign_out = Action::new_local(move |_: &()| async move {
        let (session, cloud) = (store.active(), store.cloud());
        store.end(EndReason::SignedOut);
        if let (Some(session), Some(cloud)) = (session, cloud) {
            let timeout = cloud.request_timeout_seconds;
            if let Err(error) = revoke(cloud.identity_url(), &session.token, timeout).await {
                toasts.error(format!(
                    "You are signed out here, but Keystone could not revoke the token, so it stays valid until it expires: {}",
                    error.summary()
                ));
            }
        }
    });
    let ask = move |_| {
        let under_way = operations.unfinished();
        match under_way.is_empty() {
            true => {
                sign_out.dispatch(());
            }
            false => unfinished.set(under_way),
        }
    };
    let listed = move || {
        let items = unfinished
            .get()
            .into_iter()
            .map(|what| view! { <li>{what}</li> });
        items.collect_view()
    };
    view! {
        <button type="button" class="button" data-test="sign-out" on:click=ask>
            "Sign out"
        </button>
        <ConfirmDialog
            open=Signal::derive(move || unfinished.with(|u| !u.is_empty()))
            title="Sign out while changes are under way?".to_string()
            confirm_label="Sign out".to_string()
            on_confirm=Callback::new(move |_| {
                unfinished.set(Vec::new());
                sign_out.dispatch(());
            })
            on_cancel=Callback::new(move |_| unfinished.set(Vec::new()))
        >
            <ul data-test="unfinished">{listed}</ul>
            <p>
                "Signing out does not stop what was already sent: it finishes, and what it brings, a new secret too, is shown here once, over the sign-in page."
            </p>
        </ConfirmDialog>
    }
}
