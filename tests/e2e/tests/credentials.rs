//! The v3 credentials view in headless Chromium against the real local Keystone. Each check looks
//! at what the user sees and at what Keystone then holds.

use fantoccini::{Client, Locator};
use keyrack_e2e::{
    click, env, fill, find, first_attr, http, keystone, open, save_secret_from_dialog, script,
    sign_in_with_password, wait_route, wait_text, with_browser, TestResult, ALICE,
};
use serde_json::{json, Value};
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn held(user_id: &str) -> Result<Vec<Value>> {
    let admin = keystone::admin_token()?;
    Ok(
        keystone::get(&admin, &format!("/credentials?user_id={user_id}"))?["credentials"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    )
}

fn create_via_api(user_id: &str, kind: &str, blob: &str, project: Option<&str>) -> Result<String> {
    create_as(&keystone::admin_token()?, user_id, kind, blob, project)
}

fn create_as(
    admin: &str,
    user_id: &str,
    kind: &str,
    blob: &str,
    project: Option<&str>,
) -> Result<String> {
    let mut credential = json!({"type": kind, "user_id": user_id, "blob": blob});
    if let Some(project) = project {
        credential["project_id"] = json!(project);
    }
    let mut response = http()
        .post(format!("{}/credentials", env().identity))
        .header("X-Auth-Token", admin)
        .send_json(json!({ "credential": credential }))?;
    let body: Value = response.body_mut().read_json()?;
    Ok(body["credential"]["id"]
        .as_str()
        .ok_or_else(|| format!("not created: {body}"))?
        .to_string())
}

/// The (id, type) of every row drawn, read in one step in the page: rows are drawn anew as
/// names replace ids, and as the table scrolls.
async fn rows(c: &Client) -> Result<Vec<(String, String)>> {
    let drawn = script(
        c,
        "return [...document.querySelectorAll('[data-test=credential-row]')]
           .map(row => [row.dataset.id ?? '', row.dataset.type ?? '']);",
    )
    .await?;
    Ok(serde_json::from_value(drawn)?)
}

/// Waits until the table's count says `n` credentials match (only some of them may be drawn).
async fn wait_count(c: &Client, n: usize) -> TestResult {
    let expected = if n == 1 {
        "1 match".to_string()
    } else {
        format!("{n} matches")
    };
    let mut last = json!(null);
    for _ in 0..100 {
        last = script(
            c,
            "return document.querySelector('[data-test=count]')?.innerText ?? null;",
        )
        .await?;
        if last == json!(expected) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("the count never said {expected:?}; last: {last}").into())
}

async fn wait_rows(
    c: &Client,
    check: impl Fn(&[(String, String)]) -> bool,
) -> Result<Vec<(String, String)>> {
    let mut last = Vec::new();
    for _ in 0..100 {
        let now = rows(c).await?;
        if check(&now) {
            return Ok(now);
        }
        last = now;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("the table never matched; last rows: {last:?}").into())
}

#[tokio::test]
async fn an_administrator_creates_filters_searches_edits_and_deletes_credentials() -> TestResult {
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let admin_project = keystone::project_id("admin")?;
    // Unique per run, so leftovers of an earlier run never match.
    let marker = format!("findme-{}", std::process::id());
    let edited = format!("edited-{}", std::process::id());
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        let ids = |list: Vec<Value>| -> Vec<String> {
            list.iter()
                .filter_map(|c| c["id"].as_str().map(String::from))
                .collect()
        };
        let before = ids(held(&admin_id)?);

        // One of each type.
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        let (access, _) = save_secret_from_dialog(&c).await?;

        // A creation Keystone refuses (the same access key, another secret) shows its error and
        // never, not even for a moment, a secret dialog: a secret that was not stored.
        script(
            &c,
            "window.__secretDialogShown = false;
             new MutationObserver(() => {
               if (document.querySelector('[data-test=secret-dialog]')) window.__secretDialogShown = true;
             }).observe(document.body, { subtree: true, childList: true });
             return 0;",
        )
        .await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-access]", &access).await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-secret]", "another-secret").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(
            &c,
            "[role=alert]",
            "Creating the credential failed: This conflicts with something that already exists.",
        )
        .await?;
        assert_eq!(
            script(&c, "return window.__secretDialogShown;").await?,
            json!(false),
            "a refused creation showed a secret dialog"
        );
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-access]", "").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-secret]", "").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "select[name=new-type]")
            .await?
            .select_by_value("totp")
            .await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        let dialog = find(&c, "dialog[open][data-test=secret-dialog]")
            .await?
            .text()
            .await?;
        assert!(
            dialog.contains("otpauth://totp/Keystone:admin?secret="),
            "{dialog}"
        );
        save_secret_from_dialog(&c).await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "select[name=new-type]")
            .await?
            .select_by_value("cert")
            .await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "textarea[name=new-pem]", "not a certificate").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[role=alert]", "does not look like a PEM certificate").await?;
        fill(
            &c,
            "textarea[name=new-pem]",
            "-----BEGIN CERTIFICATE-----\nMIIBe2e\n-----END CERTIFICATE-----\n",
        )
        .await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[data-test=created]", "Created cert credential").await?;
        keyrack_e2e::open_create_form(&c).await?;
        find(&c, "select[name=new-type]")
            .await?
            .select_by_value("custom")
            .await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-custom-type]", "e2e-note").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "textarea[name=new-blob]", "{\"note\": ").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[role=alert]", "not valid JSON").await?;
        fill(
            &c,
            "textarea[name=new-blob]",
            &json!({ "note": marker }).to_string(),
        )
        .await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[data-test=created]", "Created e2e-note credential").await?;
        // (Another test may add credentials meanwhile: look at what appeared, by type.)
        let new: Vec<Value> = held(&admin_id)?
            .into_iter()
            .filter(|c| !before.iter().any(|id| c["id"] == id.as_str()))
            .collect();
        for kind in ["ec2", "totp", "cert", "e2e-note"] {
            assert!(
                new.iter().any(|c| c["type"] == kind),
                "Keystone holds the new {kind} credential"
            );
        }

        // Filters live in the URL.
        fill(&c, "input[name=filter-user]", "alice").await?;
        click(&c, ".filters form button[type=submit]").await?;
        wait_route(&c, &format!("/credentials?user_id={alice_id}")).await?;
        wait_text(&c, "[data-test=active-filter]", "alice").await?;
        // All of alice's match; those in view are drawn.
        let alice_held = ids(held(&alice_id)?);
        wait_count(&c, alice_held.len()).await?;
        wait_rows(&c, |r| {
            !r.is_empty() && r.iter().all(|(id, _)| alice_held.contains(id))
        })
        .await?;
        find(&c, "select[name=filter-type]")
            .await?
            .select_by_value("ec2")
            .await?;
        wait_route(&c, &format!("/credentials?user_id={alice_id}&type=ec2")).await?;
        wait_rows(&c, |r| !r.is_empty() && r.iter().all(|(_, t)| t == "ec2")).await?;
        c.goto(&format!("{}/credentials?type=totp", env().console))
            .await?;
        wait_rows(&c, |r| !r.is_empty() && r.iter().all(|(_, t)| t == "totp")).await?;

        // Search.
        open(&c, "/credentials").await?;
        find(&c, "[data-test=credential-row]").await?;
        fill(&c, "input[name=search]", &marker).await?;
        let found = wait_rows(&c, |r| r.len() == 1).await?;
        assert_eq!(found[0].1, "e2e-note");
        let note_id = found[0].0.clone();

        // Edit the blob: the server's state is shown before saving.
        open(&c, &format!("/credentials/{note_id}")).await?;
        wait_text(&c, "[data-test=credential-blob]", &marker).await?;
        click(&c, "[data-test=edit-blob]").await?;
        fill(
            &c,
            "textarea[name=edit-blob]",
            &json!({ "note": edited }).to_string(),
        )
        .await?;
        click(&c, "[data-test=review-blob]").await?;
        let diff = wait_text(&c, "[data-test=blob-diff]", &edited).await?;
        assert!(diff.contains(&marker), "{diff}");
        click(&c, "[data-test=save-blob]").await?;
        wait_text(&c, "[data-test=credential-blob]", &edited).await?;
        let shown = keystone::get(&admin, &format!("/credentials/{note_id}"))?;
        assert_eq!(
            shown["credential"]["blob"],
            json!({ "note": edited }).to_string()
        );

        // Delete one, confirmed by id.
        click(&c, "[data-test=delete]").await?;
        wait_text(&c, "dialog[open] [data-test=confirm-text]", &note_id).await?;
        click(&c, "dialog[open] .button-danger").await?;
        wait_route(&c, "/credentials").await?;
        assert_eq!(
            http()
                .get(format!("{}/credentials/{note_id}", env().identity))
                .header("X-Auth-Token", &admin)
                .call()?
                .status(),
            404
        );

        // Bulk delete two, with a result per row. (A type of this run's own: a run that failed
        // half-way leaves its pair behind.)
        let bulk_type = format!("bulk-e2e-{}", std::process::id());
        let first = create_via_api(&admin_id, &bulk_type, "{}", None)?;
        let second = create_via_api(&admin_id, &bulk_type, "{\"n\": 2}", Some(&admin_project))?;
        c.refresh().await?;
        fill(&c, "input[name=search]", &bulk_type).await?;
        wait_rows(&c, |r| r.len() == 2).await?;
        for id in [&first, &second] {
            click(
                &c,
                &format!("[data-test=credential-row][data-id='{id}'] input[type=checkbox]"),
            )
            .await?;
        }
        click(&c, "[data-test=bulk-delete]").await?;
        click(&c, "dialog[open] .button-danger").await?;
        let results = wait_text(&c, "[data-test=bulk-results]", "deleted").await?;
        assert!(
            results.contains(&format!("{first}: deleted"))
                && results.contains(&format!("{second}: deleted")),
            "{results}"
        );
        assert!(!held(&admin_id)?
            .iter()
            .any(|c| c["type"] == bulk_type.as_str()));
        Ok(())
    })
}

