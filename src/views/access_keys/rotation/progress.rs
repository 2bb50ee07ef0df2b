//! Where the tab keeps a rotation's progress, and the page's view of it.

use crate::api::rotation::Rotation;
use crate::components::{use_operations, TargetUser};
use crate::session::use_session;
use leptos::prelude::*;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The rotation kept in `slot`, if any.
pub(super) fn stored_rotation(slot: &str) -> Option<Rotation> {
    let text = storage()?.get_item(slot).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Keeps `rotation` in `slot` as the tab's progress, or forgets it. Storage only, no signal: a
/// step calls it after its answer arrived, when the page that started it may be gone.
pub(super) fn save_rotation(slot: &str, rotation: Option<&Rotation>) {
    if let Some(storage) = storage() {
        let _ = match rotation.and_then(|r| serde_json::to_string(r).ok()) {
            Some(text) => storage.set_item(slot, &text),
            None => storage.remove_item(slot),
        };
    }
}

/// The tab's rotation progress for the user a page shows. It is read again whenever a write
/// finished (a step answered after its page was left saved it) and whenever the page changed it.
#[derive(Clone, Copy)]
pub struct RotationProgress {
    slot: StoredValue<String>,
    stored: Memo<Option<Rotation>>,
    touched: RwSignal<u32>,
}

impl RotationProgress {
    pub fn new(target: Signal<TargetUser>) -> Self {
        let operations = use_operations();
        let touched = RwSignal::new(0u32);
        // Where the tab keeps the rotation of the signed-in user on this cloud
        // (`SessionStore::tab_key`: gone on signing out).
        let slot = StoredValue::new(use_session().tab_key("rotation"));
        let stored = Memo::new(move |_| {
            operations.changed();
            touched.track();
            let user = target.with(|t| t.id.clone());
            slot.with_value(|slot| stored_rotation(slot))
                .filter(|r| r.user_id == user)
        });
        RotationProgress {
            slot,
            stored,
            touched,
        }
    }

    /// Where this progress is kept, for the code of a step to save it after its answer.
    pub fn slot(&self) -> String {
        self.slot.get_value()
    }

    pub fn get(&self) -> Option<Rotation> {
        self.stored.get()
    }

    pub fn is_some(&self) -> bool {
        self.stored.with(Option::is_some)
    }

    /// Starts, changes or ends the rotation, from the page (not after an `await`).
    pub fn set(&self, rotation: Option<Rotation>) {
        self.slot
            .with_value(|slot| save_rotation(slot, rotation.as_ref()));
        self.touched.update(|n| *n += 1);
    }
}
