//! One user's keys: who they are, the rotation under way, how many are in use, the form to create
//! one, the table, and the question before deleting.

use super::create::CreateKey;
use super::delete::{DeleteKeyDialog, DeleteQuestion};
use super::rotation::{RotationProgress, RotationWizard};
use super::table::KeysTable;
use crate::api::access_keys::{AccessKeyChange, KeyStatus, KEYS_PER_USER};
use crate::components::{use_operations, use_target_user, use_toasts, TargetUser, UserPicker};
use crate::services::AccessKeys;
use leptos::prelude::*;

/// What a row may do, shared by every row of the table.
#[derive(Clone, Copy)]
pub(super) struct KeyActions {
    pub target: Signal<TargetUser>,
    /// Saves a key's status or description.
    pub modify: Action<(String, AccessKeyChange), ()>,
    /// The question before deleting a key.
    pub delete: DeleteQuestion,
    /// The key whose description is being edited, with the text as typed.
    pub editing: RwSignal<Option<(String, String)>>,
    pub rotation: RotationProgress,
}

#[component]
pub(super) fn KeysView(service: AccessKeys) -> impl IntoView {
    let toasts = use_toasts();
    let operations = use_operations();
    let target = use_target_user();

    // Listed again whenever a write finished, here or on a page left before it answered.
    let keys = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        service.list_with_last_use(user.id)
    });
    let listed_keys = Signal::derive(move || keys.get().and_then(|r| r.ok()));
    let key_count = Signal::derive(move || listed_keys.with(|k| k.as_ref().map(Vec::len)));
    let full = Signal::derive(move || key_count.get().is_some_and(|n| n >= KEYS_PER_USER));

    let modify = Action::new_local(move |(access, change): &(String, AccessKeyChange)| {
        let work = service.modify(access.clone(), change.clone());
        let what = format!("Changing access key {access}");
        let access = access.clone();
        async move {
            if let Ok(key) = operations.run(what, None, work).await {
                toasts.success(match key.status {
                    KeyStatus::Active => format!("Access key {access} saved; it is active."),
                    KeyStatus::Inactive => format!("Access key {access} saved; it is inactive."),
                });
            }
        }
    });
    let actions = KeyActions {
        target,
        modify,
        delete: DeleteQuestion::new(),
        editing: RwSignal::new(None),
        // A rotation under way in this tab (resumed after a reload) for the user shown.
        rotation: RotationProgress::new(target),
    };

    view! {
        <UserPicker target />
        <Show when=move || actions.rotation.is_some()>
            <RotationWizard service progress=actions.rotation keys=listed_keys />
        </Show>
        <p data-test="key-limit" class:notice=full class:notice-warning=full>
            {move || match key_count.get() {
                Some(n) if n >= KEYS_PER_USER => {
                    format!(
                        "{n} of {KEYS_PER_USER} keys in use: delete a key (an inactive one, ideally) before creating another.",
                    )
                }
                Some(n) => format!("{n} of {KEYS_PER_USER} keys in use."),
                None => String::new(),
            }}
        </p>
        <CreateKey service target full />
        <KeysTable keys actions />
        <DeleteKeyDialog service question=actions.delete />
    }
}
