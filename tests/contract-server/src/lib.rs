//! Keyrack's contract TEST server for the two credential APIs that no installable server speaks:
//! the v2.0 OS-KSADM EC2 extension (Keystone removed v2.0 in 2018) and the IAM OS-CREDENTIAL access
//! keys of Huawei-derived clouds. Built from their API documents (copied under
//! `tests/contract-server/docs/`); not a production service. Authentication is real: every token
//! is validated by the local Keystone.

pub mod access_keys;
pub mod auth;
pub mod http;
pub mod ksadm;
mod util;

use auth::{AuthFailure, Authenticator, Caller};
use http::{Request, Response};
use serde_json::{json, Value};
use std::sync::Mutex;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The most requests one injected fault may answer: a fault is for a test, not for a siege.
pub const MAX_FAULT_COUNT: u64 = 1_000;
/// The longest an injected fault may wait before answering (each wait holds a server thread).
pub const MAX_FAULT_DELAY_MS: u64 = 60_000;

pub struct Options {
    /// Origins (scheme://host:port) allowed by CORS.
    pub allowed_origins: Vec<String>,
    /// Serve `/test-only/…` routes: mark a key as used, inject faults. Off unless asked for.
    pub test_routes: bool,
}

/// A status the next requests under a path prefix answer with (test-only fault injection).
#[derive(Debug, Clone)]
struct Fault {
    path_prefix: String,
    /// Only requests of this method, when given.
    method: Option<String>,
    /// Only requests carrying this `X-Auth-Token`, when given: tests running side by side then
    /// never meet each other's faults.
    token: Option<String>,
    /// The test's own name for it, listed back by `GET /test-only/faults`.
    label: Option<String>,
    status: u16,
    retry_after: Option<String>,
    /// A `Location` header, to answer with a redirect.
    location: Option<String>,
    /// Time taken before answering: longer than the console's timeout, it stands for a hang.
    delay_ms: u64,
    remaining: u32,
    /// How many requests this fault has answered, for tests to count retries.
    served: u32,
}

impl Fault {
    fn matches(&self, request: &Request) -> bool {
        self.remaining > 0
            && request.path.starts_with(&self.path_prefix)
            && self.method.as_deref().is_none_or(|m| m == request.method)
            && self
                .token
                .as_deref()
                .is_none_or(|t| request.header_value("x-auth-token") == Some(t))
    }

    fn to_json(&self) -> Value {
        json!({
            "label": self.label,
            "path_prefix": self.path_prefix,
            "method": self.method,
            "status": self.status,
            "remaining": self.remaining,
            "served": self.served,
        })
    }
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) access_keys: Vec<access_keys::StoredKey>,
    pub(crate) ksadm: Vec<(String, ksadm::Ec2Credential)>,
    faults: Vec<Fault>,
    requests: u64,
}

pub struct Server {
    auth: Box<dyn Authenticator>,
    options: Options,
    state: Mutex<State>,
}

/// What an operation needs: who calls, with which token, and the decoded JSON body.
pub struct Call<'a> {
    pub caller: Caller,
    pub token: &'a str,
    pub request: &'a Request,
}

impl Call<'_> {
    /// The operation's JSON body: 415 unless sent as JSON, 400 unless it parses.
    pub fn json_body(&self) -> Result<Value, Response> {
        if !is_json(self.request) {
            return Err(Response::error(
                415,
                "The request body must be JSON (Content-Type: application/json).",
            ));
        }
        serde_json::from_slice(&self.request.body)
            .map_err(|e| Response::error(400, &format!("The request body is not valid JSON: {e}")))
    }

    /// May the caller act on this user's credentials? Admins on anyone, others on themselves.
    pub fn may_act_on(&self, user_id: &str) -> bool {
        self.caller.is_admin || self.caller.user_id == user_id
    }
}