#[tokio::test]
async fn a_member_sees_only_their_own_and_cannot_open_the_administrators() -> TestResult {
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let alice_id = keystone::whoami(&keystone::token(ALICE.0, ALICE.1, "demo")?)?;
    let admins = held(&admin_id)?;
    let foreign = admins
        .first()
        .and_then(|c| c["id"].as_str())
        .ok_or("the admin has no credential")?
        .to_string();
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, ALICE.0, ALICE.1, None).await?;
        wait_route(&c, "/credentials").await?;
        let shown = wait_rows(&c, |r| !r.is_empty()).await?;
        let own: Vec<String> = held(&alice_id)?
            .iter()
            .filter_map(|c| c["id"].as_str().map(String::from))
            .collect();
        assert!(
            shown.iter().all(|(id, _)| own.contains(id)),
            "only alice's credentials are listed"
        );
        assert!(
            c.find(Locator::Css("input[name=filter-user]"))
                .await
                .is_err(),
            "no user filter for a member"
        );

        open(&c, &format!("/credentials/{foreign}")).await?;
        let message = wait_text(&c, "[role=alert]", "not found or you may not see it").await?;
        assert!(!message.is_empty());
        Ok(())
    })
}

#[tokio::test]
async fn duplicate_ec2_access_keys_and_missing_projects_get_clear_messages() -> TestResult {
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let project = keystone::project_id("admin")?;
    let access = format!("dup{}", std::process::id());
    create_via_api(
        &admin_id,
        "ec2",
        &json!({"access": access, "secret": "first"}).to_string(),
        Some(&project),
    )?;
    with_browser!(|c| {
        open(&c, "/credentials").await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, "/credentials").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-access]", &access).await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-secret]", "second").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        let message = wait_text(&c, "[role=alert]", "Creating the credential failed").await?;
        assert!(
            message.contains("conflicts with something that already exists"),
            "{message}"
        );

        // Sending the very same credential again is recognised as already created.
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-secret]", "first").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        save_secret_from_dialog(&c).await?;
        wait_text(
            &c,
            "[data-test=already-created]",
            "Nothing was created twice",
        )
        .await?;
        let same: Vec<Value> = held(&admin_id)?
            .into_iter()
            .filter(|c| c["blob"].as_str().is_some_and(|b| b.contains(&access)))
            .collect();
        assert_eq!(same.len(), 1);

        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-access]", "").await?;
        keyrack_e2e::open_create_form(&c).await?;
        fill(&c, "input[name=new-project]", "").await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-submit]").await?;
        wait_text(&c, "[role=alert]", "needs a project").await?;
        Ok(())
    })
}

