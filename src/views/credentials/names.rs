//! Ids to names for the credential pages.

use crate::api::users::{all_projects, all_users, projects_of};
use crate::session::use_session;
use leptos::prelude::*;
use std::collections::HashMap;

/// Ids to names, looked up once per page: users and projects.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Names {
    users: HashMap<String, String>,
    projects: HashMap<String, String>,
}

impl Names {
    pub(super) fn user(&self, id: &str) -> String {
        self.users
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    pub(super) fn project(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => self
                .projects
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => "—".to_string(),
        }
    }
}

pub(super) fn use_names() -> LocalResource<Names> {
    let store = use_session();
    LocalResource::new(move || {
        let client = store.client();
        let url = store.identity_url();
        let session = store.active();
        let admin = store.is_admin();
        async move {
            let mut names = Names::default();
            if let Some(session) = &session {
                names
                    .users
                    .insert(session.info.user.id.clone(), session.info.user.name.clone());
            }
            if admin {
                if let Ok(users) = all_users(&client, &url).await {
                    names
                        .users
                        .extend(users.into_iter().map(|u| (u.id, u.name)));
                }
                if let Ok(projects) = all_projects(&client, &url).await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            } else if let Some(session) = &session {
                if let Ok(projects) = projects_of(&client, &url, &session.info.user.id).await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            }
            names
        }
    })
}
