//! Permanent access keys (AK/SK) of the IAM `/v3.0/OS-CREDENTIAL/credentials` family.

use crate::api::access_keys::{
    self, create_failure_message, AccessKey, AccessKeyChange, KeyStatus, KEYS_PER_USER,
    MAX_DESCRIPTION_CHARS, STALE_AFTER_DAYS,
};
use crate::api::export::{Cell, ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::api::rotation::Rotation;
use crate::api::ApiError;
use crate::components::{
    use_operations, use_target_user, use_toasts, ConfirmDialog, CreatePanel, ErrorNotice,
    OneTimeSecret, PageHeading, PageLife, SecretField, SecretFile, TargetUser, UserPicker,
};
use crate::session::{now_ms, use_session};
use crate::views::rotation::{RotationProgress, RotationWizard};
use crate::views::Family;
use leptos::prelude::*;

/// `2020-01-08T06:26:08.123059Z` as `2020-01-08 06:26 UTC`.
fn short_time(timestamp: &str) -> String {
    match (timestamp.get(..10), timestamp.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => timestamp.to_string(),
    }
}

fn days(count: i64) -> String {
    match count {
        0 => "today".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

/// The list, with each key's last use read through show (list does not carry it).
async fn keys_with_last_use(
    client: crate::api::Client,
    base_url: String,
    user_id: String,
) -> Result<Vec<AccessKey>, ApiError> {
    let mut keys = access_keys::list(&client, &base_url, &user_id).await?;
    for key in keys.iter_mut() {
        if let Ok(shown) = access_keys::show(&client, &base_url, &key.access).await {
            key.last_use_time = shown.last_use_time;
        }
    }
    Ok(keys)
}

/// The one-time dialog of a key just created for the user named `user_name`.
pub fn access_key_secret(user_name: &str, key: &AccessKey) -> OneTimeSecret {
    let secret = key.secret.clone().unwrap_or_default();
    OneTimeSecret {
        fields: vec![
            SecretField {
                label: "Access key".into(),
                value: key.access.clone(),
            },
            SecretField {
                label: "Secret key".into(),
                value: secret.clone(),
            },
        ],
        files: vec![SecretFile::credentials_csv(
            &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
            &[vec![
                Cell::Text(user_name.to_string()),
                Cell::Key(key.access.clone()),
                Cell::Key(secret),
            ]],
        )],
        ..OneTimeSecret::new("New access key", key.access.clone())
    }
}

#[component]
pub fn AccessKeysPage() -> impl IntoView {
    let store = use_session();
    let base_url = store
        .cloud()
        .and_then(|c| c.access_keys)
        .map(|a| a.base_url);
    view! {
        <section class="page" aria-labelledby="page-title">
            <PageHeading title="Access keys" />
            <p class="page-intro">
                "Permanent access keys (AK/SK) for signing API and object-storage requests. A user has at most two."
            </p>
            {match base_url {
                Some(base_url) => view! { <AccessKeysView base_url /> }.into_any(),
                None => {
                    view! {
                        <p class="empty-state">
                            "This cloud's configuration offers no access-key API. An operator can enable it in config.json."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn AccessKeysView(base_url: String) -> impl IntoView {
    let store = use_session();
    let toasts = use_toasts();
    let operations = use_operations();
    let page = PageLife::new();
    let target = use_target_user();

    let url = base_url.clone();
    // Listed again whenever a write finished, here or on a page left before it answered.
    let keys = LocalResource::new(move || {
        let (user, _) = (target.get(), operations.changed());
        keys_with_last_use(store.client(), url.clone(), user.id)
    });
    let key_count = move || keys.get().and_then(|r| r.ok()).map(|k| k.len());
    let full = move || key_count().is_some_and(|n| n >= KEYS_PER_USER);

    // A draft: a session that ends before the key is created comes back to it.
    let draft = store.draft_handle("new-access-key/description", String::new);
    let description = RwSignal::from(draft.clone());
    let create_open = store.draft(Family::AccessKeys.create_form_draft(), || false);
    let url = base_url.clone();
    let create = Action::new_local(move |(user, description): &(TargetUser, String)| {
        let (user, description, client, url) = (
            user.clone(),
            description.clone(),
            store.client(),
            url.clone(),
        );
        let draft = draft.clone();
        async move {
            let work = access_keys::create(&client, &url, &user.id, &description);
            let key = operations
                .run("Creating an access key", Some(page), work)
                .await?;
            draft.set(String::new());
            operations.reveal(access_key_secret(&user.name, &key));
            Ok::<(), ApiError>(())
        }
    });
    let url = base_url.clone();
    let modify = Action::new_local(move |(access, change): &(String, AccessKeyChange)| {
        let (access, change, client, url) =
            (access.clone(), change.clone(), store.client(), url.clone());
        async move {
            let work = access_keys::modify(&client, &url, &access, change);
            if let Ok(key) = operations
                .run(format!("Changing access key {access}"), None, work)
                .await
            {
                toasts.success(match key.status {
                    KeyStatus::Active => format!("Access key {access} saved; it is active."),
                    KeyStatus::Inactive => format!("Access key {access} saved; it is inactive."),
                });
            }
        }
    });
    let url = base_url.clone();
    let delete = Action::new_local(move |access: &String| {
        let (access, client, url) = (access.clone(), store.client(), url.clone());
        async move {
            let work = access_keys::delete(&client, &url, &access);
            if operations
                .run(format!("Deleting access key {access}"), None, work)
                .await
                .is_ok()
            {
                toasts.success(format!("Access key {access} deleted."));
            }
        }
    });

    // A rotation under way in this tab (resumed after a reload) for the user shown.
    let rotation = RotationProgress::new(target);
    let listed_keys = Signal::derive(move || keys.get().and_then(|r| r.ok()));

    let editing = RwSignal::new(None::<(String, String)>);
    let to_delete = RwSignal::new(None::<AccessKey>);
    let typed_access = RwSignal::new(String::new());
    let override_active = RwSignal::new(false);
    let delete_blocked = move || {
        to_delete.with(|key| match key {
            None => true,
            Some(key) => {
                typed_access.get().trim() != key.access
                    || (key.status == KeyStatus::Active
                        && !(store.is_admin() && override_active.get()))
            }
        })
    };

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() || full() {
            return;
        }
        create.dispatch((
            target.get_untracked(),
            description.get_untracked().trim().to_string(),
        ));
    };

    view! {
        <UserPicker target />
        <Show when=move || rotation.is_some()>
            <RotationWizard base_url=base_url.clone() progress=rotation keys=listed_keys />
        </Show>
        <p data-test="key-limit" class:notice=full class:notice-warning=full>
            {move || match key_count() {
                Some(n) if n >= KEYS_PER_USER => {
                    format!(
                        "{n} of {KEYS_PER_USER} keys in use: delete a key (an inactive one, ideally) before creating another.",
                    )
                }
                Some(n) => format!("{n} of {KEYS_PER_USER} keys in use."),
                None => String::new(),
            }}
        </p>
        <CreatePanel title=Family::AccessKeys.create_label() open=create_open>
            <form class="inline-form" on:submit=on_create>
                <label class="field-inline">
                    <span>"Description " <small>"(optional)"</small></span>
                    <input
                        name="key-description"
                        maxlength=MAX_DESCRIPTION_CHARS.to_string()
                        bind:value=description
                    />
                </label>
                <button
                    type="submit"
                    class="button button-primary"
                    data-test="create-key"
                    disabled=move || create.pending().get() || full()
                >
                    {move || {
                        if create.pending().get() { "Creating…" } else { "Create access key" }
                    }}
                </button>
            </form>
            {move || {
                create
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error| match create_failure_message(&error) {
                        Some(plain) => {
                            view! {
                                <p class="notice notice-error" role="alert">
                                    {plain}
                                </p>
                            }
                                .into_any()
                        }
                        None => {
                            view! { <ErrorNotice error action="Creating the access key failed" /> }
                                .into_any()
                        }
                    })
            }}
        </CreatePanel>
        <section class="panel" aria-labelledby="list-title">
            <h2 id="list-title">"Access keys"</h2>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Err(error) => {
                            view! { <ErrorNotice error action="Listing access keys failed" /> }
                                .into_any()
                        }
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="empty-state" data-test="keys-empty">
                                    "No access keys yet. Choose \"New access key\" to create one; its secret is shown once."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            let now = now_ms() as i64;
                            view! {
                                <div class="table-wrap">
                                    <table class="table" data-test="keys-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Access key"</th>
                                                <th scope="col">"Description"</th>
                                                <th scope="col">"Status"</th>
                                                <th scope="col">"Created"</th>
                                                <th scope="col">"Last used"</th>
                                                <th scope="col">
                                                    <span class="visually-hidden">"Actions"</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|key| {
                                                    let age = key.age(now);
                                                    let access = key.access.clone();
                                                    let active = key.status == KeyStatus::Active;
                                                    let (for_toggle, for_edit, for_delete, for_rotate) = (
                                                        access.clone(),
                                                        access.clone(),
                                                        key.clone(),
                                                        access.clone(),
                                                    );
                                                    let current_description = key
                                                        .description
                                                        .clone()
                                                        .unwrap_or_default();
                                                    let row_access = access.clone();
                                                    let is_editing = move || {
                                                        editing
                                                            .with(|e| e.as_ref().is_some_and(|(a, _)| *a == row_access))
                                                    };
                                                    let editing_now = is_editing.clone();
                                                    view! {
                                                        <tr data-test="key-row" data-access=access.clone()>
                                                            <td>
                                                                <code>{access.clone()}</code>
                                                            </td>
                                                            <td data-test="key-description">
                                                                <Show
                                                                    when=editing_now
                                                                    fallback={
                                                                        let text = current_description.clone();
                                                                        let access = for_edit.clone();
                                                                        move || {
                                                                            let (text, access) = (text.clone(), access.clone());
                                                                            view! {
                                                                                {text.clone()}
                                                                                " "
                                                                                <button
                                                                                    type="button"
                                                                                    class="button button-small"
                                                                                    data-test="edit-description"
                                                                                    on:click=move |_| {
                                                                                        editing.set(Some((access.clone(), text.clone())))
                                                                                    }
                                                                                >
                                                                                    "Edit"
                                                                                </button>
                                                                            }
                                                                        }
                                                                    }
                                                                >
                                                                    <form
                                                                        class="inline-form"
                                                                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                                                                            ev.prevent_default();
                                                                            if let Some((access, text)) = editing.get_untracked() {
                                                                                modify
                                                                                    .dispatch((
                                                                                        access,
                                                                                        AccessKeyChange {
                                                                                            status: None,
                                                                                            description: Some(text),
                                                                                        },
                                                                                    ));
                                                                                editing.set(None);
                                                                            }
                                                                        }
                                                                    >
                                                                        <input
                                                                            name="edit-description"
                                                                            maxlength=MAX_DESCRIPTION_CHARS.to_string()
                                                                            prop:value=move || {
                                                                                editing.get().map(|(_, t)| t).unwrap_or_default()
                                                                            }
                                                                            on:input=move |ev| {
                                                                                let text = event_target_value(&ev);
                                                                                editing
                                                                                    .update(|e| {
                                                                                        if let Some((_, t)) = e {
                                                                                            *t = text;
                                                                                        }
                                                                                    });
                                                                            }
                                                                        />
                                                                        <button type="submit" class="button button-small">
                                                                            "Save"
                                                                        </button>
                                                                        <button
                                                                            type="button"
                                                                            class="button button-small"
                                                                            on:click=move |_| editing.set(None)
                                                                        >
                                                                            "Cancel"
                                                                        </button>
                                                                    </form>
                                                                </Show>
                                                            </td>
                                                            <td data-test="key-status">
                                                                <span class=if active {
                                                                    "badge badge-active"
                                                                } else {
                                                                    "badge badge-inactive"
                                                                }>{if active { "active" } else { "inactive" }}</span>
                                                            </td>
                                                            <td>
                                                                {short_time(&key.create_time)} <br />
                                                                <small>
                                                                    {age.age_days.map(|d| format!("{} old", days(d)))}
                                                                </small>
                                                                {age
                                                                    .too_old
                                                                    .then(|| {
                                                                        view! {
                                                                            <span class="flag" data-test="flag-old">
                                                                                {format!("older than {STALE_AFTER_DAYS} days: rotate it")}
                                                                            </span>
                                                                        }
                                                                    })}
                                                            </td>
                                                            <td data-test="key-last-used">
                                                                {if age.never_used {
                                                                    "never".to_string()
                                                                } else {
                                                                    key.last_use_time
                                                                        .as_deref()
                                                                        .map(short_time)
                                                                        .unwrap_or_default()
                                                                }}
                                                                {age
                                                                    .unused_too_long
                                                                    .then(|| {
                                                                        view! {
                                                                            <span class="flag" data-test="flag-unused">
                                                                                {format!("unused for over {STALE_AFTER_DAYS} days")}
                                                                            </span>
                                                                        }
                                                                    })}
                                                            </td>
                                                            <td class="row-actions">
                                                                <button
                                                                    type="button"
                                                                    class="button button-small"
                                                                    data-test="toggle-status"
                                                                    on:click=move |_| {
                                                                        let status = if active {
                                                                            KeyStatus::Inactive
                                                                        } else {
                                                                            KeyStatus::Active
                                                                        };
                                                                        modify
                                                                            .dispatch((
                                                                                for_toggle.clone(),
                                                                                AccessKeyChange {
                                                                                    status: Some(status),
                                                                                    description: None,
                                                                                },
                                                                            ));
                                                                    }
                                                                >
                                                                    {if active { "Deactivate" } else { "Activate" }}
                                                                </button>
                                                                {active
                                                                    .then(|| {
                                                                        let key = for_rotate.clone();
                                                                        view! {
                                                                            <button
                                                                                type="button"
                                                                                class="button button-small"
                                                                                data-test="rotate"
                                                                                disabled=move || rotation.is_some()
                                                                                on:click=move |_| {
                                                                                    let user = target.get_untracked();
                                                                                    rotation
                                                                                        .set(Some(Rotation::new(user.id, user.name, key.clone())));
                                                                                }
                                                                            >
                                                                                "Rotate"
                                                                            </button>
                                                                        }
                                                                    })}
                                                                <button
                                                                    type="button"
                                                                    class="button button-small button-danger-outline"
                                                                    data-test="delete"
                                                                    on:click=move |_| {
                                                                        typed_access.set(String::new());
                                                                        override_active.set(false);
                                                                        to_delete.set(Some(for_delete.clone()));
                                                                    }
                                                                >
                                                                    "Delete"
                                                                </button>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        <ConfirmDialog
            open=Signal::derive(move || to_delete.get().is_some())
            title="Delete access key?".to_string()
            confirm_label="Delete".to_string()
            danger=true
            confirm_disabled=Signal::derive(delete_blocked)
            on_confirm=Callback::new(move |_| {
                if delete_blocked() {
                    return;
                }
                if let Some(key) = to_delete.get_untracked() {
                    delete.dispatch(key.access);
                }
                to_delete.set(None);
            })
            on_cancel=Callback::new(move |_| to_delete.set(None))
        >
            {move || {
                to_delete
                    .get()
                    .map(|key| {
                        let active = key.status == KeyStatus::Active;
                        view! {
                            <p data-test="confirm-text">
                                "Access key " <code>{key.access.clone()}</code>
                                " will be deleted for good; anything that still signs requests with it will fail."
                            </p>
                            {active
                                .then(|| {
                                    view! {
                                        <p class="notice notice-warning" data-test="active-warning">
                                            "This key is active. Deactivate it first and wait until nothing fails for lack of it; then delete it."
                                        </p>
                                        <Show when=move || store.is_admin()>
                                            <label class="checkbox">
                                                <input
                                                    type="checkbox"
                                                    data-test="override-active"
                                                    prop:checked=move || override_active.get()
                                                    on:change=move |ev| {
                                                        override_active.set(event_target_checked(&ev))
                                                    }
                                                />
                                                "Delete it although it is active (administrator)"
                                            </label>
                                        </Show>
                                    }
                                })}
                            <label class="field">
                                <span>"Type the access key to confirm"</span>
                                <input
                                    name="confirm-access"
                                    autocomplete="off"
                                    prop:value=move || typed_access.get()
                                    on:input=move |ev| typed_access.set(event_target_value(&ev))
                                />
                            </label>
                        }
                    })
            }}
        </ConfirmDialog>
    }
}
