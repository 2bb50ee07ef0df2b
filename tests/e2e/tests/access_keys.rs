//! The access-keys view in headless Chromium, against the contract test server (IAM
//! OS-CREDENTIAL), signed in through the real Keystone.

use keyrack_e2e::access_keys as server;
use keyrack_e2e::{
    click, env, faults, fill, find, http, keystone, open, persisted_state, save_secret_from_dialog,
    sign_in_with_password, stored_token, wait_gone, wait_route, wait_text, with_browser,
    TestResult,
};
use serde_json::{json, Value};
use std::error::Error;
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// A member user of project demo of its own, so tests running side by side do not share keys.
fn new_member(name: &str) -> Result<(String, String)> {
    let admin = keystone::admin_token()?;
    let password = format!("{name}-password");
    let mut created = http()
        .post(format!("{}/users", env().identity))
        .header("X-Auth-Token", &admin)
        .send_json(json!({"user": {"name": name, "domain_id": "default", "password": password}}))?;
    let user_id = match created.status().as_u16() {
        201 => created.body_mut().read_json::<Value>()?["user"]["id"]
            .as_str()
            .ok_or("no id")?
            .to_string(),
        _ => keystone::get(&admin, &format!("/users?name={name}"))?["users"][0]["id"]
            .as_str()
            .ok_or("no such user")?
            .to_string(),
    };
    let demo = keystone::project_id("demo")?;
    let member = keystone::get(&admin, "/roles?name=member")?["roles"][0]["id"]
        .as_str()
        .ok_or("no member role")?
        .to_string();
    http()
        .put(format!(
            "{}/projects/{demo}/users/{user_id}/roles/{member}",
            env().identity
        ))
        .header("X-Auth-Token", &admin)
        .send_empty()?;
    server::clear(&user_id)?;
    Ok((user_id, password))
}

fn row(access: &str) -> String {
    format!("[data-test=key-row][data-access='{access}']")
}

#[tokio::test]
async fn a_member_creates_describes_deactivates_and_deletes_their_key() -> TestResult {
    let (user_id, password) = new_member("keys-member")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-member", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        wait_text(&c, "[data-test=key-limit]", "0 of 2 keys").await?;

        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", "laptop").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        let (access, secret) = save_secret_from_dialog(&c).await?;
        assert_eq!(access.len(), 20);
        assert_eq!(secret.len(), 40);
        let page = c.source().await?;
        assert!(
            !page.contains(&secret),
            "the secret is gone from the page after the dialog"
        );
        let (session, local, cookies) = persisted_state(&c).await?;
        assert!(
            !session.contains(&secret) && !local.contains(&secret) && !cookies.contains(&secret)
        );

        wait_text(
            &c,
            &format!("{} [data-test=key-status]", row(&access)),
            "active",
        )
        .await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-description]", row(&access)),
            "laptop",
        )
        .await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-last-used]", row(&access)),
            "never",
        )
        .await?;
        wait_text(&c, "[data-test=key-limit]", "1 of 2 keys").await?;

        // The key is used somewhere: its last use shows after a reload of the list.
        http()
            .post(format!(
                "{}/test-only/access-keys/{access}/use",
                env().contract
            ))
            .send_json(json!({}))?;
        c.refresh().await?;
        let last_used = wait_text(
            &c,
            &format!("{} [data-test=key-last-used]", row(&access)),
            "UTC",
        )
        .await?;
        assert!(!last_used.contains("never"), "{last_used}");

        click(
            &c,
            &format!("{} [data-test=edit-description]", row(&access)),
        )
        .await?;
        fill(&c, "input[name=edit-description]", "laptop (old)").await?;
        click(&c, &format!("{} form button[type=submit]", row(&access))).await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-description]", row(&access)),
            "laptop (old)",
        )
        .await?;

        // Deleting an active key asks to deactivate it first.
        click(&c, &format!("{} [data-test=delete]", row(&access))).await?;
        wait_text(
            &c,
            "dialog[open] [data-test=active-warning]",
            "Deactivate it first",
        )
        .await?;
        fill(&c, "dialog[open] input[name=confirm-access]", &access).await?;
        assert!(
            !find(&c, "dialog[open] .button-danger")
                .await?
                .is_enabled()
                .await?,
            "a member may not delete an active key"
        );
        click(&c, "dialog[open] button[autofocus]").await?;

        click(&c, &format!("{} [data-test=toggle-status]", row(&access))).await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-status]", row(&access)),
            "inactive",
        )
        .await?;
        let held = server::of(&user_id)?;
        assert_eq!(held[0]["status"], "inactive");
        assert_eq!(held[0]["description"], "laptop (old)");

        click(&c, &format!("{} [data-test=delete]", row(&access))).await?;
        wait_text(&c, "dialog[open] [data-test=confirm-text]", &access).await?;
        fill(&c, "dialog[open] input[name=confirm-access]", "WRONGKEY").await?;
        assert!(
            !find(&c, "dialog[open] .button-danger")
                .await?
                .is_enabled()
                .await?,
            "the key must be typed exactly"
        );
        fill(&c, "dialog[open] input[name=confirm-access]", &access).await?;
        click(&c, "dialog[open] .button-danger").await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        assert!(
            server::of(&user_id)?.is_empty(),
            "the server no longer has it"
        );
        Ok(())
    })
}

