use crate::components::PageHeading;
use crate::routing::use_page_href;
use crate::routing::Family;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let page_href = use_page_href();
    let home = Family::home_of(use_session().cloud().as_ref());
    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="Page not found" />
            <p>"There is no page at this address."</p>
            <p>
                <A href=page_href(home.path())>{format!("Go to {}", home.title())}</A>
            </p>
        </section>
    }
}
