//! One module per routed view.

pub mod access_keys;
pub mod config_error;
pub mod credentials;
pub mod ec2;
pub mod lazy;
pub mod not_found;
pub mod palette;
pub mod sign_in;

pub use access_keys::AccessKeysPage;
pub use config_error::ConfigError;
pub use credentials::{CredentialPage, CredentialsPage};
pub use ec2::Ec2Page;
pub use lazy::{LazyAccessKeysPage, LazyCredentialPage, LazyCredentialsPage, LazyEc2Page};
pub use not_found::NotFound;
pub use sign_in::SignInPage;

use crate::components::focus::track_focus;
use crate::components::history::HistoryInStep;
use leptos::prelude::*;

/// What a signed-in tab needs besides its pages and header, in the chunk fetched on signing in:
/// Back/Forward kept in step, focus remembered for dialogs, the command palette.
#[component]
pub fn SignedInTools() -> impl IntoView {
    track_focus();
    view! {
        <HistoryInStep />
        <palette::PaletteHost />
    }
}
