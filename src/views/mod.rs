//! One module per routed view.

pub mod access_keys;
pub mod config_error;
pub mod credentials;
pub mod ec2;
pub mod family;
pub mod lazy;
pub mod not_found;
pub mod rotation;
pub mod sign_in;

pub use access_keys::AccessKeysPage;
pub use config_error::ConfigError;
pub use credentials::{CredentialPage, CredentialsPage};
pub use ec2::Ec2Page;
pub use family::Family;
pub use lazy::{LazyAccessKeysPage, LazyCredentialPage, LazyCredentialsPage, LazyEc2Page};
pub use not_found::NotFound;
pub use sign_in::SignInPage;
