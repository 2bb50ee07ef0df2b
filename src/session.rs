//! The signed-in session: the token, what it says, and the one place that keeps it.
//!
//! The token lives in `sessionStorage` only (it survives a reload of this tab and dies with the
//! tab), never in cookies, URLs or logs. Everything else (header, mode, expiry) is derived from it.

use crate::api::client::RetryNotice;
use crate::api::config::{Cloud, RuntimeConfig};
use crate::api::identity::{rescope, sign_in, validate, Delegation, Scope, SignIn, TokenInfo};
use crate::api::time::parse_timestamp_ms;
use crate::api::transport::EarlyReads;
use crate::api::{ApiError, Client, Secret};
use crate::browser::parse_json;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

const STORAGE_KEY: &str = "keyrack.session";
/// The URL of the first read of the page last shown: see [`remember_early_read`]. Read by
/// `src/early_read.js` before the wasm starts, as is `STORAGE_KEY`.
const EARLY_READ_KEY: &str = "keyrack.early";
/// What pages keep for the tab (a rotation's progress), per cloud and signed-in user: see
/// [`SessionStore::tab_key`].
const TAB_STATE_PREFIX: &str = "keyrack.tab.";

/// Told on the sign-in page when Keystone (or a service validating with it) refused the token.
const TOKEN_REFUSED: &str =
    "Keystone no longer accepts your token (it was revoked or has expired).";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Index of the cloud in the runtime configuration.
    pub cloud: usize,
    pub token: Secret,
    pub info: TokenInfo,
}

impl Session {
    pub fn expires_at_ms(&self) -> f64 {
        self.info
            .expires_at_ms()
            .map(|ms| ms as f64)
            .unwrap_or(f64::INFINITY)
    }
}

/// Signs in to the cloud at `cloud` and begins the session. The sign-in page fetches this as a
/// chunk when its form is sent (see `views::lazy`): writing JSON (the request, the stored session)
/// is needed nowhere else before signing in.
pub async fn sign_in_and_begin(
    store: SessionStore,
    cloud: usize,
    identity_url: String,
    how: SignIn,
) -> Result<(), ApiError> {
    let timeout = store
        .config
        .with_value(|c| c.clouds.get(cloud).map(|c| c.request_timeout_seconds))
        .unwrap_or(crate::api::client::DEFAULT_TIMEOUT_SECONDS);
    let (token, info) = sign_in(&identity_url, &how, timeout).await?;
    store.begin(Session { cloud, token, info });
    Ok(())
}

/// Trades the session's token for one of `scope` (the token method: no password asked again) and
/// carries on with it. The old token is not revoked: Keystone revokes a re-scoped token together
/// with the token it came from, so revoking the old one would end the new one too; it expires when
/// the new one does (the token method keeps the expiry).
pub async fn switch_scope(store: SessionStore, scope: Scope) -> Result<(), ApiError> {
    let (Some(session), Some(cloud)) = (store.active(), store.cloud()) else {
        return Err(ApiError::Unexpected {
            status: 0,
            detail: "not signed in".into(),
            request_id: None,
        });
    };
    let timeout = cloud.request_timeout_seconds;
    let (token, info) = rescope(cloud.identity_url(), &session.token, &scope, timeout).await?;
    // Signed out, or in anew, meanwhile: the session there is now stays.
    let still_current = store
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.token == session.token));
    if still_current {
        store.begin(Session {
            cloud: session.cloud,
            token,
            info,
        });
    }
    Ok(())
}

/// Begins the session this tab stored (`text`, as `save_stored` wrote it) unless it has expired,
/// then asks Keystone once whether it still accepts the token. A chunk fetched with the sign-in
/// code (see `views::lazy`), as a signed-in page needs it anyway: reading a token's JSON is then
/// code the sign-in page does not download.
pub async fn restore_stored(store: SessionStore, text: String) -> Result<(), ApiError> {
    let clouds = store.config.with_value(|c| c.clouds.len());
    // Signed in on the sign-in page meanwhile: that session is the one stored now.
    if store.session.with_untracked(Option::is_some) {
        return Ok(());
    }
    match serde_json::from_str::<Session>(&text) {
        Ok(session) if session.cloud < clouds && session.expires_at_ms() > now_ms() => {
            store.session.set(Some(Arc::new(session)));
            store.recheck_restored();
        }
        Ok(session) if session.cloud < clouds => {
            forget_stored();
            store.ended.set(Some(EndReason::Expired));
        }
        // Unreadable, or of a cloud no longer configured: as if there were none.
        _ => forget_stored(),
    }
    Ok(())
}

