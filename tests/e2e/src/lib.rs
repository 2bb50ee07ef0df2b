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

/// The attribute `name` of the first element matching `css`, once there is one. It is read in one
/// step in the page: a list redraws its rows (names replace ids as they are read), so an element
/// found a moment earlier may already be gone.
pub async fn first_attr(
    c: &Client,
    css: &str,
    name: &str,
) -> Result<String, Box<dyn Error + Send + Sync>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = c
            .execute(
                "return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null;",
                vec![json!(css), json!(name)],
            )
            .await?;
        if let Some(value) = value.as_str() {
            return Ok(value.to_string());
        }
        if Instant::now() > deadline {
            return Err(format!("no {css} with a {name} attribute").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    wait_route_of(c, &env().console, route).await
}

/// `wait_route` for the console served at `console` (e.g. an `ExtraConsole`).
pub async fn wait_route_of(
    c: &Client,
    console: &str,
    route: &str,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let expected = format!("{console}{route}");
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
    on_element(c, css, |field| async move {
        field
            .send_keys(&format!("{CONTROL}a{NULL}{BACKSPACE}"))
            .await?;
        field.send_keys(text).await
    })
    .await
}

pub async fn click(c: &Client, css: &str) -> TestResult {
    on_element(c, css, |element| async move {
        // To the middle of the window first, as a person scrolls to what they click: the driver
        // would scroll it only just into view, under the toasts at the window's bottom edge.
        let scroll = json!({ "block": "center" });
        let arg = serde_json::to_value(&element).unwrap_or_default();
        element
            .clone()
            .client()
            .execute(
                "arguments[0].scrollIntoView(arguments[1]);",
                vec![arg, scroll],
            )
            .await?;
        element.click().await
    })
    .await
}

/// Whether a toast is on screen (what intercepts a click may be any part of one: its text, its
/// close button).
async fn toast_shown(c: &Client) -> bool {
    script(c, "return !!document.querySelector('.toasts *');")
        .await
        .is_ok_and(|shown| shown == json!(true))
}

/// Does `act` to the element matching `css`, found again if the page drew it anew meanwhile (a
/// list redraws its rows as names replace ids and as it scrolls): `act` must be safe to repeat.
async fn on_element<F, R>(c: &Client, css: &str, act: F) -> TestResult
where
    F: Fn(Element) -> R,
    R: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let mut tries = 5;
    // A toast over the element (they sit at the window's bottom edge and fade after 6 s): as a
    // person would, wait for it to go.
    let covered_until = Instant::now() + Duration::from_secs(8);
    loop {
        match act(find(c, css).await?).await {
            Err(error) if error.is_stale_element_reference() && tries > 1 => tries -= 1,
            Err(fantoccini::error::CmdError::Standard(error))
                if error.error == fantoccini::error::ErrorStatus::ElementClickIntercepted
                    && Instant::now() < covered_until
                    && toast_shown(c).await =>
            {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            outcome => return Ok(outcome?),
        }
    }
}

/// Opens the page's "New …" form unless it is open already (a page opens on its list; the form
/// stays open for the session once opened).
pub async fn open_create_form(c: &Client) -> TestResult {
    let toggle = find(c, "[data-test=open-create]").await?;
    if toggle.attr("aria-expanded").await?.as_deref() != Some("true") {
        click(c, "[data-test=open-create]").await?;
    }
    find(c, "[data-test=create-panel]:not([hidden])").await?;
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

/// The path of every file the page has fetched so far, in order (the browser's resource timing).
pub async fn fetched_paths(c: &Client) -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
    let paths = script(
        c,
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);",
    )
    .await?;
    Ok(paths
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect())
}

/// When a held request is held: its answer (the server did the work; the page learns of it late,
/// as on a slow network), or the request itself (it reaches the server late).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    Answer,
    Request,
}

/// From now on, until the page is reloaded, holds for `ms` milliseconds every `method` request
/// of this page whose URL contains `url_part`. The page's `fetch` is wrapped in place, so only
/// what the console itself sends is held.
pub async fn hold_requests(
    c: &Client,
    method: &str,
    url_part: &str,
    ms: u64,
    when: Hold,
) -> TestResult {
    c.execute(
        "if (!window.__keyrackHold) {
           window.__keyrackHold = { rules: [], held: 0 };
           const real = window.fetch;
           window.fetch = async function (input, init) {
             // The console sends Requests; the chunk loader a URL or a string.
             const url = input instanceof Request ? input.url : String(input);
             const method = ((init && init.method) || (input instanceof Request ? input.method : 'GET')).toUpperCase();
             const rule = window.__keyrackHold.rules.find(r => r.method === method && url.includes(r.url));
             const wait = () => new Promise(done => setTimeout(done, rule.ms));
             if (rule) window.__keyrackHold.held += 1;
             if (rule && rule.before) await wait();
             const response = await real.call(this, input, init);
             if (rule && !rule.before) await wait();
             return response;
           };
         }
         window.__keyrackHold.rules.push({ method: arguments[0], url: arguments[1], ms: arguments[2], before: arguments[3] });
         return 0;",
        vec![json!(method.to_uppercase()), json!(url_part), json!(ms), json!(when == Hold::Request)],
    )
    .await?;
    Ok(())
}

