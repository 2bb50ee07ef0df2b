//! Sign-in, session and app shell, in headless Chromium against the real local Keystone.
//! The console under test is served under the sub-path `/console`, as from a CDN.

use keyrack_e2e::{
    choose_method, click, env, fill, find, keystone, open, persisted_state, script,
    sign_in_with_password, stored_token, wait_route, wait_text, with_browser, ExtraConsole,
    TestResult, ALICE,
};

#[tokio::test]
async fn password_sign_in_shows_who_and_sign_out_revokes_the_token() -> TestResult {
    with_browser!(|c| {
        open(&c, "/").await?;
        wait_route(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-user]", "alice (Default)").await?;
        wait_text(&c, "[data-test=session-project]", "demo").await?;
        wait_text(&c, "[data-test=session-roles]", "member").await?;
        wait_text(&c, "[data-test=session-mode]", "Self-service").await?;
        let remaining = wait_text(&c, "[data-test=session-remaining]", "left").await?;
        assert!(remaining.contains("min"), "about an hour left: {remaining}");

        let token = stored_token(&c).await?;
        assert_eq!(keystone::validation_status(&token)?, 200);
        let (session, local, cookies) = persisted_state(&c).await?;
        assert!(
            session.contains(&token),
            "the token is kept in sessionStorage"
        );
        assert!(!local.contains(&token), "nothing in localStorage: {local}");
        assert!(!cookies.contains(&token), "no cookie carries the token");
        assert!(!c.current_url().await?.as_str().contains(&token));

        click(&c, "[data-test=sign-out]").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        let (session, _, _) = persisted_state(&c).await?;
        assert!(
            !session.contains(&token),
            "sign-out wipes the stored session"
        );
        // Revocation runs right after the local sign-out; give it a moment to reach Keystone.
        assert_eq!(
            keystone::status_once_refused(&token).await?,
            404,
            "Keystone refuses the old token after sign-out"
        );
        Ok(())
    })
}

#[tokio::test]
async fn an_administrator_signs_in_to_a_chosen_project_in_admin_mode() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-mode]", "Administrator").await?;
        wait_text(&c, "[data-test=session-roles]", "admin").await?;
        wait_text(&c, "[data-test=session-project]", "admin").await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_wrong_password_gets_a_clear_message_and_keeps_the_form() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, "not-her-password", None).await?;
        let message = wait_text(&c, "[role=alert]", "Signing in failed").await?;
        assert!(message.contains("not valid"), "{message}");
        assert!(message.contains("Request ID"), "{message}");
        assert_eq!(
            find(&c, "input[name=user]")
                .await?
                .prop("value")
                .await?
                .as_deref(),
            Some("alice")
        );
        assert!(c.current_url().await?.as_str().ends_with("/sign-in"));
        let (session, _, _) = persisted_state(&c).await?;
        assert!(!session.contains("keyrack.session"));
        Ok(())
    })
}

#[tokio::test]
async fn an_existing_token_signs_in_and_an_unknown_one_is_refused() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        choose_method(&c, "token").await?;
        fill(&c, "input[name=token]", "gAAAAABnot-a-real-token").await?;
        click(&c, "form button[type=submit]").await?;
        let message = wait_text(&c, "[role=alert]", "Signing in failed").await?;
        assert!(
            message.contains("invalid, expired or revoked") || message.contains("not valid"),
            "{message}"
        );

        let token = keystone::token(ALICE.0, ALICE.1, "demo")?;
        fill(&c, "input[name=token]", &token).await?;
        click(&c, "form button[type=submit]").await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-user]", "alice").await?;
        assert_eq!(stored_token(&c).await?, token);
        Ok(())
    })
}

