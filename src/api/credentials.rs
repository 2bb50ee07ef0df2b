//! Keystone's `/v3/credentials`: wire types, calls, and what a blob means for each type.

use super::client::Client;
use super::ec2::{encode_segment, id_segment};
use super::error::ApiError;
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One credential. `blob` is a JSON document serialized into a string; its shape depends on `type`,
/// and it holds the secret (an ec2 secret key, a TOTP seed), so it never prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: String,
    #[serde(default)]
    pub project_id: Option<String>,
    pub blob: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CredentialEnvelope {
    pub credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CredentialList {
    pub credentials: Vec<Credential>,
    /// Keystone sets this when `list_limit` cut the answer short.
    #[serde(default)]
    pub truncated: bool,
}

/// The types the console has forms for; anything else is edited as JSON.
pub const KNOWN_TYPES: [&str; 3] = ["ec2", "totp", "cert"];

/// The blob's fields that are secrets, masked until the user asks to see them.
pub fn secret_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "ec2" => &["secret"],
        // Keystone keeps a TOTP seed as the bare blob, not as JSON.
        "totp" => &["blob"],
        _ => &[],
    }
}

/// The blob's fields as (name, text), in the blob's order; a blob that is not a JSON object is
/// one field named `blob`.
pub fn blob_fields(blob: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<Value>(blob) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect(),
        _ => vec![("blob".to_string(), blob.to_string())],
    }
}

/// Words to search in: everything in the blob except its secrets.
pub fn searchable_blob(kind: &str, blob: &str) -> String {
    let secrets = secret_fields(kind);
    blob_fields(blob)
        .into_iter()
        .filter(|(name, _)| !secrets.contains(&name.as_str()))
        .map(|(name, value)| format!("{name} {value}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ec2 access key inside a blob, if any.
pub fn ec2_access(blob: &str) -> Option<String> {
    let value: Value = serde_json::from_str(blob).ok()?;
    value.get("access")?.as_str().map(str::to_string)
}

/// Checks a blob before it is sent, per type; the error says what to fix.
pub fn check_blob(kind: &str, blob: &str) -> Result<(), String> {
    match kind {
        "ec2" => {
            let value: Value = serde_json::from_str(blob)
                .map_err(|e| format!("The blob is not valid JSON: {e}"))?;
            match (
                value.get("access").and_then(Value::as_str),
                value.get("secret").and_then(Value::as_str),
            ) {
                (Some(a), Some(s)) if !a.is_empty() && !s.is_empty() => Ok(()),
                _ => Err("An ec2 blob needs a non-empty access and secret.".into()),
            }
        }
        "cert" => {
            if blob.contains("-----BEGIN ") && blob.contains("-----END ") {
                Ok(())
            } else {
                Err("This does not look like a PEM certificate: it needs -----BEGIN …----- and -----END …----- lines.".into())
            }
        }
        "totp" => {
            let seed = blob.trim();
            if !seed.is_empty()
                && seed
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c) || c == '=')
            {
                Ok(())
            } else {
                Err("A TOTP seed is base32: upper-case letters A–Z and digits 2–7.".into())
            }
        }
        _ => serde_json::from_str::<Value>(blob)
            .map(|_| ())
            .map_err(|e| format!("The blob is not valid JSON: {e}")),
    }
}

/// Base32 (RFC 4648, no padding) of bytes, as authenticator apps read TOTP seeds.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The `otpauth://` URI an authenticator app scans to set up a TOTP seed.
pub fn otpauth_uri(issuer: &str, account: &str, seed: &str) -> String {
    let issuer = encode_segment(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={seed}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        encode_segment(account),
    )
}

fn collection_url(identity_url: &str) -> String {
    format!("{}/credentials", identity_url.trim_end_matches('/'))
}

pub fn item_url(identity_url: &str, id: &str) -> Result<String, ApiError> {
    Ok(format!(
        "{}/{}",
        collection_url(identity_url),
        id_segment(id)?
    ))
}

pub async fn list(
    client: &Client,
    identity_url: &str,
    user_id: Option<&str>,
    kind: Option<&str>,
) -> Result<CredentialList, ApiError> {
    client.get(&list_url(identity_url, user_id, kind)).await
}

/// The list's URL, of `user_id` and of type `kind` if given (a page sends it early, see
/// `SessionStore::read_early`).
pub fn list_url(identity_url: &str, user_id: Option<&str>, kind: Option<&str>) -> String {
    let mut query = Vec::new();
    if let Some(user_id) = user_id.filter(|u| !u.is_empty()) {
        query.push(format!("user_id={}", encode_segment(user_id)));
    }
    if let Some(kind) = kind.filter(|k| !k.is_empty()) {
        query.push(format!("type={}", encode_segment(kind)));
    }
    match query.is_empty() {
        true => collection_url(identity_url),
        false => format!("{}?{}", collection_url(identity_url), query.join("&")),
    }
}

pub async fn show(client: &Client, identity_url: &str, id: &str) -> Result<Credential, ApiError> {
    let shown: CredentialEnvelope = client.get(&item_url(identity_url, id)?).await?;
    Ok(shown.credential)
}

pub async fn create(
    client: &Client,
    identity_url: &str,
    kind: &str,
    user_id: &str,
    project_id: Option<&str>,
    blob: &str,
) -> Result<Credential, ApiError> {
    let mut credential = json!({"type": kind, "user_id": user_id, "blob": blob});
    if let Some(project_id) = project_id.filter(|p| !p.is_empty()) {
        credential["project_id"] = json!(project_id);
    }
    let created: CredentialEnvelope = client
        .post(
            &collection_url(identity_url),
            &json!({ "credential": credential }),
        )
        .await?;
    Ok(created.credential)
}

/// Why re-creating a credential failed, step by step. `lost_blob` holds the old credential's blob
/// when it was deleted and could not be put back: the caller must hand it to the user (once, as
/// a secret), since the server no longer has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecreateFailure {
    pub steps: Vec<String>,
    pub lost_blob: Option<Secret>,
}

