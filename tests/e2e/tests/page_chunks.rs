//! What the sign-in page does not show is in wasm chunks fetched when first needed
//! (scripts/split.py): the sign-in page downloads only the shell, each page fetches its own chunk,
//! and a chunk that cannot be fetched is explained and can be tried again.

use fantoccini::Locator;
use keyrack_e2e::{
    cdp, click, env, fetched_paths, find, header_of, http, open, sign_in_with_password, wait_route,
    wait_text, with_browser, TestResult, ALICE,
};
use serde_json::json;

/// Every chunk with a split point (src/views/lazy.rs), in the order the tests list them.
const PAGE_CHUNKS: [&str; 6] = [
    "split_signed_in-",
    "split_credentials_list-",
    "split_credential-",
    "split_ec2-",
    "split_access_keys-",
    "split_error_pages-",
];

/// The file names of the wasm modules the page has fetched so far.
async fn fetched_wasm(
    c: &fantoccini::Client,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    Ok(fetched_paths(c)
        .await?
        .into_iter()
        .filter(|path| path.ends_with(".wasm"))
        .filter_map(|path| path.rsplit('/').next().map(str::to_string))
        .collect())
}

/// Makes the browser fail every request whose URL matches `pattern` (DevTools' request
/// blocking); `None` lets everything through again.
async fn block_requests(c: &fantoccini::Client, pattern: Option<&str>) -> TestResult {
    cdp(c, "Network.enable", json!({})).await?;
    cdp(
        c,
        "Network.setBlockedURLs",
        json!({ "urls": pattern.into_iter().collect::<Vec<_>>() }),
    )
    .await?;
    Ok(())
}

fn fetched_page_chunks(wasm: &[String]) -> Vec<&'static str> {
    PAGE_CHUNKS
        .into_iter()
        .filter(|chunk| wasm.iter().any(|name| name.starts_with(chunk)))
        .collect()
}

#[test]
fn every_page_chunk_is_built_hashed_and_served_for_long_caching() -> TestResult {
    let e = env();
    let files: Vec<String> = std::fs::read_dir(std::env::var("KEYRACK_E2E_DIST")?)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    for chunk in PAGE_CHUNKS {
        let name = files
            .iter()
            .find(|name| name.starts_with(chunk) && name.ends_with(".wasm"))
            .ok_or_else(|| format!("the build has no {chunk}<hash>.wasm: {files:?}"))?;
        let response = http().get(format!("{}/{name}", e.console)).call()?;
        assert_eq!(
            header_of(&response, "content-type"),
            "application/wasm",
            "{name}"
        );
        assert!(
            header_of(&response, "cache-control").contains("immutable"),
            "{name} is content-hashed, so hosts may cache it for good"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_sign_in_page_loads_only_the_shell_and_each_page_its_own_chunk() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        find(&c, "input[name=user]").await?;
        let wasm = fetched_wasm(&c).await?;
        assert_eq!(
            wasm.len(),
            1,
            "the sign-in page fetches the shell only: {wasm:?}"
        );
        assert!(fetched_page_chunks(&wasm).is_empty(), "{wasm:?}");

        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "#page-title", "Credentials").await?;
        let wasm = fetched_wasm(&c).await?;
        assert_eq!(
            fetched_page_chunks(&wasm),
            ["split_signed_in-", "split_credentials_list-"],
            "sending the form fetches the signed-in chunk (sign-in, header, toasts); the credentials \
             list fetches its own chunk and no other page's"
        );
        assert_eq!(
            wasm.len(),
            3,
            "the shell, then one file per page (its pack: the page's module and the chunks it \
             needs), not one request per chunk: {wasm:?}"
        );

        click(&c, "header a[href$='/ec2']").await?;
        wait_route(&c, "/ec2").await?;
        wait_text(&c, "#page-title", "EC2 credentials").await?;
        let wasm = fetched_wasm(&c).await?;
        assert_eq!(
            fetched_page_chunks(&wasm),
            ["split_signed_in-", "split_credentials_list-", "split_ec2-"]
        );
        assert_eq!(wasm.len(), 4, "one more file for one more page: {wasm:?}");
        Ok(())
    })
}

#[tokio::test]
async fn a_page_shown_without_signing_in_fetches_its_own_pack_only() -> TestResult {
    with_browser!(|c| {
        open(&c, "/no-such-page").await?;
        wait_text(&c, "h1", "Page not found").await?;
        let wasm = fetched_wasm(&c).await?;
        assert_eq!(
            fetched_page_chunks(&wasm),
            ["split_error_pages-"],
            "the not-found page, signed out, does not download the signed-in layout"
        );
        assert_eq!(
            wasm.len(),
            2,
            "the shell and the error pages' pack: {wasm:?}"
        );
        Ok(())
    })
}

#[tokio::test]
async fn a_sign_in_whose_chunk_cannot_be_fetched_says_so_keeps_the_form_and_works_on_retry(
) -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        find(&c, "input[name=user]").await?;
        block_requests(&c, Some("*split_signed_in-*")).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_text(&c, ".notice-error", "Part of Keyrack could not be loaded").await?;
        let user = find(&c, "input[name=user]").await?.prop("value").await?;
        assert_eq!(
            user.as_deref(),
            Some(ALICE.0),
            "the form keeps what was typed"
        );

        block_requests(&c, None).await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "#page-title", "Credentials").await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_page_whose_chunk_cannot_be_fetched_says_so_and_loads_on_retry() -> TestResult {
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "#page-title", "Credentials").await?;

        block_requests(&c, Some("*split_access_keys-*")).await?;
        click(&c, "header a[href$='/access-keys']").await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(
            &c,
            "[data-test=chunk-error]",
            "This page could not be loaded.",
        )
        .await?;
        let notice = find(&c, "[data-test=chunk-error]").await?.text().await?;
        assert!(notice.contains("Reloading keeps you signed in"), "{notice}");

        block_requests(&c, None).await?;
        click(&c, "[data-test=chunk-error] button:first-child").await?;
        wait_text(&c, "#page-title", "Access keys").await?;
        Ok(())
    })
}

#[tokio::test]
async fn a_reload_that_cannot_fetch_the_session_code_says_so_and_resumes_on_the_next() -> TestResult
{
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        wait_text(&c, "#page-title", "Credentials").await?;

        // The stored session is read by the "signed in" chunk.
        cdp(
            &c,
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": true }),
        )
        .await?;
        block_requests(&c, Some("*split_signed_in-*")).await?;
        c.refresh().await?;
        let notice = wait_text(&c, "[data-test=not-restored]", "could not be resumed").await?;
        assert!(notice.contains("You are still signed in"), "{notice}");
        wait_route(&c, "/credentials").await?;
        assert!(
            c.find(Locator::Css("#page-title")).await.is_err(),
            "no page without a session"
        );

        block_requests(&c, None).await?;
        click(&c, "[data-test=not-restored] button").await?;
        wait_text(&c, "[data-test=session-user]", "alice").await?;
        wait_text(&c, "#page-title", "Credentials").await?;
        Ok(())
    })
}
