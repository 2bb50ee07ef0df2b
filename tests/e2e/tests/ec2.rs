//! The EC2 credentials view, in headless Chromium: Keystone v3 OS-EC2 against the real Keystone,
//! and the v2.0 OS-KSADM extension against the contract test server.

use fantoccini::Locator;
use keyrack_e2e::{
    choose_method, click, env, fill, find, hold_requests, http, keystone, open, release_requests,
    save_secret_from_dialog, script, sign_in_with_password, wait_gone, wait_route, wait_text,
    with_browser, Hold, TestResult, ALICE,
};
use serde_json::{json, Value};

/// The access keys Keystone holds for a user, asked with an admin token.
fn keystone_access_keys(
    user_id: &str,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error + Send + Sync>> {
    let admin = keystone::admin_token()?;
    let list = keystone::get(&admin, &format!("/users/{user_id}/credentials/OS-EC2"))?;
    Ok(list["credentials"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| {
                    (
                        c["access"].as_str().unwrap_or_default().to_string(),
                        c["tenant_id"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn a_member_creates_reveals_downloads_and_deletes_their_own_ec2_credential() -> TestResult {
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    with_browser!(|c| {
        open(&c, "/ec2").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "[data-test=target-user]", "alice (you)").await?;
        find(&c, "[data-test=ec2-table]").await?;
        assert!(
            c.find(Locator::Css("input[name=target-user]"))
                .await
                .is_err(),
            "a member is not offered other users"
        );

        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-ec2]").await?;
        let dialog_text = find(&c, "dialog[open][data-test=secret-dialog]")
            .await?
            .text()
            .await?;
        assert!(
            dialog_text.contains("only time the secret is shown"),
            "{dialog_text}"
        );
        assert!(dialog_text.contains("aws_access_key_id"), "{dialog_text}");
        assert!(
            dialog_text.contains("export AWS_SECRET_ACCESS_KEY="),
            "{dialog_text}"
        );
        click(&c, "[data-test=secret-download]").await?;
        let (access, secret) = save_secret_from_dialog(&c).await?;
        assert_eq!(access.len(), 32, "{access}");
        assert_eq!(secret.len(), 32);
        assert!(
            keystone_access_keys(&alice_id)?
                .iter()
                .any(|(a, _)| a == &access),
            "Keystone holds it"
        );

        let row = format!("[data-test=ec2-row][data-access='{access}']");
        let masked = wait_text(&c, &format!("{row} [data-test=ec2-secret]"), "••••").await?;
        assert!(!masked.contains(&secret));
        click(&c, &format!("{row} [data-test=reveal]")).await?;
        wait_text(&c, &format!("{row} [data-test=ec2-secret]"), &secret).await?;
        click(&c, &format!("{row} [data-test=reveal]")).await?;
        wait_text(&c, &format!("{row} [data-test=ec2-secret]"), "••••").await?;

        click(&c, &format!("{row} [data-test=delete]")).await?;
        let question = wait_text(&c, "dialog[open] [data-test=confirm-text]", &access).await?;
        assert!(question.contains("will be deleted"), "{question}");
        click(&c, "dialog[open] .button-danger").await?;
        wait_gone(&c, &row).await?;
        assert!(
            !keystone_access_keys(&alice_id)?
                .iter()
                .any(|(a, _)| a == &access),
            "Keystone no longer has it"
        );
        Ok(())
    })
}

#[tokio::test]
async fn an_administrator_creates_an_ec2_credential_for_another_user() -> TestResult {
    let alice_token = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let alice_id = keystone::whoami(&alice_token)?;
    let demo_id = keystone::get(&alice_token, "/auth/projects")?["projects"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    with_browser!(|c| {
        open(&c, "/sign-in?next=%2Fec2").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "[data-test=target-user]", "admin (you)").await?;
        fill(&c, "input[name=target-user]", "alice").await?;
        click(&c, ".user-picker button[type=submit]").await?;
        wait_text(&c, "[data-test=target-user]", "alice").await?;
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-ec2]").await?;
        let (access, _) = save_secret_from_dialog(&c).await?;
        let held = keystone_access_keys(&alice_id)?;
        assert!(
            held.contains(&(access.clone(), demo_id.clone())),
            "alice's credential, for project demo: {held:?}"
        );
        find(&c, &format!("[data-test=ec2-row][data-access='{access}']")).await?;
        Ok(())
    })
}

#[tokio::test]
async fn an_application_credential_sign_in_may_not_create_ec2_credentials() -> TestResult {
    let token = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let (id, secret) =
        keystone::application_credential(&token, &format!("e2e-ec2-{}", std::process::id()))?;
    with_browser!(|c| {
        open(&c, "/sign-in?next=%2Fec2").await?;
        choose_method(&c, "application-credential").await?;
        fill(&c, "input[name=app-cred-id]", &id).await?;
        fill(&c, "input[name=app-cred-secret]", &secret).await?;
        click(&c, "form button[type=submit]").await?;
        wait_route(&c, "/ec2").await?;
        keyrack_e2e::open_create_form(&c).await?;
        let why = wait_text(&c, "[data-test=create-refused]", "application credential").await?;
        assert!(why.contains("Sign in with your password"), "{why}");
        assert!(
            !find(&c, "[data-test=create-ec2]")
                .await?
                .is_enabled()
                .await?
        );

        // The Credentials page's ec2 form refuses it too, and sends nothing.
        click(&c, "header nav a[href$='/credentials']").await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "[data-test=create-credential]").await?;
        hold_requests(&c, "POST", "/v3/credentials", 1, Hold::Answer).await?;
        // The project is the token's own, chosen already.
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        let why = wait_text(&c, "[role=alert]", "application credential").await?;
        assert!(why.contains("Sign in with your password"), "{why}");
        assert_eq!(release_requests(&c).await?, 0, "nothing was sent");
        Ok(())
    })
}

#[tokio::test]
async fn an_ec2_credential_on_the_credentials_page_needs_a_real_project() -> TestResult {
    with_browser!(|c| {
        // An administrator types the project id (a member chooses: see the next test).
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "[data-test=create-credential]").await?;
        hold_requests(&c, "POST", "/v3/credentials", 1, Hold::Answer).await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-project]", "   ").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[role=alert]", "An ec2 credential needs a project.").await?;
        assert_eq!(release_requests(&c).await?, 0, "nothing was sent");
        Ok(())
    })
}

