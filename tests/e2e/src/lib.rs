//! Harness of the end-to-end tests: a headless Chromium driven through chromedriver, the built
//! console served by `scripts/spa_server.py`, and the real local Keystone's API for checking what
//! the server then holds. `scripts/test.sh` starts those and passes their addresses in the
//! environment; run the suite through it.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type TestResult = Result<(), Box<dyn Error + Send + Sync>>;

pub const ALICE: (&str, &str) = ("alice", "keyrack-alice");

/// Where everything under test lives, from the environment `scripts/test.sh` sets.
#[derive(Debug, Clone)]
pub struct Env {
    /// The console's root URL, without a trailing slash (it is served under a sub-path).
    pub console: String,
    pub identity: String,
    /// The contract test server (v2.0 OS-KSADM and IAM OS-CREDENTIAL).
    pub contract: String,
    pub admin_password: String,
    pub webdriver: String,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end tests through scripts/test.sh, which starts Keystone, the console and chromedriver")
    })
}

pub fn env() -> Env {
    Env {
        console: var("KEYRACK_E2E_CONSOLE").trim_end_matches('/').to_string(),
        identity: var("KEYRACK_E2E_IDENTITY")
            .trim_end_matches('/')
            .to_string(),
        contract: var("KEYRACK_E2E_CONTRACT")
            .trim_end_matches('/')
            .to_string(),
        admin_password: var("KEYRACK_E2E_ADMIN_PASSWORD"),
        webdriver: var("KEYRACK_E2E_WEBDRIVER"),
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A new headless Chromium session, sized like a laptop screen.
pub async fn browser() -> Result<Client, Box<dyn Error + Send + Sync>> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900"
            ]
        }),
    );
    // Every console message is kept, for `audit` to read.
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&env().webdriver)
        .await?;
    Ok(client)
}

/// Opens a console page by its route, e.g. `/credentials`.
pub async fn open(c: &Client, route: &str) -> TestResult {
    c.goto(&format!("{}{route}", env().console)).await?;
    Ok(())
}

pub async fn find(c: &Client, css: &str) -> Result<Element, Box<dyn Error + Send + Sync>> {
    Ok(c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .map_err(|e| format!("no element {css}: {e}"))?)
}

