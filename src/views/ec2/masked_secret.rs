//! A secret key masked until asked for, with the button that shows or hides it (both EC2 views).

use crate::components::MASK;
use leptos::prelude::*;

#[component]
pub(super) fn MaskedSecret(
    /// The secret, once read afresh; masked until then.
    #[prop(into)]
    value: Signal<Option<String>>,
    /// Whether the button offers to hide it (it was asked for).
    #[prop(into)]
    shown: Signal<bool>,
    on_toggle: Callback<()>,
) -> impl IntoView {
    view! {
        <code data-test="ec2-secret">
            {move || value.get().unwrap_or_else(|| MASK.to_string())}
        </code>
        " "
        <button
            type="button"
            class="button button-small"
            data-test="reveal"
            on:click=move |_| on_toggle.run(())
        >
            {move || if shown.get() { "Hide" } else { "Reveal" }}
        </button>
    }
}
