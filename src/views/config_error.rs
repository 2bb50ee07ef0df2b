//! Shown instead of the console when `config.json` cannot be used: never a blank page.

use crate::api::config::ConfigProblem;
use leptos::prelude::*;

#[component]
pub fn ConfigError(
    /// The address the console read the configuration from.
    url: String,
    /// What is wrong with it, in words an operator can act on.
    problem: String,
) -> impl IntoView {
    view! {
        <main class="page config-error" id="main">
            <h1>"Keyrack cannot start"</h1>
            <div class="notice notice-error" role="alert" data-test="config-error">
                <p>"The configuration file " <code>{url}</code> " " {problem}</p>
            </div>
            <p>
                "The operator who hosts this console fixes this in config.json, next to index.html. A minimal example:"
            </p>
            <pre class="example">
                {r#"{
                "clouds": [
                {
                "name": "My cloud",
                "identity_url": "https://keystone.example.com/v3",
                "ec2": { "api": "os-ec2" }
                }
                ]
                }"#}
            </pre>
        </main>
    }
}

/// The error page for the problem the app put in context (so that it can be a chunk, see
/// `views::lazy`: most people never see it).
#[component]
pub fn ConfigErrorFromContext() -> impl IntoView {
    let ConfigProblem { url, problem } =
        use_context::<ConfigProblem>().unwrap_or_else(|| ConfigProblem {
            url: String::new(),
            problem: "could not be read".to_string(),
        });
    view! { <ConfigError url problem /> }
}
