//! The contract test server against the real local Keystone: tokens are really validated, roles
//! really decide, and a browser's CORS preflight is answered. (Every status of every operation is
//! covered by the native table-driven tests in tests/contract-server.)

use keyrack_e2e::{env, header_of, http, keystone, TestResult, ALICE};
use serde_json::{json, Value};

fn keys_url() -> String {
    format!("{}/v3.0/OS-CREDENTIAL/credentials", env().contract)
}

fn create_key(
    token: &str,
    user_id: &str,
) -> Result<(u16, Value), Box<dyn std::error::Error + Send + Sync>> {
    let mut response = http()
        .post(keys_url())
        .header("X-Auth-Token", token)
        .header("Content-Type", "application/json;charset=utf8")
        .send_json(json!({"credential": {"user_id": user_id, "description": "e2e"}}))?;
    let status = response.status().as_u16();
    Ok((
        status,
        response.body_mut().read_json().unwrap_or(Value::Null),
    ))
}

fn delete_key(token: &str, access: &str) -> Result<u16, Box<dyn std::error::Error + Send + Sync>> {
    Ok(http()
        .delete(format!("{}/{access}", keys_url()))
        .header("X-Auth-Token", token)
        .call()?
        .status()
        .as_u16())
}

#[test]
fn keystone_tokens_decide_who_may_manage_access_keys() -> TestResult {
    let alice = keystone::token(ALICE.0, ALICE.1, "demo")?;
    let admin = keystone::admin_token()?;
    let alice_id = keystone::whoami(&alice)?;
    let admin_id = keystone::whoami(&admin)?;

    let (status, body) = create_key("not-a-keystone-token", &alice_id)?;
    assert_eq!(status, 401, "{body}");

    let (status, body) = create_key(&alice, &admin_id)?;
    assert_eq!(
        status, 403,
        "a member may not act on the admin's keys: {body}"
    );

    let (status, body) = create_key(&alice, &alice_id)?;
    assert_eq!(status, 201, "{body}");
    let own = body["credential"]["access"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(body["credential"]["user_id"], alice_id.as_str());

    let (status, body) = create_key(&admin, &alice_id)?;
    assert_eq!(status, 201, "an admin acts on anyone: {body}");
    let by_admin = body["credential"]["access"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let (status, body) = create_key(&admin, "no-such-user-id")?;
    assert_eq!(status, 404, "Keystone does not know that user: {body}");

    let mut listed = http()
        .get(keys_url())
        .header("X-Auth-Token", &alice)
        .call()?;
    let list: Value = listed.body_mut().read_json()?;
    let accesses: Vec<&str> = list["credentials"]
        .as_array()
        .map(|keys| keys.iter().filter_map(|k| k["access"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        accesses.contains(&own.as_str()) && accesses.contains(&by_admin.as_str()),
        "{list}"
    );

    assert_eq!(delete_key(&alice, &own)?, 204);
    assert_eq!(delete_key(&admin, &by_admin)?, 204);
    Ok(())
}

#[test]
fn the_console_origin_passes_the_cors_preflight() -> TestResult {
    let origin = env()
        .console
        .split("/console")
        .next()
        .unwrap_or_default()
        .to_string();
    let response = http()
        .options(keys_url())
        .header("Origin", &origin)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "x-auth-token,content-type",
        )
        .call()?;
    assert_eq!(response.status(), 204);
    assert_eq!(header_of(&response, "access-control-allow-origin"), origin);
    Ok(())
}
