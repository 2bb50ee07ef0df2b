//! Wire types of the IAM permanent access keys (`/v3.0/OS-CREDENTIAL/credentials`).

use super::client::Client;
use super::ec2::{encode_segment, id_segment};
use super::error::ApiError;
use super::secret::Secret;
use super::time::parse_timestamp_ms;
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
    pub secret: Option<Secret>,
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

/// At most this many permanent access keys per user.
pub const KEYS_PER_USER: usize = 2;
pub const MAX_DESCRIPTION_CHARS: usize = 255;
/// Keys older than this, or unused for this long, are flagged.
pub const STALE_AFTER_DAYS: i64 = 90;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize)]
struct NewKey<'a> {
    user_id: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
}

#[derive(Debug, Clone, Serialize)]
struct NewKeyBody<'a> {
    credential: NewKey<'a>,
}

fn collection_url(base_url: &str) -> String {
    format!(
        "{}/v3.0/OS-CREDENTIAL/credentials",
        base_url.trim_end_matches('/')
    )
}

fn item_url(base_url: &str, access: &str) -> Result<String, ApiError> {
    Ok(format!(
        "{}/{}",
        collection_url(base_url),
        id_segment(access)?
    ))
}

fn iam(client: &Client) -> Client {
    client.clone().with_content_type(IAM_JSON)
}

/// The keys of `user_id` (a page sends it early, see `SessionStore::read_early`).
pub fn list_url(base_url: &str, user_id: &str) -> String {
    format!(
        "{}?user_id={}",
        collection_url(base_url),
        encode_segment(user_id)
    )
}

pub async fn list(
    client: &Client,
    base_url: &str,
    user_id: &str,
) -> Result<Vec<AccessKey>, ApiError> {
    let list: AccessKeyList = client.get(&list_url(base_url, user_id)).await?;
    Ok(list.credentials)
}

pub async fn show(client: &Client, base_url: &str, access: &str) -> Result<AccessKey, ApiError> {
    let shown: AccessKeyEnvelope = client.get(&item_url(base_url, access)?).await?;
    Ok(shown.credential)
}

/// Creates a key; the answer is the only one that carries its secret.
pub async fn create(
    client: &Client,
    base_url: &str,
    user_id: &str,
    description: &str,
) -> Result<AccessKey, ApiError> {
    let body = NewKeyBody {
        credential: NewKey {
            user_id,
            description,
        },
    };
    let created: AccessKeyEnvelope = iam(client).post(&collection_url(base_url), &body).await?;
    Ok(created.credential)
}

pub async fn modify(
    client: &Client,
    base_url: &str,
    access: &str,
    change: AccessKeyChange,
) -> Result<AccessKey, ApiError> {
    let modified: AccessKeyEnvelope = iam(client)
        .put(
            &item_url(base_url, access)?,
            &AccessKeyChangeBody { credential: change },
        )
        .await?;
    Ok(modified.credential)
}

pub async fn delete(client: &Client, base_url: &str, access: &str) -> Result<(), ApiError> {
    client.delete(&item_url(base_url, access)?).await
}

/// The message for a failed create: IAM's quota answer gets plain words.
pub fn create_failure_message(error: &ApiError) -> Option<&'static str> {
    (error.status() == Some(400) && error.server_detail().as_deref() == Some("akSkNumExceed")).then_some(
        "This user already has the maximum of 2 access keys. Delete one (deactivate it first if it is still in use) before creating another.",
    )
}

/// How old a key is and whether it should be looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAge {
    pub age_days: Option<i64>,
    /// Days since last use; `None` when never used or unknown.
    pub unused_days: Option<i64>,
    pub never_used: bool,
    pub too_old: bool,
    pub unused_too_long: bool,
}

impl AccessKey {
    /// IAM reports `last_use_time` equal to `create_time` for a key never used.
    pub fn never_used(&self) -> bool {
        self.last_use_time
            .as_deref()
            .is_none_or(|t| t == self.create_time)
    }

    pub fn age(&self, now_ms: i64) -> KeyAge {
        let days_since =
            |t: &str| parse_timestamp_ms(t).map(|ms| now_ms.saturating_sub(ms).max(0) / DAY_MS);
        let age_days = days_since(&self.create_time);
        let never_used = self.never_used();
        let unused_days = if never_used {
            age_days
        } else {
            self.last_use_time.as_deref().and_then(days_since)
        };
        KeyAge {
            age_days,
            unused_days: if never_used { None } else { unused_days },
            never_used,
            too_old: age_days.is_some_and(|d| d > STALE_AFTER_DAYS),
            unused_too_long: unused_days.is_some_and(|d| d > STALE_AFTER_DAYS),
        }
    }
}
