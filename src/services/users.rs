//! Users and projects on the identity endpoint, as the credential pages need them.

use super::PageReads;
use crate::api::identity::{available_scopes, Scope};
use crate::api::users::{self, Project, User};
use crate::api::{ApiError, Client};
use crate::session::{use_session, SessionStore};
use leptos::prelude::untrack;
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Users {
    store: SessionStore,
    reads: PageReads,
}

pub fn use_users() -> Users {
    Users {
        store: use_session(),
        reads: PageReads::new(),
    }
}

impl Users {
    /// Every call here reads.
    fn read(self) -> (Client, String) {
        (
            self.reads.client(self.store),
            untrack(|| self.store.identity_url()),
        )
    }

    /// Every user named exactly `name` (one per domain at most).
    pub fn find_by_name(
        self,
        name: String,
    ) -> impl Future<Output = Result<Vec<User>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { users::find_by_name(&client, &url, &name).await }
    }

    pub fn by_id(self, id: String) -> impl Future<Output = Result<User, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { users::user_by_id(&client, &url, &id).await }
    }

    /// The projects `user_id` has a role on.
    pub fn projects_of(
        self,
        user_id: String,
    ) -> impl Future<Output = Result<Vec<Project>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { users::projects_of(&client, &url, &user_id).await }
    }

    pub fn all(self) -> impl Future<Output = Result<Vec<User>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { users::all_users(&client, &url).await }
    }

    pub fn all_projects(self) -> impl Future<Output = Result<Vec<Project>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { users::all_projects(&client, &url).await }
    }

    /// The projects and domains the signed-in user may scope a token to.
    pub fn available_scopes(self) -> impl Future<Output = Result<Vec<Scope>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { available_scopes(&client, &url).await }
    }
}
