//! Writes outlive their page: each answer is held as on a slow network, and the user leaves the
//! page (or signs out) before it arrives. The outcome must still reach them wherever they are,
//! every one-time secret exactly once, nothing may panic (every test's audit fails on a panic),
//! and no late answer may move the user to another page.

use keyrack_e2e::access_keys as server;
use keyrack_e2e::{
    click, count_secret_dialogs, env, fill, find, hold_requests, http, keystone, open,
    release_requests, save_secret_from_dialog, script, secret_dialogs_drawn, sign_in_with_password,
    wait_route, wait_text, with_browser, Hold, TestResult, ALICE,
};
use serde_json::{json, Value};
use std::error::Error;
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// How long an answer is held: long enough to leave the page before it arrives.
const SLOW_MS: u64 = 2500;

/// A member of project demo of its own (made again if an earlier run left it), without keys.
fn member(name: &str) -> Result<(String, String)> {
    let password = format!("{name}-password");
    let admin = keystone::admin_token()?;
    let user_id = match keystone::create_member(name, &password) {
        Ok(id) => id,
        Err(_) => keystone::get(&admin, &format!("/users?name={name}"))?["users"][0]["id"]
            .as_str()
            .ok_or("no such user")?
            .to_string(),
    };
    server::clear(&user_id)?;
    Ok((user_id, password))
}

/// Leaves the page by the header's link to `route`, and waits until the address says so.
async fn leave_to(c: &fantoccini::Client, route: &str) -> TestResult {
    click(c, &format!("header nav a[href$='{route}']")).await?;
    wait_route(c, route).await
}

/// The address stays `route` while late answers arrive.
async fn stays_at(c: &fantoccini::Client, route: &str) -> TestResult {
    tokio::time::sleep(Duration::from_millis(SLOW_MS + 500)).await;
    wait_route(c, route).await
}

#[tokio::test]
async fn an_access_key_created_while_the_user_left_shows_its_secret_once_where_they_are(
) -> TestResult {
    let (user_id, password) = member("ops-keys")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "ops-keys", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "0 of 2 keys").await?;
        count_secret_dialogs(&c).await?;
        hold_requests(
            &c,
            "POST",
            "/v3.0/OS-CREDENTIAL/credentials",
            SLOW_MS,
            Hold::Answer,
        )
        .await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", "made while away").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        leave_to(&c, "/credentials").await?;

        // The answer arrives on the Credentials page: the dialog opens there.
        let (access, secret) = save_secret_from_dialog(&c).await?;
        wait_route(&c, "/credentials").await?;
        let held = server::of(&user_id)?;
        assert_eq!(held.len(), 1, "{held:?}");
        assert_eq!(held[0]["access"], access.as_str());
        assert_eq!(release_requests(&c).await?, 1);

        leave_to(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "1 of 2 keys").await?;
        let typed = script(
            &c,
            "return document.querySelector('input[name=key-description]').value;",
        )
        .await?;
        assert_eq!(
            typed,
            json!(""),
            "the description was sent, so the form is empty"
        );
        assert!(!c.source().await?.contains(&secret));
        assert_eq!(
            secret_dialogs_drawn(&c).await?,
            1,
            "the secret is shown once"
        );
        Ok(())
    })
}

