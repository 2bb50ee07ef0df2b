//! IAM permanent access keys: `/v3.0/OS-CREDENTIAL/credentials[/{access_key}]`.

use crate::http::Response;
use crate::util::{now_timestamp, random_string};
use crate::{Call, Server};
use serde_json::{json, Value};

/// At most this many keys per user; one more answers 400 `akSkNumExceed`.
pub const KEYS_PER_USER: usize = 2;
pub const MAX_DESCRIPTION_CHARS: usize = 255;
const ACCESS_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#[derive(Debug, Clone)]
pub struct StoredKey {
    pub user_id: String,
    pub access: String,
    pub status: String,
    pub create_time: String,
    pub last_use_time: Option<String>,
    pub description: String,
}

impl StoredKey {
    /// As list returns it: no `last_use_time`, never the secret.
    fn listed(&self) -> Value {
        json!({
            "user_id": self.user_id,
            "access": self.access,
            "status": self.status,
            "create_time": self.create_time,
            "description": self.description,
        })
    }

    /// As show returns it: `last_use_time` equals `create_time` while the key was never used.
    fn shown(&self) -> Value {
        let mut value = self.listed();
        value["last_use_time"] = json!(self
            .last_use_time
            .clone()
            .unwrap_or_else(|| self.create_time.clone()));
        value
    }
}

fn bad_request(message: &str) -> Response {
    Response::error(400, message)
}

/// The `credential` object of the request's JSON body, refusing anything that is not an object.
fn credential_of(call: &Call) -> Result<serde_json::Map<String, Value>, Response> {
    match call.json_body()? {
        Value::Object(mut body) => match body.remove("credential") {
            Some(Value::Object(credential)) => Ok(credential),
            _ => Err(bad_request(
                "The request body must be {\"credential\": {…}}.",
            )),
        },
        _ => Err(bad_request(
            "The request body must be {\"credential\": {…}}.",
        )),
    }
}

fn description_of(credential: &serde_json::Map<String, Value>) -> Result<Option<String>, Response> {
    match credential.get("description") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.chars().count() <= MAX_DESCRIPTION_CHARS => {
            Ok(Some(text.clone()))
        }
        Some(Value::String(_)) => Err(bad_request(&format!(
            "The description is longer than {MAX_DESCRIPTION_CHARS} characters."
        ))),
        Some(_) => Err(bad_request("The description must be a string.")),
    }
}

/// `GET` (list) and `POST` (create) on the collection.
pub fn collection(server: &Server, call: &Call, _segments: &[&str]) -> Response {
    if call.request.method == "POST" {
        return create(server, call);
    }
    let user_id = call
        .request
        .query_value("user_id")
        .filter(|u| !u.is_empty())
        .unwrap_or(&call.caller.user_id)
        .to_string();
    if !call.may_act_on(&user_id) {
        return Response::error(
            403,
            "You are not authorized to list another user's access keys.",
        );
    }
    let keys: Vec<Value> = server.with_state(|s| {
        s.access_keys
            .iter()
            .filter(|k| k.user_id == user_id)
            .map(StoredKey::listed)
            .collect()
    });
    Response::json(200, &json!({ "credentials": keys }))
}

fn create(server: &Server, call: &Call) -> Response {
    let credential = match credential_of(call) {
        Ok(credential) => credential,
        Err(response) => return response,
    };
    let Some(user_id) = credential
        .get("user_id")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
    else {
        return bad_request("credential.user_id is required.");
    };
    let description = match description_of(&credential) {
        Ok(description) => description.unwrap_or_default(),
        Err(response) => return response,
    };
    if let Err(response) = server.check_user(call, &user_id) {
        return response;
    }
    let secret = random_string(SECRET_ALPHABET, 40);
    let created = server.with_state(|s| {
        if s.access_keys
            .iter()
            .filter(|k| k.user_id == user_id)
            .count()
            >= KEYS_PER_USER
        {
            return None;
        }
        let key = StoredKey {
            user_id: user_id.to_string(),
            access: random_string(ACCESS_ALPHABET, 20),
            status: "active".into(),
            create_time: now_timestamp(),
            last_use_time: None,
            description,
        };
        s.access_keys.push(key.clone());
        Some(key)
    });
    match created {
        None => Response::error(400, "akSkNumExceed"),
        Some(key) => {
            let mut value = key.listed();
            value["secret"] = json!(secret);
            Response::json(201, &json!({ "credential": value }))
        }
    }
}

/// `GET` (show), `PUT` (modify) and `DELETE` on one key.
pub fn item(server: &Server, call: &Call, segments: &[&str]) -> Response {
    let access = segments.get(3).copied().unwrap_or_default();
    let Some(key) =
        server.with_state(|s| s.access_keys.iter().find(|k| k.access == access).cloned())
    else {
        return Response::error(404, &format!("Could not find access key: {access}."));
    };
    if !call.may_act_on(&key.user_id) {
        return Response::error(
            403,
            "You are not authorized to manage another user's access keys.",
        );
    }
    match call.request.method.as_str() {
        "GET" => Response::json(200, &json!({ "credential": key.shown() })),
        "DELETE" => {
            server.with_state(|s| s.access_keys.retain(|k| k.access != access));
            Response::empty(204)
        }
        _ => modify(server, call, access),
    }
}

fn modify(server: &Server, call: &Call, access: &str) -> Response {
    let credential = match credential_of(call) {
        Ok(credential) => credential,
        Err(response) => return response,
    };
    let status = match credential.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "active" || s == "inactive" => Some(s.clone()),
        Some(_) => return bad_request("credential.status must be \"active\" or \"inactive\"."),
    };
    let description = match description_of(&credential) {
        Ok(description) => description,
        Err(response) => return response,
    };
    if status.is_none() && description.is_none() {
        return bad_request("Nothing to modify: give credential.status or credential.description.");
    }
    let updated = server.with_state(|s| {
        let key = s.access_keys.iter_mut().find(|k| k.access == access)?;
        if let Some(status) = status {
            key.status = status;
        }
        if let Some(description) = description {
            key.description = description;
        }
        Some(key.clone())
    });
    match updated {
        Some(key) => Response::json(200, &json!({ "credential": key.listed() })),
        None => Response::error(404, &format!("Could not find access key: {access}.")),
    }
}

/// Test-only: the key was just used to sign a request.
pub fn mark_used(server: &Server, access: &str) -> bool {
    server.with_state(
        |s| match s.access_keys.iter_mut().find(|k| k.access == access) {
            Some(key) => {
                key.last_use_time = Some(now_timestamp());
                true
            }
            None => false,
        },
    )
}
