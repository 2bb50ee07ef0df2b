//! Keystone's v3 credentials (`/v3/credentials`) on the identity endpoint.

use super::PageReads;
use crate::api::credentials::{self, Created, Credential, CredentialList, RecreateFailure};
use crate::api::{ApiError, Client};
use crate::session::{use_session, SessionStore};
use leptos::prelude::untrack;
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Credentials {
    store: SessionStore,
    reads: PageReads,
}

pub fn use_credentials() -> Credentials {
    Credentials {
        store: use_session(),
        reads: PageReads::new(),
    }
}

/// A new credential: its type, owner, project (if any) and blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBlob {
    pub kind: String,
    pub user_id: String,
    pub project_id: Option<String>,
    pub blob: String,
}

impl Credentials {
    fn call(self) -> (Client, String) {
        (self.store.client(), untrack(|| self.store.identity_url()))
    }

    fn read(self) -> (Client, String) {
        (
            self.reads.client(self.store),
            untrack(|| self.store.identity_url()),
        )
    }

    /// The credentials of `user_id` (all a token may see when `None`), of type `kind` if given.
    pub fn list(
        self,
        user_id: Option<String>,
        kind: Option<String>,
    ) -> impl Future<Output = Result<CredentialList, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { credentials::list(&client, &url, user_id.as_deref(), kind.as_deref()).await }
    }

    pub fn show(self, id: String) -> impl Future<Output = Result<Credential, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { credentials::show(&client, &url, &id).await }
    }

    /// Creates the credential once, even when the request was sent again (see
    /// [`credentials::create_once`]).
    pub fn create_once(
        self,
        new: NewBlob,
    ) -> impl Future<Output = Result<(Credential, Created), ApiError>> + 'static {
        let (client, url) = self.call();
        async move {
            let project = new.project_id.as_deref();
            credentials::create_once(&client, &url, &new.kind, &new.user_id, project, &new.blob)
                .await
        }
    }

    pub fn update_blob(
        self,
        id: String,
        blob: String,
    ) -> impl Future<Output = Result<Credential, ApiError>> + 'static {
        let (client, url) = self.call();
        async move { credentials::update_blob(&client, &url, &id, &blob).await }
    }

    /// A credential of another type or project, with the same blob (see [`credentials::recreate`]).
    pub fn recreate(
        self,
        old: Credential,
        kind: String,
        project_id: Option<String>,
    ) -> impl Future<Output = Result<(Credential, Vec<String>), RecreateFailure>> + 'static {
        let (client, url) = self.call();
        async move { credentials::recreate(&client, &url, &old, &kind, project_id.as_deref()).await }
    }

    pub fn delete(self, id: String) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let (client, url) = self.call();
        async move { credentials::delete(&client, &url, &id).await }
    }
}