/// Why the last session ended, told on the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    SignedOut,
    Expired,
    Rejected(String),
    /// The code that reads the stored session could not be fetched; the session is still stored.
    NotRestored,
}

impl EndReason {
    /// What the sign-in page (or the page that could not resume) says about it.
    pub fn notice(&self) -> String {
        match self {
            EndReason::SignedOut => "You are signed out.".to_string(),
            EndReason::Expired => {
                "Your session expired. Sign in again to continue where you were.".to_string()
            }
            EndReason::Rejected(why) => {
            format!("Your session ended: {why} Sign in again to continue where you were.")
            }
            EndReason::NotRestored => "Your session could not be resumed: part of Keyrack could not be loaded (the network may be down, or Keyrack was updated since this tab opened it). You are still signed in: reload to try again.".to_string(),
        }
    }
}

/// Unsaved edits, one map per type of value: a draft's type picks its map, so a draft is never
/// read as another type than it was made with.
#[derive(Default)]
pub struct Drafts {
    flags: HashMap<String, ArcRwSignal<bool>>,
    texts: HashMap<String, ArcRwSignal<String>>,
    optional_texts: HashMap<String, ArcRwSignal<Option<String>>>,
}

/// What a draft may hold: a flag (a form left open), a text, or a text being edited or not.
pub trait DraftValue: Default + Send + Sync + 'static {
    fn kept_in(drafts: &mut Drafts) -> &mut HashMap<String, ArcRwSignal<Self>>;
}

impl DraftValue for bool {
    fn kept_in(drafts: &mut Drafts) -> &mut HashMap<String, ArcRwSignal<Self>> {
        &mut drafts.flags
    }
}

impl DraftValue for String {
    fn kept_in(drafts: &mut Drafts) -> &mut HashMap<String, ArcRwSignal<Self>> {
        &mut drafts.texts
    }
}

impl DraftValue for Option<String> {
    fn kept_in(drafts: &mut Drafts) -> &mut HashMap<String, ArcRwSignal<Self>> {
        &mut drafts.optional_texts
    }
}

#[derive(Clone, Copy)]
pub struct SessionStore {
    session: RwSignal<Option<Arc<Session>>>,
    /// While the session this tab stored is being read: pages wait rather than send to sign-in.
    restoring: RwSignal<bool>,
    ended: RwSignal<Option<EndReason>>,
    /// Milliseconds since the epoch, ticking every second: the header's countdown reads it.
    now: ReadSignal<f64>,
    /// Whether the token has expired: changes once, so what depends on the session does not
    /// re-run with every tick of the clock.
    expired: Memo<bool>,
    config: StoredValue<Arc<RuntimeConfig>>,
    /// Unsaved edits by user and page, see [`SessionStore::draft`].
    drafts: StoredValue<Drafts>,
    /// The read being retried after a busy or unavailable answer, for the header to say so.
    retrying: RwSignal<Option<RetryNotice>>,
    /// Counts the sessions begun in this tab (a sign-in, a scope switch): pages are built anew
    /// for each, since what they read and may do depends on the token.
    generation: RwSignal<u64>,
    /// Pages' first reads, sent while their chunk loads (see [`SessionStore::read_early`]).
    early: StoredValue<EarlyReads, LocalStorage>,
}

/// Who a page's early read is sent as: the cloud's index, the token, the user's id.
type Signer = (usize, Secret, String);

