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

/// The innermost elements that reach past the window's right edge, to name in a failure.
async fn wider_than_window(c: &Client) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let found = script(
        c,
        "const width = document.documentElement.clientWidth;
         const past = e => e.getBoundingClientRect().right > width + 1;
         // Content scrolled inside its own box does not widen the page: only what reaches past
         // the window outside such a box, outermost first.
         const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o !== 'visible' && !past(a)) return true; } return false; };
         const wide = [...document.querySelectorAll('body *')].filter(e => past(e) && !clipped(e));
         const outermost = wide.filter(e => !(e.parentElement && wide.includes(e.parentElement)));
         const describe = e => `${e.tagName.toLowerCase()}.${e.className}[${e.dataset.test ?? ''}] right=${Math.round(e.getBoundingClientRect().right)} ${(e.textContent ?? '').slice(0, 60)}`;
         if (outermost.length) return outermost.slice(0, 8).map(describe).join(' | ');
         // Nothing in the flow: what reaches past the window at all, and the body's own width.
         const any = [...document.querySelectorAll('body *')].filter(past);
         return `body ${document.body.scrollWidth}px; ` + any.slice(0, 12).map(e => describe(e) + ' overflow-x=' + getComputedStyle(e).overflowX + ' position=' + getComputedStyle(e).position).join(' | ');",
    )
    .await?;
    Ok(found.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn no_page_scrolls_sideways_at_a_phones_width() -> TestResult {
    // An ec2 credential: its id is 64 hexadecimal characters, its blob a long JSON line.
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let project = keystone::project_id("admin")?;
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
            ("/ec2".to_string(), "main h1"),
            ("/access-keys".to_string(), "main h1"),
            ("/no-such-page".to_string(), "main h1"),
        ] {
            open(&c, &route).await?;
            find(&c, ready).await?;
            // Let late content (names, lists) settle before measuring.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            assert_eq!(
                overflow(&c).await?,
                0,
                "{route} scrolls sideways at 390 px; wider than the window: {}",
                wider_than_window(&c).await?
            );
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
    let _ = keystone::admin_post("/roles", json!({"role": {"name": "auditor"}}));
    let demo = keystone::project_id("demo")?;
    for role in ["admin", "reader", "auditor"] {
        keystone::grant_role(&demo, &user, role)?;
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

/// Each page opens on its list: creating is a button that opens the form, and an empty list says
/// what to do first.
#[tokio::test]
async fn each_page_opens_on_its_list_and_creating_is_a_button_that_opens_the_form() -> TestResult {
    let name = format!("empty-lists-{}", std::process::id());
    keystone::create_member(&name, "empty-lists-password")?;
    let panel_hidden = "document.querySelector('[data-test=create-panel]').hidden";
    let focused =
        "document.activeElement?.getAttribute('name') ?? document.activeElement?.dataset.test";
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, &name, "empty-lists-password", Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        for (route, empty, says, first_field) in [
            (
                "/credentials",
                "[data-test=credentials-empty]",
                "Choose \"New credential\"",
                "new-type",
            ),
            (
                "/ec2",
                "[data-test=ec2-empty]",
                "Choose \"New EC2 credential\"",
                "project",
            ),
            (
                "/access-keys",
                "[data-test=keys-empty]",
                "Choose \"New access key\"",
                "key-description",
            ),
        ] {
            open(&c, route).await?;
            keyrack_e2e::wait_text(&c, empty, says).await?;
            assert_eq!(
                script(&c, &format!("return {panel_hidden};")).await?,
                json!(true),
                "{route} opens with its form closed"
            );
            let toggle = find(&c, "[data-test=open-create]").await?;
            assert_eq!(
                toggle.attr("aria-expanded").await?.as_deref(),
                Some("false")
            );
            keyrack_e2e::click(&c, "[data-test=open-create]").await?;
            find(&c, "[data-test=create-panel]:not([hidden])").await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            assert_eq!(
                script(&c, &format!("return {focused};")).await?,
                json!(first_field),
                "{route}: focus goes into the form"
            );
            keyrack_e2e::click(&c, "[data-test=close-create]").await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            assert_eq!(
                script(&c, &format!("return {panel_hidden};")).await?,
                json!(true)
            );
            assert_eq!(
                script(&c, &format!("return {focused};")).await?,
                json!("open-create"),
                "{route}: focus returns to the button"
            );
        }
        Ok(())
    })
}
