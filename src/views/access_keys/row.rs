//! One key of the table: its dates and flags, and what may be done with it.

use super::description::DescriptionCell;
use super::keys::KeyActions;
use crate::api::access_keys::{AccessKey, AccessKeyChange, KeyStatus, STALE_AFTER_DAYS};
use crate::api::rotation::Rotation;
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

#[component]
pub(super) fn KeyRow(key: AccessKey, now: i64, actions: KeyActions) -> impl IntoView {
    let age = key.age(now);
    let active = key.status == KeyStatus::Active;
    let last_used = match age.never_used {
        true => "never".to_string(),
        false => key
            .last_use_time
            .as_deref()
            .map(short_time)
            .unwrap_or_default(),
    };
    let created = short_time(&key.create_time);
    let old_for = age.age_days.map(|d| format!("{} old", days(d)));
    let flag = |test: &'static str, text: String| {
        view! {
            <span class="flag" data-test=test>
                {text}
            </span>
        }
    };
    let too_old = age.too_old.then(|| {
        flag(
            "flag-old",
            format!("older than {STALE_AFTER_DAYS} days: rotate it"),
        )
    });
    let unused = age.unused_too_long.then(|| {
        flag(
            "flag-unused",
            format!("unused for over {STALE_AFTER_DAYS} days"),
        )
    });
    let description = key.description.clone().unwrap_or_default();
    let access = key.access.clone();
    let (row_access, shown_access) = (access.clone(), access.clone());
    view! {
        <tr data-test="key-row" data-access=row_access>
            <td>
                <code>{shown_access}</code>
            </td>
            <td data-test="key-description">
                <DescriptionCell access text=description actions />
            </td>
            <td data-test="key-status">
                <span class=if active {
                    "badge badge-active"
                } else {
                    "badge badge-inactive"
                }>{if active { "active" } else { "inactive" }}</span>
            </td>
            <td>{created} <br /> <small>{old_for}</small> {too_old}</td>
            <td data-test="key-last-used">{last_used} {unused}</td>
            <td class="row-actions">
                <RowButtons key actions />
            </td>
        </tr>
    }
}

#[component]
fn RowButtons(key: AccessKey, actions: KeyActions) -> impl IntoView {
    let active = key.status == KeyStatus::Active;
    let access = key.access.clone();
    let toggle = move |_| {
        let status = if active {
            KeyStatus::Inactive
        } else {
            KeyStatus::Active
        };
        let change = AccessKeyChange {
            status: Some(status),
            description: None,
        };
        actions.modify.dispatch((access.clone(), change));
    };
    let rotation = actions.rotation;
    let rotate = active.then(|| {
        let access = key.access.clone();
        let start = move |_| {
            let user = actions.target.get_untracked();
            rotation.set(Some(Rotation::new(user.id, user.name, access.clone())));
        };
        view! {
            <button
                type="button"
                class="button button-small"
                data-test="rotate"
                disabled=move || rotation.is_some()
                on:click=start
            >
                "Rotate"
            </button>
        }
    });
    view! {
        <button type="button" class="button button-small" data-test="toggle-status" on:click=toggle>
            {if active { "Deactivate" } else { "Activate" }}
        </button>
        {rotate}
        <button
            type="button"
            class="button button-small button-danger-outline"
            data-test="delete"
            on:click=move |_| actions.delete.ask(key.clone())
        >
            "Delete"
        </button>
    }
}
