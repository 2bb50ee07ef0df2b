//! The contract, table-driven: for each operation of both families, one case per documented
//! status code that the operation can produce. Token validation is replaced by a fixed table of
//! tokens here (the end-to-end tests use the real Keystone); everything else is the real server.

use keyrack_contract_server::auth::{AuthFailure, Authenticator, Caller};
use keyrack_contract_server::http::{Request, Response};
use keyrack_contract_server::{Options, Server, MAX_BODY_BYTES};
use serde_json::{json, Value};

struct FixedTokens;

impl Authenticator for FixedTokens {
    fn authenticate(&self, token: &str) -> Result<Caller, AuthFailure> {
        let caller = |id: &str, is_admin| Caller {
            user_id: id.into(),
            user_name: id.into(),
            is_admin,
        };
        match token {
            "admin-token" => Ok(caller("admin-id", true)),
            "alice-token" => Ok(caller("alice-id", false)),
            "bob-token" => Ok(caller("bob-id", false)),
            "keystone-down" => Err(AuthFailure::Unavailable("connection refused".into())),
            _ => Err(AuthFailure::Unauthorized),
        }
    }

    fn user_exists(&self, _token: &str, user_id: &str) -> Result<bool, AuthFailure> {
        Ok(["admin-id", "alice-id", "bob-id"].contains(&user_id))
    }
}

const ORIGIN: &str = "http://127.0.0.1:8080";

fn server() -> Server {
    Server::new(
        Box::new(FixedTokens),
        Options {
            allowed_origins: vec![ORIGIN.into()],
            test_routes: true,
        },
    )
}

fn call(method: &str, target: &str, token: &str) -> Request {
    Request::new(method, target).header("x-auth-token", token)
}

const KEYS: &str = "/v3.0/OS-CREDENTIAL/credentials";

fn create_key(user: &str) -> Request {
    call("POST", KEYS, "admin-token")
        .json_body(&json!({"credential": {"user_id": user, "description": "ci"}}))
}

fn ksadm(user: &str) -> String {
    format!("/v2.0/users/{user}/OS-KSADM/credentials")
}

fn ksadm_item(user: &str) -> String {
    format!("{}/OS-KSEC2:ec2Credentials", ksadm(user))
}

fn ec2_body() -> Value {
    json!({"OS-KSEC2-ec2Credentials": {"username": "test_user", "secret": "secretsecret", "signature": "bbb"}})
}

fn grant(user: &str) -> Request {
    call("POST", &ksadm(user), "admin-token").json_body(&ec2_body())
}

fn fault(path_prefix: &str, status: u16) -> Request {
    Request::new("POST", "/test-only/faults")
        .json_body(&json!({"path_prefix": path_prefix, "status": status}))
}

fn oversized(method: &str, target: &str) -> Request {
    let mut request =
        call(method, target, "admin-token").header("content-type", "application/json");
    request.body = vec![b' '; MAX_BODY_BYTES + 1];
    request
}

fn text_plain(method: &str, target: &str) -> Request {
    let mut request = call(method, target, "admin-token").header("content-type", "text/plain");
    request.body = b"hello".to_vec();
    request
}

struct Case {
    name: &'static str,
    /// Requests sent first; `{ak}` in the case's target is replaced with the access key the
    /// first of them created, if it created one.
    setup: Vec<Request>,
    request: Request,
    status: u16,
    /// Text the answer's body must contain.
    expect: &'static str,
}

fn case(
    name: &'static str,
    setup: Vec<Request>,
    request: Request,
    status: u16,
    expect: &'static str,
) -> Case {
    Case {
        name,
        setup,
        request,
        status,
        expect,
    }
}

