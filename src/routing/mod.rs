//! Where the console lives (its base path) and who may see which page.

mod family;

pub use family::Family;

use crate::api::ec2::encode_segment;
use crate::browser::reload;
use crate::session::{use_session, EndReason};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// The path the console is served under (e.g. `/keyrack` on a CDN); empty at the site root.
/// `scripts/hosting.py` writes it into `<meta name="keyrack-base">` from Trunk's `--public-url`
/// (a `<base>` element would be refused by the policy's `base-uri 'none'`).
pub fn app_base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=keyrack-base]").ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
        .map(|base| base.trim_end_matches('/').to_string())
        .unwrap_or_default()
}

/// The page to return to after signing in: `next` only if it is a page of this console, `home`
/// otherwise (never another site, never the sign-in page itself).
pub fn safe_next(next: Option<&str>, home: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    next.and_then(|next| resolve_next(next, &origin, &app_base()))
        .unwrap_or_else(|| home.to_string())
}

/// `next`, a page's path below the console's `base` (as [`RequireSession`] writes it), if the
/// browser's URL parser, resolving it against the console's own address, keeps it on `origin`,
/// under `base`, and exactly as written. Browsers drop tabs and line breaks from URLs and read
/// `\` as `/`, so `/\t/evil.example` would lead to another site: such characters are refused
/// before parsing, and anything the parser had to normalise (dot segments, encodings) after.
pub fn resolve_next(next: &str, origin: &str, base: &str) -> Option<String> {
    if !next.starts_with('/')
        || next.starts_with("//")
        || next.contains('\\')
        || next.chars().any(char::is_control)
    {
        return None;
    }
    let url = web_sys::Url::new_with_base(&format!("{base}{next}"), &format!("{origin}/")).ok()?;
    if url.origin() != origin {
        return None;
    }
    let path = url.pathname();
    let page = path.strip_prefix(base).filter(|p| p.starts_with('/'))?;
    let resolved = format!("{page}{}{}", url.search(), url.hash());
    let signing_in = page == SIGN_IN || page.starts_with(&format!("{SIGN_IN}/"));
    (resolved == next && !signing_in).then_some(resolved)
}

#[derive(Clone)]
pub struct AppBase(pub String);

pub const SIGN_IN: &str = "/sign-in";
pub const CREDENTIALS: &str = "/credentials";
pub const EC2: &str = "/ec2";
pub const ACCESS_KEYS: &str = "/access-keys";

/// A page of the console, as links, guards, redirects and the palette name it: its address is
/// written here only (the router's table in `app.rs` matches these paths with `path!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Signing in, then on to `next` (a page of the console, checked by [`safe_next`]).
    SignIn {
        next: Option<String>,
    },
    /// The v3 credentials, of one user and of one type if given.
    Credentials {
        user_id: Option<String>,
        kind: Option<String>,
    },
    Credential {
        id: String,
    },
    Ec2,
    AccessKeys,
}

impl Page {
    /// Every v3 credential the user may read.
    pub fn all_credentials() -> Page {
        Page::Credentials {
            user_id: None,
            kind: None,
        }
    }

    /// The page's address below the console's base, every value percent-encoded.
    pub fn path(&self) -> String {
        let query = |pairs: &[(&str, &Option<String>)]| {
            let parts: Vec<String> = pairs
                .iter()
                .filter_map(|(name, value)| {
                    let value = value.as_deref().filter(|v| !v.is_empty())?;
                    Some(format!("{name}={}", encode_segment(value)))
                })
                .collect();
            if parts.is_empty() {
                String::new()
            } else {
                format!("?{}", parts.join("&"))
            }
        };
        match self {
            Page::SignIn { next } => format!("{SIGN_IN}{}", query(&[("next", next)])),
            Page::Credentials { user_id, kind } => format!(
                "{CREDENTIALS}{}",
                query(&[("user_id", user_id), ("type", kind)])
            ),
            Page::Credential { id } => format!("{CREDENTIALS}/{}", encode_segment(id)),
            Page::Ec2 => EC2.to_string(),
            Page::AccessKeys => ACCESS_KEYS.to_string(),
        }
    }
}

