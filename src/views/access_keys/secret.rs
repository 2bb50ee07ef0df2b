//! What a new key's one-time dialog shows and offers to download.

use crate::api::access_keys::AccessKey;
use crate::api::export::{Cell, ACCESS_KEY_ID, SECRET_ACCESS_KEY, USER_NAME};
use crate::components::{OneTimeSecret, SecretField, SecretFile};

/// The one-time dialog of a key just created for the user named `user_name`: both halves, and a
/// CSV that `aws configure import` reads.
pub fn access_key_secret(user_name: &str, key: &AccessKey) -> OneTimeSecret {
    let secret = key
        .secret
        .as_ref()
        .map(|s| s.expose().to_string())
        .unwrap_or_default();
    OneTimeSecret {
        fields: vec![
            SecretField {
                label: "Access key".into(),
                value: key.access.clone(),
            },
            SecretField {
                label: "Secret key".into(),
                value: secret.clone(),
            },
        ],
        files: vec![SecretFile::credentials_csv(
            &[USER_NAME, ACCESS_KEY_ID, SECRET_ACCESS_KEY],
            &[vec![
                Cell::Text(user_name.to_string()),
                Cell::Key(key.access.clone()),
                Cell::Key(secret),
            ]],
        )],
        ..OneTimeSecret::new("New access key", key.access.clone())
    }
}