fn access_key_cases() -> Vec<Case> {
    let item = || format!("{KEYS}/{{ak}}");
    vec![
        // create
        case(
            "create 201",
            vec![],
            create_key("alice-id"),
            201,
            "\"secret\"",
        ),
        case(
            "create 201 by the user for themselves",
            vec![],
            call("POST", KEYS, "alice-token")
                .json_body(&json!({"credential": {"user_id": "alice-id"}})),
            201,
            "\"status\":\"active\"",
        ),
        case(
            "create 400 without user_id",
            vec![],
            call("POST", KEYS, "admin-token")
                .json_body(&json!({"credential": {"description": "x"}})),
            400,
            "user_id is required",
        ),
        case(
            "create 400 with a description over 255 characters",
            vec![],
            call("POST", KEYS, "admin-token").json_body(
                &json!({"credential": {"user_id": "alice-id", "description": "d".repeat(256)}}),
            ),
            400,
            "longer than 255",
        ),
        case(
            "create 400 akSkNumExceed for a third key",
            vec![create_key("alice-id"), create_key("alice-id")],
            create_key("alice-id"),
            400,
            "\"message\":\"akSkNumExceed\"",
        ),
        case(
            "create 400 for bad JSON",
            vec![],
            {
                let mut r =
                    call("POST", KEYS, "admin-token").header("content-type", "application/json");
                r.body = b"{\"credential\":".to_vec();
                r
            },
            400,
            "not valid JSON",
        ),
        case(
            "create 401 without a token",
            vec![],
            Request::new("POST", KEYS),
            401,
            "requires authentication",
        ),
        case(
            "create 403 for another user",
            vec![],
            call("POST", KEYS, "alice-token")
                .json_body(&json!({"credential": {"user_id": "bob-id"}})),
            403,
            "not authorized",
        ),
        case(
            "create 404 for an unknown user",
            vec![],
            create_key("nobody"),
            404,
            "Could not find user",
        ),
        case(
            "create 405 with PATCH",
            vec![],
            call("PATCH", KEYS, "admin-token"),
            405,
            "not allowed",
        ),
        case(
            "create 413 for a huge body",
            vec![],
            oversized("POST", KEYS),
            413,
            "larger than",
        ),
        case(
            "create 415 for text",
            vec![],
            text_plain("POST", KEYS),
            415,
            "must be JSON",
        ),
        case(
            "create 500 on a server fault",
            vec![fault(KEYS, 500)],
            create_key("alice-id"),
            500,
            "Injected",
        ),
        case(
            "create 503 when Keystone is down",
            vec![],
            call("POST", KEYS, "keystone-down")
                .json_body(&json!({"credential": {"user_id": "alice-id"}})),
            503,
            "unavailable",
        ),
        // list
        case(
            "list 200 own keys by default",
            vec![create_key("alice-id"), create_key("bob-id")],
            call("GET", KEYS, "alice-token"),
            200,
            "alice-id",
        ),
        case(
            "list 200 for an admin naming a user",
            vec![create_key("bob-id")],
            call("GET", &format!("{KEYS}?user_id=bob-id"), "admin-token"),
            200,
            "bob-id",
        ),
        case(
            "list 401 with an invalid token",
            vec![],
            call("GET", KEYS, "forged"),
            401,
            "requires authentication",
        ),
        case(
            "list 403 for another user's keys",
            vec![],
            call("GET", &format!("{KEYS}?user_id=bob-id"), "alice-token"),
            403,
            "not authorized",
        ),
        case(
            "list 500 on a server fault",
            vec![fault(KEYS, 500)],
            call("GET", KEYS, "alice-token"),
            500,
            "Injected",
        ),
        // show
        case(
            "show 200 with last_use_time",
            vec![create_key("alice-id")],
            call("GET", &item(), "alice-token"),
            200,
            "last_use_time",
        ),
        case(
            "show 401 without a token",
            vec![create_key("alice-id")],
            Request::new("GET", &item()),
            401,
            "requires authentication",
        ),
        case(
            "show 403 for another user's key",
            vec![create_key("alice-id")],
            call("GET", &item(), "bob-token"),
            403,
            "not authorized",
        ),
        case(
            "show 404 for an unknown key",
            vec![],
            call(
                "GET",
                &format!("{KEYS}/AAAAAAAAAAAAAAAAAAAA"),
                "admin-token",
            ),
            404,
            "Could not find access key",
        ),
        case(
            "show 500 on a server fault",
            vec![create_key("alice-id"), fault(KEYS, 500)],
            call("GET", &item(), "alice-token"),
            500,
            "Injected",
        ),
        // modify
        case(
            "modify 200",
            vec![create_key("alice-id")],
            call("PUT", &item(), "alice-token").json_body(
                &json!({"credential": {"status": "inactive", "description": "IAMDescription"}}),
            ),
            200,
            "\"status\":\"inactive\"",
        ),
        case(
            "modify 400 for an unknown status",
            vec![create_key("alice-id")],
            call("PUT", &item(), "alice-token")
                .json_body(&json!({"credential": {"status": "disabled"}})),
            400,
            "\\\"active\\\" or \\\"inactive\\\"",
        ),
        case(
            "modify 400 for a description over 255 characters",
            vec![create_key("alice-id")],
            call("PUT", &item(), "alice-token")
                .json_body(&json!({"credential": {"description": "é".repeat(256)}})),
            400,
            "longer than 255",
        ),
        case(
            "modify 401 without a token",
            vec![create_key("alice-id")],
            Request::new("PUT", &item()).json_body(&json!({"credential": {"status": "inactive"}})),
            401,
            "requires authentication",
        ),
        case(
            "modify 403 for another user's key",
            vec![create_key("alice-id")],
            call("PUT", &item(), "bob-token")
                .json_body(&json!({"credential": {"status": "inactive"}})),
            403,
            "not authorized",
        ),
        case(
            "modify 404 for an unknown key",
            vec![],
            call(
                "PUT",
                &format!("{KEYS}/AAAAAAAAAAAAAAAAAAAA"),
                "admin-token",
            )
            .json_body(&json!({"credential": {"status": "inactive"}})),
            404,
            "Could not find access key",
        ),
        case(
            "modify 500 on a server fault",
            vec![create_key("alice-id"), fault(KEYS, 500)],
            call("PUT", &item(), "alice-token")
                .json_body(&json!({"credential": {"status": "inactive"}})),
            500,
            "Injected",
        ),
        // delete
        case(
            "delete 204",
            vec![create_key("alice-id")],
            call("DELETE", &item(), "alice-token"),
            204,
            "",
        ),
        case(
            "delete 401 without a token",
            vec![create_key("alice-id")],
            Request::new("DELETE", &item()),
            401,
            "requires authentication",
        ),
        case(
            "delete 403 for another user's key",
            vec![create_key("alice-id")],
            call("DELETE", &item(), "bob-token"),
            403,
            "not authorized",
        ),
        case(
            "delete 404 for an unknown key",
            vec![],
            call(
                "DELETE",
                &format!("{KEYS}/AAAAAAAAAAAAAAAAAAAA"),
                "admin-token",
            ),
            404,
            "Could not find access key",
        ),
        case(
            "delete 500 on a server fault",
            vec![create_key("alice-id"), fault(KEYS, 500)],
            call("DELETE", &item(), "alice-token"),
            500,
            "Injected",
        ),
    ]
}

