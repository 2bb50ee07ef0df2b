//! Ids to names for the credential pages.

use crate::services::users::use_users;
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

#[cfg(test)]
impl Names {
    pub(super) fn with_users(users: &[(&str, &str)]) -> Self {
        Names {
            users: users
                .iter()
                .map(|(id, name)| (id.to_string(), name.to_string()))
                .collect(),
            projects: HashMap::new(),
        }
    }
}

pub(super) fn use_names() -> LocalResource<Names> {
    let (store, users) = (use_session(), use_users());
    LocalResource::new(move || {
        let session = store.active();
        let admin = store.is_admin();
        let own_id = session
            .as_ref()
            .map(|s| s.info.user.id.clone())
            .unwrap_or_default();
        let (all_users, all_projects, own_projects) =
            (users.all(), users.all_projects(), users.projects_of(own_id));
        async move {
            let mut names = Names::default();
            if let Some(session) = &session {
                names
                    .users
                    .insert(session.info.user.id.clone(), session.info.user.name.clone());
            }
            if admin {
                if let Ok(users) = all_users.await {
                    names
                        .users
                        .extend(users.into_iter().map(|u| (u.id, u.name)));
                }
                if let Ok(projects) = all_projects.await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            } else if session.is_some() {
                if let Ok(projects) = own_projects.await {
                    names
                        .projects
                        .extend(projects.into_iter().map(|p| (p.id, p.name)));
                }
            }
            names
        }
    })
}
