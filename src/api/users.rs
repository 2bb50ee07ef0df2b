//! Users and projects, as far as the credential views need them: finding a user by name and
//! listing the projects a user may scope credentials to.

use super::client::Client;
use super::ec2::encode_segment;
use super::error::ApiError;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub domain_id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UserList {
    pub users: Vec<User>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProjectList {
    pub projects: Vec<Project>,
}

/// Users with exactly this name (one per domain at most); needs the admin role.
pub async fn find_by_name(
    client: &Client,
    identity_url: &str,
    name: &str,
) -> Result<Vec<User>, ApiError> {
    let list: UserList = client
        .get(&format!(
            "{}/users?name={}",
            identity_url.trim_end_matches('/'),
            encode_segment(name)
        ))
        .await?;
    Ok(list.users)
}

#[derive(Debug, Clone, Deserialize)]
struct UserAnswer {
    user: User,
}

/// One user, by id: where a user's name comes from (never from the address bar, which anyone
/// can write).
pub async fn user_by_id(client: &Client, identity_url: &str, id: &str) -> Result<User, ApiError> {
    let answer: UserAnswer = client
        .get(&format!(
            "{}/users/{}",
            identity_url.trim_end_matches('/'),
            super::ec2::id_segment(id)?
        ))
        .await?;
    Ok(answer.user)
}

/// The projects the user has a role on.
pub async fn projects_of(
    client: &Client,
    identity_url: &str,
    user_id: &str,
) -> Result<Vec<Project>, ApiError> {
    let list: ProjectList = client
        .get(&format!(
            "{}/users/{}/projects",
            identity_url.trim_end_matches('/'),
            super::ec2::id_segment(user_id)?
        ))
        .await?;
    Ok(list.projects)
}

/// Every user the token may list (administrators), for showing names instead of ids.
pub async fn all_users(client: &Client, identity_url: &str) -> Result<Vec<User>, ApiError> {
    let list: UserList = client
        .get(&format!("{}/users", identity_url.trim_end_matches('/')))
        .await?;
    Ok(list.users)
}

/// Every project the token may list (administrators).
pub async fn all_projects(client: &Client, identity_url: &str) -> Result<Vec<Project>, ApiError> {
    let list: ProjectList = client
        .get(&format!("{}/projects", identity_url.trim_end_matches('/')))
        .await?;
    Ok(list.projects)
}
