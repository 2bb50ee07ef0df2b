//! EC2 credentials: Keystone's v3 OS-EC2 on the identity endpoint, or the legacy v2.0 OS-KSADM
//! extension under its own address, whichever the cloud's configuration names.

use super::{cloud_at, signed_in_cloud, PageReads};
use crate::api::config::Ec2Api;
use crate::api::ec2::{self, Ec2Credential};
use crate::api::ksadm;
use crate::api::{ApiError, Client};
use crate::session::{use_session, SessionStore};
use std::future::Future;

/// The EC2 API of the signed-in cloud.
#[derive(Clone, Copy)]
pub enum Ec2 {
    OsEc2(OsEc2),
    Ksadm(Ksadm),
}

/// `None` when the cloud's configuration offers no EC2 API.
pub fn use_ec2() -> Option<Ec2> {
    let store = use_session();
    let (cloud, config) = signed_in_cloud(store)?;
    let reads = PageReads::new();
    Some(match config.ec2? {
        Ec2Api::OsEc2 => Ec2::OsEc2(OsEc2 { store, reads }),
        Ec2Api::OsKsadm { .. } => Ec2::Ksadm(Ksadm {
            store,
            cloud,
            reads,
        }),
    })
}

/// `/v3/users/{user_id}/credentials/OS-EC2`.
#[derive(Clone, Copy)]
pub struct OsEc2 {
    store: SessionStore,
    reads: PageReads,
}

impl OsEc2 {
    fn call(self) -> (Client, String) {
        let url = leptos::prelude::untrack(|| self.store.identity_url());
        (self.store.client(), url)
    }

    fn read(self) -> (Client, String) {
        let url = leptos::prelude::untrack(|| self.store.identity_url());
        (self.reads.client(self.store), url)
    }

    pub fn list(
        self,
        user_id: String,
    ) -> impl Future<Output = Result<Vec<Ec2Credential>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { ec2::list(&client, &url, &user_id).await }
    }

    pub fn show(
        self,
        user_id: String,
        access: String,
    ) -> impl Future<Output = Result<Ec2Credential, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { ec2::show(&client, &url, &user_id, &access).await }
    }

    pub fn create(
        self,
        user_id: String,
        project_id: String,
    ) -> impl Future<Output = Result<Ec2Credential, ApiError>> + 'static {
        let (client, url) = self.call();
        async move { ec2::create(&client, &url, &user_id, &project_id).await }
    }

    pub fn delete(
        self,
        user_id: String,
        access: String,
    ) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let (client, url) = self.call();
        async move { ec2::delete(&client, &url, &user_id, &access).await }
    }
}

/// `/v2.0/users/{userId}/OS-KSADM/credentials`: one EC2 credential per user.
#[derive(Clone, Copy)]
pub struct Ksadm {
    store: SessionStore,
    cloud: usize,
    reads: PageReads,
}

impl Ksadm {
    fn base_url(self) -> String {
        match cloud_at(self.store, self.cloud).and_then(|c| c.ec2) {
            Some(Ec2Api::OsKsadm { base_url }) => base_url,
            _ => String::new(),
        }
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
    ) -> impl Future<Output = Result<Vec<ksadm::Ec2Credential>, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { ksadm::list(&client, &url, &user_id).await }
    }

    pub fn get(
        self,
        user_id: String,
    ) -> impl Future<Output = Result<ksadm::Ec2Credential, ApiError>> + 'static {
        let (client, url) = self.read();
        async move { ksadm::get(&client, &url, &user_id).await }
    }

    /// Grants the user's credential, or (`update`) replaces the one they have.
    pub fn put(
        self,
        user_id: String,
        credential: ksadm::Ec2Credential,
        update: bool,
    ) -> impl Future<Output = Result<ksadm::Ec2Credential, ApiError>> + 'static {
        let (client, url) = self.call();
        async move {
            match update {
                true => ksadm::update(&client, &url, &user_id, credential).await,
                false => ksadm::grant(&client, &url, &user_id, credential).await,
            }
        }
    }

    pub fn delete(self, user_id: String) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let (client, url) = self.call();
        async move { ksadm::delete(&client, &url, &user_id).await }
    }
}