/// Requests are no longer held; returns how many were.
pub async fn release_requests(c: &Client) -> Result<u64, Box<dyn Error + Send + Sync>> {
    let held = c
        .execute(
            "const hold = window.__keyrackHold; if (!hold) return 0; hold.rules = []; return hold.held;",
            vec![],
        )
        .await?;
    Ok(held.as_u64().unwrap_or_default())
}

/// From now on counts every one-time secret dialog the page draws (`secret_dialogs_drawn` reads
/// the count): a secret is shown exactly once.
pub async fn count_secret_dialogs(c: &Client) -> TestResult {
    script(
        c,
        "window.__secretDialogs = 0;
         new MutationObserver(changes => changes.forEach(change => change.addedNodes.forEach(node => {
           if (node.nodeType === 1 && (node.matches('[data-test=secret-dialog]') || node.querySelector('[data-test=secret-dialog]'))) {
             window.__secretDialogs += 1;
           }
         }))).observe(document.body, { childList: true, subtree: true });
         return 0;",
    )
    .await?;
    Ok(())
}

pub async fn secret_dialogs_drawn(c: &Client) -> Result<u64, Box<dyn Error + Send + Sync>> {
    Ok(script(c, "return window.__secretDialogs ?? 0;")
        .await?
        .as_u64()
        .unwrap_or_default())
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
/// A response header as text; empty when absent.
pub fn header_of<B>(response: &http::Response<B>, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

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
    // A file offered is downloaded, and the object URL made for it is revoked at once. (One: a
    // second download in a row meets Chromium's "multiple downloads" prompt.)
    script(
        c,
        "window.__objectUrls = { made: [], revoked: [] };
         if (!window.__objectUrlsWatched) {
           window.__objectUrlsWatched = true;
           const make = URL.createObjectURL, revoke = URL.revokeObjectURL;
           URL.createObjectURL = b => { const u = make.call(URL, b); __objectUrls.made.push(u); return u; };
           URL.revokeObjectURL = u => { __objectUrls.revoked.push(u); return revoke.call(URL, u); };
         }
         return 0;",
    )
    .await?;
    let downloads = c
        .find_all(Locator::Css(&format!(
            "{dialog} [data-test=secret-download]"
        )))
        .await?;
    if let Some(button) = downloads.first() {
        button.click().await?;
    }
    let urls = script(c, "return window.__objectUrls;").await?;
    assert_eq!(
        urls["made"].as_array().map(Vec::len),
        Some(downloads.len().min(1)),
        "one object URL per download: {urls}"
    );
    assert_eq!(urls["made"], urls["revoked"], "every object URL is revoked");
    find(c, dialog).await?.send_keys("\u{e00c}").await?;
    find(c, dialog).await?;
    click(c, "[data-test=secret-saved]").await?;
    // The button is enabled by the page's next update; a click before that would do nothing.
    for _ in 0..100 {
        if find(c, "[data-test=secret-close]")
            .await?
            .is_enabled()
            .await?
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    click(c, "[data-test=secret-close]").await?;
    wait_gone(c, "[data-test=secret-dialog]").await?;
    let secret = if second.is_empty() { &first } else { &second };
    assert!(
        !c.source().await?.contains(secret.as_str()),
        "the secret is gone from the page once the dialog is closed"
    );
    let in_fields = c
        .execute(
            "return [...document.querySelectorAll('input, textarea')].some(e => e.value.includes(arguments[0]));",
            vec![json!(secret)],
        )
        .await?;
    assert_eq!(in_fields, json!(false), "nor in any field's value");
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

/// A chromedriver command fantoccini has no method for: a POST of `body` to the session's `path`.
#[derive(Debug)]
struct ChromedriverCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromedriverCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Chromedriver's console log of the page (`goog:loggingPrefs`), drained on each read.
async fn browser_log(c: &Client) -> Result<Value, Box<dyn Error + Send + Sync>> {
    Ok(c.issue_cmd(ChromedriverCommand {
        path: "se/log",
        body: json!({ "type": "browser" }),
    })
    .await?)
}

/// Runs a DevTools command (e.g. `Network.clearBrowserCache`) in the browser.
pub async fn cdp(
    c: &Client,
    command: &str,
    params: Value,
) -> Result<Value, Box<dyn Error + Send + Sync>> {
    Ok(c.issue_cmd(ChromedriverCommand {
        path: "goog/cdp/execute",
        body: json!({ "cmd": command, "params": params }),
    })
    .await?)
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
    let log = browser_log(c).await?;
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

    /// The validation status of `token` once Keystone refuses it (404), or the last status seen
    /// after 5 s: a revocation the console sends right after signing out takes a moment to land.
    pub async fn status_once_refused(token: &str) -> Result<u16> {
        let mut status = 0;
        for _ in 0..50 {
            status = validation_status(token)?;
            if status == 404 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(status)
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

    /// POSTs `body` to `path` as the administrator; returns the answer's JSON.
    pub fn admin_post(path: &str, body: Value) -> Result<Value> {
        let mut response = agent()
            .post(format!("{}{path}", env().identity))
            .header("X-Auth-Token", &admin_token()?)
            .send_json(body)?;
        if !response.status().is_success() {
            return Err(format!("POST {path} answered {}", response.status()).into());
        }
        Ok(response.body_mut().read_json()?)
    }

    /// Creates a user of the Default domain who is a member of the project `demo`; returns the
    /// user's id.
    pub fn create_member(name: &str, password: &str) -> Result<String> {
        let admin = admin_token()?;
        let user = admin_post(
            "/users",
            json!({"user": {"name": name, "password": password, "domain_id": "default"}}),
        )?;
        let user_id = user["user"]["id"].as_str().ok_or("no user id")?.to_string();
        let demo = get(&admin, "/projects?name=demo")?["projects"][0]["id"]
            .as_str()
            .ok_or("no project demo")?
            .to_string();
        grant_member(&demo, &user_id)?;
        Ok(user_id)
    }

    /// Gives a user the role `member` on a project.
    pub fn grant_member(project_id: &str, user_id: &str) -> Result<()> {
        grant_role(project_id, user_id, "member")
    }

    /// Gives a user the role named `role` on a project.
    pub fn grant_role(project_id: &str, user_id: &str, role: &str) -> Result<()> {
        let admin = admin_token()?;
        let role_id = get(&admin, &format!("/roles?name={role}"))?["roles"][0]["id"]
            .as_str()
            .ok_or(format!("no role {role}"))?
            .to_string();
        let status = agent()
            .put(format!(
                "{}/projects/{project_id}/users/{user_id}/roles/{role_id}",
                env().identity
            ))
            .header("X-Auth-Token", &admin)
            .send_empty()?
            .status();
        if !status.is_success() {
            return Err(format!("granting {role} answered {status}").into());
        }
        Ok(())
    }

    /// The id of the project named `name` (in any domain; the tests' names are unique).
    pub fn project_id(name: &str) -> Result<String> {
        let admin = admin_token()?;
        Ok(
            get(&admin, &format!("/projects?name={name}"))?["projects"][0]["id"]
                .as_str()
                .ok_or(format!("no project {name}"))?
                .to_string(),
        )
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
        Self::start_on(port, config)
    }

    /// Like `start`, on the `index`th of the ports `scripts/test.sh` set aside for such consoles:
    /// Keystone and the contract server allow their origins (CORS), so this console can call them.
    pub fn start_allowed(index: usize, config: &str) -> Result<Self, Box<dyn Error + Send + Sync>> {
        let ports = var("KEYRACK_E2E_SPARE_PORTS");
        let port = ports
            .split(',')
            .nth(index)
            .and_then(|p| p.trim().parse().ok())
            .ok_or_else(|| {
                format!("KEYRACK_E2E_SPARE_PORTS ({ports}) has no port number {index}")
            })?;
        Self::start_on(port, Some(config))
    }

    fn start_on(port: u16, config: Option<&str>) -> Result<Self, Box<dyn Error + Send + Sync>> {
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

/// A TCP relay in front of a server, which a test can cut (the server seems stopped: connections
/// are refused and open ones reset) or make hang (connections accepted, nothing answered).
pub struct Relay {
    pub port: u16,
    upstream: std::net::SocketAddr,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RelayMode {
    Pass,
    Hang,
}

impl Relay {
    /// Relays a free local port to the host and port of `url`.
    pub async fn to(url: &str) -> Result<Self, Box<dyn Error + Send + Sync>> {
        let authority = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| format!("no host in {url}"))?;
        let upstream = tokio::net::lookup_host(authority)
            .await?
            .next()
            .ok_or_else(|| format!("{authority} does not resolve"))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let relay = Relay {
            port: listener.local_addr()?.port(),
            upstream,
            tasks: Default::default(),
        };
        relay.serve(listener, RelayMode::Pass);
        Ok(relay)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn serve(&self, listener: tokio::net::TcpListener, mode: RelayMode) {
        let (upstream, tasks) = (self.upstream, std::sync::Arc::clone(&self.tasks));
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let connection = tokio::spawn(async move {
                    if mode == RelayMode::Hang {
                        std::future::pending::<()>().await;
                    }
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                    drop(inbound);
                });
                if let Ok(mut tasks) = tasks.lock() {
                    tasks.push(connection.abort_handle());
                }
            }
        });
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.push(accept.abort_handle());
        }
    }

    fn stop_all(&self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            for task in tasks.drain(..) {
                task.abort();
            }
        }
    }

    /// The server seems stopped: nothing listens on the port any more.
    pub fn cut(&self) {
        self.stop_all();
    }

    async fn reopen(&self, mode: RelayMode) -> TestResult {
        self.stop_all();
        // The aborted listener closes on the runtime's next turn.
        for _ in 0..50 {
            match tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => {
                    self.serve(listener, mode);
                    return Ok(());
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
        Err(format!("port {} could not be listened on again", self.port).into())
    }

    /// The server answers again.
    pub async fn restore(&self) -> TestResult {
        self.reopen(RelayMode::Pass).await
    }

    /// The server accepts connections but never answers.
    pub async fn hang(&self) -> TestResult {
        self.reopen(RelayMode::Hang).await
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// The contract server's IAM access keys, as an administrator manages them (to set a test up).
pub mod access_keys {
    use super::{env, http, keystone};
    use serde_json::{json, Value};

    type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

    pub fn url() -> String {
        format!("{}/v3.0/OS-CREDENTIAL/credentials", env().contract)
    }

    /// The keys the server holds for a user.
    pub fn of(user_id: &str) -> Result<Vec<Value>> {
        let mut response = http()
            .get(format!("{}?user_id={user_id}", url()))
            .header("X-Auth-Token", &keystone::admin_token()?)
            .call()?;
        let body: Value = response.body_mut().read_json()?;
        Ok(body["credentials"].as_array().cloned().unwrap_or_default())
    }

    /// Creates a key for a user; returns its access key.
    pub fn create(user_id: &str, description: &str) -> Result<String> {
        let mut response = http()
            .post(url())
            .header("X-Auth-Token", &keystone::admin_token()?)
            .send_json(json!({"credential": {"user_id": user_id, "description": description}}))?;
        let body: Value = response.body_mut().read_json()?;
        Ok(body["credential"]["access"]
            .as_str()
            .ok_or("no access key")?
            .to_string())
    }

    /// Deletes every key of a user.
    pub fn clear(user_id: &str) -> Result<()> {
        let admin = keystone::admin_token()?;
        for key in of(user_id)? {
            let access = key["access"].as_str().unwrap_or_default();
            http()
                .delete(format!("{}/{access}", url()))
                .header("X-Auth-Token", &admin)
                .call()?;
        }
        Ok(())
    }
}

/// The contract server's test-only fault injection.
pub mod faults {
    use super::{env, http};
    use serde_json::Value;

    type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

    /// Makes the next `fault["count"]` matching requests fail as `fault` says
    /// (`path_prefix`, `status`, and optionally `method`, `token`, `label`, `retry_after`, `delay_ms`).
    pub fn inject(fault: Value) -> Result<()> {
        let status = http()
            .post(format!("{}/test-only/faults", env().contract))
            .send_json(fault)?
            .status()
            .as_u16();
        if status == 204 {
            Ok(())
        } else {
            Err(format!("injecting a fault answered {status}").into())
        }
    }

    /// Removes every injected fault, spent or not.
    pub fn clear() -> Result<()> {
        http()
            .delete(format!("{}/test-only/faults", env().contract))
            .call()?;
        Ok(())
    }

    /// How many requests the fault labelled `label` has answered.
    pub fn served(label: &str) -> Result<u64> {
        let listed: Value = http()
            .get(format!("{}/test-only/faults", env().contract))
            .call()?
            .body_mut()
            .read_json()?;
        listed["faults"]
            .as_array()
            .and_then(|faults| faults.iter().find(|f| f["label"] == label))
            .and_then(|f| f["served"].as_u64())
            .ok_or_else(|| format!("no fault labelled {label}: {listed}").into())
    }
}
