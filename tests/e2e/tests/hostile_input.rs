//! Hostile input: over a hundred XSS payloads stored in Keystone as user names, project names and
//! credential blobs (and types), and in the access-key server as key descriptions, then rendered
//! in every view that shows them. Each payload would set `window.__xss` if it ever ran; none may,
//! no injected element may appear, and (through the audit every test ends with) no
//! Content-Security-Policy violation may be reported.

use fantoccini::Client;
use keyrack_e2e::{
    click, env, fill, find, first_attr, http, keystone, open, script, sign_in_with_password,
    wait_route, wait_text, with_browser, TestResult,
};
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const VECTORS: &[&str] = &[
    "<script>window.__xss=N</script>",
    "<img src=x onerror=window.__xss=N>",
    "<svg onload=window.__xss=N>",
    "<svg><script>window.__xss=N</script></svg>",
    "\"><img src=x onerror=window.__xss=N>",
    "'><img src=x onerror=window.__xss=N>",
    "</textarea><img src=x onerror=window.__xss=N>",
    "</title><img src=x onerror=window.__xss=N>",
    "<iframe srcdoc=\"<script>parent.__xss=N</script>\"></iframe>",
    "<a href=\"javascript:window.__xss=N\">x</a>",
    "javascript:window.__xss=N",
    "<body onload=window.__xss=N>",
    "<details open ontoggle=window.__xss=N>",
    "<input autofocus onfocus=window.__xss=N>",
    "<object data=\"javascript:window.__xss=N\"></object>",
    "<embed src=\"javascript:window.__xss=N\">",
    "<meta http-equiv=refresh content=\"0;url=javascript:window.__xss=N\">",
    "<base href=\"javascript:window.__xss=N//\">",
    "{{constructor.constructor('window.__xss=N')()}}",
    "${window.__xss=N}",
    "<!--<img src=x onerror=window.__xss=N>-->",
    "&lt;script&gt;window.__xss=N&lt;/script&gt;",
    "<scr<script>ipt>window.__xss=N</script>",
    "%3Cscript%3Ewindow.__xss=N%3C/script%3E",
    "<video><source onerror=window.__xss=N></video>",
    "<style>@import'//x/N'</style>",
];

/// Ways a payload may be wrapped: plain, after text, breaking out of JSON, across lines.
const WRAPPERS: &[(&str, &str)] = &[("", ""), ("note ", ""), ("\"}", "{\""), ("\n", "\n")];

/// Over a hundred distinct payloads, unique to this run (Keystone names must be unique).
fn payloads() -> Vec<String> {
    let run = std::process::id();
    let mut out = Vec::new();
    for (w, (before, after)) in WRAPPERS.iter().enumerate() {
        for (v, vector) in VECTORS.iter().enumerate() {
            let n = format!("{run}{w}{v:02}");
            out.push(format!("{before}{}{after}", vector.replace('N', &n)));
        }
    }
    out
}

fn id_of(answer: &Value, kind: &str) -> Result<String> {
    Ok(answer[kind]["id"]
        .as_str()
        .ok_or_else(|| format!("no {kind} id in {answer}"))?
        .to_string())
}

/// Nothing ran and nothing was injected: no flag set, no element carrying a handler, no frame.
async fn assert_inert(c: &Client, page: &str) -> TestResult {
    let verdict = script(
        c,
        "return { ran: window.__xss !== undefined, parent: window.parent.__xss !== undefined,
                  injected: document.querySelectorAll('[onerror],[onload],[onfocus],[ontoggle],iframe,object,embed,video,base,meta[http-equiv]').length };",
    )
    .await?;
    assert_eq!(verdict["ran"], json!(false), "{page}: a payload ran");
    assert_eq!(verdict["parent"], json!(false), "{page}: a payload ran");
    assert_eq!(verdict["injected"], json!(0), "{page}: markup was injected");
    Ok(())
}

