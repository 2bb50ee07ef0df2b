//! Faults a deployed console meets, each seen in headless Chromium: Keystone stopped or hanging
//! (through a relay the test cuts), busy and unavailable answers (the contract server's fault
//! injection, scoped to the test's own token), impatient clicking, and a session that ends in the
//! middle of an edit.

use fantoccini::Client;
use keyrack_e2e::{
    click, env, faults, fill, find, keystone, open, script, sign_in_with_password, stored_token,
    wait_gone, wait_route, wait_route_of, wait_text, with_browser, ExtraConsole, Relay, TestResult,
    ALICE,
};
use serde_json::{json, Value};
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Credentials Keystone holds for a user whose blob contains `marker`.
fn held_with(user_id: &str, marker: &str) -> Result<Vec<Value>> {
    let admin = keystone::admin_token()?;
    let all = keystone::get(&admin, &format!("/credentials?user_id={user_id}"))?;
    Ok(all["credentials"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|c| c["blob"].as_str().is_some_and(|b| b.contains(marker)))
                .cloned()
                .collect()
        })
        .unwrap_or_default())
}

/// A console whose only cloud reaches Keystone through `relay`.
fn console_through(relay: &Relay, index: usize, timeout_seconds: u32) -> Result<ExtraConsole> {
    let config = json!({"clouds": [{
        "name": "Keystone behind a relay",
        "identity_url": format!("{}/v3", relay.url()),
        "request_timeout_seconds": timeout_seconds,
    }]});
    ExtraConsole::start_allowed(index, &config.to_string())
}

async fn value_of(c: &Client, css: &str) -> Result<String> {
    Ok(find(c, css).await?.prop("value").await?.unwrap_or_default())
}

async fn fill_custom_credential(c: &Client, kind: &str, blob: &str) -> TestResult {
    keyrack_e2e::open_create_form(c).await?;
    find(c, "select[name=new-type]")
        .await?
        .select_by_value("custom")
        .await?;
    keyrack_e2e::open_create_form(c).await?;
    fill(c, "input[name=new-custom-type]", kind).await?;
    keyrack_e2e::open_create_form(c).await?;
    fill(c, "textarea[name=new-blob]", blob).await
}

