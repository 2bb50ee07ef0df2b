//! Wire types of the IAM permanent access keys (`/v3.0/OS-CREDENTIAL/credentials`).

use serde::{Deserialize, Serialize};

/// The content type the IAM documents ask for.
pub const IAM_JSON: &str = "application/json;charset=utf8";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Active,
    Inactive,
}

/// An access key as list, show and modify return it; `secret` only ever comes back from create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKey {
    #[serde(default)]
    pub user_id: String,
    pub access: String,
    pub status: KeyStatus,
    #[serde(default)]
    pub create_time: String,
    #[serde(default)]
    pub last_use_time: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessKeyEnvelope {
    pub credential: AccessKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessKeyList {
    pub credentials: Vec<AccessKey>,
}

/// The body of modify (PUT): either field may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccessKeyChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KeyStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyChangeBody {
    pub credential: AccessKeyChange,
}
