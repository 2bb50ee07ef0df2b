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
    let toasts = use_toasts();
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

    let copy = move |label: String, value: String| {
        leptos::task::spawn_local(async move {
            if copy_to_clipboard(&value).await {
                toasts.success(format!("{label} copied to the clipboard."));
            } else {
                toasts.error(format!(
                    "The browser did not allow copying the {label}; select it and copy it by hand."
                ));
            }
        });
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
                {fields
                    .into_iter()
                    .map(|field| {
                        let (label, value) = (field.label.clone(), field.value.clone());
                        view! {
                            <div class="secret-field">
                                <dt>{field.label}</dt>
                                <dd>
                                    <code data-test="secret-value">{field.value}</code>
                                    <button
                                        type="button"
                                        class="button button-small"
                                        on:click=move |_| copy(label.clone(), value.clone())
                                    >
                                        "Copy"
                                    </button>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <div class="secret-files">
                {files
                    .into_iter()
                    .map(|file| {
                        let label = file.label.clone();
                        let warning = file.warning.clone();
                        view! {
                            {warning
                                .map(|warning| {
                                    view! {
                                        <p
                                            class="notice notice-warning"
                                            data-test="download-warning"
                                        >
                                            {warning}
                                        </p>
                                    }
                                })}
                            <button
                                type="button"
                                class="button"
                                data-test="secret-download"
                                on:click=move |_| {
                                    if !download(&file.filename, &file.mime, &file.content) {
                                        toasts.error("The browser did not start the download.");
                                    }
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {snippets
                .into_iter()
                .map(|snippet| {
                    let (title, text) = (snippet.title.clone(), snippet.text.clone());
                    view! {
                        <section class="secret-snippet">
                            <h3>{snippet.title}</h3>
                            <pre>{snippet.text}</pre>
                            <button
                                type="button"
                                class="button button-small"
                                on:click=move |_| copy(title.clone(), text.clone())
                            >
                                "Copy"
                            </button>
                        </section>
                    }
                })
                .collect_view()}
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
                    on:click=move |_| {
                        if let Some(dialog) = dialog.get() {
                            dialog.close();
                        }
                    }
                >
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
