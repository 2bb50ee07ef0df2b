//! Navigation as people use it: Back and Forward (the driver's, which are the browser's own, and
//! `history.back()`), what the page shows for the address it names, and where focus goes.

use fantoccini::Client;
use keyrack_e2e::{
    cdp, click, env, find, hold_requests, open, script, sign_in_with_password, wait_route,
    wait_text, with_browser, Hold, TestResult, ALICE,
};
use std::time::{Duration, Instant};

/// The header link to a family's page, by its title.
async fn click_header_link(c: &Client, title: &str) -> TestResult {
    let clicked = c
        .execute(
            "const link = [...document.querySelectorAll('header nav a')].find(a => a.textContent.trim() === arguments[0]);
             if (!link) return false; link.click(); return true;",
            vec![serde_json::json!(title)],
        )
        .await?;
    assert_eq!(clicked, serde_json::json!(true), "no header link {title}");
    Ok(())
}

/// Waits until `js` (an expression) evaluates to `expected`, and fails naming `what` if it never does.
async fn wait_until(c: &Client, js: &str, expected: &str, what: &str) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = script(c, &format!("return String({js});")).await?;
        if value.as_str() == Some(expected) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{what}: expected {expected:?}, still {value}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn heading_is(c: &Client, heading: &str) -> TestResult {
    wait_until(
        c,
        "document.querySelector('main h1')?.textContent.trim()",
        heading,
        "the page's heading",
    )
    .await
}

#[tokio::test]
async fn back_and_forward_then_a_link_keep_the_address_and_the_page_together() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;

        click_header_link(&c, "EC2 credentials").await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;
        c.back().await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        c.forward().await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;

        // The link leads to the page it names, and the address follows (with an entry to go Back to).
        click_header_link(&c, "Credentials").await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        c.back().await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;

        // The same with the page's own history calls.
        script(&c, "history.back(); return 0;").await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        script(&c, "history.forward(); return 0;").await?;
        wait_route(&c, "/ec2").await?;
        click_header_link(&c, "Access keys").await?;
        wait_route(&c, "/access-keys").await?;
        heading_is(&c, "Access keys").await?;

        // A reload shows the page the address names.
        c.refresh().await?;
        wait_route(&c, "/access-keys").await?;
        heading_is(&c, "Access keys").await?;
        Ok(())
    })
}

#[tokio::test]
async fn the_type_filter_follows_the_address_both_ways() -> TestResult {
    let selected = "document.querySelector('select[name=filter-type]')?.value";
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        for kind in ["totp", "cert"] {
            find(&c, "select[name=filter-type]")
                .await?
                .select_by_value(kind)
                .await?;
            wait_route(&c, &format!("/credentials?type={kind}")).await?;
            wait_until(&c, selected, kind, "the type select").await?;
        }
        c.back().await?;
        wait_route(&c, "/credentials?type=totp").await?;
        wait_until(&c, selected, "totp", "the type select after Back").await?;
        c.back().await?;
        wait_route(&c, "/credentials").await?;
        wait_until(&c, selected, "", "the type select after Back again").await?;
        c.forward().await?;
        wait_route(&c, "/credentials?type=totp").await?;
        wait_until(&c, selected, "totp", "the type select after Forward").await?;
        c.forward().await?;
        wait_route(&c, "/credentials?type=cert").await?;
        wait_until(&c, selected, "cert", "the type select after Forward again").await?;
        wait_text(&c, "[data-test=count]", "").await?;
        Ok(())
    })
}