#[tokio::test]
async fn each_rotation_step_answered_after_the_user_left_resumes_where_the_server_is() -> TestResult
{
    let (user_id, password) = member("ops-rotate")?;
    let old = server::create(&user_id, "deploy bot")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "ops-rotate", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        count_secret_dialogs(&c).await?;
        click(&c, &format!("[data-access='{old}'] [data-test=rotate]")).await?;
        let current = "[data-test=rotation-steps] [aria-current=step]";
        wait_text(&c, current, "Create the new key").await?;

        // Create: the secret shows on the page the user went to; saving it moves the rotation on.
        hold_requests(
            &c,
            "POST",
            "/v3.0/OS-CREDENTIAL/credentials",
            SLOW_MS,
            Hold::Answer,
        )
        .await?;
        click(&c, "[data-test=rotation-create]").await?;
        leave_to(&c, "/credentials").await?;
        let (new, _) = save_secret_from_dialog(&c).await?;
        assert_ne!(new, old);
        leave_to(&c, "/access-keys").await?;
        wait_text(&c, current, "deactivate the old key").await?;

        // Deactivate, answered while the user is elsewhere.
        hold_requests(&c, "PUT", &old, SLOW_MS, Hold::Answer).await?;
        click(&c, "[data-test=rotation-deactivate]").await?;
        leave_to(&c, "/credentials").await?;
        tokio::time::sleep(Duration::from_millis(SLOW_MS)).await;
        leave_to(&c, "/access-keys").await?;
        wait_text(&c, current, "last use").await?;

        // Delete: its toast reaches the user on the other page.
        hold_requests(&c, "DELETE", &old, SLOW_MS, Hold::Answer).await?;
        click(&c, "[data-test=rotation-delete]").await?;
        leave_to(&c, "/credentials").await?;
        wait_text(&c, ".toast", &format!("Rotation done: {old} is deleted.")).await?;
        wait_route(&c, "/credentials").await?;
        leave_to(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=rotation-done]", "only the new key remains").await?;
        let held = server::of(&user_id)?;
        assert_eq!(held.len(), 1, "{held:?}");
        assert_eq!(held[0]["access"], new.as_str());
        assert_eq!(held[0]["status"], "active");
        assert_eq!(secret_dialogs_drawn(&c).await?, 1);
        Ok(())
    })
}

#[tokio::test]
async fn a_credential_of_each_type_created_while_the_user_left_is_told_where_they_are() -> TestResult
{
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let custom_type = format!("left-{}", std::process::id());
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "[data-test=create-credential]").await?;
        count_secret_dialogs(&c).await?;
        hold_requests(&c, "POST", "/v3/credentials", SLOW_MS, Hold::Answer).await?;
        let mut made = Vec::new();
        for kind in ["ec2", "totp", "cert", "custom"] {
            keyrack_e2e::open_create_form(&c).await?;
            find(&c, "select[name=new-type]")
                .await?
                .select_by_value(kind)
                .await?;
            match kind {
                "cert" => {
                    let pem = "-----BEGIN CERTIFICATE-----\nMIIBleft\n-----END CERTIFICATE-----\n";
                    keyrack_e2e::open_create_form(&c).await?;
                    fill(&c, "textarea[name=new-pem]", pem).await?;
                }
                "custom" => {
                    keyrack_e2e::open_create_form(&c).await?;
                    fill(&c, "input[name=new-custom-type]", &custom_type).await?;
                    keyrack_e2e::open_create_form(&c).await?;
                    fill(&c, "textarea[name=new-blob]", "{\"left\": true}").await?;
                }
                _ => {}
            }
            keyrack_e2e::open_create_form(&c).await?;
            click(&c, "[data-test=create-submit]").await?;
            leave_to(&c, "/ec2").await?;
            match kind {
                "ec2" | "totp" => {
                    let (value, _) = save_secret_from_dialog(&c).await?;
                    made.push((kind.to_string(), value));
                }
                "cert" => {
                    wait_text(&c, ".toast", "Created cert credential").await?;
                }
                _ => {
                    wait_text(&c, ".toast", &format!("Created {custom_type} credential")).await?;
                }
            }
            wait_route(&c, "/ec2").await?;
            leave_to(&c, "/credentials").await?;
            keyrack_e2e::open_create_form(&c).await?;
            find(&c, "[data-test=create-credential]").await?;
        }
        assert_eq!(release_requests(&c).await?, 4);
        assert_eq!(
            secret_dialogs_drawn(&c).await?,
            2,
            "ec2 and totp, once each"
        );
        let held = keystone::get(&admin, &format!("/credentials?user_id={admin_id}"))?;
        let held = held["credentials"].as_array().cloned().unwrap_or_default();
        let (ec2_access, totp_seed) = (&made[0].1, &made[1].1);
        assert!(held.iter().any(|c| c["type"] == "ec2"
            && c["blob"]
                .as_str()
                .unwrap_or_default()
                .contains(ec2_access.as_str())));
        assert!(held
            .iter()
            .any(|c| c["type"] == "totp" && c["blob"] == totp_seed.as_str()));
        assert_eq!(
            held.iter()
                .filter(|c| c["type"] == custom_type.as_str())
                .count(),
            1,
            "created once"
        );
        Ok(())
    })
}