/// Waits until an element matching `css` has text containing `expected`, and returns that text.
/// (Every match is looked at: a page may hold several alerts, some of them hidden.)
pub async fn wait_text(
    c: &Client,
    css: &str,
    expected: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = Vec::new();
    loop {
        if let Ok(elements) = c.find_all(Locator::Css(css)).await {
            last.clear();
            for element in elements {
                if let Ok(text) = element.text().await {
                    if text.contains(expected) {
                        return Ok(text);
                    }
                    last.push(text);
                }
            }
        }
        if Instant::now() > deadline {
            return Err(
                format!("no {css} ever contained {expected:?}; last texts: {last:?}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the page's path (below the console's base) is `route`, query included.
pub async fn wait_route(c: &Client, route: &str) -> Result<(), Box<dyn Error + Send + Sync>> {
    let expected = format!("{}{route}", env().console);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = c.current_url().await?;
        if url.as_str() == expected {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the page stayed at {url}, expected {expected}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Replaces a field's text as typing would: select all, delete, type. (WebDriver's clear() fires
/// no input event, so the page would never see the field emptied.)
pub async fn fill(c: &Client, css: &str, text: &str) -> TestResult {
    const CONTROL: &str = "\u{e009}";
    const BACKSPACE: &str = "\u{e003}";
    const NULL: &str = "\u{e000}";
    let field = find(c, css).await?;
    field
        .send_keys(&format!("{CONTROL}a{NULL}{BACKSPACE}"))
        .await?;
    field.send_keys(text).await?;
    Ok(())
}

pub async fn click(c: &Client, css: &str) -> TestResult {
    find(c, css).await?.click().await?;
    Ok(())
}

/// Chooses a sign-in method by its radio button value.
pub async fn choose_method(c: &Client, method: &str) -> TestResult {
    click(c, &format!("input[name=method][value={method}]")).await
}

/// Signs in with a password on the sign-in page that is showing.
pub async fn sign_in_with_password(
    c: &Client,
    user: &str,
    password: &str,
    project: Option<&str>,
) -> TestResult {
    fill(c, "input[name=user]", user).await?;
    fill(c, "input[name=password]", password).await?;
    if let Some(project) = project {
        fill(c, "input[name=project]", project).await?;
    }
    click(c, "form button[type=submit]").await
}

pub async fn script(c: &Client, js: &str) -> Result<Value, Box<dyn Error + Send + Sync>> {
    Ok(c.execute(js, vec![]).await?)
}

/// Everything the page keeps in web storage and cookies, as one text.
pub async fn persisted_state(
    c: &Client,
) -> Result<(String, String, String), Box<dyn Error + Send + Sync>> {
    let dump = |store: &str| {
        format!("const s = window.{store}; let out = ''; for (let i = 0; i < s.length; i++) {{ const k = s.key(i); out += k + '=' + s.getItem(k) + '\\n'; }} return out;")
    };
    let session = script(c, &dump("sessionStorage")).await?;
    let local = script(c, &dump("localStorage")).await?;
    let cookies = script(c, "return document.cookie;").await?;
    Ok((
        session.as_str().unwrap_or_default().to_string(),
        local.as_str().unwrap_or_default().to_string(),
        cookies.as_str().unwrap_or_default().to_string(),
    ))
}

/// The token the console keeps for this tab.
pub async fn stored_token(c: &Client) -> Result<String, Box<dyn Error + Send + Sync>> {
    let value = script(
        c,
        "return JSON.parse(sessionStorage.getItem('keyrack.session') || 'null');",
    )
    .await?;
    value["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no token in sessionStorage".into())
}

/// A plain-HTTP client that returns error statuses as answers, for checking servers directly.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Waits until nothing matches `css` any more.
pub async fn wait_gone(c: &Client, css: &str) -> TestResult {
    for _ in 0..100 {
        if c.find(Locator::Css(css)).await.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{css} is still there").into())
}

/// Reads the two values (e.g. access and secret) out of the one-time secret dialog, checks it
/// cannot be closed (button or Escape) before the user confirms saving, confirms, closes it, and
/// checks the secret is then gone from the page.
pub async fn save_secret_from_dialog(
    c: &Client,
) -> Result<(String, String), Box<dyn Error + Send + Sync>> {
    let dialog = "dialog[open][data-test=secret-dialog]";
    find(c, dialog).await?;
    let values = c
        .find_all(Locator::Css(&format!("{dialog} [data-test=secret-value]")))
        .await?;
    let first = match values.first() {
        Some(v) => v.text().await?,
        None => return Err("the dialog shows no values".into()),
    };
    let second = match values.get(1) {
        Some(v) => v.text().await?,
        None => String::new(),
    };
    assert!(
        !find(c, "[data-test=secret-close]")
            .await?
            .is_enabled()
            .await?,
        "closing waits for the confirmation"
    );
    find(c, dialog).await?.send_keys("\u{e00c}").await?;
    find(c, dialog).await?;
    click(c, "[data-test=secret-saved]").await?;
    click(c, "[data-test=secret-close]").await?;
    wait_gone(c, "[data-test=secret-dialog]").await?;
    let secret = if second.is_empty() { &first } else { &second };
    assert!(
        !c.source().await?.contains(secret.as_str()),
        "the secret is gone from the page once the dialog is closed"
    );
    Ok((first, second))
}

/// Runs a test body with a fresh browser, audits what the browser saw, and always ends the
/// browser session. A test fails on its own error first, then on what the audit found.
#[macro_export]
macro_rules! with_browser {
    (|$c:ident| $body:block) => {{
        let $c = $crate::browser().await?;
        let outcome: $crate::TestResult = async { $body }.await;
        let audit = $crate::audit(&$c).await;
        let _ = $c.close().await;
        outcome.and(audit)
    }};
}

/// Chromedriver's console log of the page (`goog:loggingPrefs`), drained on each read.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// Whether a text holds something shaped like a Keystone token (Fernet: `gAAAAA` and base64url).
pub fn holds_token(text: &str) -> bool {
    text.match_indices("gAAAAA").any(|(at, _)| {
        text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .count()
            >= 100
    })
}

/// What every end-to-end test must also hold, whatever it did: no Content-Security-Policy
/// violation and no panic in the console log; no token in the console log, `localStorage`,
/// cookies, the address bar or any URL the page requested.
pub async fn audit(c: &Client) -> TestResult {
    let log = c.issue_cmd(BrowserLog).await?;
    let messages: Vec<String> = log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e["message"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut problems = Vec::new();
    for message in &messages {
        if message.contains("Content Security Policy") {
            problems.push(format!("a Content-Security-Policy violation: {message}"));
        }
        if message.contains("panicked at") || message.contains("RuntimeError: unreachable") {
            problems.push(format!("the console panicked: {message}"));
        }
        if holds_token(message) {
            problems.push("a token was written to the console".to_string());
        }
    }
    let places = c
        .execute(
            "return { local: JSON.stringify(Object.assign({}, localStorage)), cookies: document.cookie, \
             url: location.href, requests: performance.getEntries().map(e => e.name).join(' ') };",
            vec![],
        )
        .await?;
    for place in ["local", "cookies", "url", "requests"] {
        if holds_token(places[place].as_str().unwrap_or_default()) {
            problems.push(format!("a token is in the page's {place}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("audit of the browser: {}", problems.join("; ")).into())
    }
}

/// Keystone's API, called directly: to set up what a test needs and to check what Keystone holds.
pub mod keystone {
    use super::env;
    use serde_json::{json, Value};
    use std::error::Error;

    type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

    use super::http as agent;

    /// A project-scoped token for a user of the Default domain.
    pub fn token(user: &str, password: &str, project: &str) -> Result<String> {
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": user, "domain": {"id": "default"}, "password": password}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}
        }});
        let response = agent()
            .post(format!("{}/auth/tokens", env().identity))
            .send_json(&body)?;
        if response.status() != 201 {
            return Err(format!("sign-in of {user} answered {}", response.status()).into());
        }
        Ok(response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .ok_or("no X-Subject-Token")?
            .to_string())
    }

    pub fn admin_token() -> Result<String> {
        token("admin", &env().admin_password, "admin")
    }

    /// The status Keystone answers when asked to validate `token`: 200 while it is valid.
    pub fn validation_status(token: &str) -> Result<u16> {
        let admin = admin_token()?;
        let response = agent()
            .get(format!("{}/auth/tokens", env().identity))
            .header("X-Auth-Token", &admin)
            .header("X-Subject-Token", token)
            .call()?;
        Ok(response.status().as_u16())
    }

    pub fn revoke(token: &str) -> Result<()> {
        let response = agent()
            .delete(format!("{}/auth/tokens", env().identity))
            .header("X-Auth-Token", token)
            .header("X-Subject-Token", token)
            .call()?;
        if response.status() != 204 {
            return Err(format!("revoke answered {}", response.status()).into());
        }
        Ok(())
    }

    pub fn get(token: &str, path: &str) -> Result<Value> {
        let mut response = agent()
            .get(format!("{}{path}", env().identity))
            .header("X-Auth-Token", token)
            .call()?;
        if response.status() != 200 {
            return Err(format!("GET {path} answered {}", response.status()).into());
        }
        Ok(response.body_mut().read_json()?)
    }

    /// Creates an application credential for the token's user; returns (id, secret).
    pub fn application_credential(token: &str, name: &str) -> Result<(String, String)> {
        let user_id = whoami(token)?;
        let mut response = agent()
            .post(format!(
                "{}/users/{user_id}/application_credentials",
                env().identity
            ))
            .header("X-Auth-Token", token)
            .send_json(json!({"application_credential": {"name": name}}))?;
        if response.status() != 201 {
            return Err(format!("application credential answered {}", response.status()).into());
        }
        let body: Value = response.body_mut().read_json()?;
        let credential = &body["application_credential"];
        Ok((
            credential["id"].as_str().ok_or("no id")?.to_string(),
            credential["secret"]
                .as_str()
                .ok_or("no secret")?
                .to_string(),
        ))
    }

    /// The user id a token belongs to.
    pub fn whoami(token: &str) -> Result<String> {
        let mut response = agent()
            .get(format!("{}/auth/tokens", env().identity))
            .header("X-Auth-Token", token)
            .header("X-Subject-Token", token)
            .call()?;
        let body: Value = response.body_mut().read_json()?;
        Ok(body["token"]["user"]["id"]
            .as_str()
            .ok_or("no user id")?
            .to_string())
    }
}

/// A console served by its own static server, for tests that need another origin or another
/// configuration; stopped when dropped.
pub struct ExtraConsole {
    pub url: String,
    child: Child,
}

impl ExtraConsole {
    /// Serves the built console under `/console` on a free port, with `config` (if any) as its
    /// `config.json`.
    pub fn start(config: Option<&str>) -> Result<Self, Box<dyn Error + Send + Sync>> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let root = repo_root();
        let mut command = Command::new("python3");
        command
            .arg(root.join("scripts/spa_server.py"))
            .args([
                "--root",
                &var("KEYRACK_E2E_DIST"),
                "--port",
                &port.to_string(),
                "--base",
                "/console",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(config) = config {
            let path = std::env::temp_dir().join(format!("keyrack-e2e-config-{port}.json"));
            std::fs::write(&path, config)?;
            command
                .arg("--file")
                .arg(format!("config.json={}", path.display()));
        }
        let child = command.spawn()?;
        let url = format!("http://127.0.0.1:{port}/console");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("the extra console server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(ExtraConsole { url, child })
    }
}

impl Drop for ExtraConsole {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
