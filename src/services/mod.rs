//! One `Copy` service per API family, taken from the session in context: a view asks
//! `keys.list(user)` instead of building a client and an address itself.
//!
//! A call takes the session's client and the family's address when it starts and returns a
//! future that owns them: it reads no signal after an `await`, so it may outlive the page that
//! started it (a write belongs to the app, see `components::operations`). A read belongs to the
//! component that made the service: it is aborted when that component is gone (a page left while
//! its list loads stops waiting for it).

pub mod access_keys;
pub mod credentials;
pub mod ec2;
pub mod users;

pub use access_keys::AccessKeys;
pub use credentials::Credentials;
pub use ec2::{Ec2, Ksadm, OsEc2};
pub use users::Users;

use crate::api::config::Cloud;
use crate::api::transport::Cancel;
use crate::api::Client;
use crate::session::SessionStore;
use leptos::prelude::*;

/// The index and configuration of the signed-in cloud, read without tracking: a service is made
/// for the session a page was built for (pages are built anew for each session).
fn signed_in_cloud(store: SessionStore) -> Option<(usize, Cloud)> {
    let index = untrack(|| store.active())?.cloud;
    Some((index, cloud_at(store, index)?))
}

/// The cloud at `index` of the configuration (which never changes while the console runs).
fn cloud_at(store: SessionStore, index: usize) -> Option<Cloud> {
    store.config().clouds.get(index).cloned()
}

/// The reads of the component that made a service, aborted when it is cleaned up.
#[derive(Clone, Copy)]
pub struct PageReads(StoredValue<Cancel, LocalStorage>);

impl PageReads {
    /// For the current component (its owner's cleanup cancels).
    pub fn new() -> Self {
        let cancel = StoredValue::new_local(Cancel::default());
        // Cleanups run before the owner's values are dropped.
        on_cleanup(move || {
            cancel.try_with_value(Cancel::cancel);
        });
        PageReads(cancel)
    }

    /// A client for a read: ended when the component is gone (at once, if it already is).
    fn client(self, store: SessionStore) -> Client {
        let cancel = self.0.try_get_value().unwrap_or_else(|| {
            let gone = Cancel::default();
            gone.cancel();
            gone
        });
        store.client().cancelled_by(cancel)
    }
}

impl Default for PageReads {
    fn default() -> Self {
        Self::new()
    }
}
