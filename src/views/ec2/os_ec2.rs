//! Keystone v3 OS-EC2: a user's key pairs, one per project they choose.

use super::os_ec2_create::CreatePair;
use super::pairs_table::PairsTable;
use crate::components::{use_operations, use_target_user, use_toasts, ConfirmDelete, UserPicker};
use crate::services::users::use_users;
use crate::services::OsEc2;
use leptos::prelude::*;

#[component]
pub(super) fn OsEc2View(service: OsEc2) -> impl IntoView {
    let (toasts, operations, users) = (use_toasts(), use_operations(), use_users());
    let target = use_target_user();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let pairs = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        service.list(user.id)
    });
    let projects = LocalResource::new(move || users.projects_of(target.get().id));

    let to_delete = RwSignal::new(None::<String>);
    let delete = Action::new_local(move |access: &String| {
        let work = service.delete(target.get_untracked().id, access.clone());
        let access = access.clone();
        async move {
            let what = format!("Deleting EC2 credential {access}");
            let outcome = operations.run(what, None, work).await;
            if outcome.is_ok() {
                toasts.success(format!("EC2 credential {access} deleted."));
            }
            outcome
        }
    });
    let question = move || {
        format!(
            "The EC2 credential with access key {} will be deleted. Tools using it will stop working.",
            to_delete.get().unwrap_or_default(),
        )
    };

    view! {
        <UserPicker target />
        <CreatePair service target projects />
        <PairsTable service target pairs projects to_delete />
        <ConfirmDelete
            open=Signal::derive(move || to_delete.with(Option::is_some))
            title="Delete EC2 credential?"
            text=Signal::derive(question)
            on_confirm=Callback::new(move |_| {
                if let Some(access) = to_delete.get_untracked() {
                    delete.dispatch(access);
                }
                to_delete.set(None);
            })
            on_cancel=Callback::new(move |_| to_delete.set(None))
        />
    }
}