#[tokio::test]
async fn an_administrator_deactivates_and_describes_another_users_key() -> TestResult {
    let (user_id, _) = new_member("keys-other")?;
    let access = server::create(&user_id, "ci runner")?;
    with_browser!(|c| {
        open(&c, "/sign-in?next=%2Faccess-keys").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/access-keys").await?;
        fill(&c, "input[name=target-user]", "keys-other").await?;
        click(&c, ".user-picker button[type=submit]").await?;
        wait_text(&c, "[data-test=target-user]", "keys-other").await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-description]", row(&access)),
            "ci runner",
        )
        .await?;

        click(&c, &format!("{} [data-test=toggle-status]", row(&access))).await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-status]", row(&access)),
            "inactive",
        )
        .await?;
        click(
            &c,
            &format!("{} [data-test=edit-description]", row(&access)),
        )
        .await?;
        fill(&c, "input[name=edit-description]", "ci runner, retired").await?;
        click(&c, &format!("{} form button[type=submit]", row(&access))).await?;
        wait_text(
            &c,
            &format!("{} [data-test=key-description]", row(&access)),
            "retired",
        )
        .await?;
        let held = server::of(&user_id)?;
        assert_eq!(held[0]["status"], "inactive");
        assert_eq!(held[0]["description"], "ci runner, retired");

        // An administrator may delete an active key, once they say so.
        let active = server::create(&user_id, "second")?;
        c.refresh().await?;
        click(&c, &format!("{} [data-test=delete]", row(&active))).await?;
        fill(&c, "dialog[open] input[name=confirm-access]", &active).await?;
        assert!(
            !find(&c, "dialog[open] .button-danger")
                .await?
                .is_enabled()
                .await?
        );
        click(&c, "dialog[open] [data-test=override-active]").await?;
        click(&c, "dialog[open] .button-danger").await?;
        for _ in 0..50 {
            if server::of(&user_id)?.len() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(server::of(&user_id)?.len(), 1);
        Ok(())
    })
}