#[tokio::test]
async fn focus_moves_to_the_new_page_and_back_to_what_opened_a_dialog() -> TestResult {
    let focused_heading = "document.activeElement === document.querySelector('main h1')";
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        wait_until(&c, focused_heading, "true", "focus after signing in").await?;

        click_header_link(&c, "EC2 credentials").await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;
        wait_until(&c, focused_heading, "true", "focus after a navigation").await?;
        // Screen readers hear of the new page.
        wait_text(&c, "[data-test=route-announcer]", "EC2 credentials").await?;

        // A one-time secret's dialog gives focus back to the button that made the secret (it was
        // disabled while the request ran, which drops focus to <body>).
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        click(&c, "[data-test=create-ec2]").await?;
        keyrack_e2e::save_secret_from_dialog(&c).await?;
        wait_until(
            &c,
            "document.activeElement?.dataset.test",
            "create-ec2",
            "focus after the secret dialog closed",
        )
        .await?;

        c.back().await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        wait_until(&c, focused_heading, "true", "focus after Back").await?;

        // A confirmation cancelled with Escape gives focus back to the button that opened it.
        click(&c, "[data-test=credential-row] input[type=checkbox]").await?;
        click(&c, "[data-test=bulk-delete]").await?;
        find(&c, "dialog[open].confirm-dialog").await?;
        c.active_element().await?.send_keys("\u{e00c}").await?;
        wait_until(
            &c,
            "document.activeElement?.dataset.test",
            "bulk-delete",
            "focus after the confirmation was cancelled",
        )
        .await?;

        // "Skip to content" moves focus into the page, not only the address's hash.
        script(
            &c,
            "document.querySelector('.skip-link').focus(); return 0;",
        )
        .await?;
        click(&c, ".skip-link").await?;
        wait_until(
            &c,
            "document.querySelector('main').contains(document.activeElement)",
            "true",
            "focus after Skip to content",
        )
        .await?;
        Ok(())
    })
}

/// Presses the browser's Back and returns the question the page asks, if it asks one.
async fn back_and_read_the_question(
    c: &Client,
) -> Result<Option<String>, Box<dyn std::error::Error + Send + Sync>> {
    // The question is a modal prompt: the driver may report it as the answer to Back itself.
    let _ = c.back().await;
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        if let Ok(text) = c.get_alert_text().await {
            return Ok(Some(text));
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn back_with_an_unsaved_secret_asks_and_keeps_it_if_the_user_stays() -> TestResult {
    let open_dialog = "document.querySelectorAll('dialog[open][data-test=secret-dialog]').length";
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        click_header_link(&c, "EC2 credentials").await?;
        wait_route(&c, "/ec2").await?;
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        click(&c, "[data-test=create-ec2]").await?;
        find(&c, "dialog[open][data-test=secret-dialog]").await?;

        // Back asks; staying keeps the page, its address and the secret.
        let question = back_and_read_the_question(&c).await?;
        let question = question.ok_or("Back left the page without asking")?;
        assert!(question.contains("not been saved"), "{question}");
        c.dismiss_alert().await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;
        wait_until(&c, open_dialog, "1", "the secret dialog after staying").await?;

        // Asked again, the user leaves: Back goes where it leads; the secret is still not lost.
        let question = back_and_read_the_question(&c).await?;
        assert!(question.is_some(), "the second Back asks too");
        c.accept_alert().await?;
        wait_route(&c, "/credentials").await?;
        heading_is(&c, "Credentials").await?;
        wait_until(&c, open_dialog, "1", "the secret dialog after leaving").await?;
        keyrack_e2e::save_secret_from_dialog(&c).await?;

        // With the secret saved, history moves freely again.
        c.forward().await?;
        wait_route(&c, "/ec2").await?;
        heading_is(&c, "EC2 credentials").await?;
        Ok(())
    })
}