/// The text of every row of the credentials table, read while scrolling it from start to end
/// (only the rows in view are drawn).
async fn scrolled_table_text(c: &Client) -> Result<String> {
    find(c, ".table-scroll [data-test=credential-row]").await?;
    let text = c
        .execute_async(
            "const finish = arguments[arguments.length - 1];
             const box = document.querySelector('.table-scroll');
             const seen = [];
             box.scrollTop = 0;
             const next = () => {
               box.querySelectorAll('[data-test=credential-row]').forEach(r => seen.push(r.innerText));
               if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) return finish(seen.join('\\n'));
               box.scrollTop += box.clientHeight / 2;
               requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(next, 0)));
             };
             requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(next, 0)));",
            vec![],
        )
        .await?;
    Ok(text.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn xss_payloads_in_names_blobs_and_descriptions_render_as_text_everywhere() -> TestResult {
    let payloads = payloads();
    assert!(payloads.len() >= 100, "{} payloads", payloads.len());
    let kind = format!("e2e-xss-{}", std::process::id());

    // Keystone: one user per payload (no password: nobody signs in as them), one project per
    // payload short enough for a project name, one credential each whose blob holds the payload.
    let mut users = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        let user = keystone::admin_post(
            "/users",
            json!({"user": {"name": payload, "domain_id": "default"}}),
        )?;
        let project = if payload.chars().count() <= 64 {
            let answer = keystone::admin_post(
                "/projects",
                json!({"project": {"name": payload, "domain_id": "default"}}),
            )?;
            Some(id_of(&answer, "project")?)
        } else {
            None
        };
        let user_id = id_of(&user, "user")?;
        let blob = json!({ payload.clone(): payload, "n": i }).to_string();
        keystone::admin_post(
            "/credentials",
            json!({"credential": {"type": kind, "user_id": user_id, "project_id": project, "blob": blob}}),
        )?;
        users.push((user_id, payload.clone()));
    }

    // The access-key server: two keys per user for half the users, one description per payload.
    let admin = keystone::admin_token()?;
    let mut with_keys = Vec::new();
    for pair in payloads.chunks(2).zip(users.iter()) {
        let (descriptions, (user_id, name)) = pair;
        for description in descriptions {
            let status = http()
                .post(format!("{}/v3.0/OS-CREDENTIAL/credentials", env().contract))
                .header("X-Auth-Token", &admin)
                .header("Content-Type", "application/json;charset=utf8")
                .send_json(json!({"credential": {"user_id": user_id, "description": description}}))?
                .status();
            assert_eq!(status, 201, "a key with description {description:?}");
        }
        with_keys.push((user_id.clone(), name.clone(), descriptions.to_vec()));
    }

    with_browser!(|c| {
        open(&c, &format!("/credentials?type={kind}")).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, &format!("/credentials?type={kind}")).await?;
        // Every user name (and project name) and blob in one table, as text. Only the rows in
        // view are drawn, and names replace ids once they are read: scroll through the whole
        // table until every name has been seen.
        let everything: Vec<&str> = payloads.iter().map(|p| p.trim()).collect();
        let mut table = String::new();
        for _ in 0..50 {
            table = scrolled_table_text(&c).await?;
            if everything.iter().all(|p| table.contains(p)) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        for payload in &payloads {
            assert!(
                table.contains(payload.trim()),
                "the list shows {payload:?} as text"
            );
        }
        assert_inert(&c, "credentials list").await?;

        // The credential page, the EC2 and the access-key views of a sample of users.
        for (user_id, name) in users.iter().step_by(9) {
            open(&c, &format!("/credentials?type={kind}&user_id={user_id}")).await?;
            let id = first_attr(&c, "[data-test=credential-row]", "data-id").await?;
            open(&c, &format!("/credentials/{id}")).await?;
            let blob = wait_text(&c, "[data-test=credential-blob]", name.trim()).await?;
            assert!(
                blob.matches(name.trim()).count() >= 2,
                "key and value as text: {blob}"
            );
            assert_inert(&c, "credential page").await?;

            let query = format!("user_id={user_id}&user_name={}", url_encode(name));
            open(&c, &format!("/ec2?{query}")).await?;
            wait_text(&c, "main", "EC2").await?;
            assert_inert(&c, "EC2 view").await?;
        }
        for (user_id, name, descriptions) in &with_keys {
            open(
                &c,
                &format!(
                    "/access-keys?user_id={user_id}&user_name={}",
                    url_encode(name)
                ),
            )
            .await?;
            let table = wait_text(&c, "[data-test=keys-table]", descriptions[0].trim()).await?;
            for description in descriptions {
                assert!(table.contains(description.trim()), "{description:?}");
            }
            assert_inert(&c, "access-key view").await?;
        }
        Ok(())
    })
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_user_and_project_with_hostile_names_sign_in_and_see_them_as_text() -> TestResult {
    let run = std::process::id();
    let user = format!("<img src=x onerror=window.__xss={run}>");
    let project = format!("\"><svg onload=window.__xss={run}>");
    let password = "hostile-password";
    let user_id = id_of(
        &keystone::admin_post(
            "/users",
            json!({"user": {"name": user, "password": password, "domain_id": "default"}}),
        )?,
        "user",
    )?;
    let project_id = id_of(
        &keystone::admin_post(
            "/projects",
            json!({"project": {"name": project, "domain_id": "default"}}),
        )?,
        "project",
    )?;
    keystone::grant_member(&project_id, &user_id)?;

    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, &user, password, Some(&project)).await?;
        wait_route(&c, "/credentials").await?;
        let header = wait_text(&c, "header", &user).await?;
        assert!(header.contains(&project), "{header}");
        assert_inert(&c, "header").await?;
        for route in ["/ec2", "/access-keys"] {
            open(&c, route).await?;
            wait_text(&c, "header", &user).await?;
            assert_inert(&c, route).await?;
        }
        Ok(())
    })
}

/// A link can pair any user id with any name; the name shown (and written into files and
/// request bodies) is the one Keystone has for that id.
#[tokio::test]
async fn a_user_name_in_the_address_is_ignored_for_the_one_keystone_has() -> TestResult {
    let alice = keystone::whoami(&keystone::token("alice", "keyrack-alice", "demo")?)?;
    with_browser!(|c| {
        open(&c, "/sign-in?next=%2Faccess-keys").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/access-keys").await?;
        for page in ["/access-keys", "/ec2"] {
            open(&c, &format!("{page}?user_id={alice}&user_name=ci-robot")).await?;
            let shown = wait_text(&c, "[data-test=target-user]", "alice").await?;
            assert!(!shown.contains("ci-robot"), "{page}: {shown}");
        }
        // An id Keystone does not know is said so, and named by its id alone.
        open(&c, "/access-keys?user_id=no-such-user&user_name=ci-robot").await?;
        wait_text(&c, "[role=alert]", "Reading this user failed").await?;
        let shown = wait_text(&c, "[data-test=target-user]", "no-such-user").await?;
        assert!(!shown.contains("ci-robot"), "{shown}");

        // Choosing a user writes only the id into the address.
        open(&c, "/access-keys").await?;
        fill(&c, "input[name=target-user]", "alice").await?;
        click(&c, ".user-picker button[type=submit]").await?;
        wait_text(&c, "[data-test=target-user]", "alice").await?;
        let url = c.current_url().await?;
        assert!(!url.as_str().contains("user_name"), "{url}");
        assert!(url.as_str().contains(&alice), "{url}");
        Ok(())
    })
}
