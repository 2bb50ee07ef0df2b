//! The guided rotation of a permanent access key, as plain data: its steps, the progress a tab
//! keeps, and how that progress is checked against the keys the server holds.

use super::access_keys::{AccessKey, KeyStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    /// Room for a new key (at most two per user), then create it.
    Create,
    /// The new key exists; its secret must be saved.
    SaveSecret,
    /// Clients use the new key; the old one is deactivated.
    Deactivate,
    /// The old key is inactive; after checking its last use, delete it.
    Delete,
    Done,
}

impl Step {
    pub const LIST: [(Step, &'static str); 5] = [
        (Step::Create, "Create the new key"),
        (Step::SaveSecret, "Save the new secret"),
        (Step::Deactivate, "Switch clients, deactivate the old key"),
        (Step::Delete, "Check the old key's last use, delete it"),
        (Step::Done, "Done"),
    ];

    pub fn label(self) -> &'static str {
        Step::LIST
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, label)| *label)
            .unwrap_or_default()
    }
}

/// The progress of one rotation, kept for the tab (never with a secret in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    pub user_id: String,
    pub user_name: String,
    pub old_access: String,
    pub new_access: Option<String>,
    pub step: Step,
    /// The step whose request was sent and not yet answered. Saved before the request, so a tab
    /// reloaded meanwhile knows to look at the server rather than trust `step`.
    #[serde(default)]
    pub in_flight: Option<Step>,
}

impl Rotation {
    pub fn new(user_id: String, user_name: String, old_access: String) -> Self {
        Rotation {
            user_id,
            user_name,
            old_access,
            new_access: None,
            step: Step::Create,
            in_flight: None,
        }
    }

    /// The description the new key is created with: it finds the key again if the answer to its
    /// creation never arrived.
    pub fn new_key_description(&self) -> String {
        format!("rotation of {}", self.old_access)
    }

    /// This rotation moved on to `step`, with no request under way.
    pub fn at(&self, step: Step) -> Rotation {
        Rotation {
            step,
            in_flight: None,
            ..self.clone()
        }
    }

    /// This rotation, about to send the request of its current step.
    pub fn sending(&self) -> Rotation {
        Rotation {
            in_flight: Some(self.step),
            ..self.clone()
        }
    }

    /// The progress as the server's keys show it. The server decides where it is ahead of what
    /// the tab kept (a step whose answer never arrived, a page reloaded mid-request, a step done
    /// while the user was elsewhere); a list read before the tab's last step (so behind it) never
    /// sends the rotation back.
    pub fn reconciled(&self, keys: &[AccessKey]) -> Rotation {
        let old = keys.iter().find(|k| k.access == self.old_access);
        let marker = self.new_key_description();
        let new = self
            .new_access
            .as_ref()
            .and_then(|access| keys.iter().find(|k| &k.access == access))
            .or_else(|| {
                keys.iter().find(|k| {
                    k.access != self.old_access && k.description.as_deref() == Some(&marker)
                })
            });
        let shown = match (old, new) {
            (None, _) => Step::Done,
            (Some(old), Some(_)) if old.status == KeyStatus::Inactive => Step::Delete,
            (Some(_), Some(_)) => Step::SaveSecret,
            (Some(_), None) => Step::Create,
        };
        let step = if shown == Step::Done {
            Step::Done
        } else {
            shown.max(self.step)
        };
        Rotation {
            new_access: self
                .new_access
                .clone()
                .or_else(|| new.map(|k| k.access.clone())),
            step,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(access: &str, status: KeyStatus, description: Option<&str>) -> AccessKey {
        AccessKey {
            user_id: "u".into(),
            access: access.into(),
            status,
            create_time: String::new(),
            last_use_time: None,
            description: description.map(str::to_string),
            secret: None,
        }
    }

    fn rotation(step: Step, new_access: Option<&str>) -> Rotation {
        Rotation {
            new_access: new_access.map(str::to_string),
            ..Rotation::new("u".into(), "alice".into(), "OLD".into())
        }
        .at(step)
    }

    #[test]
    fn a_create_answered_after_a_reload_is_found_by_its_description() {
        let keys = [
            key("OLD", KeyStatus::Active, Some("deploy")),
            key("NEW", KeyStatus::Active, Some("rotation of OLD")),
        ];
        let resumed = rotation(Step::Create, None).sending().reconciled(&keys);
        assert_eq!(resumed.step, Step::SaveSecret);
        assert_eq!(resumed.new_access.as_deref(), Some("NEW"));
        // A key of another description is no evidence.
        let other = [
            key("OLD", KeyStatus::Active, None),
            key("SPARE", KeyStatus::Active, Some("spare")),
        ];
        assert_eq!(
            rotation(Step::Create, None).reconciled(&other).step,
            Step::Create
        );
    }

    #[test]
    fn a_deactivation_or_deletion_done_elsewhere_moves_the_rotation_on() {
        let deactivated = [
            key("OLD", KeyStatus::Inactive, None),
            key("NEW", KeyStatus::Active, None),
        ];
        assert_eq!(
            rotation(Step::Deactivate, Some("NEW"))
                .reconciled(&deactivated)
                .step,
            Step::Delete
        );
        let deleted = [key("NEW", KeyStatus::Active, None)];
        for step in [Step::SaveSecret, Step::Deactivate, Step::Delete] {
            assert_eq!(
                rotation(step, Some("NEW")).reconciled(&deleted).step,
                Step::Done
            );
        }
    }

    #[test]
    fn a_list_older_than_the_last_step_never_sends_the_rotation_back() {
        // Read before the new key was created, or before the old one was deactivated.
        let before = [key("OLD", KeyStatus::Active, None)];
        assert_eq!(
            rotation(Step::SaveSecret, Some("NEW"))
                .reconciled(&before)
                .step,
            Step::SaveSecret
        );
        assert_eq!(
            rotation(Step::Delete, Some("NEW")).reconciled(&before).step,
            Step::Delete
        );
    }

    #[test]
    fn steps_and_the_request_under_way_are_kept_apart() {
        let sent = rotation(Step::Deactivate, Some("NEW")).sending();
        assert_eq!(sent.in_flight, Some(Step::Deactivate));
        assert_eq!(sent.step, Step::Deactivate);
        let done = sent.at(Step::Delete);
        assert_eq!(done.in_flight, None);
        let text = serde_json::to_string(&done).unwrap_or_default();
        assert!(!text.is_empty());
        // Progress kept before `in_flight` existed still reads.
        let older = r#"{"user_id":"u","user_name":"a","old_access":"OLD","new_access":null,"step":"Create"}"#;
        assert_eq!(
            serde_json::from_str::<Rotation>(older).ok(),
            Some(Rotation::new("u".into(), "a".into(), "OLD".into()))
        );
    }
}
