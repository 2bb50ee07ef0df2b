//! How the release build is hosted: the strict Content-Security-Policy and the header files for
//! static hosts, and the browser audit every end-to-end test ends with (shown here to catch what
//! it must catch).

use keyrack_e2e::{
    audit, env, find, header_of, holds_token, http, keystone, open, script, with_browser,
    TestResult, ALICE,
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
    let header = |name: &str| header_of(&response, name);
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
    let permissions = header("permissions-policy");
    for denied in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "usb=()",
        "payment=()",
    ] {
        assert!(permissions.contains(denied), "{denied}: {permissions}");
    }
    assert!(
        permissions.contains("clipboard-write=(self)"),
        "{permissions}"
    );
    assert_eq!(header("strict-transport-security"), "max-age=63072000");
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
        header_of(&asset, "cache-control"),
        "public, max-age=31536000, immutable",
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
        // The Permissions-Policy holds in the page: what the console never uses is not allowed.
        let allowed = script(&c, "return document.featurePolicy.allowedFeatures();").await?;
        let allowed = allowed.to_string();
        for denied in ["camera", "microphone", "geolocation", "usb", "payment"] {
            assert!(
                !allowed.contains(&format!("\"{denied}\"")),
                "{denied}: {allowed}"
            );
        }
        assert!(allowed.contains("\"clipboard-write\""), "{allowed}");
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

/// nginx, started on the build with the snippet `scripts/hosting.py` wrote; stopped when dropped.
struct Nginx {
    url: String,
    child: std::process::Child,
    _dir: TempDir,
}

/// A folder removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_nginx(dist: &str) -> Result<Nginx, Box<dyn std::error::Error + Send + Sync>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir = TempDir(std::env::temp_dir().join(format!("keyrack-nginx-{port}")));
    std::fs::create_dir_all(dir.0.join("www"))?;
    std::os::unix::fs::symlink(std::fs::canonicalize(dist)?, dir.0.join("www/console"))?;
    let conf = dir.0.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off; master_process off; pid {d}/nginx.pid; error_log {d}/error.log;
             events {{}}
             http {{ include /etc/nginx/mime.types; access_log off;
               client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d};
               uwsgi_temp_path {d}; scgi_temp_path {d};
               server {{ listen 127.0.0.1:{port}; root {d}/www;
                 include {d}/www/console/keyrack.nginx.conf; }} }}",
            d = dir.0.display()
        ),
    )?;
    let nginx = if std::path::Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    };
    let child = std::process::Command::new(nginx)
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(dir.0.join("error.log"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()?;
    let server = Nginx {
        url: format!("http://127.0.0.1:{port}/console"),
        child,
        _dir: dir,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(server);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Err("nginx did not start".into())
}

#[test]
fn the_nginx_snippet_serves_the_build_as_documented() -> TestResult {
    let dist = std::env::var("KEYRACK_E2E_DIST")?;
    let nginx = start_nginx(&dist)?;
    let get = |path: &str| -> Result<
        (u16, String, String, String),
        Box<dyn std::error::Error + Send + Sync>,
    > {
        let response = http().get(format!("{}{path}", nginx.url)).call()?;
        let header = |name: &str| header_of(&response, name);
        Ok((
            response.status().as_u16(),
            header("content-type"),
            header("cache-control"),
            header("content-security-policy"),
        ))
    };
    let (status, kind, cache, policy) = get("/credentials/some-id")?;
    assert_eq!(
        (status, kind.as_str(), cache.as_str()),
        (200, "text/html", "no-cache")
    );
    assert_strict(&policy, "nginx");
    let wasm = std::fs::read_dir(&dist)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.ends_with("_bg.wasm"))
        .ok_or("no wasm in the build")?;
    let (status, kind, cache, _) = get(&format!("/{wasm}"))?;
    assert_eq!(
        (status, kind.as_str(), cache.as_str()),
        (
            200,
            "application/wasm",
            "public, max-age=31536000, immutable"
        )
    );
    let (status, _, cache, _) = get("/config.json")?;
    assert_eq!((status, cache.as_str()), (200, "no-cache"));
    let (status, _, _, _) = get("/missing-asset.js")?;
    assert_eq!(
        status, 404,
        "a missing asset is not answered with index.html"
    );
    Ok(())
}

/// `scripts/hosting.py` on a build folder whose config.json holds `identity_url`.
fn prepare_with(identity_url: &str) -> std::io::Result<(std::process::Output, std::path::PathBuf)> {
    let dist = std::env::temp_dir().join(format!(
        "keyrack-hosting-{}-{}",
        std::process::id(),
        identity_url.len()
    ));
    std::fs::create_dir_all(&dist)?;
    std::fs::write(
        dist.join("index.html"),
        "<html><head><base href=\"/console/\"></head><body></body></html>",
    )?;
    let config = serde_json::json!({"clouds": [{"name": "A", "identity_url": identity_url}]});
    std::fs::write(dist.join("config.json"), config.to_string())?;
    let output = std::process::Command::new("python3")
        .arg(keyrack_e2e::repo_root().join("scripts/hosting.py"))
        .arg("--dist")
        .arg(&dist)
        .output()?;
    Ok((output, dist))
}

#[test]
fn a_configured_url_that_would_widen_or_break_the_policy_is_refused() -> TestResult {
    for (url, why) in [
        ("https://k.example.com *", "contains ' '"),
        ("https://k.example.com;script-src *", "contains ';'"),
        ("https://k.example.com\"; add_header X y", "contains '\"'"),
        (
            "https://user:secret@k.example.com/v3",
            "user name or password",
        ),
    ] {
        let (output, dist) = prepare_with(url)?;
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{url:?}: {said}");
        assert!(said.contains(why), "{url:?}: {said}");
        assert!(
            !dist.join("_headers").exists(),
            "{url:?}: headers were written"
        );
        std::fs::remove_dir_all(dist)?;
    }
    let (output, dist) = prepare_with("HTTPS://Keystone.Example.com:5000/v3")?;
    assert!(output.status.success(), "{output:?}");
    let headers = std::fs::read_to_string(dist.join("_headers"))?;
    assert!(
        headers.contains("connect-src 'self' https://keystone.example.com:5000;"),
        "the origin is built from the URL's parts: {headers}"
    );
    std::fs::remove_dir_all(dist)?;
    Ok(())
}
