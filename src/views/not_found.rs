use crate::routing::use_page_href;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let page_href = use_page_href();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Page not found"</h1>
            <p>"There is no page at this address."</p>
            <p>
                <A href=page_href("/credentials")>"Go to credentials"</A>
            </p>
        </section>
    }
}
