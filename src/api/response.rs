//! Turning an HTTP answer into typed data or an [`ApiError`]; pure, so it is tested natively.

use super::error::{ApiError, HttpFailure};
use serde::de::DeserializeOwned;

/// What the console keeps of an HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    pub request_id: Option<String>,
    /// Keystone's `X-Subject-Token`: the new token after a sign-in.
    pub subject_token: Option<String>,
    /// Keystone sent `Openstack-Auth-Receipt` (multi-factor sign-in not finished).
    pub auth_receipt: bool,
    /// `Retry-After`, when the server said how long to wait (and exposed it to the browser).
    pub retry_after: Option<String>,
}

impl RawResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error this answer stands for, or `None` when it is a success.
    pub fn failure(&self) -> Option<ApiError> {
        if self.is_success() {
            return None;
        }
        let mut failure =
            HttpFailure::from_response(self.status, &self.body, self.request_id.clone());
        failure.needs_second_factor = self.status == 401 && self.auth_receipt;
        Some(ApiError::Http(failure))
    }

    /// The body as `T`, or the error the answer stands for.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if let Some(error) = self.failure() {
            return Err(error);
        }
        serde_json::from_str(&self.body).map_err(|e| ApiError::Unexpected {
            status: self.status,
            detail: format!("unexpected response body: {e}"),
            request_id: self.request_id.clone(),
        })
    }

    /// Success with nothing to read (e.g. a 204 after a delete), or the error.
    pub fn empty(&self) -> Result<(), ApiError> {
        match self.failure() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}