impl std::fmt::Display for RecreateFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.steps.join(" "))
    }
}

/// Changes a credential's type or project, which Keystone 30 cannot PATCH: a new credential with
/// the same blob, and the old one deleted. An ec2 credential's id comes from its access key, so
/// there the old one must go first; if the new one then fails, the old one is put back. Returns
/// the new credential and the steps taken.
pub async fn recreate(
    client: &Client,
    identity_url: &str,
    old: &Credential,
    kind: &str,
    project_id: Option<&str>,
) -> Result<(Credential, Vec<String>), RecreateFailure> {
    let fail = |steps: Vec<String>| RecreateFailure {
        steps,
        lost_blob: None,
    };
    let mut steps = Vec::new();
    let create_new = || {
        create(
            client,
            identity_url,
            kind,
            &old.user_id,
            project_id,
            old.blob.expose(),
        )
    };
    if kind == "ec2" || old.kind == "ec2" {
        if let Err(e) = delete(client, identity_url, &old.id).await {
            steps.push(format!(
                "Deleting the old credential failed, nothing changed: {e}"
            ));
            return Err(fail(steps));
        }
        steps.push(format!("Deleted the old credential {}.", old.id));
        match create_new().await {
            Ok(new) => {
                steps.push(format!("Created the new credential {}.", new.id));
                Ok((new, steps))
            }
            Err(error) => {
                steps.push(format!("Creating the new credential failed: {error}"));
                let project = old.project_id.as_deref();
                match create(
                    client,
                    identity_url,
                    &old.kind,
                    &old.user_id,
                    project,
                    old.blob.expose(),
                )
                .await
                {
                    Ok(restored) => {
                        steps.push(format!(
                            "The old credential was put back (id {}).",
                            restored.id
                        ));
                        Err(fail(steps))
                    }
                    Err(e) => {
                        steps.push(format!(
                            "Putting the old credential back failed too: {e}. Its blob is shown once: save it to create the credential again."
                        ));
                        Err(RecreateFailure {
                            steps,
                            lost_blob: Some(old.blob.clone()),
                        })
                    }
                }
            }
        }
    } else {
        let new = match create_new().await {
            Ok(new) => new,
            Err(e) => {
                steps.push(format!(
                    "Creating the new credential failed, nothing changed: {e}"
                ));
                return Err(fail(steps));
            }
        };
        steps.push(format!("Created the new credential {}.", new.id));
        match delete(client, identity_url, &old.id).await {
            Ok(()) => {
                steps.push(format!("Deleted the old credential {}.", old.id));
                Ok((new, steps))
            }
            Err(e) => {
                steps.push(format!(
                    "Deleting the old credential {} failed: {e}. Both exist now.",
                    old.id
                ));
                Err(fail(steps))
            }
        }
    }
}

/// PATCH of the blob only: Keystone 30 refuses any other field, and an owner change must never be
/// sent (OSSA-2020-004).
/// Whether a credential was created now, or found made by an earlier attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Now,
    Earlier,
}

