//! One module per routed view.

pub mod config_error;
pub mod family;
pub mod not_found;
pub mod sign_in;

pub use config_error::ConfigError;
pub use family::{Family, FamilyPage};
pub use not_found::NotFound;
pub use sign_in::SignInPage;
