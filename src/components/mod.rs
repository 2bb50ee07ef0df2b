//! Widgets shared by every view.

pub mod confirm;
pub mod create_panel;
pub mod error_notice;
pub mod focus;
pub mod header;
pub mod history;
pub mod operations;
pub mod project_field;
pub mod row_window;
pub mod scope_menu;
pub mod secret_dialog;
pub mod toast;
pub mod user_picker;

pub use confirm::{ConfirmDelete, ConfirmDialog};
pub use create_panel::CreatePanel;
pub use error_notice::ErrorNotice;
pub use focus::{PageAnnouncer, PageFocus, PageHeading, SkipLink};
pub use operations::{use_operations, OneTimeSecret, Operations, PageLife};
pub use project_field::{OwnProjects, ProjectField};
pub use row_window::RowWindow;
pub use secret_dialog::{SecretDialog, SecretField, SecretFile, SecretSnippet, MASK};
pub use toast::{use_toasts, ToastRegion, Toasts};
pub use user_picker::{own_user, use_target_user, TargetUser, UserMatches, UserPicker};