/// The contract server's OS-KSADM credential of a user, as an admin sees it.
fn ksadm_credential(
    user_id: &str,
) -> Result<Option<Value>, Box<dyn std::error::Error + Send + Sync>> {
    let admin = keystone::admin_token()?;
    let mut response = http()
        .get(format!(
            "{}/v2.0/users/{user_id}/OS-KSADM/credentials",
            env().contract
        ))
        .header("X-Auth-Token", &admin)
        .call()?;
    let body: Value = response.body_mut().read_json()?;
    Ok(body["credentials"]
        .as_array()
        .and_then(|all| all.first())
        .cloned())
}

fn ksadm_request(
    method: &str,
    user_id: &str,
    body: Option<Value>,
) -> Result<u16, Box<dyn std::error::Error + Send + Sync>> {
    let admin = keystone::admin_token()?;
    let agent = http();
    let url = format!(
        "{}/v2.0/users/{user_id}/OS-KSADM/credentials",
        env().contract
    );
    let status = match (method, body) {
        ("POST", Some(body)) => agent
            .post(url)
            .header("X-Auth-Token", &admin)
            .send_json(body)?
            .status(),
        ("DELETE", _) => agent
            .delete(format!("{url}/OS-KSEC2:ec2Credentials"))
            .header("X-Auth-Token", &admin)
            .call()?
            .status(),
        _ => return Err("unsupported".into()),
    };
    Ok(status.as_u16())
}