fn ksadm_cases() -> Vec<Case> {
    let bad_bodies = [
        json!({"OS-KSEC2-ec2Credentials": {"username": "u", "secret": "s"}}),
        json!({"OS-KSEC2-ec2Credentials": {"username": "u", "secret": "s", "signature": "x", "extra": 1}}),
        json!({"ec2Credentials": {"username": "u", "secret": "s", "signature": "x"}}),
        json!(["not", "an", "object"]),
    ];
    let mut cases = vec![
        // list
        case("ksadm list 200 empty", vec![], call("GET", &ksadm("alice-id"), "alice-token"), 200, "\"credentials\":[],\"credentials_links\":[]"),
        case("ksadm list 200 with the credential", vec![grant("alice-id")], call("GET", &ksadm("alice-id"), "admin-token"), 200, "OS-KSEC2-ec2Credentials"),
        case("ksadm list 401 without a token", vec![], Request::new("GET", &ksadm("alice-id")), 401, "requires authentication"),
        case("ksadm list 403 for another user", vec![], call("GET", &ksadm("bob-id"), "alice-token"), 403, "not authorized"),
        case("ksadm list 404 for an unknown user", vec![], call("GET", &ksadm("nobody"), "admin-token"), 404, "Could not find user"),
        case("ksadm list 405 with PUT", vec![], call("PUT", &ksadm("alice-id"), "admin-token"), 405, "not allowed"),
        case("ksadm list 503 when Keystone is down", vec![], call("GET", &ksadm("alice-id"), "keystone-down"), 503, "unavailable"),
        // grant
        case("ksadm grant 201", vec![], grant("alice-id"), 201, "\"signature\":\"bbb\""),
        case("ksadm grant 401 without a token", vec![], Request::new("POST", &ksadm("alice-id")).json_body(&ec2_body()), 401, "requires authentication"),
        case("ksadm grant 403 for another user", vec![], call("POST", &ksadm("bob-id"), "alice-token").json_body(&ec2_body()), 403, "not authorized"),
        case("ksadm grant 404 for an unknown user", vec![], grant("nobody"), 404, "Could not find user"),
        case("ksadm grant 409 when one exists", vec![grant("alice-id")], grant("alice-id"), 409, "already has"),
        case("ksadm grant 413 for a huge body", vec![], oversized("POST", &ksadm("alice-id")), 413, "larger than"),
        case("ksadm grant 415 for text", vec![], text_plain("POST", &ksadm("alice-id")), 415, "must be JSON"),
        case("ksadm grant 503 when Keystone is down", vec![], call("POST", &ksadm("alice-id"), "keystone-down").json_body(&ec2_body()), 503, "unavailable"),
        // get
        case("ksadm get 200", vec![grant("alice-id")], call("GET", &ksadm_item("alice-id"), "alice-token"), 200, "secretsecret"),
        case("ksadm get 401 without a token", vec![grant("alice-id")], Request::new("GET", &ksadm_item("alice-id")), 401, "requires authentication"),
        case("ksadm get 403 for another user", vec![grant("bob-id")], call("GET", &ksadm_item("bob-id"), "alice-token"), 403, "not authorized"),
        case("ksadm get 404 when there is none", vec![], call("GET", &ksadm_item("alice-id"), "alice-token"), 404, "has no EC2 credential"),
        case("ksadm get 503 when Keystone is down", vec![], call("GET", &ksadm_item("alice-id"), "keystone-down"), 503, "unavailable"),
        // update
        case(
            "ksadm update 200",
            vec![grant("alice-id")],
            call("POST", &ksadm_item("alice-id"), "alice-token").json_body(&json!({"OS-KSEC2-ec2Credentials": {"username": "test_user", "secret": "rotated", "signature": "ccc"}})),
            200,
            "\"secret\":\"rotated\"",
        ),
        case("ksadm update 401 without a token", vec![grant("alice-id")], Request::new("POST", &ksadm_item("alice-id")).json_body(&ec2_body()), 401, "requires authentication"),
        case("ksadm update 403 for another user", vec![grant("bob-id")], call("POST", &ksadm_item("bob-id"), "alice-token").json_body(&ec2_body()), 403, "not authorized"),
        case("ksadm update 404 when there is none", vec![], call("POST", &ksadm_item("alice-id"), "alice-token").json_body(&ec2_body()), 404, "has no EC2 credential"),
        case("ksadm update 405 with PUT", vec![], call("PUT", &ksadm_item("alice-id"), "admin-token"), 405, "not allowed"),
        case("ksadm update 413 for a huge body", vec![grant("alice-id")], oversized("POST", &ksadm_item("alice-id")), 413, "larger than"),
        case("ksadm update 415 for text", vec![grant("alice-id")], text_plain("POST", &ksadm_item("alice-id")), 415, "must be JSON"),
        case("ksadm update 503 when Keystone is down", vec![], call("POST", &ksadm_item("alice-id"), "keystone-down").json_body(&ec2_body()), 503, "unavailable"),
        // delete
        case("ksadm delete 204", vec![grant("alice-id")], call("DELETE", &ksadm_item("alice-id"), "alice-token"), 204, ""),
        case("ksadm delete 401 without a token", vec![grant("alice-id")], Request::new("DELETE", &ksadm_item("alice-id")), 401, "requires authentication"),
        case("ksadm delete 403 for another user", vec![grant("bob-id")], call("DELETE", &ksadm_item("bob-id"), "alice-token"), 403, "not authorized"),
        case("ksadm delete 404 when there is none", vec![], call("DELETE", &ksadm_item("alice-id"), "alice-token"), 404, "has no EC2 credential"),
        case("ksadm delete 503 when Keystone is down", vec![], call("DELETE", &ksadm_item("alice-id"), "keystone-down"), 503, "unavailable"),
    ];
    for body in bad_bodies {
        cases.push(case(
            "ksadm grant 400 for a body not as documented",
            vec![],
            call("POST", &ksadm("alice-id"), "admin-token").json_body(&body),
            400,
            "OS-KSEC2-ec2Credentials",
        ));
        cases.push(case(
            "ksadm update 400 for a body not as documented",
            vec![grant("alice-id")],
            call("POST", &ksadm_item("alice-id"), "admin-token").json_body(&body),
            400,
            "OS-KSEC2-ec2Credentials",
        ));
    }
    cases
}

