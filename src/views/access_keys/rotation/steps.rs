//! The requests of the rotation's steps. They own all they touch: they run on when the page that
//! started them is gone, and save the progress themselves.

use super::progress::{save_rotation, stored_rotation};
use crate::api::access_keys::{AccessKey, AccessKeyChange, KeyStatus};
use crate::api::rotation::{Rotation, Step};
use crate::api::ApiError;
use crate::components::{OneTimeSecret, Operations};
use crate::services::AccessKeys;
use crate::views::access_keys::access_key_secret;
use std::future::Future;
use std::sync::Arc;

/// What a step is doing, as the list of writes under way names it.
pub(super) fn doing(rotation: &Rotation) -> String {
    let what = match rotation.step {
        Step::Create => "Creating the new key",
        Step::Deactivate => "Deactivating the old key",
        Step::Delete => "Deleting the old key",
        Step::SaveSecret | Step::Done => "Rotating",
    };
    format!("{what} of the rotation of {}", rotation.old_access)
}

fn deactivation() -> AccessKeyChange {
    AccessKeyChange {
        status: Some(KeyStatus::Inactive),
        description: None,
    }
}

/// The one-time dialog of the new key. Once the user saved it, the rotation moves on to
/// deactivating the old key (if it is still waiting for that secret).
fn new_key_secret(slot: String, rotation: &Rotation, key: &AccessKey) -> OneTimeSecret {
    let saved_access = key.access.clone();
    OneTimeSecret {
        after_saved: Some(Arc::new(move || {
            if let Some(waiting) = stored_rotation(&slot).filter(|r| {
                r.step == Step::SaveSecret && r.new_access.as_deref() == Some(&saved_access)
            }) {
                save_rotation(&slot, Some(&waiting.at(Step::Deactivate)));
            }
        })),
        ..access_key_secret(&rotation.user_name, key)
    }
}

/// Sends the request of `rotation`'s step and saves the progress (in `slot`) before and after it.
pub(super) async fn run_step(
    service: AccessKeys,
    slot: String,
    rotation: Rotation,
    operations: Operations,
) -> Result<(), ApiError> {
    let (user_id, old) = (rotation.user_id.clone(), rotation.old_access.clone());
    // Every request is made before the first await: nothing of the page is read after it.
    let (create, deactivate, delete) = (
        service.create(user_id, rotation.new_key_description()),
        service.modify(old.clone(), deactivation()),
        service.delete(old),
    );
    save_rotation(&slot, Some(&rotation.sending()));
    let outcome = match rotation.step {
        Step::Create => create.await.map(|key| {
            let next = Rotation {
                new_access: Some(key.access.clone()),
                ..rotation.at(Step::SaveSecret)
            };
            operations.reveal(new_key_secret(slot.clone(), &next, &key));
            next
        }),
        Step::Deactivate => deactivate.await.map(|_| rotation.at(Step::Delete)),
        Step::Delete => delete.await.map(|()| rotation.at(Step::Done)),
        Step::SaveSecret | Step::Done => Ok(rotation.clone()),
    };
    match &outcome {
        Ok(next) => save_rotation(&slot, Some(next)),
        // Nothing changed on the server: the step can be tried again.
        Err(_) => save_rotation(&slot, Some(&rotation.at(rotation.step))),
    }
    outcome.map(|_| ())
}

/// Frees a place for the new key: deactivates `key` if active, else deletes it.
pub(super) fn make_room(
    service: AccessKeys,
    key: &AccessKey,
) -> impl Future<Output = Result<(), ApiError>> + 'static {
    let (deactivate, delete) = (
        service.modify(key.access.clone(), deactivation()),
        service.delete(key.access.clone()),
    );
    let active = key.status == KeyStatus::Active;
    async move {
        match active {
            true => deactivate.await.map(|_| ()),
            false => delete.await,
        }
    }
}
