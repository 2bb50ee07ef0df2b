//! What the sign-in page does not show is fetched when first needed. In the shipped build (cargo
//! feature `split`, which index.html turns on) the credential pages, the signed-in header, the
//! toast list, the sign-in submit and the error pages are wasm chunks, cut out by
//! `scripts/split.py`, so the sign-in page downloads only the shell. Without the feature they are
//! plain calls, as the wasm test runner and native builds need.

use crate::api::config::Ec2Api;
use crate::api::{access_keys, credentials, ec2, ksadm, ApiError};
use crate::browser::reload;
use crate::routing::target_user_id;
use crate::session::{use_session, SessionStore};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::future::Future;
use std::pin::Pin;

/// Builds a page; the chunk that holds the page's code hands it over once it is loaded.
pub type PageBuilder = fn() -> AnyView;

/// Boxed, so that one resource type serves every chunk (each future type would add its own copy
/// of the resource machinery to the shell).
type ChunkLoad = Pin<Box<dyn Future<Output = Result<PageBuilder, ApiError>>>>;

/// A chunk could not be fetched: the network is down, or Keyrack was updated since this tab opened
/// it and the old chunk is no longer on the server.
impl From<leptos::wasm_split::SplitLoaderError> for ApiError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ApiError::CodeUnavailable
    }
}

/// `async fn $loader() -> Result<PageBuilder, ApiError>` that loads the chunk `$chunk`,
/// which holds `$page`. What is needed at the same moment shares a chunk: every chunk adds a chunk
/// of shared code for each set of chunks that share some, and each is a file to fetch.
macro_rules! page_chunk {
    ($chunk:ident, $loader:ident, $page:path) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $loader() -> Result<PageBuilder, ApiError> {
            Ok(|| view! { <$page/> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $loader() -> Result<PageBuilder, ApiError> {
            Ok(|| view! { <$page/> }.into_any())
        }
    };
}

page_chunk!(
    credentials_list,
    credentials_list_chunk,
    super::CredentialsPage
);
page_chunk!(credential, credential_chunk, super::CredentialPage);
page_chunk!(ec2, ec2_chunk, super::Ec2Page);
page_chunk!(access_keys, access_keys_chunk, super::AccessKeysPage);
// Fetched on signing in, with the sign-in code below: only signed-in pages raise toasts.
page_chunk!(
    signed_in,
    signed_in_header_chunk,
    crate::components::header::SignedInHeader
);
page_chunk!(
    signed_in,
    toast_list_chunk,
    crate::components::toast::ToastList
);
page_chunk!(
    signed_in,
    operations_host_chunk,
    crate::components::operations::OperationsHost
);
page_chunk!(signed_in, signed_in_tools_chunk, super::SignedInTools);
// Seldom seen.
page_chunk!(error_pages, not_found_chunk, super::NotFound);
page_chunk!(
    error_pages,
    config_error_chunk,
    super::config_error::ConfigErrorFromContext
);

/// `pub fn $name($args) -> Result<(), ApiError>` (a future) that runs the session's `$run` from
/// the "signed in" chunk.
macro_rules! signed_in_chunk {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) => $run:path) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(
            signed_in,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            return_wrapper(let future = _; { future.await } -> Result<(), ApiError>)
        )]
        pub fn $name($($arg: $ty),*) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>> {
            Box::pin($run($($arg),*))
        }

        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> Result<(), ApiError> {
            $run($($arg),*).await
        }
    };
}

signed_in_chunk!(
    /// Signs in and begins the session, when the sign-in form is sent.
    sign_in_and_begin(
        store: SessionStore,
        cloud: usize,
        identity_url: String,
        how: crate::api::identity::SignIn
    ) => crate::session::sign_in_and_begin
);
signed_in_chunk!(
    /// Begins the session this tab stored: a signed-in page needs this chunk anyway (its header
    /// is there).
    restore_session(store: SessionStore, text: String) => crate::session::restore_stored
);