fn run(case: Case) -> Response {
    let server = server();
    let mut access_key = None;
    for step in &case.setup {
        let response = server.handle(step);
        assert!(
            response.status < 300,
            "{}: setup answered {}",
            case.name,
            response.status
        );
        if access_key.is_none() {
            access_key = response.body_json()["credential"]["access"]
                .as_str()
                .map(String::from);
        }
    }
    let mut request = case.request;
    if let Some(access_key) = access_key {
        request.path = request.path.replace("{ak}", &access_key);
    }
    let response = server.handle(&request);
    let body = String::from_utf8_lossy(&response.body).into_owned();
    assert_eq!(response.status, case.status, "{}: {body}", case.name);
    assert!(
        body.contains(case.expect),
        "{}: {body:?} lacks {:?}",
        case.name,
        case.expect
    );
    assert!(
        response.header_value("X-Openstack-Request-Id").is_some(),
        "{}: no request id",
        case.name
    );
    if response.status >= 400 {
        let error = &response.body_json()["error"];
        assert!(
            error["message"].is_string() && error["code"] == response.status,
            "{}: {body}",
            case.name
        );
        assert_eq!(
            response.header_value("Content-Type"),
            Some("application/json"),
            "{}",
            case.name
        );
    }
    response
}

#[test]
fn access_keys_answer_every_documented_status() {
    for case in access_key_cases() {
        run(case);
    }
}

