//! Writes belong to the app, not to the page that started them.
//!
//! A create, a rotation step, a delete or a bulk action goes on when the user leaves the page or
//! signs out, and its outcome reaches them wherever they are: a new secret opens its one-time
//! dialog over whatever page is showing, a failure the page can no longer show becomes a toast.
//! Leaving Keyrack (reload, closing the tab) and signing out ask first while a write is under way
//! or a new secret waits to be saved.
//!
//! The rule for the code that runs a write: after an `await` it touches only what it owns (values
//! moved into the future) and what lives as long as the app (the session, the toasts, this
//! store); a page's signals only through their `try_` methods, whose result says the page is gone.

use crate::components::secret_dialog::{SecretDialog, SecretField, SecretFile, SecretSnippet};
use crate::components::toast::Toasts;
use leptos::prelude::*;
use std::future::Future;
use std::sync::Arc;

/// Runs once the user has confirmed saving a secret and closed its dialog; it may run long after
/// the page that asked for the secret is gone, so it owns what it touches.
pub type AfterSaved = Arc<dyn Fn() + Send + Sync>;

/// A secret just made, to be shown once.
#[derive(Clone)]
pub struct OneTimeSecret {
    pub title: String,
    /// What the secret belongs to (an access key, a credential's id): a page can tell that its
    /// dialog is still to come.
    pub subject: String,
    pub fields: Vec<SecretField>,
    pub files: Vec<SecretFile>,
    pub snippets: Vec<SecretSnippet>,
    pub after_saved: Option<AfterSaved>,
}

impl OneTimeSecret {
    pub fn new(title: impl Into<String>, subject: impl Into<String>) -> Self {
        OneTimeSecret {
            title: title.into(),
            subject: subject.into(),
            fields: Vec::new(),
            files: Vec::new(),
            snippets: Vec::new(),
            after_saved: None,
        }
    }
}

/// Whether the page that started a write is still shown: made by the page, so it is disposed
/// with it.
#[derive(Clone, Copy)]
pub struct PageLife(StoredValue<()>);

impl PageLife {
    pub fn new() -> Self {
        PageLife(StoredValue::new(()))
    }

    pub fn gone(&self) -> bool {
        self.0.is_disposed()
    }
}

impl Default for PageLife {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Copy)]
pub struct Operations {
    /// The writes under way, by number, with what each is doing ("Creating an access key").
    running: RwSignal<Vec<(u64, String)>>,
    /// New secrets waiting to be shown, oldest first; the first is the one on screen.
    secrets: RwSignal<Vec<(u64, OneTimeSecret)>>,
    next_id: StoredValue<u64>,
    /// Counts finished writes: what lists the server's data reads it, so any write refreshes it.
    changed: RwSignal<u64>,
    toasts: Toasts,
}

impl Operations {
    pub fn provide(toasts: Toasts) -> Self {
        let operations = Operations {
            running: RwSignal::new(Vec::new()),
            secrets: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            changed: RwSignal::new(0),
            toasts,
        };
        provide_context(operations);
        operations
    }

    fn next(&self) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Runs `work`, a write described by `what` ("Creating the access key"), as the app's. A
    /// failure is told as a toast unless `page` is given and still shown (it shows the failure in
    /// place, with the details); either way the caller gets the outcome.
    pub async fn run<T, E: std::fmt::Display>(
        self,
        what: impl Into<String>,
        page: Option<PageLife>,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let what = what.into();
        let id = self.next();
        self.running.update(|r| r.push((id, what.clone())));
        let outcome = work.await;
        if let Err(error) = &outcome {
            if page.is_none_or(|p| p.gone()) {
                self.toasts.error(format!("{what} failed: {error}"));
            }
        }
        self.running.update(|r| r.retain(|(each, _)| *each != id));
        self.changed.update(|n| *n += 1);
        outcome
    }

    /// Shows `secret` once, over whatever page is showing (after any shown before it).
    pub fn reveal(&self, secret: OneTimeSecret) {
        let id = self.next();
        self.secrets.update(|s| s.push((id, secret)));
    }

    /// The secret to show now, with its number.
    pub fn shown_secret(&self) -> Option<(u64, OneTimeSecret)> {
        self.secrets.with(|s| s.first().cloned())
    }

    /// Whether a new secret waits to be saved.
    pub fn secret_waiting(&self) -> bool {
        self.secrets.with(|s| !s.is_empty())
    }

    /// Whether a secret for `subject` is still to be saved.
    pub fn secret_pending_for(&self, subject: &str) -> bool {
        self.secrets
            .with(|s| s.iter().any(|(_, secret)| secret.subject == subject))
    }

    /// The user saved the secret numbered `id` and closed its dialog.
    pub fn saved(&self, id: u64) {
        let mut after = None;
        self.secrets.update(|s| {
            if let Some(at) = s.iter().position(|(each, _)| *each == id) {
                after = s.remove(at).1.after_saved;
            }
        });
        // What follows the saving changes what pages show (a rotation moves on): they read it
        // again. A plain dialog changes nothing the write itself did not already refresh.
        if let Some(after) = after {
            after();
            self.changed.update(|n| *n += 1);
        }
    }

    /// Whether a write described as `what` is under way (started from this page or an earlier
    /// one: a page that comes back while its write runs must not start it twice).
    pub fn is_running(&self, what: &str) -> bool {
        self.running
            .with(|r| r.iter().any(|(_, each)| each == what))
    }

    /// What is under way, for the user to be asked before it could be lost.
    pub fn unfinished(&self) -> Vec<String> {
        let mut work: Vec<String> = self
            .running
            .with(|r| r.iter().map(|(_, what)| format!("{what}…")).collect());
        let secrets = self.secrets.with(Vec::len);
        if secrets > 0 {
            work.push(match secrets {
                1 => "A new secret has not been saved yet.".to_string(),
                n => format!("{n} new secrets have not been saved yet."),
            });
        }
        work
    }

    /// Whether a write is under way (it holds the session's token as it was when it started).
    pub fn writing(&self) -> bool {
        self.running.with(|r| !r.is_empty())
    }

    pub fn busy(&self) -> bool {
        self.running.with(|r| !r.is_empty()) || self.secrets.with(|s| !s.is_empty())
    }

    /// Read by what lists the server's data: it changes whenever a write has finished.
    pub fn changed(&self) -> u64 {
        self.changed.get()
    }
}

pub fn use_operations() -> Operations {
    expect_context::<Operations>()
}

/// While writes are under way or new secrets wait to be saved: leaving Keyrack (reload, closing
/// the tab) asks first, and the first secret waiting is shown over the page. The app mounts it
/// only then, so it is a chunk fetched when first needed.
#[component]
pub fn OperationsHost() -> impl IntoView {
    let operations = use_operations();
    let guard = window_event_listener(leptos::ev::beforeunload, |ev| {
        ev.prevent_default();
        ev.set_return_value("Changes are still being saved, or a new secret is not saved yet.");
    });
    on_cleanup(move || guard.remove());
    // One dialog per secret: a new one is built only when the secret shown changes.
    let shown = Memo::new(move |_| operations.shown_secret().map(|(id, _)| id));
    move || {
        shown.get()?;
        let (id, secret) = untrack(|| operations.shown_secret())?;
        Some(view! {
            <SecretDialog
                title=secret.title
                fields=secret.fields
                files=secret.files
                snippets=secret.snippets
                on_close=Callback::new(move |_| operations.saved(id))
            />
        })
    }
}