/// Records the address of every request of the page whose fetch is aborted. Installed after any
/// hold, so it sees a request before the hold delays it.
async fn record_aborted_requests(c: &Client) -> TestResult {
    script(
        c,
        "if (!window.__aborted) {
           window.__aborted = [];
           const real = window.fetch;
           window.fetch = function (input, init) {
             const signal = (init && init.signal) || (input instanceof Request ? input.signal : null);
             const url = input instanceof Request ? input.url : String(input);
             if (signal) signal.addEventListener('abort', () => window.__aborted.push(url));
             return real.call(this, input, init);
           };
         }
         return 0;",
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_page_left_while_its_list_loads_stops_waiting_for_it() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        click_header_link(&c, "EC2 credentials").await?;
        heading_is(&c, "EC2 credentials").await?;

        // The credentials list takes 5 s to be sent; the user leaves after a moment.
        hold_requests(&c, "GET", "/v3/credentials", 5_000, Hold::Request).await?;
        record_aborted_requests(&c).await?;
        click_header_link(&c, "Credentials").await?;
        heading_is(&c, "Credentials").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        click_header_link(&c, "EC2 credentials").await?;
        heading_is(&c, "EC2 credentials").await?;

        wait_until(
            &c,
            "window.__aborted.some(url => new URL(url).pathname.endsWith('/v3/credentials'))",
            "true",
            "the list of the page left was aborted",
        )
        .await?;
        // The page now shown reads its own data as usual.
        find(&c, "[data-test=ec2-empty], [data-test=ec2-table]").await?;
        Ok(())
    })
}

/// Where a page load went, in milliseconds from its start (the browser's resource timing).
struct LoadTiming {
    /// When the page's read was first asked for, and how many times it was.
    read: f64,
    reads: u64,
    /// When the shell's wasm had arrived (NaN if this load did not fetch it).
    shell_arrived: f64,
    /// When the page's chunk (`split_<chunk>`) started and finished arriving.
    chunk_asked: f64,
    chunk_arrived: f64,
}

/// How the page's read of `path`, the shell and the page's chunk `split_{chunk}` were fetched.
async fn load_timing(
    c: &Client,
    path: &str,
    chunk: &str,
) -> Result<LoadTiming, Box<dyn std::error::Error + Send + Sync>> {
    let timing = c
        .execute(
            "const entries = performance.getEntriesByType('resource');
             const reads = entries.filter(e => new URL(e.name).pathname.endsWith(arguments[0]));
             const chunk = entries.find(e => new URL(e.name).pathname.includes('/split_' + arguments[1] + '-'));
             const shell = entries.find(e => new URL(e.name).pathname.endsWith('_bg.wasm'));
             return reads.length && chunk
               ? [reads[0].startTime, reads.length, shell ? shell.responseEnd : null,
                  chunk.startTime, chunk.responseEnd]
               : null;",
            vec![serde_json::json!(path), serde_json::json!(chunk)],
        )
        .await?;
    let number = |at: usize| timing.get(at).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
    assert!(
        timing.is_array(),
        "no request for {path} or no chunk {chunk}: {timing}"
    );
    Ok(LoadTiming {
        read: number(0),
        reads: number(1) as u64,
        shell_arrived: number(2),
        chunk_asked: number(3),
        chunk_arrived: number(4),
    })
}

/// From now on the browser receives at most 1 MB a second and uses no cache (DevTools' network
/// emulation, which outlives reloads): the shell's wasm takes a few hundred milliseconds to arrive.
async fn slow_downloads(c: &Client) -> TestResult {
    cdp(c, "Network.enable", serde_json::json!({})).await?;
    cdp(
        c,
        "Network.setCacheDisabled",
        serde_json::json!({"cacheDisabled": true}),
    )
    .await?;
    cdp(
        c,
        "Network.emulateNetworkConditions",
        serde_json::json!({"offline": false, "latency": 0,
            "downloadThroughput": 1_000_000, "uploadThroughput": -1}),
    )
    .await?;
    Ok(())
}