#[tokio::test]
async fn an_application_credential_signs_in_and_is_told_it_cannot_manage_credentials() -> TestResult
{
    let token = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let name = format!("e2e-{}", std::process::id());
    let (id, secret) = keystone::application_credential(&token, &name)?;
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        choose_method(&c, "application-credential").await?;
        fill(&c, "input[name=app-cred-id]", &id).await?;
        fill(&c, "input[name=app-cred-secret]", &secret).await?;
        click(&c, "form button[type=submit]").await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-user]", "alice").await?;
        let warning = wait_text(
            &c,
            "[data-test=delegation-warning]",
            "application credential",
        )
        .await?;
        assert!(
            warning.contains("does not let such delegated tokens manage credentials"),
            "{warning}"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_revoked_token_leads_to_sign_in_and_back_to_the_page() -> TestResult {
    with_browser!(|c| {
        open(&c, "/ec2").await?;
        wait_route(&c, "/sign-in?next=%2Fec2").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "[data-test=session-user]", "alice").await?;
        // The page's own reads (the list, the projects) are done first: one still on its way
        // when the token is revoked would end the session before the reload, and a reloaded tab
        // has no session left to find refused.
        find(&c, "[data-test=ec2-empty], [data-test=ec2-table]").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "select[name=project] option").await?;

        keystone::revoke(&stored_token(&c).await?)?;
        c.refresh().await?;
        wait_route(&c, "/sign-in?next=%2Fec2").await?;
        wait_text(&c, "[data-test=end-reason]", "no longer accepts your token").await?;

        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "h1", "EC2 credentials").await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_deep_link_with_a_query_survives_signing_in() -> TestResult {
    with_browser!(|c| {
        open(&c, "/access-keys?user_id=abc").await?;
        wait_route(&c, "/sign-in?next=%2Faccess-keys%3Fuser_id%3Dabc").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/access-keys?user_id=abc").await?;
        Ok(())
    })
}

/// Rewrites the stored session's expiry to `seconds_from_now` and reloads the page.
async fn expire_in(c: &fantoccini::Client, seconds_from_now: i64) -> TestResult {
    script(
        c,
        &format!(
            "const s = JSON.parse(sessionStorage.getItem('keyrack.session'));
             s.info.expires_at = new Date(Date.now() + {seconds_from_now} * 1000).toISOString();
             sessionStorage.setItem('keyrack.session', JSON.stringify(s));"
        ),
    )
    .await?;
    c.refresh().await?;
    Ok(())
}

#[tokio::test]
async fn the_header_warns_before_expiry_and_an_expired_session_asks_to_sign_in() -> TestResult {
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;

        expire_in(&c, 4 * 60).await?;
        let warning = wait_text(&c, "[data-test=expiry-warning]", "Your session ends in").await?;
        assert!(warning.contains("min"), "{warning}");

        expire_in(&c, -10).await?;
        wait_route(&c, "/sign-in?next=%2Fcredentials").await?;
        wait_text(&c, "[data-test=end-reason]", "expired").await?;
        Ok(())
    })
}

#[tokio::test]
async fn an_unknown_page_says_so() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        open(&c, "/no-such-page").await?;
        wait_text(&c, "h1", "Page not found").await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_malformed_configuration_shows_an_error_page_naming_the_problem() -> TestResult {
    for (config, problem) in [
        (
            r#"{"clouds": [{"name": "Lab"}]}"#,
            "missing field `identity_url`",
        ),
        ("{ not json", "is not valid JSON"),
        (r#"{"clouds": []}"#, "names no cloud"),
        // Read from what the browser's JSON parser made of it.
        (
            r#"{"clouds": [{"name": "Lab", "identity_url": "http://127.0.0.1:5000/v3",
                "request_timeout_seconds": "20"}]}"#,
            "cloud \"Lab\": request_timeout_seconds must be from 1 to 600, not a string",
        ),
    ] {
        let console = ExtraConsole::start(Some(config))?;
        with_browser!(|c| {
            c.goto(&format!("{}/credentials", console.url)).await?;
            let text = wait_text(&c, "[data-test=config-error]", problem).await?;
            assert!(text.contains("config.json"), "{text}");
            wait_text(&c, "h1", "Keyrack cannot start").await?;
            Ok(())
        })?;
    }
    Ok(())
}

#[tokio::test]
async fn an_origin_keystone_does_not_allow_gets_the_exact_cors_setting() -> TestResult {
    let config = format!(
        r#"{{"clouds": [{{"name": "Local", "identity_url": "{}"}}]}}"#,
        env().identity
    );
    let console = ExtraConsole::start(Some(&config))?;
    let origin = console.url.trim_end_matches("/console").to_string();
    with_browser!(|c| {
        c.goto(&format!("{}/sign-in", console.url)).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        let message = wait_text(&c, "[role=alert]", "Signing in failed").await?;
        assert!(message.contains("CORS"), "{message}");
        assert!(
            message.contains(&format!("allowed_origin = {origin}")),
            "{message}"
        );
        Ok(())
    })
}

/// A cloud without v3 credentials (`credentials_v3: false`) opens on its first family, from
/// `/`, after signing in, and from the not-found page.
#[tokio::test]
async fn a_cloud_without_v3_credentials_opens_on_its_first_page() -> TestResult {
    let config = serde_json::json!({"clouds": [{
        "name": "EC2 only",
        "identity_url": env().identity,
        "credentials_v3": false,
        "ec2": {"api": "os-ec2"},
    }]});
    let console = ExtraConsole::start_allowed(0, &config.to_string())?;
    with_browser!(|c| {
        c.goto(&format!("{}/", console.url)).await?;
        keyrack_e2e::wait_route_of(&c, &console.url, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        keyrack_e2e::wait_route_of(&c, &console.url, "/ec2").await?;
        c.goto(&format!("{}/", console.url)).await?;
        keyrack_e2e::wait_route_of(&c, &console.url, "/ec2").await?;
        c.goto(&format!("{}/no-such-page", console.url)).await?;
        wait_text(&c, "h1", "Page not found").await?;
        let link = wait_text(&c, "main a", "Go to EC2 credentials").await?;
        assert!(!link.contains("Go to Credentials"), "{link}");
        Ok(())
    })
}
