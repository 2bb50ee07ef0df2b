//! Keyrack: a browser console for OpenStack Identity credentials.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod routing;
pub mod session;
pub mod views;

/// Mounts the console on `<body>`.
pub fn start() {
    browser::install_panic_hook();
    leptos::mount::mount_to_body(app::App);
}
