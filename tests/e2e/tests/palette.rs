//! The command palette (Ctrl/⌘-K and `/`) and the shortcuts help (`?`), by keyboard only.

use fantoccini::Client;
use keyrack_e2e::{
    env, find, keystone, open, script, sign_in_with_password, wait_gone, wait_route, wait_text,
    with_browser, TestResult, ALICE,
};
use serde_json::json;

const CONTROL: &str = "\u{e009}";
const NULL: &str = "\u{e000}";
const DOWN: &str = "\u{e015}";
const ENTER: &str = "\u{e007}";
const ESCAPE: &str = "\u{e00c}";

/// Types `keys` where the focus is, as the keyboard would.
async fn press(c: &Client, keys: &str) -> TestResult {
    c.active_element().await?.send_keys(keys).await?;
    Ok(())
}

async fn palette_field_has_focus(c: &Client) -> TestResult {
    let focused = script(c, "return document.activeElement?.getAttribute('name');").await?;
    assert_eq!(focused, json!("palette"), "the palette's field takes focus");
    Ok(())
}

#[tokio::test]
async fn the_palette_goes_to_pages_users_and_credentials_and_runs_actions() -> TestResult {
    let alice = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let admin = keystone::admin_token()?;
    let credential = keystone::get(&admin, &format!("/credentials?user_id={alice}&type=totp"))?
        ["credentials"][0]["id"]
        .as_str()
        .ok_or("alice has no totp credential")?
        .to_string();
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;

        // Ctrl-K, a page by name, Enter.
        press(&c, &format!("{CONTROL}k{NULL}")).await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        palette_field_has_focus(&c).await?;
        press(&c, "ec2 go").await?;
        wait_text(&c, "[data-test=palette-count]", "1 command").await?;
        press(&c, ENTER).await?;
        wait_route(&c, "/ec2").await?;
        wait_gone(&c, "dialog[open][data-test=palette]").await?;

        // "/" outside a field, a user by name, the arrow keys, Enter.
        press(&c, "/").await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        press(&c, "alice").await?;
        wait_text(
            &c,
            "[data-test=palette] [role=option]",
            "Credentials of alice",
        )
        .await?;
        let first = script(
            &c,
            "return document.querySelector('[role=option]').getAttribute('aria-selected');",
        )
        .await?;
        assert_eq!(first, json!("true"), "the first command is chosen");
        press(&c, ENTER).await?;
        wait_route(&c, &format!("/credentials?user_id={alice}")).await?;

        // A credential by its id.
        press(&c, "/").await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        press(&c, &credential).await?;
        wait_text(&c, "[data-test=palette] [role=option]", "Open credential").await?;
        press(&c, ENTER).await?;
        wait_route(&c, &format!("/credentials/{credential}")).await?;

        // An action: "Create" opens the page with its form open.
        press(&c, &format!("{CONTROL}k{NULL}")).await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        press(&c, "create access").await?;
        wait_text(&c, "[data-test=palette-count]", "1 command").await?;
        press(&c, ENTER).await?;
        wait_route(&c, "/access-keys").await?;
        find(&c, "[data-test=create-panel]:not([hidden])").await?;

        // Escape closes, and the arrows move the choice.
        press(&c, "/").await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        press(&c, DOWN).await?;
        let second = script(
            &c,
            "return document.querySelectorAll('[role=option]')[1].getAttribute('aria-selected');",
        )
        .await?;
        assert_eq!(second, json!("true"), "Down chooses the next command");
        let active = script(&c, "return document.querySelector('[role=combobox]').getAttribute('aria-activedescendant');").await?;
        assert_eq!(active, json!("palette-option-1"));
        press(&c, ESCAPE).await?;
        wait_gone(&c, "dialog[open][data-test=palette]").await?;

        // "?" lists the shortcuts.
        press(&c, "?").await?;
        wait_text(&c, "dialog[open][data-test=shortcuts]", "Ctrl K").await?;
        press(&c, ESCAPE).await?;
        wait_gone(&c, "dialog[open][data-test=shortcuts]").await?;

        // "Sign out" runs the header's sign-out.
        press(&c, "/").await?;
        press(&c, "sign out").await?;
        wait_text(&c, "[data-test=palette-count]", "1 command").await?;
        press(&c, ENTER).await?;
        wait_text(&c, "[data-test=end-reason]", "You are signed out").await?;
        Ok(())
    })
}

#[tokio::test]
async fn slash_and_question_mark_are_text_inside_a_field() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::fill(&c, "input[name=search]", "a/b?").await?;
        let typed = script(
            &c,
            "return document.querySelector('input[name=search]').value;",
        )
        .await?;
        assert_eq!(typed, json!("a/b?"));
        assert_eq!(
            script(
                &c,
                "return document.querySelectorAll('dialog[open]').length;"
            )
            .await?,
            json!(0)
        );
        Ok(())
    })
}

#[tokio::test]
async fn rotate_from_the_palette_starts_the_guided_rotation_of_that_key() -> TestResult {
    let name = format!("palette-rotate-{}", std::process::id());
    let user = keystone::create_member(&name, "palette-rotate-password")?;
    let access = keyrack_e2e::access_keys::create(&user, "to rotate")?;
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, &name, "palette-rotate-password", Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        find(&c, "main h1").await?;
        press(&c, "/").await?;
        find(&c, "dialog[open][data-test=palette]").await?;
        press(&c, "rotate").await?;
        wait_text(&c, "[data-test=palette] [role=option]", &access).await?;
        press(&c, ENTER).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=rotation]", &access).await?;
        Ok(())
    })
}