/// The user a page of EC2 credentials or access keys is about: the one its address names
/// (`user_id`), or the signed-in user `own_id`.
pub fn target_user_id(named: Option<String>, own_id: &str) -> String {
    named
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| own_id.to_string())
}

/// Makes the `href` of a link to one of the console's pages. `<A href>` keeps an absolute path as
/// it is, so without the base a link would leave a console served under a sub-path
/// (`navigate()` adds the base itself).
pub fn use_page_href() -> impl Fn(&str) -> String + Clone + Send + Sync + 'static {
    let base = use_context::<AppBase>().map(|b| b.0).unwrap_or_default();
    move |path: &str| format!("{base}{path}")
}

/// Renders its children only with a live session; otherwise sends the user to sign in, with the
/// page they asked for as `next`, so they come back to it.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let store = use_session();
    let location = use_location();
    let base = use_context::<AppBase>().map(|b| b.0).unwrap_or_default();
    let page_href = use_page_href();
    // While the stored session is read, the page waits (and fetches its chunk meanwhile).
    let admitted = Memo::new(move |_| store.restoring() || store.active().is_some());
    let not_restored = Memo::new(move |_| store.end_reason() == Some(EndReason::NotRestored));
    move || {
        // A new session (a scope switch) builds the page anew, with the new token's powers.
        store.generation();
        let sign_in = || {
            let path = location.pathname.get_untracked();
            let here = path.strip_prefix(base.as_str()).unwrap_or(&path);
            let search = location.search.get_untracked();
            let next = if search.is_empty() {
                here.to_string()
            } else {
                format!("{here}?{search}")
            };
            // As `Page::SignIn` writes it, with the browser's encoder: this runs in the shell,
            // where `Page::path` would add a kilobyte to the first view.
            format!("{SIGN_IN}?next={}", js_sys::encode_uri_component(&next))
        };
        if admitted.get() {
            children().into_any()
        } else if not_restored.get() {
            // The token is still stored: a reload may well resume the session, so stay here.
            view! {
                <div class="notice notice-error" role="alert" data-test="not-restored">
                    <p class="notice-summary">{EndReason::NotRestored.notice()}</p>
                    <p class="actions">
                        <button type="button" on:click=|_| reload()>
                            "Reload Keyrack"
                        </button>
                        <a href=page_href(&sign_in())>"Sign in again"</a>
                    </p>
                </div>
            }
            .into_any()
        } else {
            view! { <Redirect path=sign_in() /> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_about_the_user_its_address_names_or_the_signed_in_one() {
        assert_eq!(target_user_id(Some("u2".into()), "me"), "u2");
        assert_eq!(target_user_id(Some(String::new()), "me"), "me");
        assert_eq!(target_user_id(None, "me"), "me");
    }

    #[test]
    fn every_page_has_one_address_with_its_values_encoded() {
        assert_eq!(Page::all_credentials().path(), "/credentials");
        let filtered = Page::Credentials {
            user_id: Some("a b/c".into()),
            kind: Some("totp".into()),
        };
        assert_eq!(filtered.path(), "/credentials?user_id=a%20b%2Fc&type=totp");
        let only_type = Page::Credentials {
            user_id: Some(String::new()),
            kind: Some("x&y=z".into()),
        };
        assert_eq!(only_type.path(), "/credentials?type=x%26y%3Dz");
        assert_eq!(
            Page::Credential { id: "../x".into() }.path(),
            "/credentials/..%2Fx"
        );
        assert_eq!(
            Page::SignIn {
                next: Some("/ec2?user_id=1".into())
            }
            .path(),
            "/sign-in?next=%2Fec2%3Fuser_id%3D1"
        );
        assert_eq!(Page::SignIn { next: None }.path(), "/sign-in");
        assert_eq!(Page::Ec2.path(), "/ec2");
        assert_eq!(Page::AccessKeys.path(), "/access-keys");
    }
}