#[test]
fn ksadm_answers_every_documented_status() {
    for case in ksadm_cases() {
        run(case);
    }
}

#[test]
fn a_created_key_has_the_documented_shape_and_only_create_returns_the_secret() {
    let server = server();
    let created = server.handle(&create_key("alice-id")).body_json();
    let key = &created["credential"];
    let access = key["access"].as_str().unwrap_or_default();
    assert_eq!(access.len(), 20);
    assert!(
        access
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
        "{access}"
    );
    assert_eq!(key["secret"].as_str().map(str::len), Some(40));
    assert_eq!(key["status"], "active");
    assert_eq!(key["user_id"], "alice-id");
    assert_eq!(key["description"], "ci");
    let created_at = key["create_time"].as_str().unwrap_or_default();
    assert_eq!(
        created_at.len(),
        "2020-01-08T06:26:08.123059Z".len(),
        "{created_at}"
    );
    assert!(created_at.ends_with('Z') && created_at.as_bytes()[10] == b'T');

    let list = server.handle(&call("GET", KEYS, "alice-token")).body_json();
    assert!(list["credentials"][0].get("secret").is_none());
    assert!(list["credentials"][0].get("last_use_time").is_none());
    let shown = server
        .handle(&call("GET", &format!("{KEYS}/{access}"), "alice-token"))
        .body_json();
    assert!(shown["credential"].get("secret").is_none());
    assert_eq!(
        shown["credential"]["last_use_time"], key["create_time"],
        "never used: same as create_time"
    );

    std::thread::sleep(std::time::Duration::from_millis(5));
    let used = server.handle(
        &Request::new("POST", &format!("/test-only/access-keys/{access}/use"))
            .json_body(&json!({})),
    );
    assert_eq!(used.status, 204);
    let shown = server
        .handle(&call("GET", &format!("{KEYS}/{access}"), "alice-token"))
        .body_json();
    assert_ne!(
        shown["credential"]["last_use_time"], key["create_time"],
        "marked as used"
    );

    let modified = server
        .handle(
            &call("PUT", &format!("{KEYS}/{access}"), "admin-token")
                .json_body(&json!({"credential": {"status": "inactive"}})),
        )
        .body_json();
    assert_eq!(modified["credential"]["status"], "inactive");
    assert_eq!(
        modified["credential"]["description"], "ci",
        "a field left out keeps its value"
    );
}

