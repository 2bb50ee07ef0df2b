//! Wire types of the v2.0 OS-KSADM EC2 credential extension
//! (`/v2.0/users/{userId}/OS-KSADM/credentials[/OS-KSEC2:ec2Credentials]`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The extension's one EC2 credential of a user, exactly as its documents give the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ec2Credential {
    pub username: String,
    pub secret: String,
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
