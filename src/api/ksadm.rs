//! Wire types of the v2.0 OS-KSADM EC2 credential extension
//! (`/v2.0/users/{userId}/OS-KSADM/credentials[/OS-KSEC2:ec2Credentials]`).

use super::client::Client;
use super::error::ApiError;
use super::secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The extension's one EC2 credential of a user, exactly as its documents give the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ec2Credential {
    pub username: String,
    pub secret: Secret,
    pub signature: String,
}

/// `{"OS-KSEC2-ec2Credentials": {…}}`: the body of grant, get and update, both ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ec2CredentialBody {
    #[serde(rename = "OS-KSEC2-ec2Credentials")]
    pub credential: Ec2Credential,
}

/// The list answer. Other credential kinds (e.g. `passwordCredentials`) may appear in it; they
/// are kept as they came and not shown as EC2 credentials.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CredentialList {
    pub credentials: Vec<Value>,
    #[serde(default)]
    pub credentials_links: Vec<Value>,
}

impl CredentialList {
    pub fn ec2_credentials(&self) -> Vec<Ec2Credential> {
        self.credentials
            .iter()
            .filter_map(|entry| serde_json::from_value::<Ec2CredentialBody>(entry.clone()).ok())
            .map(|body| body.credential)
            .collect()
    }
}

pub fn collection_url(base_url: &str, user_id: &str) -> Result<String, ApiError> {
    Ok(format!(
        "{}/v2.0/users/{}/OS-KSADM/credentials",
        base_url.trim_end_matches('/'),
        super::ec2::id_segment(user_id)?
    ))
}

fn item_url(base_url: &str, user_id: &str) -> Result<String, ApiError> {
    Ok(format!(
        "{}/OS-KSEC2:ec2Credentials",
        collection_url(base_url, user_id)?
    ))
}

pub async fn list(
    client: &Client,
    base_url: &str,
    user_id: &str,
) -> Result<Vec<Ec2Credential>, ApiError> {
    let list: CredentialList = client.get(&collection_url(base_url, user_id)?).await?;
    Ok(list.ec2_credentials())
}

/// Grant and update both send the documented body by `POST`: to the collection, or to the
/// credential's own path.
async fn post_credential(
    client: &Client,
    url: &str,
    credential: Ec2Credential,
) -> Result<Ec2Credential, ApiError> {
    let body: Ec2CredentialBody = client.post(url, &Ec2CredentialBody { credential }).await?;
    Ok(body.credential)
}

pub async fn grant(
    client: &Client,
    base_url: &str,
    user_id: &str,
    credential: Ec2Credential,
) -> Result<Ec2Credential, ApiError> {
    post_credential(client, &collection_url(base_url, user_id)?, credential).await
}

pub async fn get(
    client: &Client,
    base_url: &str,
    user_id: &str,
) -> Result<Ec2Credential, ApiError> {
    let body: Ec2CredentialBody = client.get(&item_url(base_url, user_id)?).await?;
    Ok(body.credential)
}

/// The extension updates with `POST` on the credential's own path.
pub async fn update(
    client: &Client,
    base_url: &str,
    user_id: &str,
    credential: Ec2Credential,
) -> Result<Ec2Credential, ApiError> {
    post_credential(client, &item_url(base_url, user_id)?, credential).await
}

pub async fn delete(client: &Client, base_url: &str, user_id: &str) -> Result<(), ApiError> {
    client.delete(&item_url(base_url, user_id)?).await
}