#[test]
fn deleting_frees_a_place_under_the_two_key_limit() {
    let server = server();
    let first = server.handle(&create_key("alice-id")).body_json();
    assert_eq!(server.handle(&create_key("alice-id")).status, 201);
    assert_eq!(server.handle(&create_key("alice-id")).status, 400);
    assert_eq!(
        server.handle(&create_key("bob-id")).status,
        201,
        "the limit is per user"
    );
    let access = first["credential"]["access"].as_str().unwrap_or_default();
    assert_eq!(
        server
            .handle(&call("DELETE", &format!("{KEYS}/{access}"), "alice-token"))
            .status,
        204
    );
    assert_eq!(server.handle(&create_key("alice-id")).status, 201);
}

#[test]
fn the_iam_content_type_with_charset_is_accepted() {
    let server = server();
    let mut request =
        call("POST", KEYS, "alice-token").header("content-type", "application/json;charset=utf8");
    request.body = br#"{"credential":{"user_id":"alice-id"}}"#.to_vec();
    assert_eq!(server.handle(&request).status, 201);
}

#[test]
fn cors_allows_the_console_origin_only() {
    let server = server();
    let preflight = server.handle(
        &Request::new("OPTIONS", KEYS)
            .header("origin", ORIGIN)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "x-auth-token,content-type",
            ),
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header_value("Access-Control-Allow-Origin"),
        Some(ORIGIN)
    );
    let allowed = preflight
        .header_value("Access-Control-Allow-Headers")
        .unwrap_or_default();
    assert!(
        allowed.contains("X-Auth-Token") && allowed.contains("Content-Type"),
        "{allowed}"
    );
    assert!(preflight
        .header_value("Access-Control-Allow-Methods")
        .unwrap_or_default()
        .contains("PUT"));

    let answer = server.handle(&call("GET", KEYS, "alice-token").header("origin", ORIGIN));
    assert_eq!(
        answer.header_value("Access-Control-Allow-Origin"),
        Some(ORIGIN)
    );
    assert_eq!(
        answer.header_value("Access-Control-Expose-Headers"),
        Some("X-Openstack-Request-Id, Retry-After")
    );

    let error = server.handle(&Request::new("GET", KEYS).header("origin", ORIGIN));
    assert_eq!(error.status, 401);
    assert_eq!(
        error.header_value("Access-Control-Allow-Origin"),
        Some(ORIGIN),
        "errors are readable too"
    );

    let other =
        server.handle(&Request::new("OPTIONS", KEYS).header("origin", "http://evil.example"));
    assert_eq!(other.header_value("Access-Control-Allow-Origin"), None);
}

#[test]
fn unknown_paths_are_json_404s_and_test_routes_exist_only_when_enabled() {
    let server = server();
    let answer = server.handle(&call("GET", "/v3.0/OS-CREDENTIAL/nothing", "alice-token"));
    assert_eq!(answer.status, 404);
    assert!(answer.body_json()["error"]["message"].is_string());

    let public = Server::new(
        Box::new(FixedTokens),
        Options {
            allowed_origins: vec![],
            test_routes: false,
        },
    );
    let hidden = public.handle(
        &Request::new("POST", "/test-only/faults")
            .json_body(&json!({"path_prefix": "/", "status": 500})),
    );
    assert_eq!(hidden.status, 404);
    assert_eq!(public.handle(&call("GET", KEYS, "alice-token")).status, 200);
}

#[test]
fn injected_faults_match_a_method_carry_retry_after_and_count_what_they_answered() {
    let server = server();
    let inject = server.handle(
        &Request::new("POST", "/test-only/faults").json_body(&json!({
            "path_prefix": KEYS, "method": "GET", "status": 429, "retry_after": "1", "count": 2,
            "token": "alice-token", "label": "busy"
        })),
    );
    assert_eq!(inject.status, 204);

    let created = server
        .handle(&call("POST", KEYS, "alice-token").json_body(
            &json!({"credential": {"user_id": "alice-id", "description": "not a GET"}}),
        ));
    assert_eq!(created.status, 201, "a POST passes a GET-only fault");
    assert_eq!(
        server.handle(&call("GET", KEYS, "admin-token")).status,
        200,
        "another token passes"
    );
    let busy = server.handle(&call("GET", KEYS, "alice-token"));
    assert_eq!(busy.status, 429);
    assert_eq!(busy.header_value("Retry-After"), Some("1"));
    assert_eq!(server.handle(&call("GET", KEYS, "alice-token")).status, 429);
    assert_eq!(server.handle(&call("GET", KEYS, "alice-token")).status, 200);

    let listed = server.handle(&Request::new("GET", "/test-only/faults"));
    assert_eq!(listed.body_json()["faults"][0]["label"], "busy");
    assert_eq!(listed.body_json()["faults"][0]["served"], 2);
    assert_eq!(listed.body_json()["faults"][0]["remaining"], 0);
}

