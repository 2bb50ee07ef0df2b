//! The IAM permanent access keys (`/v3.0/OS-CREDENTIAL/credentials`).

use super::{cloud_at, signed_in_cloud, PageReads};
use crate::api::access_keys::{self, AccessKey, AccessKeyChange};
use crate::api::{ApiError, Client};
use crate::session::{use_session, SessionStore};
use std::future::Future;

#[derive(Clone, Copy)]
pub struct AccessKeys {
    store: SessionStore,
    cloud: usize,
    reads: PageReads,
}

/// The access-key service of the signed-in cloud; `None` when its configuration offers none.
pub fn use_access_keys() -> Option<AccessKeys> {
    AccessKeys::of(use_session())
}

impl AccessKeys {
    pub fn of(store: SessionStore) -> Option<Self> {
        let (cloud, config) = signed_in_cloud(store)?;
        config.access_keys.as_ref()?;
        Some(AccessKeys {
            store,
            cloud,
            reads: PageReads::new(),
        })
    }

    fn base_url(self) -> String {
        cloud_at(self.store, self.cloud)
            .and_then(|c| c.access_keys)
            .map(|a| a.base_url)
            .unwrap_or_default()
    }

    fn call(self) -> (Client, String) {
        (self.store.client(), self.base_url())
    }

    fn read(self) -> (Client, String) {
        (self.reads.client(self.store), self.base_url())
    }

    pub fn list(
        self,
        user_id: String,
    ) -> impl Future<Output = Result<Vec<AccessKey>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { access_keys::list(&client, &url, &user_id).await }
    }

    /// The list, with each key's last use read through show (list does not carry it).
    pub fn list_with_last_use(
        self,
        user_id: String,
    ) -> impl Future<Output = Result<Vec<AccessKey>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move {
            let mut keys = access_keys::list(&client, &url, &user_id).await?;
            for key in keys.iter_mut() {
                if let Ok(shown) = access_keys::show(&client, &url, &key.access).await {
                    key.last_use_time = shown.last_use_time;
                }
            }
            Ok(keys)
        }
    }

    pub fn show(
        self,
        access: String,
    ) -> impl Future<Output = Result<AccessKey, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { access_keys::show(&client, &url, &access).await }
    }

    /// Creates a key; the answer is the only one that carries its secret.
    pub fn create(
        self,
        user_id: String,
        description: String,
    ) -> impl Future<Output = Result<AccessKey, ApiError>> + 'static {
        let (client, url) = self.call();
        async move { access_keys::create(&client, &url, &user_id, &description).await }
    }

    pub fn modify(
        self,
        access: String,
        change: AccessKeyChange,
    ) -> impl Future<Output = Result<AccessKey, ApiError>> + 'static {
        let (client, url) = self.call();
        async move { access_keys::modify(&client, &url, &access, change).await }
    }

    pub fn delete(self, access: String) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let (client, url) = self.call();
        async move { access_keys::delete(&client, &url, &access).await }
    }
}
