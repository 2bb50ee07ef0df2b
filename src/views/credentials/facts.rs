//! What a credential is: its ids and names, and its blob field by field, secrets masked until
//! the user asks to see them.

use super::names::Names;
use crate::api::credentials::{blob_fields, secret_fields, Credential};
use crate::components::MASK;
use leptos::prelude::*;

#[component]
pub(super) fn CredentialFacts(credential: Credential, names: Names) -> impl IntoView {
    let c = credential;
    view! {
        <dl class="facts" data-test="credential-facts">
            <dt>"ID"</dt>
            <dd>
                <code>{c.id.clone()}</code>
            </dd>
            <dt>"Type"</dt>
            <dd data-test="credential-type">{c.kind.clone()}</dd>
            <dt>"User"</dt>
            <dd>
                {names.user(&c.user_id)}" "<small>
                    <code>{c.user_id.clone()}</code>
                </small>
            </dd>
            <dt>"Project"</dt>
            <dd>{names.project(c.project_id.as_deref())}</dd>
        </dl>
        <h2>"Blob"</h2>
        <BlobFields kind=c.kind blob=c.blob.expose().to_string() />
    }
}

#[component]
fn BlobFields(kind: String, blob: String) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let secrets = secret_fields(&kind);
    let field = move |(name, value): (String, String)| {
        let secret = secrets.contains(&name.as_str());
        let shown = move || match secret && !revealed.get() {
            true => MASK.to_string(),
            false => value.clone(),
        };
        view! {
            <dt>{name}</dt>
            <dd>
                <pre class="blob-value">{shown}</pre>
            </dd>
        }
    };
    let reveal = (!secrets.is_empty()).then(|| {
        view! {
            <button
                type="button"
                class="button button-small"
                data-test="reveal"
                on:click=move |_| revealed.update(|r| *r = !*r)
            >
                {move || if revealed.get() { "Hide secrets" } else { "Reveal secrets" }}
            </button>
        }
    });
    view! {
        <dl class="facts" data-test="credential-blob">
            {blob_fields(&blob).into_iter().map(field).collect_view()}
        </dl>
        {reveal}
    }
}
