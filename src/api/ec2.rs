//! Keystone v3 OS-EC2 credentials: `/v3/users/{user_id}/credentials/OS-EC2[/{access}]`.

use super::client::Client;
use super::error::ApiError;
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ec2Credential {
    pub user_id: String,
    /// The project the credential is scoped to.
    #[serde(default)]
    pub tenant_id: Option<String>,
    pub access: String,
    pub secret: Secret,
    #[serde(default)]
    pub trust_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Ec2CredentialList {
    pub credentials: Vec<Ec2Credential>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Ec2CredentialEnvelope {
    pub credential: Ec2Credential,
}

pub fn collection_url(identity_url: &str, user_id: &str) -> Result<String, ApiError> {
    Ok(format!(
        "{}/users/{}/credentials/OS-EC2",
        identity_url.trim_end_matches('/'),
        id_segment(user_id)?
    ))
}

/// An id as one segment of a request's path. Empty, `.` and `..` are refused: percent-encoding
/// leaves them as they are, and the server (or a proxy before it) would read them as "this
/// collection" or "its parent".
pub fn id_segment(id: &str) -> Result<String, ApiError> {
    match id {
        "" | "." | ".." => Err(ApiError::InvalidId(id.to_string())),
        _ => Ok(encode_segment(id)),
    }
}

/// A path segment with everything but unreserved characters percent-encoded.
pub fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub async fn list(
    client: &Client,
    identity_url: &str,
    user_id: &str,
) -> Result<Vec<Ec2Credential>, ApiError> {
    let list: Ec2CredentialList = client.get(&collection_url(identity_url, user_id)?).await?;
    Ok(list.credentials)
}

pub async fn create(
    client: &Client,
    identity_url: &str,
    user_id: &str,
    project_id: &str,
) -> Result<Ec2Credential, ApiError> {
    let created: Ec2CredentialEnvelope = client
        .post(
            &collection_url(identity_url, user_id)?,
            &json!({ "tenant_id": project_id }),
        )
        .await?;
    Ok(created.credential)
}

pub async fn delete(
    client: &Client,
    identity_url: &str,
    user_id: &str,
    access: &str,
) -> Result<(), ApiError> {
    client
        .delete(&format!(
            "{}/{}",
            collection_url(identity_url, user_id)?,
            id_segment(access)?
        ))
        .await
}

/// One credential, by its access key.
pub async fn show(
    client: &Client,
    identity_url: &str,
    user_id: &str,
    access: &str,
) -> Result<Ec2Credential, ApiError> {
    let shown: Ec2CredentialEnvelope = client
        .get(&format!(
            "{}/{}",
            collection_url(identity_url, user_id)?,
            id_segment(access)?
        ))
        .await?;
    Ok(shown.credential)
}