#[tokio::test]
async fn type_and_project_change_by_re_creating_with_each_step_reported() -> TestResult {
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let (admin_project, demo) = (
        keystone::project_id("admin")?,
        keystone::project_id("demo")?,
    );
    let note = create_via_api(&admin_id, "recreate-e2e", "{\"keep\": \"me\"}", None)?;
    let access = format!("recreate{}", std::process::id());
    let ec2_id = create_via_api(
        &admin_id,
        "ec2",
        &json!({"access": access, "secret": "s"}).to_string(),
        Some(&admin_project),
    )?;
    with_browser!(|c| {
        open(&c, &format!("/credentials/{note}")).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_text(&c, "[data-test=credential-type]", "recreate-e2e").await?;
        click(&c, "[data-test=recreate]").await?;
        fill(&c, "input[name=recreate-type]", "recreated-e2e").await?;
        click(&c, "[data-test=recreate-submit]").await?;
        wait_text(&c, "[data-test=credential-type]", "recreated-e2e").await?;
        let steps = wait_text(
            &c,
            "[data-test=recreate-steps]",
            "Deleted the old credential",
        )
        .await?;
        assert!(steps.contains("Created the new credential"), "{steps}");
        assert_eq!(
            http()
                .get(format!("{}/credentials/{note}", env().identity))
                .header("X-Auth-Token", &admin)
                .call()?
                .status(),
            404
        );
        assert!(held(&admin_id)?
            .iter()
            .any(|c| c["type"] == "recreated-e2e" && c["blob"] == "{\"keep\": \"me\"}"));

        // An ec2 credential keeps its id (the SHA-256 of its access key) in its new project.
        open(&c, &format!("/credentials/{ec2_id}")).await?;
        wait_text(&c, "[data-test=credential-type]", "ec2").await?;
        click(&c, "[data-test=recreate]").await?;
        fill(&c, "input[name=recreate-project]", &demo).await?;
        click(&c, "[data-test=recreate-submit]").await?;
        wait_text(
            &c,
            "[data-test=recreate-steps]",
            "Created the new credential",
        )
        .await?;
        let shown = keystone::get(&admin, &format!("/credentials/{ec2_id}"))?;
        assert_eq!(shown["credential"]["project_id"], demo.as_str());
        Ok(())
    })
}

