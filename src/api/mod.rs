//! Wire types and HTTP calls of the Identity APIs. No UI here: everything but `transport` is pure
//! and tested natively.

pub mod access_keys;
pub mod address;
pub mod client;
pub mod config;
pub mod credentials;
pub mod ec2;
pub mod error;
pub mod export;
pub mod identity;
pub mod json;
pub mod ksadm;
pub mod response;
pub mod retry;
pub mod rotation;
pub mod secret;
pub mod sha256;
pub mod time;
pub mod transport;
pub mod users;

pub use client::Client;
pub use error::ApiError;
pub use secret::Secret;
