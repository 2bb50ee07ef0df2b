//! Keyrack: a browser console for OpenStack Identity credentials.

// In wasm a panic kills the app: nothing from the network or the user may reach an unwrap.
// (Unit tests may: a failing test should stop at once.)
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod routing;
pub mod services;
pub mod session;
pub mod views;

/// Mounts the console on `<body>`.
pub fn start() {
    browser::install_panic_hook();
    leptos::mount::mount_to_body(app::App);
}