/// Signs Alice in and waits for her credentials list.
async fn signed_in_on_credentials(c: &Client) -> TestResult {
    open(c, "/sign-in").await?;
    sign_in_with_password(c, ALICE.0, ALICE.1, None).await?;
    wait_route(c, "/credentials").await?;
    find(
        c,
        "[data-test=credentials-table], [data-test=credentials-empty]",
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_reloaded_page_asks_for_its_data_before_the_console_has_loaded() -> TestResult {
    with_browser!(|c| {
        signed_in_on_credentials(&c).await?;
        click_header_link(&c, "EC2 credentials").await?;
        find(&c, "[data-test=ec2-empty], [data-test=ec2-table]").await?;
        slow_downloads(&c).await?;
        // A reload of the page last shown: its list is asked for by the loader, while the
        // console's own code is still arriving, and the console takes that answer.
        open(&c, "/ec2").await?;
        find(&c, "[data-test=ec2-empty], [data-test=ec2-table]").await?;
        let LoadTiming {
            read,
            reads,
            shell_arrived,
            ..
        } = load_timing(&c, "/credentials/OS-EC2", "ec2").await?;
        assert!(
            read < shell_arrived,
            "the list was asked for at {read:.1} ms, after the console's code arrived at {shell_arrived:.1} ms"
        );
        assert_eq!(
            reads, 1,
            "the console took the loader's answer instead of asking again"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_reload_of_another_page_sends_nothing_before_the_console_has_loaded_and_asks_while_its_code_loads(
) -> TestResult {
    with_browser!(|c| {
        signed_in_on_credentials(&c).await?;
        // Downloads at 1 MB/s with no cache: the shell's wasm, then the page's code in one file,
        // its pack, arrive hundreds of milliseconds apart.
        slow_downloads(&c).await?;
        // The last page shown was the credentials list; this load is of another address, so the
        // loader sends nothing: the shell reads the stored token and asks for the list before the
        // page's chunk (and the chunk that resumes the session) have arrived.
        open(&c, "/credentials?type=totp").await?;
        find(
            &c,
            "[data-test=credentials-table], [data-test=credentials-empty]",
        )
        .await?;
        let LoadTiming {
            read,
            reads,
            shell_arrived,
            chunk_arrived,
            ..
        } = load_timing(&c, "/v3/credentials", "credentials_list").await?;
        assert!(
            read > shell_arrived,
            "the list was asked for at {read:.1} ms, before the console's code arrived at {shell_arrived:.1} ms"
        );
        assert!(
            read < chunk_arrived,
            "the list was asked for at {read:.1} ms, after its page's chunk arrived at {chunk_arrived:.1} ms"
        );
        assert_eq!(reads, 1, "the list of this page, asked for once: {reads}");
        Ok(())
    })
}

#[tokio::test]
async fn a_page_opened_in_the_console_asks_for_its_data_while_its_code_loads() -> TestResult {
    with_browser!(|c| {
        signed_in_on_credentials(&c).await?;
        // The EC2 page's code takes a second and a half longer to arrive.
        hold_requests(&c, "GET", "/split_ec2-", 1_500, Hold::Request).await?;
        click_header_link(&c, "EC2 credentials").await?;
        find(&c, "[data-test=ec2-empty], [data-test=ec2-table]").await?;
        let LoadTiming {
            read,
            reads,
            chunk_asked,
            ..
        } = load_timing(&c, "/credentials/OS-EC2", "ec2").await?;
        // The chunk's request started once its hold was over.
        assert!(
            read + 1_000.0 < chunk_asked,
            "the list was asked for at {read:.1} ms, only {:.1} ms before the page's code",
            chunk_asked - read
        );
        assert_eq!(
            reads, 1,
            "the page took the early answer instead of asking again"
        );
        Ok(())
    })
}

#[tokio::test]
async fn the_configuration_is_asked_for_once_while_the_code_loads() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        find(&c, "form").await?;
        let timing = script(
            &c,
            "const entries = performance.getEntriesByType('resource');
             const config = entries.filter(e => new URL(e.name).pathname.endsWith('/config.json'));
             const wasm = entries.find(e => new URL(e.name).pathname.endsWith('_bg.wasm'));
             return [config.length, config[0] ? config[0].startTime : null, wasm ? wasm.responseEnd : null];",
        )
        .await?;
        assert_eq!(
            timing[0],
            serde_json::json!(1),
            "config.json fetched once: {timing}"
        );
        let (config_asked, wasm_arrived) = (timing[1].as_f64(), timing[2].as_f64());
        assert!(
            matches!((config_asked, wasm_arrived), (Some(asked), Some(arrived)) if asked < arrived),
            "config.json was asked for only after the wasm had arrived: {timing}"
        );
        Ok(())
    })
}