#[tokio::test]
async fn a_third_key_is_refused_with_a_plain_message() -> TestResult {
    let (user_id, password) = new_member("keys-full")?;
    server::create(&user_id, "one")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-full", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "1 of 2 keys").await?;
        // Meanwhile a second key appears elsewhere: the console still believes there is room.
        server::create(&user_id, "two")?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        let message = wait_text(&c, "[role=alert]", "maximum of 2 access keys").await?;
        assert!(message.contains("Delete one"), "{message}");
        assert_eq!(server::of(&user_id)?.len(), 2);
        c.refresh().await?;
        wait_text(&c, "[data-test=key-limit]", "2 of 2 keys").await?;
        assert!(
            !find(&c, "[data-test=create-key]")
                .await?
                .is_enabled()
                .await?,
            "the limit is visible before create"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_member_rotates_their_key_and_a_reload_resumes_the_rotation() -> TestResult {
    let (user_id, password) = new_member("keys-rotate")?;
    let old = server::create(&user_id, "deploy bot")?;
    http()
        .post(format!(
            "{}/test-only/access-keys/{old}/use",
            env().contract
        ))
        .send_json(json!({}))?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-rotate", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        click(&c, &format!("{} [data-test=rotate]", row(&old))).await?;
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "Create the new key",
        )
        .await?;

        click(&c, "[data-test=rotation-create]").await?;
        let (new, secret) = save_secret_from_dialog(&c).await?;
        assert_ne!(new, old);
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "deactivate the old key",
        )
        .await?;

        // A reload mid-way resumes at the same step; the secret was never stored.
        c.refresh().await?;
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "deactivate the old key",
        )
        .await?;
        wait_text(&c, "[data-test=rotation-step]", &new).await?;
        let (session, local, _) = persisted_state(&c).await?;
        assert!(
            session.contains("keyrack.tab.rotation/"),
            "progress is kept for the tab"
        );
        assert!(!session.contains(&secret) && !local.contains(&secret));
        assert!(!c.source().await?.contains(&secret));

        click(&c, "[data-test=rotation-deactivate]").await?;
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "last use",
        )
        .await?;
        wait_text(&c, "[data-test=old-last-use]", "last used at").await?;
        let held = server::of(&user_id)?;
        let status_of = |access: &str| {
            held.iter()
                .find(|k| k["access"] == access)
                .map(|k| k["status"].as_str().unwrap_or_default().to_string())
        };
        assert_eq!(status_of(&old).as_deref(), Some("inactive"));
        assert_eq!(status_of(&new).as_deref(), Some("active"));

        click(&c, "[data-test=rotation-delete]").await?;
        wait_text(&c, "[data-test=rotation-done]", "only the new key remains").await?;
        let held = server::of(&user_id)?;
        assert_eq!(held.len(), 1);
        assert_eq!(held[0]["access"], new.as_str());
        assert_eq!(held[0]["status"], "active");
        Ok(())
    })
}

#[tokio::test]
async fn a_full_key_list_makes_room_and_a_lost_secret_is_explained_then_cancel_is_consistent(
) -> TestResult {
    let (user_id, password) = new_member("keys-rotate-full")?;
    let old = server::create(&user_id, "old")?;
    let spare = server::create(&user_id, "spare")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-rotate-full", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        click(&c, &format!("{} [data-test=rotate]", row(&old))).await?;
        // Two keys: the spare must go first (deactivated, then deleted).
        wait_text(&c, "[data-test=make-room]", &format!("Deactivate {spare}")).await?;
        click(&c, "[data-test=make-room]").await?;
        wait_text(
            &c,
            "[data-test=make-room]",
            &format!("Delete inactive key {spare}"),
        )
        .await?;
        click(&c, "[data-test=make-room]").await?;
        click(&c, "[data-test=rotation-create]").await?;
        find(&c, "dialog[open][data-test=secret-dialog]").await?;

        // Reloading with the secret still unsaved loses it: the wizard says so.
        c.refresh().await?;
        wait_text(&c, "[data-test=secret-lost]", "only ever shown once").await?;
        click(&c, "[data-test=rotation-cancel]").await?;
        wait_gone(&c, "[data-test=rotation]").await?;
        let held = server::of(&user_id)?;
        assert_eq!(held.len(), 2, "the old and the new key remain: {held:?}");
        assert!(held
            .iter()
            .any(|k| k["access"] == old.as_str() && k["status"] == "active"));
        let (session, _, _) = persisted_state(&c).await?;
        assert!(
            !session.contains("keyrack.tab.rotation/"),
            "cancel clears the progress"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_401_while_creating_a_key_returns_to_the_description_as_typed() -> TestResult {
    let (user_id, password) = new_member("keys-draft")?;
    server::clear(&user_id)?;
    let typed = "typed before the session ended";
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-draft", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", typed).await?;

        // The service refuses this token (as once Keystone no longer accepts it).
        faults::inject(
            json!({"label": "key-draft-401", "token": stored_token(&c).await?,
            "method": "POST", "path_prefix": "/v3.0/OS-CREDENTIAL/credentials",
            "status": 401, "count": 1}),
        )?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        wait_route(&c, "/sign-in?next=%2Faccess-keys").await?;
        sign_in_with_password(&c, "keys-draft", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        keyrack_e2e::open_create_form(&c).await?;
        let description = find(&c, "input[name=key-description]")
            .await?
            .prop("value")
            .await?;
        assert_eq!(description.as_deref(), Some(typed));
        assert!(server::of(&user_id)?.is_empty(), "no key was created");
        Ok(())
    })
}