/// The session a reload resumes, read from its stored JSON with the browser's parser: the
/// session's own reading is in the "signed in" chunk, and a page's first read need not wait for
/// it. `None` when nothing usable is stored or the token has expired.
fn stored_signer() -> Option<Signer> {
    let stored = parse_json(&stored_text()?).ok()?;
    let info = stored.member("info")?;
    let expires = parse_timestamp_ms(info.member("expires_at")?.text()?)?;
    let cloud = stored.member("cloud")?.number()?;
    if expires as f64 <= now_ms() || cloud.fract() != 0.0 || !(0.0..1e6).contains(&cloud) {
        return None;
    }
    Some((
        cloud as usize,
        Secret::new(stored.member("token")?.text()?),
        info.member("user")?.member("id")?.text()?.to_string(),
    ))
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn stored_text() -> Option<String> {
    session_storage()?.get_item(STORAGE_KEY).ok().flatten()
}

fn save_stored(session: &Session) {
    if let (Some(storage), Ok(text)) = (session_storage(), serde_json::to_string(session)) {
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

fn forget_stored() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
        let _ = storage.remove_item(EARLY_READ_KEY);
    }
}

/// The address of the page being built (path and query, as `location` writes them), from the
/// router: the browser's address changes only once the page is ready.
fn shown_page() -> Option<String> {
    let url = use_context::<ArcRwSignal<leptos_router::location::Url>>()?;
    url.with_untracked(|url| {
        Some(match url.search() {
            "" => url.path().to_string(),
            search => format!("{}?{search}", url.path()),
        })
    })
}

/// Tells the next load of `page` in this tab which GET its first read is, so that its loader can
/// send it before the wasm has loaded (`src/early_read.js`). No secret: two addresses.
fn remember_early_read(page: &str, url: &str) {
    let record = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&record, &"page".into(), &page.into());
    let _ = js_sys::Reflect::set(&record, &"url".into(), &url.into());
    if let (Some(storage), Ok(text)) = (session_storage(), js_sys::JSON::stringify(&record)) {
        let _ = storage.set_item(EARLY_READ_KEY, &String::from(text));
    }
}

