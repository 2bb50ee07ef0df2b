//! The legacy v2.0 OS-KSADM extension: one EC2 credential per user, granted or updated in place.

use super::ksadm_form::{KsadmCredentialForm, KsadmForm};
use super::masked_secret::MaskedSecret;
use crate::api::ksadm::Ec2Credential;
use crate::api::ApiError;
use crate::components::{
    use_operations, use_target_user, use_toasts, ConfirmDelete, ErrorNotice, TargetUser, UserPicker,
};
use crate::services::Ksadm;
use leptos::prelude::*;

type Revealed = RwSignal<Option<Result<Ec2Credential, ApiError>>>;

#[component]
pub(super) fn KsadmView(service: Ksadm) -> impl IntoView {
    let (toasts, operations) = (use_toasts(), use_operations());
    let target = use_target_user();
    // The secret as read afresh when the user asked to see it.
    let revealed: Revealed = RwSignal::new(None);
    // Listed again whenever a write finished, here or on a page left before it answered.
    let credentials = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        service.list(user.id)
    });
    let form = KsadmForm::new(service, move || {
        revealed.try_set(None);
    });
    let confirming = RwSignal::new(false);
    let delete = Action::new_local(move |_: &()| {
        let user = target.get_untracked();
        let work = service.delete(user.id.clone());
        async move {
            let what = format!("Deleting the EC2 credential of {}", user.name);
            let outcome = operations.run(what, None, work).await;
            if outcome.is_ok() {
                toasts.success(format!("The EC2 credential of {} was deleted.", user.name));
            }
            revealed.try_set(None);
            outcome
        }
    });
    let failed = move || {
        let error = form.save.value().get()?.err()?;
        let action = match form.editing.get_untracked() {
            true => "Updating failed",
            false => "Granting failed",
        };
        Some(view! { <ErrorNotice error action /> })
    };
    let shown = move || {
        Suspend::new(async move {
            match credentials.await.map(|list| list.into_iter().next()) {
                Err(error) => {
                    view! { <ErrorNotice error action="Listing EC2 credentials failed" /> }
                        .into_any()
                }
                Ok(None) => view! {
                    <p class="empty-state" data-test="ec2-empty">
                        {move || {
                            format!(
                                "{} has no EC2 credential yet. Grant one below.",
                                target.get().name,
                            )
                        }}
                    </p>
                    <KsadmCredentialForm form target existing=false />
                }
                .into_any(),
                Ok(Some(credential)) => {
                    view! { <KsadmCredential service credential revealed form target confirming /> }
                        .into_any()
                }
            }
        })
    };
    let question = move || {
        let name = target.get().name;
        format!("The EC2 credential of {name} will be deleted. Tools using it will stop working.")
    };
    view! {
        <UserPicker target />
        <p class="page-intro">
            "This cloud serves the legacy v2.0 OS-KSADM extension: a user has at most one EC2 credential of this kind."
        </p>
        {failed}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>{shown}</Transition>
        <ConfirmDelete
            open=confirming
            title="Delete EC2 credential?"
            text=Signal::derive(question)
            on_confirm=Callback::new(move |_| {
                confirming.set(false);
                delete.dispatch(());
            })
            on_cancel=Callback::new(move |_| confirming.set(false))
        />
    }
}

/// The user's credential, its secret masked until asked for, and what may be done with it.
#[component]
fn KsadmCredential(
    service: Ksadm,
    credential: Ec2Credential,
    revealed: Revealed,
    form: KsadmForm,
    target: Signal<TargetUser>,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let reveal = Action::new_local(move |_: &()| {
        let read = service.get(target.get_untracked().id);
        // The page may be gone when the answer comes.
        async move {
            revealed.try_set(Some(read.await));
        }
    });
    let toggle = Callback::new(move |()| match revealed.with_untracked(Option::is_some) {
        true => revealed.set(None),
        false => {
            reveal.dispatch(());
        }
    });
    let secret = Signal::derive(move || match revealed.get() {
        Some(Ok(c)) => Some(c.secret.expose().to_string()),
        _ => None,
    });
    let unread = move || {
        let error = revealed.get()?.err()?;
        Some(view! { <ErrorNotice error action="Reading the credential failed" /> })
    };
    let for_edit = credential.clone();
    view! {
        <dl class="facts" data-test="ksadm-credential">
            <dt>"Username"</dt>
            <dd data-test="ksadm-username">{credential.username}</dd>
            <dt>"Secret"</dt>
            <dd>
                <MaskedSecret
                    value=secret
                    shown=Signal::derive(move || revealed.with(Option::is_some))
                    on_toggle=toggle
                />
            </dd>
            <dt>"Signature"</dt>
            <dd>{credential.signature}</dd>
        </dl>
        {unread}
        <div class="actions">
            <button
                type="button"
                class="button"
                data-test="edit"
                on:click=move |_| form.start_update(&for_edit)
            >
                "Update…"
            </button>
            <button
                type="button"
                class="button button-danger-outline"
                data-test="delete"
                on:click=move |_| confirming.set(true)
            >
                "Delete"
            </button>
        </div>
        <Show when=move || form.editing.get()>
            <KsadmCredentialForm form target existing=true />
        </Show>
    }
}
