//! Wire types of Keystone's `/v3/credentials`.

use serde::{Deserialize, Serialize};

/// One credential. `blob` is a JSON document serialized into a string; its shape depends on `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub user_id: String,
    #[serde(default)]
    pub project_id: Option<String>,
    pub blob: String,
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
