//! Ready-to-use forms of a new access/secret pair: CSV and snippets for AWS-compatible tools.

/// One CSV field, quoted when it needs to be (RFC 4180).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A CSV document with a header row.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let line = |fields: Vec<String>| fields.join(",") + "\r\n";
    let mut out = line(header.iter().map(|h| csv_field(h)).collect());
    for row in rows {
        out.push_str(&line(row.iter().map(|f| csv_field(f)).collect()));
    }
    out
}

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

/// Environment variables for the current shell.
pub fn environment_variables(access: &str, secret: &str, target: &ToolTarget) -> String {
    let mut text =
        format!("export AWS_ACCESS_KEY_ID={access}\nexport AWS_SECRET_ACCESS_KEY={secret}\n");
    if let Some(region) = &target.region {
        text.push_str(&format!("export AWS_DEFAULT_REGION={region}\n"));
    }
    if let Some(endpoint) = &target.endpoint {
        text.push_str(&format!("export AWS_ENDPOINT_URL={endpoint}\n"));
    }
    text
}
