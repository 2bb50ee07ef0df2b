//! The v2.0 OS-KSADM EC2 extension: `/v2.0/users/{userId}/OS-KSADM/credentials` and
//! `…/OS-KSEC2:ec2Credentials`. A user has at most one EC2 credential of this kind.

use crate::http::Response;
use crate::{Call, Server};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Credential {
    pub username: String,
    pub secret: String,
    pub signature: String,
}

/// The documented body: `{"OS-KSEC2-ec2Credentials": {"username", "secret", "signature"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2CredentialBody {
    #[serde(rename = "OS-KSEC2-ec2Credentials")]
    pub credential: Ec2Credential,
}

fn stored(server: &Server, user_id: &str) -> Option<Ec2Credential> {
    server.with_state(|s| {
        s.ksadm
            .iter()
            .find(|(owner, _)| owner == user_id)
            .map(|(_, c)| c.clone())
    })
}

fn body_of(call: &Call) -> Result<Ec2CredentialBody, Response> {
    let value = call.json_body()?;
    serde_json::from_value(value).map_err(|e| {
        Response::error(
            400,
            &format!("Expected {{\"OS-KSEC2-ec2Credentials\": {{\"username\", \"secret\", \"signature\"}}}}: {e}"),
        )
    })
}

fn not_found(user_id: &str) -> Response {
    Response::error(404, &format!("User {user_id} has no EC2 credential."))
}

/// `GET` (list) and `POST` (grant).
pub fn collection(server: &Server, call: &Call, segments: &[&str]) -> Response {
    let user_id = segments.get(2).copied().unwrap_or_default();
    if let Err(response) = server.check_user(call, user_id) {
        return response;
    }
    if call.request.method == "GET" {
        let credentials: Vec<_> = stored(server, user_id)
            .into_iter()
            .map(|credential| Ec2CredentialBody { credential })
            .collect();
        return Response::json(
            200,
            &json!({"credentials": credentials, "credentials_links": []}),
        );
    }
    let body = match body_of(call) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let granted = server.with_state(|s| {
        if s.ksadm.iter().any(|(owner, _)| owner == user_id) {
            return false;
        }
        s.ksadm.push((user_id.to_string(), body.credential.clone()));
        true
    });
    if granted {
        Response::json(201, &body)
    } else {
        Response::error(
            409,
            &format!("User {user_id} already has an EC2 credential."),
        )
    }
}

/// `GET` (get), `POST` (update) and `DELETE` on `…/OS-KSEC2:ec2Credentials`.
pub fn item(server: &Server, call: &Call, segments: &[&str]) -> Response {
    let user_id = segments.get(2).copied().unwrap_or_default();
    if let Err(response) = server.check_user(call, user_id) {
        return response;
    }
    match call.request.method.as_str() {
        "GET" => match stored(server, user_id) {
            Some(credential) => Response::json(200, &Ec2CredentialBody { credential }),
            None => not_found(user_id),
        },
        "DELETE" => {
            let removed = server.with_state(|s| {
                let before = s.ksadm.len();
                s.ksadm.retain(|(owner, _)| owner != user_id);
                s.ksadm.len() != before
            });
            if removed {
                Response::empty(204)
            } else {
                not_found(user_id)
            }
        }
        _ => {
            let body = match body_of(call) {
                Ok(body) => body,
                Err(response) => return response,
            };
            let updated = server.with_state(|s| {
                let (_, credential) = s.ksadm.iter_mut().find(|(owner, _)| owner == user_id)?;
                *credential = body.credential.clone();
                Some(())
            });
            match updated {
                Some(()) => Response::json(200, &body),
                None => not_found(user_id),
            }
        }
    }
}
