//! How the release build is hosted: the strict Content-Security-Policy and the header files for
//! static hosts, and the browser audit every end-to-end test ends with (shown here to catch what
//! it must catch).

use keyrack_e2e::{
    audit, env, find, holds_token, http, keystone, open, script, with_browser, TestResult, ALICE,
};
use std::path::Path;

const REQUIRED: [&str; 7] = [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "connect-src 'self' ",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
];

fn assert_strict(policy: &str, source: &str) {
    for directive in REQUIRED {
        assert!(
            policy.contains(directive),
            "{source}: the policy has `{directive}`: {policy}"
        );
    }
    assert!(
        !policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"),
        "{source}: nothing unsafe beyond wasm compilation: {policy}"
    );
}

#[test]
fn the_console_is_served_with_a_strict_policy_and_header_files_for_static_hosts() -> TestResult {
    let e = env();
    let response = http().get(format!("{}/credentials", e.console)).call()?;
    assert_eq!(
        response.status().as_u16(),
        200,
        "a console route falls back to index.html"
    );
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let policy = header("content-security-policy");
    assert_strict(&policy, "served");
    let identity_origin = e.identity.trim_end_matches("/v3");
    assert!(
        policy.contains(&format!(
            "connect-src 'self' {identity_origin} {}",
            e.contract
        )),
        "connect-src names exactly the configured endpoints: {policy}"
    );
    assert_eq!(header("cache-control"), "no-cache");
    let page = response.into_body().read_to_string()?;
    assert!(
        !page.contains("<script>") && !page.contains("<script type=\"module\">"),
        "index.html has no inline script: {page}"
    );
    assert!(
        !page.contains("<base"),
        "no <base>, which base-uri 'none' refuses"
    );

    let dist = std::env::var("KEYRACK_E2E_DIST")?;
    let file = |name: &str| std::fs::read_to_string(Path::new(&dist).join(name));
    let netlify = file("_headers")?;
    let netlify_policy = netlify
        .lines()
        .find_map(|l| l.trim().strip_prefix("Content-Security-Policy: "))
        .ok_or("_headers sets a policy")?;
    assert_strict(netlify_policy, "_headers");
    let nginx = file("keyrack.nginx.conf")?;
    assert!(
        nginx.contains("try_files $uri /console/index.html;"),
        "{nginx}"
    );
    assert!(nginx.contains("immutable"), "{nginx}");
    assert_eq!(
        file("_redirects")?.trim(),
        "/console/*  /console/index.html  200"
    );

    let loader = page
        .split("src=\"/console/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("index.html loads its loader script")?;
    let asset = http().get(format!("{}/{loader}", e.console)).call()?;
    assert_eq!(
        asset
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable"),
        "hashed assets are cached for good"
    );
    Ok(())
}

#[tokio::test]
async fn the_audit_catches_a_policy_violation_and_a_token_in_the_console() -> TestResult {
    let token = keystone::token(ALICE.0, ALICE.1, "demo")?;
    assert!(
        holds_token(&token),
        "the audit recognises a real Keystone token"
    );
    with_browser!(|c| {
        open(&c, "/sign-in").await?;
        find(&c, "form").await?;
        audit(&c).await?;
        script(
            &c,
            &format!(
                "const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                 document.body.appendChild(s); console.log('{token}'); return 0;"
            ),
        )
        .await?;
        assert_eq!(
            script(&c, "return window.ran === 1").await?,
            serde_json::json!(false),
            "the policy blocks an injected inline script"
        );
        let found = audit(&c).await.err().ok_or("the audit found nothing")?;
        let found = found.to_string();
        assert!(
            found.contains("Content-Security-Policy violation"),
            "{found}"
        );
        assert!(
            found.contains("token was written to the console"),
            "{found}"
        );
        Ok(())
    })
}