/// Removes what pages kept for the tab, of every cloud and user.
fn forget_tab_state() {
    let Some(storage) = session_storage() else {
        return;
    };
    let count = storage.length().unwrap_or(0);
    let kept: Vec<String> = (0..count)
        .filter_map(|at| storage.key(at).ok().flatten())
        .filter(|key| key.starts_with(TAB_STATE_PREFIX))
        .collect();
    for key in kept {
        let _ = storage.remove_item(&key);
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl SessionStore {
    /// Creates the store and starts the clock. A session this tab stored is read by `restore`
    /// ([`restore_stored`], from its chunk); pages wait until it has been.
    pub fn provide<R>(
        config: Arc<RuntimeConfig>,
        restore: impl FnOnce(SessionStore, String) -> R,
    ) -> Self
    where
        R: std::future::Future<Output = Result<(), ApiError>> + 'static,
    {
        let (now, set_now) = signal(now_ms());
        // The interval lives as long as the app; its handle is not needed.
        let _ = set_interval_with_handle(
            move || set_now.set(now_ms()),
            std::time::Duration::from_secs(1),
        );
        let stored = stored_text();
        let session = RwSignal::new(None::<Arc<Session>>);
        let store = SessionStore {
            session,
            restoring: RwSignal::new(stored.is_some()),
            ended: RwSignal::new(None),
            now,
            expired: Memo::new(move |_| {
                session.with(|s| s.as_ref().is_some_and(|s| s.expires_at_ms() <= now.get()))
            }),
            config: StoredValue::new(config),
            drafts: StoredValue::new(Drafts::default()),
            retrying: RwSignal::new(None),
            generation: RwSignal::new(0),
            early: StoredValue::new_local(EarlyReads::default()),
        };
        provide_context(store);
        if let Some(text) = stored {
            let restoring = restore(store, text);
            leptos::task::spawn_local(async move {
                if restoring.await.is_err() {
                    store.ended.set(Some(EndReason::NotRestored));
                }
                store.restoring.set(false);
            });
        }
        store
    }

    /// Whether the session this tab stored is still being read.
    pub fn restoring(&self) -> bool {
        self.restoring.get()
    }

    /// A token restored from this tab may have been revoked meanwhile: ask Keystone once, and end
    /// the session if it no longer accepts the token. A failure to reach Keystone is not a verdict.
    fn recheck_restored(&self) {
        let Some(session) = self.session.get_untracked() else {
            return;
        };
        let Some(cloud) = self
            .config
            .with_value(|c| c.clouds.get(session.cloud).cloned())
        else {
            return;
        };
        let store = *self;
        leptos::task::spawn_local(async move {
            let timeout = cloud.request_timeout_seconds;
            if let Err(error) = validate(cloud.identity_url(), &session.token, timeout).await {
                let still_current = store
                    .session
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.token == session.token));
                if still_current && matches!(error.status(), Some(401 | 404)) {
                    store.end(EndReason::Rejected(TOKEN_REFUSED.to_string()));
                }
            }
        });
    }

    pub fn config(&self) -> Arc<RuntimeConfig> {
        self.config.get_value()
    }

    /// The session while its token is still valid; `None` once it has expired.
    pub fn active(&self) -> Option<Arc<Session>> {
        if self.expired.get() {
            return None;
        }
        self.session.get()
    }

    /// Milliseconds until the token expires, if signed in.
    pub fn remaining_ms(&self) -> Option<f64> {
        let now = self.now.get();
        self.session
            .with(|s| s.as_ref().map(|s| s.expires_at_ms() - now))
    }

    /// Why there is no session, if one ended in this tab.
    pub fn end_reason(&self) -> Option<EndReason> {
        if self.session.with(Option::is_some) && self.active().is_none() {
            return Some(EndReason::Expired);
        }
        self.ended.get()
    }

    pub fn cloud(&self) -> Option<Cloud> {
        let index = self.session.with(|s| s.as_ref().map(|s| s.cloud))?;
        self.config.with_value(|c| c.clouds.get(index).cloned())
    }

    /// The Identity endpoint of the signed-in cloud (empty when signed out).
    pub fn identity_url(&self) -> String {
        self.cloud()
            .map(|c| c.identity_url().to_string())
            .unwrap_or_default()
    }

    pub fn is_admin(&self) -> bool {
        self.session
            .with(|s| s.as_ref().is_some_and(|s| s.info.is_admin()))
    }

    pub fn delegation(&self) -> Option<Delegation> {
        self.session
            .with(|s| s.as_ref().and_then(|s| s.info.delegation()))
    }

    pub fn begin(&self, session: Session) {
        save_stored(&session);
        self.ended.set(None);
        self.session.set(Some(Arc::new(session)));
        self.generation.update(|n| *n += 1);
    }

    /// Changes whenever a new session begins (see the field).
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// The read being retried now, if any.
    pub fn retrying(&self) -> Option<RetryNotice> {
        self.retrying.get()
    }

    /// The signed-in user's unsaved edit named `key` (a credential's blob, a field of a form not
    /// sent yet), `initial` until first changed. It outlives the page, so signing in again after
    /// the session ended mid-edit finds the edit as it was. Kept in memory only, since an edit
    /// may hold a secret; signing out drops every draft.
    pub fn draft<T: DraftValue>(&self, key: &str, initial: impl FnOnce() -> T) -> RwSignal<T> {
        RwSignal::from(self.draft_handle(key, initial))
    }

    /// The draft named `key` as the store keeps it: unlike a page's signal, it can still be set
    /// once the page is gone (a write that finished after the user left clears what it sent).
    pub fn draft_handle<T: DraftValue>(
        &self,
        key: &str,
        initial: impl FnOnce() -> T,
    ) -> ArcRwSignal<T> {
        let user = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.info.user.id.clone()))
            .unwrap_or_default();
        let key = format!("{user}\u{1f}{key}");
        let kept = self.drafts.try_update_value(|drafts| {
            T::kept_in(drafts)
                .entry(key)
                .or_insert_with(|| ArcRwSignal::new(initial()))
                .clone()
        });
        // Only if the store were gone, which it never is while the app runs.
        kept.unwrap_or_else(|| ArcRwSignal::new(T::default()))
    }

    /// The `sessionStorage` key under which a page keeps `name` for the tab: one per cloud and
    /// signed-in user, so another session in this tab never finds it, and removed on signing out.
    pub fn tab_key(&self, name: &str) -> String {
        let (cloud, user) = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| (s.cloud, s.info.user.id.clone())))
            .unwrap_or_default();
        format!("{TAB_STATE_PREFIX}{name}/{cloud}/{user}")
    }

    /// Ends the session locally and forgets the token (and, on signing out, every draft and
    /// what pages kept for the tab).
    pub fn end(&self, reason: EndReason) {
        if reason == EndReason::SignedOut {
            self.drafts.set_value(Drafts::default());
            forget_tab_state();
        }
        forget_stored();
        self.ended.set(Some(reason));
        self.session.set(None);
    }

    /// Sends a page's first read now, while the page's code is still being fetched, for the page
    /// to take when it asks for the same URL (see [`EarlyReads`]). `url_of` makes the URL from the
    /// cloud and the user's id; the token is the session's, or, while a reload resumes it, the
    /// stored one's. A read still untaken when the calling component is cleaned up is aborted.
    ///
    /// On a reload, the page's loader may have sent that read already, before the wasm started
    /// (`src/early_read.js`, from what [`remember_early_read`] wrote when the page was last
    /// shown): it is taken if it is of the same URL, with the stored token, and aborted if not.
    pub fn read_early(&self, url_of: impl FnOnce(&Cloud, &str) -> Option<String>) {
        let Some((url, token, timeout_seconds, from_loader)) = self.early_read(url_of) else {
            return EarlyReads::drop_loader_read();
        };
        if let Some(page) = shown_page() {
            remember_early_read(&page, &url);
        }
        self.early
            .with_value(|early| early.start(url.clone(), token, timeout_seconds, from_loader));
        let early = self.early;
        on_cleanup(move || {
            early.try_with_value(|early| early.drop_untaken(&url));
        });
    }

    /// What [`SessionStore::read_early`] sends: the URL, the token, the timeout, and whether it
    /// may take the loader's read (only a reload resuming the stored session, whose token the
    /// loader sent).
    fn early_read(
        &self,
        url_of: impl FnOnce(&Cloud, &str) -> Option<String>,
    ) -> Option<(String, Secret, u32, bool)> {
        let ((index, token, user_id), from_loader) = match self.session.get_untracked() {
            Some(session) if !self.expired.get_untracked() => (
                (
                    session.cloud,
                    session.token.clone(),
                    session.info.user.id.clone(),
                ),
                false,
            ),
            Some(_) => return None,
            None if self.restoring.get_untracked() => (stored_signer()?, true),
            None => return None,
        };
        let cloud = self.config.with_value(|c| c.clouds.get(index).cloned())?;
        let url = url_of(&cloud, &user_id)?;
        Some((url, token, cloud.request_timeout_seconds, from_loader))
    }

    /// The API client for the current session: a 401 on any call ends the session, which sends
    /// the user to sign in again (and back to the page they were on).
    pub fn client(&self) -> Client {
        let token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        let store = *self;
        let client = match token {
            Some(token) => {
                let sent = token.clone();
                Client::with_token(token).on_unauthorized(move |_: &ApiError| {
                    // A request still in flight when the user signed out (or signed in anew)
                    // says nothing about the session there is now.
                    let still_current = store
                        .session
                        .with_untracked(|s| s.as_ref().is_some_and(|s| s.token == sent));
                    if still_current {
                        store.end(EndReason::Rejected(TOKEN_REFUSED.to_string()))
                    }
                })
            }
            None => Client::default(),
        }
        .on_retry(move |notice| {
            store.retrying.try_set(notice);
        });
        let client = client.with_early_reads(self.early.get_value());
        match untrack(|| self.cloud()) {
            Some(cloud) => client.with_timeout_seconds(cloud.request_timeout_seconds),
            None => client,
        }
    }
}

pub fn use_session() -> SessionStore {
    expect_context::<SessionStore>()
}