#[test]
fn user_look_ups_keep_the_id_one_path_segment() {
    use keyrack_contract_server::auth::user_url;
    let base = "http://127.0.0.1:5000/v3";
    assert_eq!(user_url(base, "0f2a9c"), format!("{base}/users/0f2a9c"));
    assert_eq!(
        user_url(base, "x?nocatalog#y"),
        format!("{base}/users/x%3Fnocatalog%23y")
    );
    assert_eq!(
        user_url(base, "../auth/tokens"),
        format!("{base}/users/%2E%2E%2Fauth%2Ftokens")
    );
    assert_eq!(user_url(base, "é"), format!("{base}/users/%C3%A9"));
}

#[test]
fn test_routes_take_only_json_and_bounded_faults() {
    let server = server();
    // A page elsewhere can send text/plain without a CORS preflight: it must change nothing.
    let mut form = Request::new("POST", "/test-only/faults").header("content-type", "text/plain");
    form.body = br#"{"path_prefix":"/","status":500}"#.to_vec();
    assert_eq!(server.handle(&form).status, 415);
    let bare = Request::new("POST", "/test-only/faults");
    assert_eq!(server.handle(&bare).status, 415);
    assert_eq!(server.handle(&call("GET", KEYS, "alice-token")).status, 200);

    for (fault, what) in [
        (
            json!({"path_prefix": "/", "status": 500, "count": 1_000_000}),
            "a huge count",
        ),
        (
            json!({"path_prefix": "/", "status": 500, "count": 0}),
            "a zero count",
        ),
        (
            json!({"path_prefix": "/", "status": 500, "delay_ms": 3_600_000}),
            "an hour's delay",
        ),
    ] {
        let answer = server.handle(&Request::new("POST", "/test-only/faults").json_body(&fault));
        assert_eq!(answer.status, 400, "{what} is refused");
    }
    let bounded = json!({"path_prefix": KEYS, "status": 503, "count": 1_000, "delay_ms": 60_000, "method": "DELETE"});
    assert_eq!(
        server
            .handle(&Request::new("POST", "/test-only/faults").json_body(&bounded))
            .status,
        204
    );
    let mut used = Request::new("POST", "/test-only/access-keys/NOPE/use");
    assert_eq!(
        server.handle(&used).status,
        415,
        "marking a key used takes JSON too"
    );
    used = used.json_body(&json!({}));
    assert_eq!(server.handle(&used).status, 404);
}

#[test]
fn every_answer_forbids_caching_since_answers_carry_secret_keys() {
    let server = server();
    let created = server.handle(&create_key("alice-id"));
    assert_eq!(created.status, 201);
    assert_eq!(created.header_value("Cache-Control"), Some("no-store"));
    for target in [KEYS.to_string(), ksadm("alice-id")] {
        let listed = server.handle(&call("GET", &target, "admin-token"));
        assert_eq!(
            listed.header_value("Cache-Control"),
            Some("no-store"),
            "{target}"
        );
    }
}

#[test]
fn an_injected_fault_can_answer_with_a_redirect() {
    let server = server();
    let inject = server.handle(&Request::new("POST", "/test-only/faults").json_body(
        &json!({"path_prefix": KEYS, "status": 307, "location": "http://elsewhere.example/keys"}),
    ));
    assert_eq!(inject.status, 204);
    let moved = server.handle(&call("GET", KEYS, "alice-token"));
    assert_eq!(moved.status, 307);
    assert_eq!(
        moved.header_value("Location"),
        Some("http://elsewhere.example/keys")
    );
}
