//! Keystone's `/v3/credentials`: list (filters in the URL, search, sort, bulk delete), create per
//! type, show with masked secrets, blob update, re-create, delete. One file per part of the page.

mod blob_editor;
mod bulk;
mod create;
mod create_fields;
mod delete;
mod detail;
mod facts;
mod filters;
mod list;
mod names;
mod recreate;
mod rows;
mod table;

pub use detail::CredentialPage;
pub use list::CredentialsPage;
