//! The guided rotation of an access key: make room → create the new key → save its secret →
//! deactivate the old key → check the old key's last use → delete the old key.
//!
//! Progress (never the secret) is kept in the tab's `sessionStorage`. It is saved before each
//! step's request and after its answer, by the step itself (which runs on when the page is gone),
//! and what the page shows is that progress checked against the keys the server holds: a reload,
//! or a step answered while the user was elsewhere, resumes at the right step.

mod progress;
mod step_body;
mod steps;
mod wizard;

pub use progress::RotationProgress;
pub use wizard::RotationWizard;
