//! The three credential families and their routed pages.

use super::{ACCESS_KEYS, CREDENTIALS, EC2};
use crate::api::config::Cloud;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    V3Credentials,
    Ec2,
    AccessKeys,
}

impl Family {
    pub const ALL: [Family; 3] = [Family::V3Credentials, Family::Ec2, Family::AccessKeys];

    pub fn path(self) -> &'static str {
        match self {
            Family::V3Credentials => CREDENTIALS,
            Family::Ec2 => EC2,
            Family::AccessKeys => ACCESS_KEYS,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Family::V3Credentials => "Credentials",
            Family::Ec2 => "EC2 credentials",
            Family::AccessKeys => "Access keys",
        }
    }

    /// The button that opens the family's "New …" form, and the form's heading.
    pub fn create_label(self) -> &'static str {
        match self {
            Family::V3Credentials => "New credential",
            Family::Ec2 => "New EC2 credential",
            Family::AccessKeys => "New access key",
        }
    }

    /// The draft that keeps the family's "New …" form open (the page and the palette share it).
    pub fn create_form_draft(self) -> &'static str {
        match self {
            Family::V3Credentials => "new-credential/open",
            Family::Ec2 => "new-ec2/open",
            Family::AccessKeys => "new-access-key/open",
        }
    }

    pub fn is_offered_by(self, cloud: &Cloud) -> bool {
        match self {
            Family::V3Credentials => cloud.credentials_v3,
            Family::Ec2 => cloud.ec2.is_some(),
            Family::AccessKeys => cloud.access_keys.is_some(),
        }
    }

    /// The page a cloud opens on: its first family (not every cloud offers v3 credentials).
    pub fn home_of(cloud: Option<&Cloud>) -> Family {
        cloud
            .and_then(|c| Family::offered_by(c).first().copied())
            .unwrap_or(Family::V3Credentials)
    }

    pub fn offered_by(cloud: &Cloud) -> Vec<Family> {
        Family::ALL
            .into_iter()
            .filter(|f| f.is_offered_by(cloud))
            .collect()
    }
}
