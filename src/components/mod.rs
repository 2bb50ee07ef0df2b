//! Widgets shared by every view.

pub mod confirm;
pub mod error_notice;
pub mod header;
pub mod toast;

pub use confirm::ConfirmDialog;
pub use error_notice::ErrorNotice;
pub use header::SessionHeader;
pub use toast::{use_toasts, ToastRegion, Toasts};