/// Shows what `load` yields; `loading` (if any) until its chunk arrives, and a way out if it cannot,
/// naming `what` could not be loaded.
fn lazy_view(
    load: fn() -> ChunkLoad,
    what: &'static str,
    loading: Option<&'static str>,
) -> impl IntoView {
    let chunk = LocalResource::new(load);
    // The chunk is fetched at once, but a page is built only once the tab's stored session has
    // been read. (There is no session store when the configuration could not be used.)
    let store = use_context::<SessionStore>();
    let restoring = move || store.is_some_and(|s| s.restoring());
    move || match chunk.get() {
        // The page tracks what it reads itself; building it must not tie it to this closure.
        Some(Ok(build)) if !restoring() => untrack(build),
        None | Some(Ok(_)) => loading
            .map(|text| {
                view! {
                    <p class="loading" role="status">
                        {text}
                    </p>
                }
            })
            .into_any(),
        // The page's own words rather than the error's: they name what is missing and the way out.
        Some(Err(_)) => view! {
            <div class="notice notice-error" role="alert" data-test="chunk-error">
                <p class="notice-summary">{what} " could not be loaded."</p>
                <p>
                    "The network may be down, or Keyrack was updated since this tab opened it. "
                    "Reloading keeps you signed in."
                </p>
                <p class="actions">
                    <button type="button" on:click=move |_| chunk.refetch()>
                        "Try again"
                    </button>
                    <button type="button" on:click=|_| reload()>
                        "Reload Keyrack"
                    </button>
                </p>
            </div>
        }
        .into_any(),
    }
}

/// A credential page: "Loading page…" until its chunk arrives.
fn lazy_page(load: fn() -> ChunkLoad) -> impl IntoView {
    lazy_view(load, "This page", Some("Loading page…"))
}

// Each page's first read starts here, in the shell, while the page's chunk is fetched: the page
// then takes its answer instead of asking after its chunk has arrived. The URLs are made by the
// same functions the pages' calls use, so the page finds them.

#[component]
pub fn LazyCredentialsPage() -> impl IntoView {
    let query = use_query_map();
    use_session().read_early(|cloud, _| {
        let (user, kind) = query.with_untracked(|q| (q.get("user_id"), q.get("type")));
        let url = credentials::list_url(cloud.identity_url(), user.as_deref(), kind.as_deref());
        Some(url)
    });
    lazy_page(|| Box::pin(credentials_list_chunk()))
}

#[component]
pub fn LazyCredentialPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id"));
    use_session().read_early(|cloud, _| credentials::item_url(cloud.identity_url(), &id?).ok());
    lazy_page(|| Box::pin(credential_chunk()))
}

#[component]
pub fn LazyEc2Page() -> impl IntoView {
    let query = use_query_map();
    use_session().read_early(|cloud, own_id| {
        let user = target_user_id(query.with_untracked(|q| q.get("user_id")), own_id);
        match cloud.ec2.as_ref()? {
            Ec2Api::OsEc2 => ec2::collection_url(cloud.identity_url(), &user),
            Ec2Api::OsKsadm { base_url } => ksadm::collection_url(base_url, &user),
        }
        .ok()
    });
    lazy_page(|| Box::pin(ec2_chunk()))
}

#[component]
pub fn LazyAccessKeysPage() -> impl IntoView {
    let query = use_query_map();
    use_session().read_early(|cloud, own_id| {
        let user = target_user_id(query.with_untracked(|q| q.get("user_id")), own_id);
        Some(access_keys::list_url(
            &cloud.access_keys.as_ref()?.base_url,
            &user,
        ))
    });
    lazy_page(|| Box::pin(access_keys_chunk()))
}

/// The header's signed-in part; the sign-in page shows no header.
#[component]
pub fn LazySignedInHeader() -> impl IntoView {
    lazy_view(|| Box::pin(signed_in_header_chunk()), "The header", None)
}

/// The list of toasts inside their live region (which the shell keeps).
#[component]
pub fn LazyToastList() -> impl IntoView {
    lazy_view(|| Box::pin(toast_list_chunk()), "A notice", None)
}

/// The secret dialogs of writes that finished, over whatever page is showing, and the question
/// before leaving Keyrack while writes are under way.
#[component]
pub fn LazyOperationsHost() -> impl IntoView {
    lazy_view(
        || Box::pin(operations_host_chunk()),
        "The dialog of a new secret",
        None,
    )
}

/// What a signed-in tab needs besides its pages (see `SignedInTools`).
#[component]
pub fn LazySignedInTools() -> impl IntoView {
    lazy_view(
        || Box::pin(signed_in_tools_chunk()),
        "The command palette",
        None,
    )
}

/// For an address that is no page of the console.
#[component]
pub fn LazyNotFound() -> impl IntoView {
    lazy_view(|| Box::pin(not_found_chunk()), "This page", None)
}

/// Instead of the console when `config.json` cannot be used (most people never see it).
#[component]
pub fn LazyConfigError() -> impl IntoView {
    lazy_view(
        || Box::pin(config_error_chunk()),
        "The page explaining a configuration problem",
        Some("Loading…"),
    )
}
