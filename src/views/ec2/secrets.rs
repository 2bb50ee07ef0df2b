//! The one-time dialogs of new EC2 key pairs: what tools need to use them.

use crate::api::export::{
    aws_credentials_profile, environment_variables, profile_name, Cell, ToolTarget, ACCESS_KEY_ID,
    SECRET_ACCESS_KEY, USER_NAME,
};
use crate::api::ksadm;
use crate::components::{OneTimeSecret, SecretField, SecretFile, SecretSnippet, TargetUser};

/// The one-time dialog of a new access/secret pair, with what tools need to reach `target`.
pub(super) fn new_pair_secret(
    user: &str,
    project: &str,
    access: &str,
    secret: &str,
    target: &ToolTarget,
) -> OneTimeSecret {
    let profile = profile_name(project);
    let fields = vec![
        SecretField {
            label: "Access key".into(),
            value: access.to_string(),
        },
        SecretField {
            label: "Secret key".into(),
            value: secret.to_string(),
        },
    ];
    let files = vec![SecretFile::credentials_csv(
        &[USER_NAME, "Project", ACCESS_KEY_ID, SECRET_ACCESS_KEY],
        &[vec![
            Cell::Text(user.to_string()),
            Cell::Text(project.to_string()),
            Cell::Key(access.to_string()),
            Cell::Key(secret.to_string()),
        ]],
    )];
    let snippets = vec![
        SecretSnippet {
            title: "~/.aws/credentials profile".into(),
            text: aws_credentials_profile(&profile, access, secret, target),
        },
        SecretSnippet {
            title: "Environment variables".into(),
            text: environment_variables(access, secret, target),
        },
    ];
    OneTimeSecret {
        fields,
        files,
        snippets,
        ..OneTimeSecret::new("New EC2 credential", access)
    }
}

/// The one-time dialog of a v2.0 EC2 credential just granted or updated for `user`.
pub(super) fn ksadm_secret(user: &TargetUser, credential: &ksadm::Ec2Credential) -> OneTimeSecret {
    OneTimeSecret {
        fields: vec![
            SecretField {
                label: "Username".into(),
                value: credential.username.clone(),
            },
            SecretField {
                label: "Secret".into(),
                value: credential.secret.expose().to_string(),
            },
        ],
        files: vec![SecretFile::credentials_csv(
            &[USER_NAME, "Username", "Secret"],
            &[vec![
                Cell::Text(user.name.clone()),
                Cell::Text(credential.username.clone()),
                Cell::Key(credential.secret.expose().to_string()),
            ]],
        )],
        ..OneTimeSecret::new("EC2 credential saved", credential.username.clone())
    }
}
