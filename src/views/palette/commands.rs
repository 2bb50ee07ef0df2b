//! What the command palette offers for what was typed: plain data and matching, no UI, so it is
//! tested natively.

use crate::api::sha256::sha256_hex;
use crate::api::users::User;
use crate::routing::Family;
use crate::routing::Page;

/// One thing the palette can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Go(Family),
    /// Opens the family's page with its "New …" form open.
    Create(Family),
    /// Starts the guided rotation of one of the user's own access keys.
    Rotate {
        access: String,
    },
    /// Opens the credentials of a user (administrators).
    User(User),
    /// A v3 credential, by id.
    Credential(String),
    /// An ec2 credential, by its access key (Keystone's id is the SHA-256 of the access key).
    Ec2Access(String),
    SignOut,
    Shortcuts,
}

impl Command {
    pub fn label(&self) -> String {
        match self {
            Command::Go(family) => format!("Go to {}", family.title()),
            Command::Create(family) => format!("Create: {}", family.create_label()),
            Command::Rotate { access } => format!("Rotate access key {access}"),
            Command::User(user) => format!("Credentials of {} ({})", user.name, user.domain_id),
            Command::Credential(id) => format!("Open credential {id}"),
            Command::Ec2Access(access) => format!("Open the ec2 credential of access key {access}"),
            Command::SignOut => "Sign out".to_string(),
            Command::Shortcuts => "Keyboard shortcuts".to_string(),
        }
    }

    /// The page it leads to, below the console's base (none for what is not a page).
    pub fn path(&self) -> Option<String> {
        let page = match self {
            Command::Go(family) | Command::Create(family) => return Some(family.path().into()),
            Command::Rotate { .. } => Page::AccessKeys,
            Command::User(user) => Page::Credentials {
                user_id: Some(user.id.clone()),
                kind: None,
            },
            Command::Credential(id) => Page::Credential { id: id.clone() },
            Command::Ec2Access(access) => Page::Credential {
                id: sha256_hex(access.as_bytes()),
            },
            Command::SignOut | Command::Shortcuts => return None,
        };
        Some(page.path())
    }
}

/// What the palette knows besides the text typed.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub families: Vec<Family>,
    /// The user's own active access keys (rotation candidates).
    pub own_keys: Vec<String>,
    /// Users named exactly as typed (administrators only look them up).
    pub users: Vec<User>,
}

/// An id as Keystone gives credentials: 32 hex digits (a UUID), or 64 for an ec2 credential (the
/// SHA-256 of its access key).
fn looks_like_credential_id(text: &str) -> bool {
    matches!(text.len(), 32 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An access key as EC2 credentials have them: letters and digits, 16 to 64 of them.
fn looks_like_access_key(text: &str) -> bool {
    (16..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Every word typed is in the label, in any case and order.
fn matches(label: &str, query: &str) -> bool {
    let label = label.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| label.contains(word))
}

/// The commands for `query`, best first: an id or access key typed as such, users named so, then
/// the pages and actions whose names contain every word typed.
pub fn commands_for(query: &str, context: &Context) -> Vec<Command> {
    let typed = query.trim();
    let mut found = Vec::new();
    let v3 = context.families.contains(&Family::V3Credentials);
    if v3 && looks_like_credential_id(typed) {
        found.push(Command::Credential(typed.to_lowercase()));
    }
    // 32 hex digits may be either: Keystone makes EC2 access keys the same way.
    if v3 && looks_like_access_key(typed) && typed.len() != 64 {
        found.push(Command::Ec2Access(typed.to_string()));
    }
    if v3 {
        found.extend(context.users.iter().cloned().map(Command::User));
    }
    let mut offered: Vec<Command> = context.families.iter().map(|f| Command::Go(*f)).collect();
    offered.extend(context.families.iter().map(|f| Command::Create(*f)));
    if context.families.contains(&Family::AccessKeys) {
        offered.extend(context.own_keys.iter().map(|access| Command::Rotate {
            access: access.clone(),
        }));
    }
    offered.extend([Command::SignOut, Command::Shortcuts]);
    found.extend(offered.into_iter().filter(|c| matches(&c.label(), typed)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything() -> Context {
        Context {
            families: Family::ALL.to_vec(),
            own_keys: vec!["AKIAOWNKEY0000000001".into()],
            users: Vec::new(),
        }
    }

    #[test]
    fn nothing_typed_offers_every_page_and_action() {
        let all = commands_for("", &everything());
        assert_eq!(all.len(), 3 + 3 + 1 + 2);
        assert_eq!(all[0], Command::Go(Family::V3Credentials));
    }

    #[test]
    fn words_match_in_any_order_and_case() {
        let found = commands_for("ec2 go", &everything());
        assert_eq!(found, [Command::Go(Family::Ec2)]);
        let found = commands_for("NEW access", &everything());
        assert_eq!(found, [Command::Create(Family::AccessKeys)]);
        assert_eq!(commands_for("rotate", &everything()).len(), 1);
        assert!(commands_for("no such thing", &everything()).is_empty());
    }

    #[test]
    fn an_id_or_an_access_key_opens_its_credential() {
        let id = "a".repeat(64);
        assert_eq!(
            commands_for(&id, &everything())[0].path().as_deref(),
            Some(format!("/credentials/{id}").as_str())
        );
        let access = "0123456789abcdef0123456789abcdef";
        let found = commands_for(access, &everything());
        assert_eq!(found[0], Command::Credential(access.into()));
        assert_eq!(found[1], Command::Ec2Access(access.into()));
        assert_eq!(
            found[1].path(),
            Some(format!("/credentials/{}", sha256_hex(access.as_bytes())))
        );
        // Without the v3 family there is no page to open them on.
        let no_v3 = Context {
            families: vec![Family::AccessKeys],
            ..Context::default()
        };
        assert!(commands_for(&id, &no_v3).is_empty());
        let iam = "AKIAIOSFODNN7EXAMPLE";
        assert_eq!(
            commands_for(iam, &everything())[0],
            Command::Ec2Access(iam.into())
        );
    }

    #[test]
    fn a_user_opens_their_credentials_with_the_id_encoded() {
        let context = Context {
            users: vec![User {
                id: "u/1".into(),
                name: "alice".into(),
                domain_id: "default".into(),
            }],
            ..everything()
        };
        let found = commands_for("alice", &context);
        assert_eq!(found[0].label(), "Credentials of alice (default)");
        assert_eq!(
            found[0].path().as_deref(),
            Some("/credentials?user_id=u%2F1")
        );
    }
}