#[tokio::test]
async fn a_rotation_is_kept_for_its_cloud_and_user_and_forgotten_on_signing_out() -> TestResult {
    let (_, password) = new_member("keys-rotate-forget")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "keys-rotate-forget", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "0 of 2 keys").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", "to rotate").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        let (old, _) = save_secret_from_dialog(&c).await?;
        click(&c, &format!("{} [data-test=rotate]", row(&old))).await?;
        find(&c, "[data-test=rotation]").await?;
        let (session, _, _) = persisted_state(&c).await?;
        assert!(session.contains("keyrack.tab.rotation/0/"), "{session}");

        click(&c, "[data-test=sign-out]").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        let (session, _, _) = persisted_state(&c).await?;
        assert!(
            !session.contains("rotation"),
            "forgotten on signing out: {session}"
        );

        // The same user on the other cloud of this console (the same key service): nothing to
        // resume, and the key can be rotated afresh.
        open(&c, "/access-keys").await?;
        find(&c, "select[name=cloud]")
            .await?
            .select_by_value("1")
            .await?;
        sign_in_with_password(&c, "keys-rotate-forget", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "1 of 2 keys").await?;
        find(&c, &row(&old)).await?;
        assert!(
            c.find(fantoccini::Locator::Css("[data-test=rotation]"))
                .await
                .is_err(),
            "no rotation of another session is resumed"
        );
        Ok(())
    })
}

/// An administrator who started rotating user A's key and then turns to user B sees no rotation
/// on B's page, so nothing of A's rotation ("make room", deactivate, delete) can touch B's keys;
/// A's rotation is still there on A's page.
#[tokio::test]
async fn a_rotation_follows_the_user_it_was_started_for() -> TestResult {
    let (a, _) = new_member("keys-rotation-a")?;
    let (b, _) = new_member("keys-rotation-b")?;
    let a_key = server::create(&a, "a's only key")?;
    let b_keys = [server::create(&b, "b one")?, server::create(&b, "b two")?];
    with_browser!(|c| {
        open(&c, &format!("/access-keys?user_id={a}")).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_text(&c, "[data-test=target-user]", "keys-rotation-a").await?;
        click(&c, &format!("{} [data-test=rotate]", row(&a_key))).await?;
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "Create the new key",
        )
        .await?;

        fill(&c, "input[name=target-user]", "keys-rotation-b").await?;
        click(&c, ".user-picker button[type=submit]").await?;
        wait_text(&c, "[data-test=target-user]", "keys-rotation-b").await?;
        find(&c, &row(&b_keys[1])).await?;
        assert!(
            c.find(fantoccini::Locator::Css("[data-test=rotation]"))
                .await
                .is_err(),
            "B's page shows A's rotation"
        );
        let held = server::of(&b)?;
        assert_eq!(held.len(), 2);
        assert!(held.iter().all(|k| k["status"] == "active"), "{held:?}");

        open(&c, &format!("/access-keys?user_id={a}")).await?;
        wait_text(
            &c,
            "[data-test=rotation-steps] [aria-current=step]",
            "Create the new key",
        )
        .await?;
        Ok(())
    })
}
