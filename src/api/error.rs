//! The one error type of every API call, and what each failure means to the person using the console.

use serde_json::Value;
use std::fmt;

/// Why an API call did not give the data asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No HTTP answer arrived. `answers_without_cors` tells, when it could be found out, whether the
    /// server does answer a request that needs no CORS permission: then the server is up and the
    /// browser withheld the answer because the server does not allow this console's origin.
    Unreachable {
        url: String,
        origin: String,
        answers_without_cors: Option<bool>,
    },
    /// The server answered with a redirect. Calls carrying a token do not follow one (the browser
    /// would send the token on to wherever it points), so the configured address must be the final one.
    Redirected { url: String },
    /// No answer within the time the console waits.
    Timeout { url: String, seconds: u32 },
    /// The server answered with an error status.
    Http(HttpFailure),
    /// Part of the console's own code could not be fetched from where it is hosted.
    CodeUnavailable,
    /// An id that names no single item (empty, `.` or `..`): no request is sent with it, since it
    /// would address the collection or its parent instead.
    InvalidId(String),
    /// The server answered with success, but not with what the API documents.
    Unexpected {
        status: u16,
        detail: String,
        request_id: Option<String>,
    },
}

/// An error answer, with whatever the server said about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpFailure {
    pub status: u16,
    /// The server's own words (`error.message`, `error_msg` or `message`), if any.
    pub server_message: Option<String>,
    /// A machine code such as IAM's `IAM.0007`, if any.
    pub code: Option<String>,
    pub request_id: Option<String>,
    /// Keystone sent `Openstack-Auth-Receipt`: the password was right but another factor is needed.
    pub needs_second_factor: bool,
}

impl HttpFailure {
    /// Builds the failure from a status and an error body in any of the three forms the APIs use:
    /// Keystone's `{"error":{"code","message","title"}}`, IAM's flat `{"error_code","error_msg"}`,
    /// and the bare `{"message"}` of a 405. Anything else (an HTML page, nothing) keeps no message.
    pub fn from_response(status: u16, body: &str, request_id: Option<String>) -> Self {
        let (server_message, code) = parse_error_body(body);
        HttpFailure {
            status,
            server_message,
            code,
            request_id,
            needs_second_factor: false,
        }
    }
}

fn non_empty_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The message and machine code of an error body, whichever documented form it has.
pub fn parse_error_body(body: &str) -> (Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return (None, None);
    };
    if let Some(error) = value.get("error").filter(|e| e.is_object()) {
        let message = non_empty_text(error.get("message"));
        // Keystone's numeric code only repeats the status; IAM puts its own code in `message`
        // (e.g. `akSkNumExceed`), which is kept as the message.
        let code = match error.get("code") {
            Some(Value::String(c)) if c.parse::<u16>().is_err() => Some(c.clone()),
            _ => None,
        };
        return (message, code);
    }
    if value.get("error_code").is_some() || value.get("error_msg").is_some() {
        return (
            non_empty_text(value.get("error_msg")),
            non_empty_text(value.get("error_code")),
        );
    }
    (non_empty_text(value.get("message")), None)
}

/// What a status means, in words for the person at the console.
pub fn status_meaning(status: u16) -> &'static str {
    match status {
        400 => "The server rejected the request as invalid.",
        401 => "Your sign-in is not valid (wrong credentials, or the session has ended).",
        403 => "You are not permitted to do this.",
        404 => "Not found: it does not exist, was deleted, or you may not see it.",
        405 => "The server does not offer this operation at this address; check the cloud's API settings.",
        409 => "This conflicts with something that already exists.",
        413 => "The request is larger than the server accepts.",
        415 => "The server did not accept the request's content type.",
        429 => "Too many requests: the server asks you to wait a moment and try again.",
        500 => "The server failed while handling the request. Try again; if it persists, tell the cloud's operators.",
        502 | 504 => "A gateway in front of the server did not get an answer from it. Try again shortly.",
        503 => "The service is temporarily unavailable. Try again shortly.",
        s if (400..500).contains(&s) => "The server refused the request.",
        _ => "The server failed while handling the request.",
    }
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http(f) => Some(f.status),
            ApiError::Unexpected { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A 401: the token is no longer good, or the sign-in was refused.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Http(f) => f.request_id.as_deref(),
            ApiError::Unexpected { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// One or two plain sentences: what happened and what to do.
    pub fn summary(&self) -> String {
        match self {
            ApiError::Unreachable {
                url,
                answers_without_cors: Some(true),
                ..
            } => format!(
                "The server at {} answered, but does not allow this console's address (CORS), so the browser withheld the answer.",
                host_of(url)
            ),
            // Nothing answered even a request that needs no CORS permission: not a CORS matter.
            ApiError::Unreachable {
                url,
                answers_without_cors: Some(false),
                ..
            } => format!(
                "Could not reach {}: nothing answers there. The server may be down, or the address wrong.",
                host_of(url)
            ),
            ApiError::Unreachable { url, .. } => format!(
                "Could not reach {}. The server may be down, the address wrong, or the browser blocked the request (CORS).",
                host_of(url)
            ),
            ApiError::Redirected { url } => format!(
                "The server at {} answered with a redirect to another address. The console does not follow redirects, which would send your token on to wherever they point: the address in config.json must be the one the service answers at.",
                host_of(url)
            ),
            ApiError::Timeout { url, seconds } => format!(
                "{} did not answer within {seconds} seconds. Try again; the request may still have taken effect.",
                host_of(url)
            ),
            ApiError::Http(f) if f.needs_second_factor => {
                "A second factor is required: this account needs more than a password (e.g. a TOTP code), which this console does not support yet.".to_string()
            }
            ApiError::Http(f) => status_meaning(f.status).to_string(),
            ApiError::Unexpected { status, .. } => format!(
                "The server answered {status}, but not in the form its API documents; the console could not read it."
            ),
            ApiError::InvalidId(id) => format!(
                "\"{id}\" is not a valid id, so nothing was asked of the server. Check the address or the field it came from."
            ),
            ApiError::CodeUnavailable => "Part of Keyrack could not be loaded: the network may be down, or Keyrack was updated since this tab opened it. Try again, or reload the page.".to_string(),
        }
    }

    /// What the server itself said, for the details line under the summary.
    pub fn server_detail(&self) -> Option<String> {
        match self {
            ApiError::Http(f) => f.server_message.clone(),
            ApiError::Unexpected { detail, .. } => Some(detail.clone()),
            _ => None,
        }
    }

    /// The exact configuration an operator adds when the failure may be a CORS refusal.
    pub fn operator_hint(&self) -> Option<String> {
        match self {
            ApiError::Unreachable {
                origin,
                answers_without_cors,
                ..
            } if *answers_without_cors != Some(false) => Some(format!(
                "If the server is up, its operator must allow this console's origin. For Keystone, in keystone.conf:\n[cors]\nallowed_origin = {origin}"
            )),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())?;
        if let Some(detail) = self.server_detail() {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// `scheme://host:port` of a URL, for messages: paths can carry user ids, and are noise here.
pub fn host_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(end) => &url[..after_scheme + end],
        None => url,
    }
}