/// Whether a request's body is declared as JSON (parameters such as `charset` allowed).
fn is_json(request: &Request) -> bool {
    let content_type = request.header_value("content-type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    media_type.eq_ignore_ascii_case("application/json")
}

/// One family's handler of a route: it answers the methods listed beside it.
type Operation = fn(&Server, &Call, &[&str]) -> Response;

fn unavailable(why: &str) -> Response {
    Response::error(503, &format!("The identity service is unavailable: {why}"))
}

impl Server {
    pub fn new(auth: Box<dyn Authenticator>, options: Options) -> Self {
        Server {
            auth,
            options,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // A panic while holding the lock would poison it; the state stays usable regardless.
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut state)
    }

    /// Answers one request. Every answer carries a request id, CORS headers for an allowed
    /// origin, `Cache-Control: no-store` (answers carry secret keys), and (for errors) a JSON body.
    pub fn handle(&self, request: &Request) -> Response {
        let request_id = self.with_state(|s| {
            s.requests += 1;
            util::request_id(s.requests)
        });
        let response = self.route(request);
        self.decorate(request, response)
            .with_header("X-Openstack-Request-Id", &request_id)
            .with_header("Cache-Control", "no-store")
    }

    fn decorate(&self, request: &Request, mut response: Response) -> Response {
        let origin = request.header_value("origin").unwrap_or_default();
        if !origin.is_empty() && self.options.allowed_origins.iter().any(|o| o == origin) {
            response = response
                .with_header("Access-Control-Allow-Origin", origin)
                .with_header("Vary", "Origin")
                .with_header(
                    "Access-Control-Expose-Headers",
                    "X-Openstack-Request-Id, Retry-After",
                );
            if request.method == "OPTIONS" {
                response = response
                    .with_header(
                        "Access-Control-Allow-Methods",
                        "GET, POST, PUT, DELETE, OPTIONS",
                    )
                    .with_header("Access-Control-Allow-Headers", "X-Auth-Token, Content-Type")
                    .with_header("Access-Control-Max-Age", "3600");
            }
        }
        response
    }

    fn route(&self, request: &Request) -> Response {
        if request.method == "OPTIONS" {
            return Response::empty(204);
        }
        let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
        let operation: Option<(&[&str], Operation)> = match segments.as_slice() {
            ["v3.0", "OS-CREDENTIAL", "credentials"] => {
                Some((&["GET", "POST"], access_keys::collection))
            }
            ["v3.0", "OS-CREDENTIAL", "credentials", _] => {
                Some((&["GET", "PUT", "DELETE"], access_keys::item))
            }
            ["v2.0", "users", _, "OS-KSADM", "credentials"] => {
                Some((&["GET", "POST"], ksadm::collection))
            }
            ["v2.0", "users", _, "OS-KSADM", "credentials", "OS-KSEC2:ec2Credentials"] => {
                Some((&["GET", "POST", "DELETE"], ksadm::item))
            }
            ["test-only", ..] if self.options.test_routes => {
                return self.test_route(request, &segments);
            }
            _ => None,
        };
        let Some((methods, operation)) = operation else {
            return Response::error(404, "The resource could not be found.");
        };
        if !methods.contains(&request.method.as_str()) {
            return Response::error(405, "The method is not allowed for the requested URL.")
                .with_header("Allow", &methods.join(", "));
        }
        if let Some(fault) = self.take_fault(request) {
            std::thread::sleep(std::time::Duration::from_millis(fault.delay_ms));
            let mut response = Response::error(fault.status, "Injected fault (test-only).");
            if let Some(value) = &fault.retry_after {
                response = response.with_header("Retry-After", value);
            }
            if let Some(value) = &fault.location {
                response = response.with_header("Location", value);
            }
            return response;
        }
        if request.body.len() > MAX_BODY_BYTES {
            return Response::error(
                413,
                &format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
            );
        }
        let token = request.header_value("x-auth-token").unwrap_or_default();
        let caller = match self.auth.authenticate(token) {
            Ok(caller) => caller,
            Err(AuthFailure::Unauthorized) => {
                return Response::error(401, "The request you have made requires authentication.")
            }
            Err(AuthFailure::Unavailable(why)) => return unavailable(&why),
        };
        operation(
            self,
            &Call {
                caller,
                token,
                request,
            },
            &segments,
        )
    }

    /// 404 when an administrator names a user Keystone does not know (others may only name themselves).
    pub fn check_user(&self, call: &Call, user_id: &str) -> Result<(), Response> {
        if !call.may_act_on(user_id) {
            return Err(Response::error(
                403,
                "You are not authorized to manage another user's credentials.",
            ));
        }
        if user_id == call.caller.user_id {
            return Ok(());
        }
        match self.auth.user_exists(call.token, user_id) {
            Ok(true) => Ok(()),
            Ok(false) => Err(Response::error(
                404,
                &format!("Could not find user: {user_id}."),
            )),
            Err(AuthFailure::Unauthorized) => Err(Response::error(401, "The token is not valid.")),
            Err(AuthFailure::Unavailable(why)) => Err(unavailable(&why)),
        }
    }

    fn take_fault(&self, request: &Request) -> Option<Fault> {
        self.with_state(|s| {
            let fault = s.faults.iter_mut().find(|f| f.matches(request))?;
            fault.remaining -= 1;
            fault.served += 1;
            Some(fault.clone())
        })
    }

    /// `POST /test-only/access-keys/{ak}/use` marks a key as used now;
    /// `POST /test-only/faults` `{"path_prefix","status","count"?,"method"?,"token"?,"label"?,"retry_after"?,"location"?,"delay_ms"?}`
    /// makes the next matching requests fail; `GET /test-only/faults` lists them with how many
    /// requests each answered; `DELETE /test-only/faults` clears them.
    ///
    /// A POST must say it is JSON: a page elsewhere can send a plain form or `text/plain` without
    /// asking CORS first, but not `application/json`, so no web page can change this server's state.
    fn test_route(&self, request: &Request, segments: &[&str]) -> Response {
        if request.method == "POST" && !is_json(request) {
            return Response::error(
                415,
                "Test-only routes take JSON (Content-Type: application/json).",
            );
        }
        match (request.method.as_str(), segments) {
            ("POST", ["test-only", "access-keys", access, "use"]) => {
                if access_keys::mark_used(self, access) {
                    Response::empty(204)
                } else {
                    Response::error(404, "No such access key.")
                }
            }
            ("POST", ["test-only", "faults"]) => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                let (Some(path_prefix), Some(status)) = (
                    body.get("path_prefix").and_then(Value::as_str),
                    body.get("status").and_then(Value::as_u64),
                ) else {
                    return Response::error(400, "Needs path_prefix and status.");
                };
                let count = body.get("count").and_then(Value::as_u64).unwrap_or(1);
                let delay_ms = body.get("delay_ms").and_then(Value::as_u64).unwrap_or(0);
                if !(1..=MAX_FAULT_COUNT).contains(&count) || delay_ms > MAX_FAULT_DELAY_MS {
                    return Response::error(
                        400,
                        &format!("count must be 1 to {MAX_FAULT_COUNT}, delay_ms at most {MAX_FAULT_DELAY_MS}."),
                    );
                }
                let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
                self.with_state(|s| {
                    s.faults.push(Fault {
                        path_prefix: path_prefix.to_string(),
                        method: text("method"),
                        token: text("token"),
                        label: text("label"),
                        status: u16::try_from(status).unwrap_or(500),
                        retry_after: text("retry_after"),
                        location: text("location"),
                        delay_ms,
                        remaining: u32::try_from(count).unwrap_or(1),
                        served: 0,
                    })
                });
                Response::empty(204)
            }
            ("GET", ["test-only", "faults"]) => {
                let faults: Vec<Value> =
                    self.with_state(|s| s.faults.iter().map(Fault::to_json).collect());
                Response::json(200, &json!({ "faults": faults }))
            }
            ("DELETE", ["test-only", "faults"]) => {
                self.with_state(|s| s.faults.clear());
                Response::empty(204)
            }
            _ => Response::error(404, "No such test-only route."),
        }
    }
}
