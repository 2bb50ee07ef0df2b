//! The signed-in header: who, where, with which powers, for how long; navigation; sign-out; and
//! the notices about the session under it.

mod facts;
mod notices;
mod sign_out;

use crate::routing::{use_page_href, Family};
use crate::session::use_session;
use facts::SessionFacts;
use leptos::prelude::*;
use leptos_router::components::A;
use notices::SessionNotices;
use sign_out::SignOut;

#[component]
pub fn SignedInHeader() -> impl IntoView {
    let store = use_session();
    let cloud = Memo::new(move |_| store.cloud());
    let page_href = use_page_href();
    let families = move || {
        cloud
            .get()
            .map(|c| Family::offered_by(&c))
            .unwrap_or_default()
    };
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-name">"Keyrack"</span>
                <span class="cloud-name truncate">{move || cloud.get().map(|c| c.name)}</span>
            </div>
            <nav aria-label="Credential families">
                <ul>
                    <For each=families key=|f| *f let:family>
                        <li>
                            <A href=page_href(family.path())>{family.title()}</A>
                        </li>
                    </For>
                </ul>
            </nav>
            <SessionFacts />
            <SignOut />
        </header>
        <SessionNotices />
    }
}
