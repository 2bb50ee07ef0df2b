//! The credentials table's rows as plain data: names filled in, the text a search looks through,
//! sorted once per order, so that a keystroke in the search box only filters.

use super::names::Names;
use crate::api::credentials::{searchable_blob, Credential};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortBy {
    Type,
    User,
    Project,
    Id,
}

/// A credential with the names shown for it and its lower-case search text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub credential: Credential,
    pub user: String,
    pub project: String,
    haystack: String,
}

impl Row {
    fn new(credential: Credential, names: &Names) -> Self {
        let user = names.user(&credential.user_id);
        let project = names.project(credential.project_id.as_deref());
        let blob = searchable_blob(&credential.kind, credential.blob.expose());
        let haystack = [&credential.id, &credential.kind, &user, &project, &blob]
            .map(|s| s.as_str())
            .join(" ")
            .to_lowercase();
        Row {
            credential,
            user,
            project,
            haystack,
        }
    }

    fn sort_key(&self, by: SortBy) -> String {
        match by {
            SortBy::Type => self.credential.kind.clone(),
            SortBy::User => self.user.to_lowercase(),
            SortBy::Project => self.project.to_lowercase(),
            SortBy::Id => self.credential.id.clone(),
        }
    }
}

/// The rows of `credentials`, sorted by `by` (then by id, so the order is total).
pub(super) fn sorted_rows(
    credentials: Vec<Credential>,
    names: &Names,
    (by, ascending): (SortBy, bool),
) -> Vec<Row> {
    let mut rows: Vec<Row> = credentials
        .into_iter()
        .map(|c| Row::new(c, names))
        .collect();
    rows.sort_by_cached_key(|row| (row.sort_key(by), row.credential.id.clone()));
    if !ascending {
        rows.reverse();
    }
    rows
}

/// The positions in `rows` (ascending) of those whose text contains `search` (any case).
pub(super) fn matching(rows: &[Row], search: &str) -> Vec<usize> {
    let needle = search.trim().to_lowercase();
    rows.iter()
        .enumerate()
        .filter(|(_, row)| needle.is_empty() || row.haystack.contains(&needle))
        .map(|(at, _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential(id: &str, kind: &str, user_id: &str, blob: &str) -> Credential {
        Credential {
            id: id.into(),
            kind: kind.into(),
            user_id: user_id.into(),
            project_id: None,
            blob: crate::api::Secret::new(blob),
        }
    }

    #[test]
    fn rows_sort_by_the_name_shown_then_id_and_search_any_shown_text() {
        let names = Names::with_users(&[("u1", "zoe"), ("u2", "Adam")]);
        let list = vec![
            credential("c3", "totp", "u1", "{}"),
            credential("c1", "ec2", "u2", r#"{"access":"AKIAXYZ","secret":"s"}"#),
            credential("c2", "ec2", "u1", "{}"),
        ];
        let by_user = sorted_rows(list.clone(), &names, (SortBy::User, true));
        let ids: Vec<&str> = by_user.iter().map(|r| r.credential.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2", "c3"]);
        let by_type_down = sorted_rows(list, &names, (SortBy::Type, false));
        let ids: Vec<&str> = by_type_down
            .iter()
            .map(|r| r.credential.id.as_str())
            .collect();
        assert_eq!(ids, ["c3", "c2", "c1"]);
        // Names, types and an ec2 access key are found; a secret is not searchable.
        assert_eq!(matching(&by_user, " ZOE "), [1, 2]);
        assert_eq!(matching(&by_user, "akiaxyz"), [0]);
        assert_eq!(matching(&by_user, "totp"), [2]);
        assert_eq!(matching(&by_user, ""), [0, 1, 2]);
    }
}