#[tokio::test]
async fn ec2_and_legacy_grants_answered_after_the_user_left_show_their_secret_once() -> TestResult {
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let (legacy_id, legacy_password) = member("ops-legacy")?;
    with_browser!(|c| {
        open(&c, "/ec2").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        count_secret_dialogs(&c).await?;
        hold_requests(&c, "POST", "/credentials/OS-EC2", SLOW_MS, Hold::Answer).await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-ec2]").await?;
        leave_to(&c, "/access-keys").await?;
        let (access, _) = save_secret_from_dialog(&c).await?;
        wait_route(&c, "/access-keys").await?;
        let admin = keystone::admin_token()?;
        keystone::get(
            &admin,
            &format!("/users/{alice_id}/credentials/OS-EC2/{access}"),
        )?;
        assert_eq!(secret_dialogs_drawn(&c).await?, 1);
        click(&c, "[data-test=sign-out]").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;

        // The legacy v2.0 extension, on the second cloud.
        open(&c, "/ec2").await?;
        find(&c, "select[name=cloud]")
            .await?
            .select_by_value("1")
            .await?;
        sign_in_with_password(&c, "ops-legacy", &legacy_password, None).await?;
        wait_route(&c, "/ec2").await?;
        find(&c, "[data-test=ksadm-form]").await?;
        count_secret_dialogs(&c).await?;
        hold_requests(&c, "POST", "OS-KSADM", SLOW_MS, Hold::Answer).await?;
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        leave_to(&c, "/access-keys").await?;
        let (username, secret) = save_secret_from_dialog(&c).await?;
        assert_eq!(username, "ops-legacy");
        assert!(!secret.is_empty());
        wait_route(&c, "/access-keys").await?;
        assert_eq!(secret_dialogs_drawn(&c).await?, 1);
        let mut granted = http()
            .get(format!(
                "{}/v2.0/users/{legacy_id}/OS-KSADM/credentials",
                env().contract
            ))
            .header("X-Auth-Token", &admin)
            .call()?;
        let granted: Value = granted.body_mut().read_json()?;
        assert!(granted.to_string().contains(&secret), "{granted}");
        Ok(())
    })
}

#[tokio::test]
async fn deletes_answered_after_the_user_left_are_told_and_never_pull_them_back() -> TestResult {
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let project = keystone::project_id("admin")?;
    let note = |n: u32| {
        keystone::admin_post(
            "/credentials",
            json!({"credential": {"type": "left-note", "user_id": admin_id, "blob": format!("{{\"n\": {n}}}")}}),
        )
        .map(|c| c["credential"]["id"].as_str().unwrap_or_default().to_string())
    };
    let (single, bulk) = (note(1)?, note(2)?);
    let pair = keystone::admin_post(
        &format!("/users/{admin_id}/credentials/OS-EC2"),
        json!({ "tenant_id": project }),
    )?;
    let access = pair["credential"]["access"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    with_browser!(|c| {
        // A credential's own page: deleted while the user is on the EC2 page.
        open(&c, &format!("/credentials/{single}")).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, &format!("/credentials/{single}")).await?;
        wait_text(&c, "[data-test=credential-type]", "left-note").await?;
        hold_requests(&c, "DELETE", &single, SLOW_MS, Hold::Answer).await?;
        click(&c, "[data-test=delete]").await?;
        click(&c, "dialog[open] .button-danger").await?;
        leave_to(&c, "/ec2").await?;
        wait_text(&c, ".toast", &format!("Credential {single} deleted.")).await?;
        stays_at(&c, "/ec2").await?;

        // An EC2 credential, deleted while the user is on Credentials. (The toast, read, is
        // dismissed: in the corner, it covers the last rows' buttons.)
        script(
            &c,
            "document.querySelectorAll('.toast-close').forEach(b => b.click()); return 0;",
        )
        .await?;
        find(&c, &format!("[data-test=ec2-row][data-access='{access}']")).await?;
        hold_requests(&c, "DELETE", &access, SLOW_MS, Hold::Answer).await?;
        click(
            &c,
            &format!("[data-test=ec2-row][data-access='{access}'] [data-test=delete]"),
        )
        .await?;
        click(&c, "dialog[open] .button-danger").await?;
        leave_to(&c, "/credentials").await?;
        wait_text(&c, ".toast", &format!("EC2 credential {access} deleted.")).await?;

        // A bulk delete, while the user is on the access keys page.
        fill(&c, "input[name=search]", "left-note").await?;
        click(&c, &format!("input[aria-label='Select {bulk}']")).await?;
        hold_requests(&c, "DELETE", &bulk, SLOW_MS, Hold::Answer).await?;
        click(&c, "[data-test=bulk-delete]").await?;
        click(&c, "dialog[open] .button-danger").await?;
        leave_to(&c, "/access-keys").await?;
        wait_text(&c, ".toast", "1 credentials deleted.").await?;
        stays_at(&c, "/access-keys").await?;

        for id in [&single, &bulk] {
            let status = http()
                .get(format!("{}/credentials/{id}", env().identity))
                .header("X-Auth-Token", &admin)
                .call()?
                .status();
            assert_eq!(status.as_u16(), 404, "{id} is deleted");
        }
        Ok(())
    })
}

