//! The legacy v2.0 OS-KSADM extension: one EC2 credential per user, granted or updated in place.

use super::secrets::ksadm_secret;
use crate::api::ksadm;
use crate::api::ApiError;
use crate::browser::random_hex;
use crate::components::MASK;
use crate::components::{
    use_operations, use_target_user, use_toasts, ConfirmDialog, ErrorNotice, PageLife, TargetUser,
    UserPicker,
};
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub(super) fn KsadmView(base_url: String) -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let target = use_target_user();
    let operations = use_operations();
    let page = PageLife::new();
    let revealed = RwSignal::new(None::<Result<ksadm::Ec2Credential, ApiError>>);

    let url = base_url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let credentials = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        let (client, url) = (store.client(), url.clone());
        async move { ksadm::list(&client, &url, &user.id).await }
    });

    let username = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let signature = RwSignal::new(String::new());
    let editing = RwSignal::new(false);

    let url = base_url.clone();
    let save = Action::new_local(
        move |(user, credential, update): &(TargetUser, ksadm::Ec2Credential, bool)| {
            let (user, credential, update, client, url) = (
                user.clone(),
                credential.clone(),
                *update,
                store.client(),
                url.clone(),
            );
            async move {
                let what = match update {
                    true => "Updating the EC2 credential",
                    false => "Granting an EC2 credential",
                };
                let work = async {
                    match update {
                        true => ksadm::update(&client, &url, &user.id, credential).await,
                        false => ksadm::grant(&client, &url, &user.id, credential).await,
                    }
                };
                let saved = operations.run(what, Some(page), work).await?;
                // The page's form, if it is still shown.
                editing.try_set(false);
                secret.try_set(String::new());
                revealed.try_set(None);
                operations.reveal(ksadm_secret(&user, &saved));
                Ok::<(), ApiError>(())
            }
        },
    );
    let url = base_url.clone();
    let reveal = Action::new_local(move |_: &()| {
        let (user, client, url) = (target.get_untracked(), store.client(), url.clone());
        // The page may be gone when the answer comes.
        async move {
            revealed.try_set(Some(ksadm::get(&client, &url, &user.id).await));
        }
    });
    let confirming_delete = RwSignal::new(false);
    let url = base_url.clone();
    let delete = Action::new_local(move |_: &()| {
        let (user, client, url) = (target.get_untracked(), store.client(), url.clone());
        async move {
            let work = ksadm::delete(&client, &url, &user.id);
            let what = format!("Deleting the EC2 credential of {}", user.name);
            let outcome = operations.run(what, None, work).await;
            if outcome.is_ok() {
                toasts.success(format!("The EC2 credential of {} was deleted.", user.name));
            }
            revealed.try_set(None);
            outcome
        }
    });

    let start_update = move |existing: &ksadm::Ec2Credential| {
        username.set(existing.username.clone());
        signature.set(existing.signature.clone());
        secret.set(String::new());
        editing.set(true);
    };
    // `existing`: whether the form shown is the update form (a credential is listed), not
    // whether "Update…" was ever opened: it may have been deleted since.
    let on_submit = move |ev: leptos::ev::SubmitEvent, existing: bool| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        // Left empty, the username is the user's name and the secret is generated here.
        let typed_username = username.get_untracked().trim().to_string();
        let typed_secret = secret.get_untracked();
        let Some(secret) = Some(typed_secret)
            .filter(|s| !s.is_empty())
            .or_else(|| random_hex(20))
        else {
            toasts.error("The browser could not generate a secret; type one.");
            return;
        };
        let credential = ksadm::Ec2Credential {
            username: Some(typed_username)
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| target.get_untracked().name),
            secret,
            signature: signature.get_untracked(),
        };
        save.dispatch((target.get_untracked(), credential, existing));
    };

    let form = move |existing: bool| {
        view! {
            <form class="form" on:submit=move |ev| on_submit(ev, existing) data-test="ksadm-form">
                <h3>
                    {if existing { "Update the EC2 credential" } else { "Grant an EC2 credential" }}
                </h3>
                <label class="field">
                    <span>"Username"</span>
                    <input
                        name="ksadm-username"
                        placeholder=move || target.get().name
                        bind:value=username
                    />
                </label>
                <label class="field">
                    <span>
                        "Secret "
                        <small>"(leave empty to have your browser generate a strong one)"</small>
                    </span>
                    <input
                        name="ksadm-secret"
                        type="password"
                        autocomplete="new-password"
                        bind:value=secret
                    />
                </label>
                <label class="field">
                    <span>"Signature"</span>
                    <input name="ksadm-signature" bind:value=signature />
                </label>
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=move || save.pending().get()
                >
                    {if existing { "Update" } else { "Grant" }}
                </button>
            </form>
        }
    };

    view! {
        <UserPicker target />
        <p class="page-intro">
            "This cloud serves the legacy v2.0 OS-KSADM extension: a user has at most one EC2 credential of this kind."
        </p>
        {move || {
            save.value()
                .get()
                .and_then(Result::err)
                .map(|error| {
                    view! {
                        <ErrorNotice
                            error
                            action=if editing.get_untracked() {
                                "Updating failed"
                            } else {
                                "Granting failed"
                            }
                        />
                    }
                })
        }}
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match credentials.await {
                    Err(error) => {
                        view! { <ErrorNotice error action="Listing EC2 credentials failed" /> }
                            .into_any()
                    }
                    Ok(list) => {
                        match list.into_iter().next() {
                            None => {
                                view! {
                                    <p class="empty-state" data-test="ec2-empty">
                                        {move || {
                                            format!(
                                                "{} has no EC2 credential yet. Grant one below.",
                                                target.get().name,
                                            )
                                        }}
                                    </p>
                                    {form(false)}
                                }
                                    .into_any()
                            }
                            Some(credential) => {
                                let for_edit = credential.clone();
                                view! {
                                    <dl class="facts" data-test="ksadm-credential">
                                        <dt>"Username"</dt>
                                        <dd data-test="ksadm-username">
                                            {credential.username.clone()}
                                        </dd>
                                        <dt>"Secret"</dt>
                                        <dd>
                                            <code data-test="ec2-secret">
                                                {move || match revealed.get() {
                                                    Some(Ok(c)) => c.secret,
                                                    _ => MASK.to_string(),
                                                }}
                                            </code>
                                            " "
                                            <button
                                                type="button"
                                                class="button button-small"
                                                data-test="reveal"
                                                on:click=move |_| {
                                                    if revealed.with_untracked(Option::is_some) {
                                                        revealed.set(None);
                                                    } else {
                                                        reveal.dispatch(());
                                                    }
                                                }
                                            >
                                                {move || {
                                                    if revealed.get().is_some() { "Hide" } else { "Reveal" }
                                                }}
                                            </button>
                                        </dd>
                                        <dt>"Signature"</dt>
                                        <dd>{credential.signature.clone()}</dd>
                                    </dl>
                                    {move || {
                                        revealed
                                            .get()
                                            .and_then(Result::err)
                                            .map(|error| {
                                                view! {
                                                    <ErrorNotice error action="Reading the credential failed" />
                                                }
                                            })
                                    }}
                                    <div class="actions">
                                        <button
                                            type="button"
                                            class="button"
                                            data-test="edit"
                                            on:click=move |_| start_update(&for_edit)
                                        >
                                            "Update…"
                                        </button>
                                        <button
                                            type="button"
                                            class="button button-danger-outline"
                                            data-test="delete"
                                            on:click=move |_| confirming_delete.set(true)
                                        >
                                            "Delete"
                                        </button>
                                    </div>
                                    <Show when=move || editing.get()>{form(true)}</Show>
                                }
                                    .into_any()
                            }
                        }
                    }
                }
            })}
        </Transition>
        <ConfirmDialog
            open=confirming_delete
            title="Delete EC2 credential?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            on_confirm=Callback::new(move |_| {
                confirming_delete.set(false);
                delete.dispatch(());
            })
            on_cancel=Callback::new(move |_| confirming_delete.set(false))
        >
            <p data-test="confirm-text">
                {move || {
                    format!(
                        "The EC2 credential of {} will be deleted. Tools using it will stop working.",
                        target.get().name,
                    )
                }}
            </p>
        </ConfirmDialog>
    }
}
