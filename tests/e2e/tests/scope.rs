//! Where a session works: an unscoped sign-in is offered the user's projects, and the header
//! switches project at any time with the token method (no password asked again), as Horizon does.

use fantoccini::Client;
use keyrack_e2e::{
    click, env, find, keystone, open, sign_in_with_password, stored_token, wait_gone, wait_route,
    wait_text, with_browser, TestResult,
};
use std::time::Duration;

/// The token stored once it is no longer `old`.
async fn new_token(
    c: &Client,
    old: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    for _ in 0..100 {
        let token = stored_token(c).await?;
        if token != old {
            return Ok(token);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the stored token never changed".into())
}

#[tokio::test]
async fn an_unscoped_sign_in_is_offered_the_users_projects_and_gets_their_roles() -> TestResult {
    let name = format!("unscoped-{}", std::process::id());
    keystone::create_member(&name, "unscoped-password")?;
    let demo = keystone::project_id("demo")?;
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, &name, "unscoped-password", None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=unscoped]", "without a project").await?;
        wait_text(&c, "[data-test=session-project]", "No project").await?;
        wait_text(&c, "[data-test=session-mode]", "Self-service").await?;
        let unscoped = stored_token(&c).await?;

        click(
            &c,
            &format!("[data-test=unscoped] button[data-scope='{demo}']"),
        )
        .await?;
        wait_text(&c, "[data-test=session-project]", "demo").await?;
        wait_text(&c, "[data-test=session-roles]", "member").await?;
        wait_gone(&c, "[data-test=unscoped]").await?;
        wait_text(&c, ".toast", "Now working in demo.").await?;

        let scoped = new_token(&c, &unscoped).await?;
        assert_eq!(keystone::validation_status(&scoped)?, 200);
        // The page was built anew with the new token: the member's own list loads.
        find(&c, "[data-test=credentials-table]").await?;
        // Signing out revokes the token in use.
        click(&c, "[data-test=sign-out]").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        assert_eq!(
            keystone::status_once_refused(&scoped).await?,
            404,
            "sign-out revokes the re-scoped token"
        );
        Ok(())
    })
}

#[tokio::test]
async fn the_demo_admin_opens_in_its_project_and_switches_project_from_the_header() -> TestResult {
    let name = format!("two-projects-{}", std::process::id());
    let user = keystone::create_member(&name, "two-projects-password")?;
    let admin_project = keystone::project_id("admin")?;
    keystone::grant_role(&admin_project, &user, "admin")?;
    let demo = keystone::project_id("demo")?;
    with_browser!(|c| {
        // The README's demo administrator, without naming a project: its default project.
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-project]", "admin").await?;
        wait_text(&c, "[data-test=session-mode]", "Administrator").await?;
        click(&c, "[data-test=sign-out]").await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;

        sign_in_with_password(&c, &name, "two-projects-password", Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "[data-test=session-mode]", "Self-service").await?;
        let first = stored_token(&c).await?;

        click(&c, "[data-test=scope-menu] summary").await?;
        let current = find(
            &c,
            &format!("[data-test=scope-menu] button[data-scope='{demo}']"),
        )
        .await?;
        assert_eq!(current.attr("aria-current").await?.as_deref(), Some("true"));
        assert!(
            !current.is_enabled().await?,
            "the current project is not offered again"
        );
        click(
            &c,
            &format!("[data-test=scope-menu] button[data-scope='{admin_project}']"),
        )
        .await?;
        wait_text(&c, "[data-test=session-project]", "admin").await?;
        wait_text(&c, "[data-test=session-mode]", "Administrator").await?;
        // An administrator's page: the user filter is there.
        find(&c, "input[name=filter-user]").await?;
        let second = new_token(&c, &first).await?;
        assert_eq!(keystone::validation_status(&second)?, 200);
        // Nothing the switch left behind ends the session a moment later.
        tokio::time::sleep(Duration::from_secs(2)).await;
        wait_text(&c, "[data-test=session-mode]", "Administrator").await?;
        Ok(())
    })
}
