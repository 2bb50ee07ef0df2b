//! Who is calling: every `X-Auth-Token` is validated against the real local Keystone, so one
//! sign-in in the console works for all three credential families.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: String,
    pub user_name: String,
    pub is_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// No token, or Keystone does not accept it.
    Unauthorized,
    /// Keystone could not be asked.
    Unavailable(String),
}

pub trait Authenticator: Send + Sync {
    fn authenticate(&self, token: &str) -> Result<Caller, AuthFailure>;
    /// Whether the user exists, asked with the caller's own token.
    fn user_exists(&self, token: &str, user_id: &str) -> Result<bool, AuthFailure>;
}

/// Validates against Keystone with `GET /v3/auth/tokens` (the token validating itself), and keeps
/// the answer for a short while so a page of requests costs one validation.
pub struct KeystoneAuthenticator {
    identity_url: String,
    agent: ureq::Agent,
    cache: Mutex<HashMap<String, (Caller, Instant)>>,
}

const CACHE_FOR: Duration = Duration::from_secs(30);

impl KeystoneAuthenticator {
    pub fn new(identity_url: &str) -> Self {
        KeystoneAuthenticator {
            identity_url: identity_url.trim_end_matches('/').to_string(),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self, token: &str) -> Option<Caller> {
        let cache = self.cache.lock().ok()?;
        let (caller, at) = cache.get(token)?;
        (at.elapsed() < CACHE_FOR).then(|| caller.clone())
    }
}

fn caller_from_token(body: &Value) -> Option<Caller> {
    let token = body.get("token")?;
    let user = token.get("user")?;
    let roles = token.get("roles").and_then(Value::as_array);
    Some(Caller {
        user_id: user.get("id")?.as_str()?.to_string(),
        user_name: user
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        is_admin: roles.is_some_and(|roles| {
            roles
                .iter()
                .any(|r| r.get("name").and_then(Value::as_str) == Some("admin"))
        }),
    })
}

impl Authenticator for KeystoneAuthenticator {
    fn authenticate(&self, token: &str) -> Result<Caller, AuthFailure> {
        if token.is_empty() {
            return Err(AuthFailure::Unauthorized);
        }
        if let Some(caller) = self.cached(token) {
            return Ok(caller);
        }
        let mut response = self
            .agent
            .get(format!("{}/auth/tokens", self.identity_url))
            .header("X-Auth-Token", token)
            .header("X-Subject-Token", token)
            .call()
            .map_err(|e| AuthFailure::Unavailable(format!("Keystone could not be reached: {e}")))?;
        match response.status().as_u16() {
            200 => {
                let body: Value = response
                    .body_mut()
                    .read_json()
                    .map_err(|e| AuthFailure::Unavailable(format!("unreadable token: {e}")))?;
                let caller = caller_from_token(&body)
                    .ok_or_else(|| AuthFailure::Unavailable("token without a user".into()))?;
                if let Ok(mut cache) = self.cache.lock() {
                    cache.retain(|_, (_, at)| at.elapsed() < CACHE_FOR);
                    cache.insert(token.to_string(), (caller.clone(), Instant::now()));
                }
                Ok(caller)
            }
            401 | 403 | 404 => Err(AuthFailure::Unauthorized),
            status => Err(AuthFailure::Unavailable(format!(
                "Keystone answered {status} to a token validation"
            ))),
        }
    }

    fn user_exists(&self, token: &str, user_id: &str) -> Result<bool, AuthFailure> {
        // Keystone's WSGI server decodes the path before routing, so no encoding keeps these one segment.
        if matches!(user_id, "" | "." | "..") || user_id.contains('/') {
            return Ok(false);
        }
        let response = self
            .agent
            .get(user_url(&self.identity_url, user_id))
            .header("X-Auth-Token", token)
            .call()
            .map_err(|e| AuthFailure::Unavailable(format!("Keystone could not be reached: {e}")))?;
        match response.status().as_u16() {
            200 => Ok(true),
            404 => Ok(false),
            401 => Err(AuthFailure::Unauthorized),
            status => Err(AuthFailure::Unavailable(format!(
                "Keystone answered {status} to a user look-up"
            ))),
        }
    }
}

/// Keystone's address of one user. The id is percent-encoded whole: it comes from a request body
/// or path, and unencoded `/`, `?`, `#` or `..` would address another resource with the caller's token.
pub fn user_url(identity_url: &str, user_id: &str) -> String {
    let mut encoded = String::with_capacity(user_id.len());
    for byte in user_id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{identity_url}/users/{encoded}")
}