#[tokio::test]
async fn lookups_and_frames_that_come_after_the_user_left_do_nothing() -> TestResult {
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        hold_requests(&c, "GET", "/v3/users?name=", SLOW_MS, Hold::Answer).await?;

        // The user-name filter of Credentials, answered on the EC2 page.
        fill(&c, "input[name=filter-user]", ALICE.0).await?;
        click(&c, ".filters form button[type=submit]").await?;
        leave_to(&c, "/ec2").await?;
        stays_at(&c, "/ec2").await?;

        // The user picker, answered on the access keys page.
        fill(&c, "input[name=target-user]", ALICE.0).await?;
        click(&c, ".user-picker form button[type=submit]").await?;
        leave_to(&c, "/access-keys").await?;
        stays_at(&c, "/access-keys").await?;

        // The credentials table measures its rows in the frame after they are drawn; with frames
        // slow, the page is gone by then.
        script(
            &c,
            "window.requestAnimationFrame = callback => setTimeout(() => callback(performance.now()), 1500);
             window.cancelAnimationFrame = id => clearTimeout(id);
             return 0;",
        )
        .await?;
        leave_to(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        leave_to(&c, "/ec2").await?;
        tokio::time::sleep(Duration::from_millis(2000)).await;
        // Still working: the next page draws and answers.
        leave_to(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        Ok(())
    })
}

#[tokio::test]
async fn signing_out_with_a_write_under_way_asks_and_its_outcome_still_reaches_the_user(
) -> TestResult {
    let (user_id, password) = member("ops-sign-out")?;
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, "ops-sign-out", &password, None).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "0 of 2 keys").await?;
        count_secret_dialogs(&c).await?;
        hold_requests(
            &c,
            "POST",
            "/v3.0/OS-CREDENTIAL/credentials",
            SLOW_MS,
            Hold::Answer,
        )
        .await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        click(&c, "[data-test=sign-out]").await?;
        wait_text(
            &c,
            "dialog[open] [data-test=unfinished]",
            "Creating an access key",
        )
        .await?;
        click(&c, "dialog[open] .button-primary").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        let (access, _) = save_secret_from_dialog(&c).await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        let held = server::of(&user_id)?;
        assert_eq!(held.len(), 1, "{held:?}");
        assert_eq!(held[0]["access"], access.as_str());
        assert_eq!(secret_dialogs_drawn(&c).await?, 1);

        // A request that reaches Keystone only after signing out revoked its token: its 401 is
        // about that old token, not the session there is now ("signed out" stays what is said).
        open(&c, "/ec2").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        hold_requests(&c, "POST", "/credentials/OS-EC2", SLOW_MS, Hold::Request).await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-ec2]").await?;
        click(&c, "[data-test=sign-out]").await?;
        wait_text(
            &c,
            "dialog[open] [data-test=unfinished]",
            "Creating an EC2 credential",
        )
        .await?;
        click(&c, "dialog[open] .button-primary").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        wait_text(&c, ".toast", "Creating an EC2 credential failed").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        Ok(())
    })
}