#[tokio::test]
async fn keystone_stopped_mid_session_shows_unreachable_and_loses_no_input() -> TestResult {
    let relay = Relay::to(&env().identity).await?;
    let console = console_through(&relay, 0, 20)?;
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let marker = format!("while-down-{}", std::process::id());
    let blob = json!({ "note": marker }).to_string();
    with_browser!(|c| {
        c.goto(&format!("{}/credentials", console.url)).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route_of(&c, &console.url, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        fill_custom_credential(&c, "e2e-note", &blob).await?;

        relay.cut();
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        let banner = wait_text(&c, "[role=alert]", "Could not reach").await?;
        assert!(banner.contains(&relay.url()), "{banner}");
        // Nothing answers at all: the server is down, and CORS is not blamed.
        assert!(banner.contains("nothing answers there"), "{banner}");
        assert!(!banner.contains("CORS"), "{banner}");
        assert_eq!(
            value_of(&c, "input[name=new-custom-type]").await?,
            "e2e-note"
        );
        assert_eq!(value_of(&c, "textarea[name=new-blob]").await?, blob);
        assert!(held_with(&alice_id, &marker)?.is_empty());

        relay.restore().await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[data-test=created]", "Created").await?;
        assert_eq!(
            held_with(&alice_id, &marker)?.len(),
            1,
            "the kept input creates the credential once Keystone is back"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_request_that_hangs_ends_with_a_visible_timeout() -> TestResult {
    let relay = Relay::to(&env().identity).await?;
    let console = console_through(&relay, 1, 2)?;
    with_browser!(|c| {
        // Signing in waits no longer than any other call (the cloud's request_timeout_seconds).
        c.goto(&format!("{}/credentials", console.url)).await?;
        relay.hang().await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_text(&c, "[role=alert]", "did not answer within 2 seconds").await?;
        relay.restore().await?;
        click(&c, "form button[type=submit]").await?;
        wait_route_of(&c, &console.url, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;

        relay.hang().await?;
        c.refresh().await?;
        let notice = wait_text(&c, "[role=alert]", "did not answer within 2 seconds").await?;
        assert!(notice.contains(&relay.url()), "{notice}");

        relay.restore().await?;
        c.refresh().await?;
        find(&c, "[data-test=credential-row]").await?;
        Ok(())
    })
}

#[tokio::test]
async fn busy_or_unavailable_reads_are_retried_with_backoff_and_writes_never() -> TestResult {
    // A user of this test alone: no key of theirs is read but the list.
    let name = format!("retry-{}", std::process::id());
    keystone::create_member(&name, "retry-password")?;
    let keys = "/v3.0/OS-CREDENTIAL/credentials";
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, &name, "retry-password", Some("demo")).await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        let token = stored_token(&c).await?;

        // Two 503s, then the answer: the list shows after two retries.
        faults::inject(
            json!({"label": "unavailable", "token": token, "method": "GET",
            "path_prefix": keys, "status": 503, "count": 2}),
        )?;
        c.refresh().await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        assert_eq!(faults::served("unavailable")?, 2);

        // Busy four times, Retry-After honoured: one request and three retries, then the error.
        faults::inject(json!({"label": "busy", "token": token, "method": "GET",
            "path_prefix": keys, "status": 429, "retry_after": "1", "count": 4}))?;
        c.refresh().await?;
        let notice = wait_text(
            &c,
            "[data-test=retrying]",
            "is busy (429): asking again in 1.0 s",
        )
        .await?;
        assert!(notice.contains(&env().contract), "{notice}");
        wait_text(&c, "[role=alert]", "Too many requests").await?;
        wait_gone(&c, "[data-test=retrying]").await?;
        assert_eq!(faults::served("busy")?, 4, "at most three retries");

        // A write is never repeated: one 503 on create is the answer the user sees.
        c.refresh().await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        faults::inject(json!({"label": "write", "token": token, "method": "POST",
            "path_prefix": keys, "status": 503, "count": 1}))?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", "must not exist").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        wait_text(&c, "[role=alert]", "temporarily unavailable").await?;
        assert_eq!(faults::served("write")?, 1);
        c.refresh().await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;
        Ok(())
    })
}

#[tokio::test]
async fn twenty_rapid_clicks_on_create_make_exactly_one_credential() -> TestResult {
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let marker = format!("twenty-clicks-{}", std::process::id());
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        fill_custom_credential(&c, "e2e-note", &json!({ "note": marker }).to_string()).await?;
        // Twenty clicks in one task: no re-render can disable the button between them.
        script(
            &c,
            "const b = document.querySelector('[data-test=create-submit]');
             for (let i = 0; i < 20; i++) b.click(); return 0;",
        )
        .await?;
        wait_text(&c, "[data-test=created]", "Created").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(held_with(&alice_id, &marker)?.len(), 1);
        Ok(())
    })
}

#[tokio::test]
async fn a_401_during_an_edit_returns_to_the_edit_with_the_draft_intact() -> TestResult {
    let alice = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let alice_id = keystone::whoami(&alice)?;
    let marker = format!("draft-{}", std::process::id());
    let created = keystone::admin_post(
        "/credentials",
        json!({"credential": {"type": "e2e-note", "user_id": alice_id,
            "blob": json!({ "note": marker }).to_string()}}),
    )?;
    let id = created["credential"]["id"]
        .as_str()
        .ok_or("not created")?
        .to_string();
    let draft = json!({ "note": format!("{marker}-edited") }).to_string();
    with_browser!(|c| {
        open(&c, &format!("/credentials/{id}")).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_text(&c, "[data-test=credential-blob]", &marker).await?;
        click(&c, "[data-test=edit-blob]").await?;
        fill(&c, "textarea[name=edit-blob]", &draft).await?;

        keystone::revoke(&stored_token(&c).await?)?;
        click(&c, "[data-test=review-blob]").await?;
        wait_route(&c, &format!("/sign-in?next=%2Fcredentials%2F{id}")).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route(&c, &format!("/credentials/{id}")).await?;
        find(&c, "textarea[name=edit-blob]").await?;
        assert_eq!(value_of(&c, "textarea[name=edit-blob]").await?, draft);

        click(&c, "[data-test=review-blob]").await?;
        wait_text(&c, "[data-test=blob-diff]", "edited").await?;
        click(&c, "[data-test=save-blob]").await?;
        wait_text(
            &c,
            "[data-test=credential-blob]",
            &format!("{marker}-edited"),
        )
        .await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_401_while_creating_returns_to_the_form_as_it_was_typed() -> TestResult {
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let marker = format!("typed-before-401-{}", std::process::id());
    let blob = json!({ "note": marker }).to_string();
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        fill_custom_credential(&c, "e2e-note", &blob).await?;

        keystone::revoke(&stored_token(&c).await?)?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_route(&c, "/sign-in?next=%2Fcredentials").await?;
        assert!(held_with(&alice_id, &marker)?.is_empty());
        sign_in_with_password(&c, ALICE.0, ALICE.1, Some("demo")).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "textarea[name=new-blob]").await?;
        assert_eq!(value_of(&c, "select[name=new-type]").await?, "custom");
        assert_eq!(
            value_of(&c, "input[name=new-custom-type]").await?,
            "e2e-note"
        );
        assert_eq!(value_of(&c, "textarea[name=new-blob]").await?, blob);

        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[data-test=created]", "Created e2e-note credential").await?;
        assert_eq!(held_with(&alice_id, &marker)?.len(), 1);
        Ok(())
    })
}

#[tokio::test]
async fn a_redirect_never_carries_the_token_elsewhere_and_says_what_happened() -> TestResult {
    let name = format!("redirect-{}", std::process::id());
    keystone::create_member(&name, "redirect-password")?;
    let keys = "/v3.0/OS-CREDENTIAL/credentials";
    let target = format!("{keys}/redirected-{}", std::process::id());
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, &name, "redirect-password", Some("demo")).await?;
        wait_text(&c, "[data-test=keys-empty]", "No access keys yet").await?;

        // Every token-bearing request the page sends from now on is recorded as the browser got it.
        script(
            &c,
            "window.__keyrackSent = [];
             const real = window.fetch;
             window.fetch = function (input, init) {
               if (input instanceof Request && input.headers.has('X-Auth-Token')) {
                 window.__keyrackSent.push({ url: input.url, cache: input.cache, redirect: input.redirect });
               }
               return real.call(this, input, init);
             };
             return 0;",
        )
        .await?;

        // A create and the list it refreshes: what the browser was asked to send.
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=key-description]", "sent as recorded").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        wait_text(&c, "[data-test=key-description]", "sent as recorded").await?;
        let sent = script(&c, "return window.__keyrackSent;").await?;
        let sent = sent.as_array().cloned().unwrap_or_default();
        assert!(
            sent.len() >= 2,
            "the create and the list were not recorded: {sent:?}"
        );
        for request in sent {
            assert_eq!(request["cache"], "no-store", "{request}");
            assert_eq!(request["redirect"], "error", "{request}");
        }

        // The list answers with a redirect to another address of the same server, which counts
        // every request that reaches it. (Tests run one at a time: no other page meets these.)
        faults::inject(
            json!({"label": "redirect target", "path_prefix": target, "status": 500, "count": 10}),
        )?;
        faults::inject(
            json!({"label": "redirect", "method": "GET", "path_prefix": keys,
            "status": 307, "location": format!("{}{target}", env().contract), "count": 10}),
        )?;
        c.refresh().await?;
        let said = wait_text(&c, "[role=alert]", "answered with a redirect").await;
        let redirects = faults::served("redirect")?;
        let followed = faults::served("redirect target")?;
        faults::clear()?;
        said?;
        assert!(redirects >= 1, "the list was asked for");
        assert_eq!(
            followed, 0,
            "the browser followed the redirect with the token"
        );
        Ok(())
    })
}
