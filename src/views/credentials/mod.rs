//! Keystone's `/v3/credentials`: list (filters in the URL, search, sort, bulk delete), create per
//! type, show with masked secrets, blob update, re-create, delete. One file per part of the page.

mod create;
mod create_fields;
mod detail;
mod list;
mod names;

pub use detail::CredentialPage;
pub use list::CredentialsPage;
