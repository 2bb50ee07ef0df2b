//! The one-time display of a new secret: it stays until the user confirms they saved it, leaving
//! the page first asks, and once closed the secret is gone from the page.

use crate::api::export::{csv, keys_look_like_formulas, Cell};
use crate::browser::{copy_to_clipboard, download};
use crate::components::focus::{opener, return_focus};
use crate::components::use_toasts;
use leptos::html::Dialog;
use leptos::prelude::*;

/// How a secret on a page is shown until the user asks to see it (its length says nothing).
pub const MASK: &str = "••••••••••••••••";

/// A labelled value in the dialog, with its own copy button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretField {
    pub label: String,
    pub value: String,
}

/// A file the user can download from the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFile {
    pub label: String,
    pub filename: String,
    pub mime: String,
    pub content: String,
    /// Said beside the download, e.g. that a typed key would read as a formula in a spreadsheet.
    pub warning: Option<String>,
}

impl SecretFile {
    /// The one-time `credentials.csv` download every view offers for a new secret, written by the
    /// one CSV writer (names neutralised against spreadsheet formulas, keys exact).
    pub fn credentials_csv(header: &[&str], rows: &[Vec<Cell>]) -> Self {
        let warning = keys_look_like_formulas(rows).then(|| {
            "A key in this file begins with = + - or @, which spreadsheets run as a formula. The file keeps it exactly (tools need it so): open it in a text editor or import it with a tool, not in a spreadsheet.".to_string()
        });
        SecretFile {
            label: "Download credentials.csv".into(),
            filename: "credentials.csv".into(),
            mime: "text/csv".into(),
            content: csv(header, rows),
            warning,
        }
    }
}

/// A block of text ready to paste (a config profile, shell variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretSnippet {
    pub title: String,
    pub text: String,
}

#[component]
pub fn SecretDialog(
    #[prop(into)] title: String,
    fields: Vec<SecretField>,
    #[prop(optional)] files: Vec<SecretFile>,
    #[prop(optional)] snippets: Vec<SecretSnippet>,
    /// Called once the user confirmed they saved the secret and closed the dialog.
    on_close: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let saved = RwSignal::new(false);
    // The control the user last used, before the dialog takes focus: it gets it back on closing.
    let opened_by = StoredValue::new_local(opener());
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    });
    // Closing the tab or reloading would lose the secret for good: the browser asks first.
    let unload_guard = window_event_listener(leptos::ev::beforeunload, |ev| {
        ev.prevent_default();
        ev.set_return_value("The new secret has not been saved.");
    });
    on_cleanup(move || unload_guard.remove());
    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };

    view! {
        <dialog
            node_ref=dialog
            class="secret-dialog"
            aria-labelledby="secret-dialog-title"
            data-test="secret-dialog"
            on:cancel=move |ev: leptos::ev::Event| {
                if !saved.get_untracked() {
                    ev.prevent_default();
                }
            }
            on:close=move |_| {
                return_focus(opened_by.get_value());
                on_close.run(());
            }
        >
            <h2 id="secret-dialog-title">{title}</h2>
            <p class="notice notice-warning">
                "This is the only time the secret is shown. Copy it or download it now: it cannot be read again later."
            </p>
            <dl class="secret-fields">
                {fields.into_iter().map(|field| view! { <Field field /> }).collect_view()}
            </dl>
            <div class="secret-files">
                {files.into_iter().map(|file| view! { <Download file /> }).collect_view()}
            </div>
            {snippets.into_iter().map(|snippet| view! { <Snippet snippet /> }).collect_view()}
            <label class="checkbox">
                <input
                    type="checkbox"
                    data-test="secret-saved"
                    prop:checked=move || saved.get()
                    on:change=move |ev| saved.set(event_target_checked(&ev))
                />
                "I have stored the secret somewhere safe."
            </label>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="button button-primary"
                    data-test="secret-close"
                    disabled=move || !saved.get()
                    on:click=close
                >
                    "Close"
                </button>
            </div>
        </dialog>
    }
}

/// A "Copy" button that puts `value` on the clipboard and says so (naming it `label`).
#[component]
fn CopyButton(label: String, value: String) -> impl IntoView {
    let toasts = use_toasts();
    let copy = move |_| {
        let (label, value) = (label.clone(), value.clone());
        leptos::task::spawn_local(async move {
            match copy_to_clipboard(&value).await {
                true => toasts.success(format!("{label} copied to the clipboard.")),
                false => toasts.error(format!(
                    "The browser did not allow copying the {label}; select it and copy it by hand."
                )),
            }
        });
    };
    view! {
        <button type="button" class="button button-small" on:click=copy>
            "Copy"
        </button>
    }
}

#[component]
fn Field(field: SecretField) -> impl IntoView {
    let SecretField { label, value } = field;
    view! {
        <div class="secret-field">
            <dt>{label.clone()}</dt>
            <dd>
                <code data-test="secret-value">{value.clone()}</code>
                <CopyButton label value />
            </dd>
        </div>
    }
}

#[component]
fn Download(file: SecretFile) -> impl IntoView {
    let toasts = use_toasts();
    let warning = file.warning.clone().map(|warning| {
        view! {
            <p class="notice notice-warning" data-test="download-warning">
                {warning}
            </p>
        }
    });
    let label = file.label.clone();
    let start = move |_| {
        if !download(&file.filename, &file.mime, &file.content) {
            toasts.error("The browser did not start the download.");
        }
    };
    view! {
        {warning}
        <button type="button" class="button" data-test="secret-download" on:click=start>
            {label}
        </button>
    }
}

#[component]
fn Snippet(snippet: SecretSnippet) -> impl IntoView {
    let SecretSnippet { title, text } = snippet;
    view! {
        <section class="secret-snippet">
            <h3>{title.clone()}</h3>
            <pre>{text.clone()}</pre>
            <CopyButton label=title value=text />
        </section>
    }
}