/// Creates a credential once, even when sent again. The id of an ec2 credential is the SHA-256
/// of its access key: after a retry, a 409 may only mean the first attempt got through. Then the
/// credential is read, and taken as this one's if it holds the same blob for the same user.
pub async fn create_once(
    client: &Client,
    identity_url: &str,
    kind: &str,
    user_id: &str,
    project_id: Option<&str>,
    blob: &str,
) -> Result<(Credential, Created), ApiError> {
    match create(client, identity_url, kind, user_id, project_id, blob).await {
        Ok(created) => Ok((created, Created::Now)),
        Err(error) if error.status() == Some(409) && kind == "ec2" => {
            let id = ec2_access(blob)
                .map(|a| super::sha256::sha256_hex(a.as_bytes()))
                .unwrap_or_default();
            match show(client, identity_url, &id).await {
                Ok(existing) if existing.blob.expose() == blob && existing.user_id == user_id => {
                    Ok((existing, Created::Earlier))
                }
                _ => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

pub async fn update_blob(
    client: &Client,
    identity_url: &str,
    id: &str,
    blob: &str,
) -> Result<Credential, ApiError> {
    let updated: CredentialEnvelope = client
        .patch(
            &item_url(identity_url, id)?,
            &json!({"credential": {"blob": blob}}),
        )
        .await?;
    Ok(updated.credential)
}

pub async fn delete(client: &Client, identity_url: &str, id: &str) -> Result<(), ApiError> {
    client.delete(&item_url(identity_url, id)?).await
}

/// What the create form holds for each type, with whatever the browser generated filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewCredential {
    Ec2 {
        access: String,
        secret: String,
        project: String,
    },
    Totp {
        seed: String,
    },
    Cert {
        pem: String,
    },
    Custom {
        kind: String,
        blob: String,
    },
}

/// What the user is shown once the credential exists (and never again): its secrets, the rows
/// of its `credentials.csv`, and text to paste.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewSecrets {
    /// (label, value)
    pub fields: Vec<(String, String)>,
    pub csv_rows: Vec<Vec<super::export::Cell>>,
    /// (title, text)
    pub snippets: Vec<(String, String)>,
}

/// A credential ready to send: type, blob, project, and its one-time secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedCredential {
    pub kind: String,
    pub blob: String,
    pub project: Option<String>,
    pub secrets: NewSecrets,
}

impl NewCredential {
    /// Checks the form and builds what is sent; `owner_name` names the owner in the CSV (the
    /// AWS CLI makes it the profile name) and in the authenticator app. The error is a sentence
    /// for the form.
    pub fn prepare(self, owner_name: &str) -> Result<PreparedCredential, String> {
        use super::export::Cell;
        let prepared = match self {
            NewCredential::Ec2 {
                access,
                secret,
                project,
            } => {
                PreparedCredential {
                    kind: "ec2".into(),
                    blob: json!({"access": access, "secret": secret}).to_string(),
                    // A project id of only spaces is no project (Keystone would store it).
                    project: Some(project.trim().to_string()),
                    secrets: NewSecrets {
                        csv_rows: vec![vec![
                            Cell::Text(owner_name.to_string()),
                            Cell::Key(access.clone()),
                            Cell::Key(secret.clone()),
                        ]],
                        fields: vec![("Access key".into(), access), ("Secret key".into(), secret)],
                        snippets: Vec::new(),
                    },
                }
            }
            NewCredential::Totp { seed } => PreparedCredential {
                kind: "totp".into(),
                blob: seed.clone(),
                project: None,
                secrets: NewSecrets {
                    snippets: vec![(
                        "otpauth URI (paste into, or make a QR code for, an authenticator app)"
                            .into(),
                        otpauth_uri("Keystone", owner_name, &seed),
                    )],
                    fields: vec![("TOTP seed (base32)".into(), seed)],
                    csv_rows: Vec::new(),
                },
            },
            NewCredential::Cert { pem } => PreparedCredential {
                kind: "cert".into(),
                blob: pem,
                project: None,
                secrets: NewSecrets::default(),
            },
            NewCredential::Custom { kind, blob } => PreparedCredential {
                kind: kind.trim().to_string(),
                blob,
                project: None,
                secrets: NewSecrets::default(),
            },
        };
        if prepared.kind.is_empty() {
            return Err("Name the credential type.".into());
        }
        check_blob(&prepared.kind, &prepared.blob)?;
        if prepared.kind == "ec2" && prepared.project.as_deref().is_none_or(str::is_empty) {
            return Err("An ec2 credential needs a project.".into());
        }
        Ok(prepared)
    }
}