#[tokio::test]
async fn the_legacy_v2_extension_grants_gets_updates_and_deletes_with_clear_errors() -> TestResult {
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let _ = ksadm_request("DELETE", &alice_id, None)?;
    with_browser!(|c| {
        open(&c, "/sign-in?next=%2Fec2").await?;
        find(&c, "select[name=cloud]")
            .await?
            .select_by_value("1")
            .await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "[data-test=ec2-empty]", "has no EC2 credential yet").await?;

        // 409: someone granted one meanwhile.
        let documented = serde_json::json!({"OS-KSEC2-ec2Credentials": {"username": "alice", "secret": "from-elsewhere", "signature": "x"}});
        assert_eq!(ksadm_request("POST", &alice_id, Some(documented))?, 201);
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        let conflict = wait_text(&c, "[role=alert]", "Granting failed").await?;
        assert!(
            conflict.contains("conflicts with something that already exists"),
            "{conflict}"
        );
        assert_eq!(ksadm_request("DELETE", &alice_id, None)?, 204);

        // Grant, with a secret generated in the browser.
        c.refresh().await?;
        wait_text(&c, "[data-test=ec2-empty]", "has no EC2 credential yet").await?;
        fill(&c, "input[name=ksadm-signature]", "sig-1").await?;
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        let (username, secret) = save_secret_from_dialog(&c).await?;
        assert_eq!(username, "alice");
        assert_eq!(secret.len(), 40);
        let held = ksadm_credential(&alice_id)?.ok_or("the server holds no credential")?;
        assert_eq!(held["OS-KSEC2-ec2Credentials"]["secret"], secret.as_str());
        assert_eq!(held["OS-KSEC2-ec2Credentials"]["signature"], "sig-1");

        // Get: revealing reads the credential afresh.
        wait_text(&c, "[data-test=ksadm-username]", "alice").await?;
        click(&c, "[data-test=reveal]").await?;
        wait_text(&c, "[data-test=ec2-secret]", &secret).await?;

        // Update.
        click(&c, "[data-test=edit]").await?;
        fill(&c, "input[name=ksadm-secret]", "rotated-secret-value").await?;
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        let (_, rotated) = save_secret_from_dialog(&c).await?;
        assert_eq!(rotated, "rotated-secret-value");
        let held = ksadm_credential(&alice_id)?.ok_or("the server holds no credential")?;
        assert_eq!(
            held["OS-KSEC2-ec2Credentials"]["secret"],
            "rotated-secret-value"
        );

        // 404: it was deleted behind the console's back.
        assert_eq!(ksadm_request("DELETE", &alice_id, None)?, 204);
        click(&c, "[data-test=reveal]").await?;
        let missing = wait_text(&c, "[role=alert]", "Reading the credential failed").await?;
        assert!(missing.contains("Not found"), "{missing}");

        // 400: the server refuses the body.
        c.refresh().await?;
        wait_text(&c, "[data-test=ec2-empty]", "has no EC2 credential yet").await?;
        let fault = serde_json::json!({"path_prefix": "/v2.0/", "status": 400, "count": 1});
        ureq::post(format!("{}/test-only/faults", env().contract)).send_json(fault)?;
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        let invalid = wait_text(&c, "[role=alert]", "Granting failed").await?;
        assert!(
            invalid.contains("rejected the request as invalid"),
            "{invalid}"
        );

        // Delete, confirmed by name.
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        save_secret_from_dialog(&c).await?;
        click(&c, "[data-test=delete]").await?;
        wait_text(&c, "dialog[open] [data-test=confirm-text]", "alice").await?;
        click(&c, "dialog[open] .button-danger").await?;
        wait_text(&c, "[data-test=ec2-empty]", "has no EC2 credential yet").await?;
        assert!(
            ksadm_credential(&alice_id)?.is_none(),
            "the server no longer has it"
        );

        // "Update…" opened, then the credential deleted: the form shown grants (no reload needed).
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        save_secret_from_dialog(&c).await?;
        click(&c, "[data-test=edit]").await?;
        click(&c, "[data-test=delete]").await?;
        click(&c, "dialog[open] .button-danger").await?;
        wait_text(&c, "[data-test=ec2-empty]", "has no EC2 credential yet").await?;
        wait_text(&c, "[data-test=ksadm-form] button[type=submit]", "Grant").await?;
        click(&c, "[data-test=ksadm-form] button[type=submit]").await?;
        save_secret_from_dialog(&c).await?;
        assert!(
            ksadm_credential(&alice_id)?.is_some(),
            "granted after an update form was open"
        );
        assert_eq!(ksadm_request("DELETE", &alice_id, None)?, 204);
        Ok(())
    })
}

/// A member may put a credential only in a project they have a role on: the Credentials page
/// offers exactly those (Keystone's own list), for a new credential and for a re-created one.
#[tokio::test]
async fn a_member_chooses_only_among_projects_they_have_a_role_on() -> TestResult {
    let token = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let alice = keystone::whoami(&token)?;
    let theirs = keystone::get(
        &keystone::admin_token()?,
        &format!("/users/{alice}/projects"),
    )?;
    let mut expected: Vec<String> = theirs["projects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    expected.sort();
    expected.insert(0, String::new());
    let offered = |c: &fantoccini::Client, name: &'static str| {
        let c = c.clone();
        async move {
            let values = script(
                &c,
                &format!(
                    "const s = document.querySelector('select[name={name}]');
                     return s ? Array.from(s.options).map(o => o.value) : null;"
                ),
            )
            .await?;
            let mut values: Vec<String> = values
                .as_array()
                .ok_or(format!("no project choice {name}, only a text field"))?
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            values.sort();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(values)
        }
    };
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "[data-test=create-credential]").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "select[name=new-project]").await?;
        assert_eq!(offered(&c, "new-project").await?, expected);
        assert!(
            c.find(fantoccini::Locator::Css("input[name=new-project]"))
                .await
                .is_err(),
            "no free text"
        );

        // Changing a credential's project offers the same choice.
        let note = keystone::admin_post(
            "/credentials",
            json!({"credential": {"type": "project-choice-e2e", "blob": "{}", "user_id": alice}}),
        )?;
        let id = note["credential"]["id"]
            .as_str()
            .ok_or("no credential id")?;
        open(&c, &format!("/credentials/{id}")).await?;
        click(&c, "[data-test=recreate]").await?;
        find(&c, "select[name=recreate-project]").await?;
        assert_eq!(offered(&c, "recreate-project").await?, expected);
        Ok(())
    })
}