#[tokio::test]
async fn a_long_list_draws_the_rows_in_view_and_reaches_every_one_by_scrolling() -> TestResult {
    const MANY: usize = 120;
    let admin = keystone::admin_token()?;
    let admin_id = keystone::whoami(&admin)?;
    let kind = format!("long-list-{}", std::process::id());
    let mut ids = (0..MANY)
        .map(|n| {
            create_as(
                &admin,
                &admin_id,
                &kind,
                &json!({ "n": n }).to_string(),
                None,
            )
        })
        .collect::<Result<Vec<_>>>()?;
    // One type: the table's default order is then by id.
    ids.sort();
    let outcome = with_browser!(|c| {
        let route = format!("/credentials?type={kind}");
        open(&c, &route).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, &route).await?;
        wait_count(&c, MANY).await?;
        let table = find(&c, "[data-test=credentials-table]").await?;
        assert_eq!(
            table.attr("aria-rowcount").await?,
            Some((MANY + 1).to_string()),
            "the table tells assistive technology how many rows it has"
        );
        let drawn = rows(&c).await?;
        assert!(
            !drawn.is_empty() && drawn.len() < MANY / 2,
            "only the rows in view (and a margin) are drawn: {}",
            drawn.len()
        );
        assert_eq!(drawn[0].0, ids[0], "the first row comes first");

        // Scrolling to the end draws the last rows, numbered as rows of the whole table.
        script(
            &c,
            "const box = document.querySelector('.table-scroll'); box.scrollTop = box.scrollHeight; return 0;",
        )
        .await?;
        let last = format!("[data-test=credential-row][aria-rowindex='{}']", MANY + 1);
        assert_eq!(first_attr(&c, &last, "data-id").await?, ids[MANY - 1]);
        let end = wait_rows(&c, |r| r.last().map(|l| &l.0) == ids.last()).await?;
        assert!(
            end.len() < MANY / 2 && !end.iter().any(|(id, _)| id == &ids[0]),
            "the first rows are no longer drawn"
        );

        // Searching from there finds a credential from the top of the list.
        fill(&c, "input[name=search]", &ids[0]).await?;
        wait_count(&c, 1).await?;
        wait_rows(&c, |r| r.len() == 1 && r[0].0 == ids[0]).await?;
        Ok(())
    });
    let admin = keystone::admin_token()?;
    for id in &ids {
        http()
            .delete(format!("{}/credentials/{id}", env().identity))
            .header("X-Auth-Token", &admin)
            .call()?;
    }
    outcome
}

/// The filters say what the address filters by: a type beyond the three known ones is shown as
/// chosen, and a user name is looked up as the user picker does it.
#[tokio::test]
async fn the_filters_show_what_they_filter_by() -> TestResult {
    let kind = format!("filter-kind-{}", std::process::id());
    with_browser!(|c| {
        open(&c, &format!("/credentials?type={kind}")).await?;
        sign_in_with_password(&c, "admin", &env().admin_password, Some("admin")).await?;
        wait_route(&c, &format!("/credentials?type={kind}")).await?;
        find(&c, "select[name=filter-type]").await?;
        let chosen = script(
            &c,
            "return document.querySelector('select[name=filter-type]').value;",
        )
        .await?;
        assert_eq!(
            chosen,
            kind.as_str(),
            "the select names the type filtered by"
        );

        fill(&c, "input[name=filter-user]", "nobody-is-named-this").await?;
        click(&c, ".filters form button[type=submit]").await?;
        let said = wait_text(&c, "[role=alert]", "No user is named").await?;
        assert!(!said.contains("404"), "{said}");
        Ok(())
    })
}
