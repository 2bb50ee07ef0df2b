//! Native tests of the API layer: every documented example parses into the wire types, each error
//! body form and status gets its message, and the pure helpers behave.

use keyrack::api::access_keys::{AccessKeyChangeBody, AccessKeyEnvelope, AccessKeyList, KeyStatus};
use keyrack::api::config::{parse_config, Ec2Api};
use keyrack::api::credentials::CredentialList;
use keyrack::api::error::{host_of, parse_error_body, status_meaning, ApiError};
use keyrack::api::identity::{parse_token, Delegation, SignIn};
use keyrack::api::ksadm::{CredentialList as KsadmList, Ec2CredentialBody};
use keyrack::api::response::RawResponse;
use keyrack::api::time::{format_remaining, parse_timestamp_ms};
use keyrack::api::Secret;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn answer(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        body: body.to_string(),
        request_id: Some("req-1".into()),
        ..RawResponse::default()
    }
}

#[test]
fn keystone_token_body_parses_with_user_project_roles_and_expiry() {
    let token = parse_token(&fixture("keystone-token.json")).expect("token parses");
    assert_eq!(token.user.name, "alice");
    assert_eq!(
        token.user.domain.as_ref().map(|d| d.name.as_str()),
        Some("Default")
    );
    assert_eq!(
        token.project.as_ref().map(|p| p.name.as_str()),
        Some("demo")
    );
    assert!(token.has_role("member"));
    assert!(!token.is_admin());
    assert_eq!(token.delegation(), None);
    assert!(token.expires_at_ms().is_some());
    assert!(token.public_endpoint("identity").is_some());
}

#[test]
fn delegated_tokens_are_recognised() {
    let mut token = parse_token(&fixture("keystone-token.json")).expect("token parses");
    token.methods = vec!["application_credential".into()];
    assert_eq!(token.delegation(), Some(Delegation::ApplicationCredential));
    token.methods = vec!["password".into()];
    token.trust = Some(serde_json::json!({"id": "t"}));
    assert_eq!(token.delegation(), Some(Delegation::Trust));
}

#[test]
fn keystone_credential_list_parses() {
    let list: CredentialList = answer(200, &fixture("keystone-credentials-list.json"))
        .json()
        .expect("list parses");
    assert_eq!(list.credentials.len(), 1);
    let credential = &list.credentials[0];
    assert_eq!(credential.kind, "ec2");
    assert!(credential.project_id.is_some());
    let blob: serde_json::Value =
        serde_json::from_str(credential.blob.expose()).expect("blob is JSON");
    assert!(blob.get("access").is_some());
    assert!(!list.truncated);
}

#[test]
fn ksadm_bodies_parse_exactly_as_documented() {
    let body: Ec2CredentialBody =
        serde_json::from_str(&fixture("ksadm-ec2-credential.json")).expect("body parses");
    assert_eq!(body.credential.username, "test_user");
    assert_eq!(body.credential.secret.expose(), "secretsecret");
    assert_eq!(body.credential.signature, "bbb");
    let written: serde_json::Value = serde_json::to_value(&body).expect("serializes");
    let documented: serde_json::Value =
        serde_json::from_str(&fixture("ksadm-ec2-credential.json")).expect("json");
    assert_eq!(
        written, documented,
        "the console sends the body exactly as documented"
    );

    let list: KsadmList =
        serde_json::from_str(&fixture("ksadm-credentials-list.json")).expect("list parses");
    assert_eq!(list.credentials.len(), 2);
    let ec2 = list.ec2_credentials();
    assert_eq!(ec2.len(), 1, "password credentials are not EC2 credentials");
    assert_eq!(ec2[0].username, "test_user");
}

#[test]
fn iam_access_key_examples_parse() {
    let created: AccessKeyEnvelope =
        serde_json::from_str(&fixture("iam-create-response.json")).expect("create");
    assert_eq!(created.credential.access.len(), 20);
    assert_eq!(
        created.credential.secret.as_ref().map(|s| s.expose().len()),
        Some(40)
    );
    assert_eq!(created.credential.status, KeyStatus::Active);

    let list: AccessKeyList =
        serde_json::from_str(&fixture("iam-list-response.json")).expect("list");
    assert_eq!(list.credentials.len(), 2);
    assert!(list.credentials.iter().all(|k| k.secret.is_none()));
    assert_eq!(list.credentials[1].status, KeyStatus::Inactive);

    let shown: AccessKeyEnvelope =
        serde_json::from_str(&fixture("iam-show-response.json")).expect("show");
    assert!(shown.credential.last_use_time.is_some());

    let request: AccessKeyChangeBody =
        serde_json::from_str(&fixture("iam-modify-request.json")).expect("modify request");
    assert_eq!(request.credential.status, Some(KeyStatus::Inactive));
    assert_eq!(
        request.credential.description.as_deref(),
        Some("IAMDescription")
    );

    let modified: AccessKeyEnvelope =
        serde_json::from_str(&fixture("iam-modify-response.json")).expect("modify response");
    assert_eq!(modified.credential.status, KeyStatus::Inactive);
    assert_eq!(modified.credential.description, None);
}

#[test]
fn error_bodies_of_every_form_give_the_servers_message() {
    let (message, code) = parse_error_body(&fixture("keystone-400.json"));
    assert!(message.is_some_and(|m| m.contains("'project_id' is a required property")));
    assert_eq!(
        code, None,
        "Keystone's numeric code only repeats the status"
    );

    assert_eq!(
        parse_error_body(&fixture("keystone-405.json")).0.as_deref(),
        Some("The method is not allowed for the requested URL.")
    );
    assert_eq!(
        parse_error_body(&fixture("iam-error-quota.json"))
            .0
            .as_deref(),
        Some("akSkNumExceed")
    );
    let (message, code) = parse_error_body(&fixture("iam-error-flat.json"));
    assert_eq!(code.as_deref(), Some("IAM.0007"));
    assert!(message.is_some());
    assert_eq!(
        parse_error_body(&fixture("keystone-404-route.html")),
        (None, None)
    );
    assert_eq!(parse_error_body(""), (None, None));
    assert_eq!(parse_error_body("{\"error\": 7}"), (None, None));
}

#[test]
fn every_documented_status_has_its_own_plain_message() {
    let documented = [400u16, 401, 403, 404, 405, 409, 413, 415, 429, 500, 503];
    let messages: Vec<&str> = documented.iter().map(|s| status_meaning(*s)).collect();
    for (status, message) in documented.iter().zip(&messages) {
        assert!(!message.is_empty(), "{status}");
        let others = messages.iter().filter(|m| *m == message).count();
        assert_eq!(others, 1, "status {status} shares its message: {message}");
    }
    assert!(status_meaning(403).contains("not permitted"));
    assert!(status_meaning(409).contains("already exists"));
    assert!(status_meaning(413).contains("larger"));
    assert!(status_meaning(429).contains("wait"));
}

#[test]
fn an_error_answer_becomes_an_api_error_with_request_id_and_detail() {
    let error = answer(400, &fixture("keystone-400.json"))
        .json::<CredentialList>()
        .expect_err("400 is an error");
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.request_id(), Some("req-1"));
    assert!(error.summary().contains("invalid"));
    assert!(error
        .server_detail()
        .is_some_and(|d| d.contains("project_id")));
    assert!(error.to_string().contains("project_id"));

    let unauthorized = answer(401, &fixture("keystone-401.json"))
        .empty()
        .expect_err("401");
    assert!(unauthorized.is_unauthorized());
}

#[test]
fn a_401_with_an_auth_receipt_asks_for_a_second_factor() {
    let mut raw = answer(401, &fixture("keystone-401.json"));
    raw.auth_receipt = true;
    let error = raw.empty().expect_err("401");
    assert!(error.summary().contains("second factor"));
}

#[test]
fn a_success_with_an_unreadable_body_is_an_error_not_a_panic() {
    for body in [
        "",
        "<html>",
        "{\"credentials\": 5}",
        "\u{0}\u{ff}",
        "[[[[[[[[",
    ] {
        let error = answer(200, body)
            .json::<CredentialList>()
            .expect_err("unreadable");
        assert!(
            matches!(error, ApiError::Unexpected { status: 200, .. }),
            "{body:?}"
        );
    }
    assert!(answer(204, "").empty().is_ok());
}

#[test]
fn unreachable_servers_get_the_exact_cors_line_for_the_operator() {
    let refused_by_cors = ApiError::Unreachable {
        url: "http://127.0.0.1:5000/v3/auth/tokens".into(),
        origin: "https://console.example.com".into(),
        answers_without_cors: Some(true),
    };
    assert!(refused_by_cors.summary().contains("CORS"));
    assert!(refused_by_cors.summary().contains("http://127.0.0.1:5000"));
    assert!(
        !refused_by_cors.summary().contains("/auth/tokens"),
        "paths stay out of messages"
    );
    let hint = refused_by_cors.operator_hint().expect("a hint");
    assert!(hint.contains("[cors]\nallowed_origin = https://console.example.com"));

    let down = ApiError::Unreachable {
        url: "http://127.0.0.1:5000/v3".into(),
        origin: "https://console.example.com".into(),
        answers_without_cors: Some(false),
    };
    assert!(down.summary().contains("Could not reach"));
    assert!(down.summary().contains("nothing answers there"));
    assert!(
        !down.summary().contains("CORS"),
        "a server that is down is no CORS matter"
    );
    assert_eq!(down.operator_hint(), None);

    let timeout = ApiError::Timeout {
        url: "http://h:1/x".into(),
        seconds: 20,
    };
    assert!(timeout.summary().contains("20 seconds"));
    assert_eq!(
        host_of("https://a.example:8443/v3/x"),
        "https://a.example:8443"
    );
    assert_eq!(host_of("no-scheme"), "no-scheme");
}

#[test]
fn sign_in_bodies_follow_keystone_v3() {
    let password = SignIn::Password {
        user: "alice".into(),
        domain: "Default".into(),
        password: Secret::new("pw"),
        project: Some("demo".into()),
    }
    .auth_request()
    .expect("body");
    assert_eq!(password["auth"]["identity"]["methods"][0], "password");
    assert_eq!(
        password["auth"]["identity"]["password"]["user"]["password"],
        "pw"
    );
    assert_eq!(password["auth"]["scope"]["project"]["name"], "demo");
    assert_eq!(
        password["auth"]["scope"]["project"]["domain"]["name"],
        "Default"
    );

    let unscoped = SignIn::Password {
        user: "alice".into(),
        domain: "Default".into(),
        password: Secret::new("pw"),
        project: Some("  ".into()),
    }
    .auth_request()
    .expect("body");
    assert!(unscoped["auth"].get("scope").is_none());

    let app = SignIn::ApplicationCredential {
        id: "abc".into(),
        secret: Secret::new("s3"),
    }
    .auth_request()
    .expect("body");
    assert_eq!(
        app["auth"]["identity"]["application_credential"]["id"],
        "abc"
    );
    assert_eq!(SignIn::Token(Secret::new("t")).auth_request(), None);
}

#[test]
fn secrets_never_show_when_formatted() {
    let secret = Secret::new("gAAAAAB-very-secret-token");
    assert!(!format!("{secret:?}").contains("very-secret"));
    assert!(!format!("{secret}").contains("very-secret"));
    let how = SignIn::Token(secret.clone());
    assert!(!format!("{how:?}").contains("very-secret"));
    assert_eq!(secret.expose(), "gAAAAAB-very-secret-token");
}

#[test]
fn timestamps_in_the_apis_forms_parse() {
    assert_eq!(parse_timestamp_ms("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_timestamp_ms("1970-01-01T00:00:01.5Z"), Some(1500));
    // 2020-01-08T06:26:08.123059Z, the IAM documents' example.
    assert_eq!(
        parse_timestamp_ms("2020-01-08T06:26:08.123059Z"),
        Some(1_578_464_768_123)
    );
    assert_eq!(
        parse_timestamp_ms("2026-11-23T22:29:28.000000Z"),
        Some(1_795_472_968_000)
    );
    assert_eq!(
        parse_timestamp_ms("2000-02-29T00:00:00+00:00"),
        Some(951_782_400_000)
    );
    for bad in [
        "",
        "yesterday",
        "2020-13-01T00:00:00Z",
        "2020-01-01",
        "2020-01-01T25:00:00Z",
        "2020-01-01T00:00:00.x1Z",
    ] {
        assert_eq!(parse_timestamp_ms(bad), None, "{bad:?}");
    }
    assert_eq!(format_remaining(-5), "0 s");
    assert_eq!(format_remaining(59_999), "59 s");
    assert_eq!(format_remaining(249_000), "4 min 09 s");
    assert_eq!(format_remaining(7_500_000), "2 h 05 min");
}

#[test]
fn runtime_configuration_is_checked_with_messages_naming_the_problem() {
    let config = parse_config(
        r#"{"clouds":[{"name":"Lab","identity_url":"http://127.0.0.1:5000/v3/",
            "ec2":{"api":"os-ksadm","base_url":"http://127.0.0.1:5100"},
            "access_keys":{"base_url":"https://iam.example.com"}}]}"#,
    )
    .expect("valid");
    let cloud = &config.clouds[0];
    assert_eq!(cloud.identity_url(), "http://127.0.0.1:5000/v3");
    assert_eq!(cloud.default_domain, "Default");
    assert!(cloud.credentials_v3);
    assert_eq!(cloud.request_timeout_seconds, 20);
    assert_eq!(
        cloud.ec2,
        Some(Ec2Api::OsKsadm {
            base_url: "http://127.0.0.1:5100".into()
        })
    );

    let shipped =
        std::fs::read_to_string(format!("{}/public/config.json", env!("CARGO_MANIFEST_DIR")))
            .expect("public/config.json");
    assert!(
        parse_config(&shipped).is_ok(),
        "the shipped configuration is valid"
    );
    // Absent and null are the same: the defaults.
    let nulls = parse_config(
        r#"{"clouds":[{"name":"A","identity_url":"http://k","ec2":null,"default_domain":null,
            "credentials_v3":false,"request_timeout_seconds":600}]}"#,
    )
    .expect("valid");
    let cloud = &nulls.clouds[0];
    assert_eq!(
        (cloud.ec2.clone(), cloud.default_domain.as_str()),
        (None, "Default")
    );
    assert_eq!(
        (cloud.credentials_v3, cloud.request_timeout_seconds),
        (false, 600)
    );

    for (text, expected) in [
        ("", "not valid"),
        ("{", "not valid"),
        (r#"{"clouds":[]}"#, "names no cloud"),
        (r#"{"clouds":[{"name":"A"}]}"#, "identity_url"),
        (
            r#"{"clouds":[{"name":"A","identity_url":"keystone/v3"}]}"#,
            "absolute http",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k/v3","ec2":{"api":"s3"}}]}"#,
            "cloud \"A\": ec2.api must be \"os-ec2\" or \"os-ksadm\", not \"s3\"",
        ),
        (r#"[]"#, "the configuration must be an object, not a list"),
        (r#"{"clouds":{}}"#, "clouds must be a list, not an object"),
        (r#"{"clouds":[],"theme":"dark"}"#, "unknown field `theme`"),
        (
            r#"{"clouds":["Lab"]}"#,
            "cloud number 1: it must be an object, not a string",
        ),
        (
            r#"{"clouds":[{"name":7}]}"#,
            "cloud number 1: name must be a string, not a number",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","credentials_v3":"yes"}]}"#,
            "cloud \"A\": credentials_v3 must be true or false, not a string",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","request_timeout_seconds":"20"}]}"#,
            "request_timeout_seconds must be from 1 to 600, not a string",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","request_timeout_seconds":2.5}]}"#,
            "request_timeout_seconds must be from 1 to 600 (a whole number)",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","access_keys":{"base_url":"http://i","region":"x"}}]}"#,
            "cloud \"A\": access_keys: unknown field `region`",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k/v3","ec2":{"api":"os-ksadm"}}]}"#,
            "needs a base_url",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k/v3","ec2":{"api":"os-ec2","base_url":"http://x"}}]}"#,
            "for \"os-ksadm\" only",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k/v3","ec2":{"api":"os-ec2","url":"x"}}]}"#,
            "unknown field `url`",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k/v3","idenity":"x"}]}"#,
            "idenity",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k"},{"name":"A","identity_url":"http://k"}]}"#,
            "two clouds",
        ),
        (
            r#"{"clouds":[{"name":" ","identity_url":"http://k"}]}"#,
            "empty name",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","request_timeout_seconds":0}]}"#,
            "request_timeout_seconds must be from 1 to 600, not 0",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"https://k.example.com *"}]}"#,
            "spaces, control characters",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"https://k.example.com;script-src *"}]}"#,
            "not allowed",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"https://k\"; add_header X y"}]}"#,
            "not allowed",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"https://u:p@k.example.com/v3"}]}"#,
            "user name or password",
        ),
        (
            r#"{"clouds":[{"name":"A","identity_url":"http://k","access_keys":{"base_url":"https://iam.example.com'"}}]}"#,
            "access_keys.base_url contains",
        ),
    ] {
        let problem = parse_config(text).expect_err(text);
        assert!(problem.contains(expected), "{text}: {problem}");
    }
}

#[test]
fn keystone_os_ec2_list_parses() {
    let list: keyrack::api::ec2::Ec2CredentialList =
        serde_json::from_str(&fixture("keystone-os-ec2-list.json")).expect("list parses");
    let credential = &list.credentials[0];
    assert_eq!(credential.access.len(), 32);
    assert_eq!(credential.secret.expose().len(), 32);
    assert!(credential.tenant_id.is_some());
    assert_eq!(credential.trust_id, None);
}

#[test]
fn path_segments_are_encoded() {
    use keyrack::api::ec2::encode_segment;
    assert_eq!(encode_segment("3c6be13f0fa6"), "3c6be13f0fa6");
    assert_eq!(encode_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
    assert_eq!(encode_segment("ü"), "%C3%BC");
}

#[test]
fn new_pairs_export_as_csv_and_tool_snippets() {
    use keyrack::api::export::{
        aws_credentials_profile, csv, environment_variables, profile_name, Cell, ToolTarget,
    };
    let document = csv(
        &["User Name", "Access Key ID", "Secret Access Key"],
        &[vec![
            Cell::Text("o'neil, \"jr\"".into()),
            Cell::Key("AK".into()),
            Cell::Key("SK".into()),
        ]],
    );
    assert_eq!(
        document,
        "User Name,Access Key ID,Secret Access Key\r\n\"o'neil, \"\"jr\"\"\",AK,SK\r\n"
    );
    assert_eq!(profile_name("demo project/1"), "keyrack-demo-project-1");
    assert_eq!(profile_name("///"), "keyrack");

    let bare = ToolTarget::default();
    let profile = aws_credentials_profile("keyrack-demo", "AK", "SK", &bare);
    assert_eq!(
        profile,
        "[keyrack-demo]\naws_access_key_id = AK\naws_secret_access_key = SK\n"
    );
    let target = ToolTarget {
        endpoint: Some("https://s3.example.com".into()),
        region: Some("RegionOne".into()),
    };
    let profile = aws_credentials_profile("keyrack-demo", "AK", "SK", &target);
    assert!(
        profile.contains("region = RegionOne\nendpoint_url = https://s3.example.com\n"),
        "{profile}"
    );
    let variables = environment_variables("AK", "SK", &target);
    assert!(
        variables.starts_with("export AWS_ACCESS_KEY_ID='AK'\nexport AWS_SECRET_ACCESS_KEY='SK'\n")
    );
    assert!(variables.contains("export AWS_ENDPOINT_URL='https://s3.example.com'"));
}

/// The variables as a real shell reads them: every value arrives exactly, nothing in it runs.
#[test]
fn environment_variables_reach_a_shell_exactly_and_run_nothing() {
    use keyrack::api::export::{environment_variables, ToolTarget};
    let marker = std::env::temp_dir().join(format!("keyrack-shell-{}", std::process::id()));
    let secret = format!("a'b\"c$(touch {0})`touch {0}`$HOME\\n", marker.display());
    let target = ToolTarget {
        endpoint: Some("https://s3.example.com/x?y=1&z=2".into()),
        region: Some("eu-de".into()),
    };
    let snippet = environment_variables("AK'1", &secret, &target);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{snippet}printf '%s|%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_DEFAULT_REGION\" \"$AWS_ENDPOINT_URL\""
        ))
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("AK'1|{secret}|eu-de|https://s3.example.com/x?y=1&z=2")
    );
    assert!(!marker.exists(), "the snippet ran a command");
}

#[test]
fn a_catalog_endpoint_or_region_that_could_break_out_is_left_out() {
    let mut token = parse_token(&fixture("keystone-token.json")).expect("token parses");
    for (url, region) in [
        (
            "https://s3.example.com/$(id)\n[default]",
            "RegionOne\n[default]",
        ),
        ("https://s3.example.com x", "eu de"),
        ("https://evil@s3.example.com", "$(id)"),
        ("file:///etc/passwd", "a;b"),
    ] {
        token.catalog = serde_json::json!([{
            "type": "s3",
            "endpoints": [{ "interface": "public", "region_id": region, "url": url }]
        }]);
        let target = token.tool_target();
        assert_eq!(target.endpoint, None, "{url:?}");
        assert_eq!(target.region, None, "{region:?}");
    }
}

#[test]
fn the_tool_target_comes_from_the_catalog() {
    let mut token = parse_token(&fixture("keystone-token.json")).expect("token parses");
    assert_eq!(
        token.tool_target().endpoint,
        None,
        "the local Keystone has no S3 or EC2 service"
    );
    token.catalog = serde_json::json!([{
        "type": "s3",
        "name": "swift3",
        "endpoints": [
            { "interface": "internal", "region_id": "RegionOne", "url": "http://10.0.0.1:8080" },
            { "interface": "public", "region_id": "RegionOne", "url": "https://s3.example.com" }
        ]
    }]);
    let target = token.tool_target();
    assert_eq!(target.endpoint.as_deref(), Some("https://s3.example.com"));
    assert_eq!(target.region.as_deref(), Some("RegionOne"));
}

#[test]
fn access_keys_are_flagged_when_old_or_unused_for_90_days() {
    let key: AccessKeyEnvelope =
        serde_json::from_str(&fixture("iam-show-response.json")).expect("show");
    let mut key = key.credential;
    let created = parse_timestamp_ms(&key.create_time).expect("time");
    let day = 24 * 60 * 60 * 1000;

    let fresh = key.age(created + 3 * day);
    assert_eq!(fresh.age_days, Some(3));
    assert!(
        fresh.never_used,
        "last_use_time equal to create_time means never used"
    );
    assert!(!fresh.too_old && !fresh.unused_too_long);

    let old_unused = key.age(created + 91 * day);
    assert!(old_unused.too_old && old_unused.unused_too_long);

    key.last_use_time = Some("2020-03-01T00:00:00.000000Z".into());
    let used = key.age(parse_timestamp_ms("2020-03-11T00:00:00Z").expect("time"));
    assert!(!used.never_used);
    assert_eq!(used.unused_days, Some(10));
    assert!(!used.unused_too_long);
    let later = key.age(parse_timestamp_ms("2020-06-15T00:00:00Z").expect("time"));
    assert!(later.too_old && later.unused_too_long);
}

#[test]
fn the_access_key_quota_answer_gets_plain_words() {
    use keyrack::api::access_keys::create_failure_message;
    let quota = answer(400, &fixture("iam-error-quota.json"))
        .empty()
        .expect_err("400");
    assert!(create_failure_message(&quota).is_some_and(|m| m.contains("maximum of 2 access keys")));
    let other = answer(400, &fixture("iam-error-flat.json"))
        .empty()
        .expect_err("400");
    assert_eq!(create_failure_message(&other), None);
}

#[test]
fn sha256_matches_the_standard_vectors_and_keystones_ec2_ids() {
    use keyrack::api::sha256::sha256_hex;
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    // A credential captured from Keystone: its id is the SHA-256 of its access key.
    let list: CredentialList =
        serde_json::from_str(&fixture("keystone-credentials-list.json")).expect("list");
    let credential = &list.credentials[0];
    let blob: serde_json::Value = serde_json::from_str(credential.blob.expose()).expect("blob");
    let access = blob["access"].as_str().expect("access");
    assert_eq!(sha256_hex(access.as_bytes()), credential.id);
}

/// Polls a future once: the calls below must fail before any request is made, and natively a
/// request could not be made at all.
fn first_poll<T>(future: impl std::future::Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}

#[test]
fn ids_that_name_no_single_item_are_refused_before_any_request() {
    use keyrack::api::{access_keys, credentials, ec2, ksadm, users, Client};
    let client = Client::default();
    let (identity, keys) = ("http://keystone.example/v3", "http://iam.example");
    for id in ["", ".", ".."] {
        let refused = |outcome: Option<ApiError>| {
            assert_eq!(outcome, Some(ApiError::InvalidId(id.to_string())), "{id:?}");
        };
        refused(first_poll(credentials::show(&client, identity, id)).and_then(Result::err));
        refused(first_poll(credentials::delete(&client, identity, id)).and_then(Result::err));
        refused(
            first_poll(credentials::update_blob(&client, identity, id, "{}")).and_then(Result::err),
        );
        refused(first_poll(access_keys::show(&client, keys, id)).and_then(Result::err));
        refused(first_poll(access_keys::delete(&client, keys, id)).and_then(Result::err));
        refused(first_poll(ec2::list(&client, identity, id)).and_then(Result::err));
        refused(first_poll(ec2::delete(&client, identity, "u", id)).and_then(Result::err));
        refused(first_poll(ksadm::list(&client, keys, id)).and_then(Result::err));
        refused(first_poll(users::projects_of(&client, identity, id)).and_then(Result::err));
    }
    let told = ApiError::InvalidId("..".into()).summary();
    assert!(told.contains("\"..\" is not a valid id"), "{told}");
    // Ordinary ids, dots inside them included, are only percent-encoded.
    assert_eq!(ec2::id_segment("a.b").ok().as_deref(), Some("a.b"));
    assert_eq!(ec2::id_segment("a/..").ok().as_deref(), Some("a%2F.."));
}

/// The create form's checks and what each type sends and shows once, without a browser.
#[test]
fn a_new_credential_is_checked_and_built_per_type() {
    use keyrack::api::credentials::NewCredential;
    use keyrack::api::export::Cell;

    let ec2 = NewCredential::Ec2 {
        access: "AK1".into(),
        secret: "SK1".into(),
        project: " p1 ".into(),
    }
    .prepare("alice")
    .expect("valid ec2");
    assert_eq!(ec2.kind, "ec2");
    assert_eq!(ec2.project.as_deref(), Some("p1"));
    let blob: serde_json::Value = serde_json::from_str(&ec2.blob).expect("JSON blob");
    assert_eq!(blob, serde_json::json!({"access": "AK1", "secret": "SK1"}));
    assert_eq!(
        ec2.secrets.csv_rows,
        vec![vec![
            Cell::Text("alice".into()),
            Cell::Key("AK1".into()),
            Cell::Key("SK1".into())
        ]]
    );
    assert_eq!(ec2.secrets.fields.len(), 2);

    let no_project = NewCredential::Ec2 {
        access: "AK".into(),
        secret: "SK".into(),
        project: "   ".into(),
    };
    assert_eq!(
        no_project.prepare("alice"),
        Err("An ec2 credential needs a project.".into())
    );

    let totp = NewCredential::Totp {
        seed: "JBSWY3DPEHPK3PXP".into(),
    }
    .prepare("alice")
    .expect("valid seed");
    assert_eq!(
        (totp.kind.as_str(), totp.blob.as_str()),
        ("totp", "JBSWY3DPEHPK3PXP")
    );
    assert!(totp.secrets.snippets[0]
        .1
        .starts_with("otpauth://totp/Keystone:alice?secret=JBSWY3DPEHPK3PXP"));
    assert!(totp.secrets.csv_rows.is_empty(), "no CSV for a seed");

    let not_pem = NewCredential::Cert {
        pem: "hello".into(),
    }
    .prepare("alice");
    assert!(not_pem.expect_err("refused").contains("PEM"));

    let unnamed = NewCredential::Custom {
        kind: "  ".into(),
        blob: "{}".into(),
    };
    assert_eq!(
        unnamed.prepare("a"),
        Err("Name the credential type.".into())
    );
    let custom = NewCredential::Custom {
        kind: " note ".into(),
        blob: "{\"a\": 1}".into(),
    }
    .prepare("a")
    .expect("valid custom");
    assert_eq!((custom.kind.as_str(), custom.project), ("note", None));
    assert!(custom.secrets.fields.is_empty(), "nothing secret to show");
    let bad_json = NewCredential::Custom {
        kind: "note".into(),
        blob: "{".into(),
    };
    assert!(bad_json
        .prepare("a")
        .expect_err("refused")
        .contains("not valid JSON"));
}

#[test]
fn a_token_is_traded_for_a_chosen_scope_with_the_token_method() {
    use keyrack::api::identity::{scopes_from, NamedRef, Scope};
    use serde_json::json;
    let named = |id: &str, name: &str| NamedRef {
        id: id.into(),
        name: name.into(),
    };
    let scopes = scopes_from(
        vec![named("p2", "demo"), named("p1", "admin")],
        vec![named("default", "Default")],
    );
    let labels: Vec<String> = scopes.iter().map(Scope::label).collect();
    assert_eq!(labels, ["admin", "demo", "Domain Default"]);

    let token = Secret::new("unscoped-token");
    let body = scopes[1].request(&token);
    assert_eq!(body["auth"]["identity"]["methods"], json!(["token"]));
    assert_eq!(body["auth"]["identity"]["token"]["id"], "unscoped-token");
    assert_eq!(body["auth"]["scope"], json!({"project": {"id": "p2"}}));
    assert_eq!(
        scopes[2].request(&token)["auth"]["scope"],
        json!({"domain": {"id": "default"}})
    );

    let info = parse_token(&fixture("keystone-token.json")).expect("token");
    let own = info.project.clone().expect("a project-scoped fixture");
    assert!(Scope::Project {
        id: own.id,
        name: own.name
    }
    .is_scope_of(&info));
    assert!(!scopes[1].is_scope_of(&info));
}

/// A wire type that holds a secret prints a mask, so logging or formatting one cannot leak it.
#[test]
fn secrets_from_the_wire_never_print() {
    let ksadm: Ec2CredentialBody =
        serde_json::from_str(&fixture("ksadm-ec2-credential.json")).expect("ksadm");
    let iam: AccessKeyEnvelope =
        serde_json::from_str(&fixture("iam-create-response.json")).expect("iam");
    let os_ec2: keyrack::api::ec2::Ec2CredentialList =
        serde_json::from_str(&fixture("keystone-os-ec2-list.json")).expect("os-ec2");
    let v3: CredentialList =
        serde_json::from_str(&fixture("keystone-credentials-list.json")).expect("v3");
    let ec2_secret_of = |blob: &str| {
        let blob: serde_json::Value = serde_json::from_str(blob).expect("blob");
        blob["secret"].as_str().unwrap_or_default().to_string()
    };
    let printed = [
        (
            format!("{ksadm:?}"),
            ksadm.credential.secret.expose().to_string(),
        ),
        (
            format!("{iam:?}"),
            iam.credential
                .secret
                .as_ref()
                .map(|s| s.expose().to_string())
                .unwrap_or_default(),
        ),
        (
            format!("{os_ec2:?}"),
            os_ec2.credentials[0].secret.expose().to_string(),
        ),
        // A v3 credential's blob holds its secret (here an ec2 secret key).
        (
            format!("{v3:?}"),
            ec2_secret_of(v3.credentials[0].blob.expose()),
        ),
    ];
    for (text, secret) in printed {
        assert!(!secret.is_empty());
        assert!(!text.contains(&secret), "{text}");
        assert!(text.contains("Secret(****)"), "{text}");
    }
}

#[test]
fn roles_are_told_most_powerful_first() {
    let mut token = parse_token(&fixture("keystone-token.json")).expect("token parses");
    token.roles = ["zeta", "reader", "Admin", "alpha", "member", "manager"]
        .into_iter()
        .map(|name| keyrack::api::identity::NamedRef {
            id: name.to_lowercase(),
            name: name.to_string(),
        })
        .collect();
    assert_eq!(
        token.roles_by_power(),
        ["Admin", "manager", "member", "reader", "alpha", "zeta"]
    );
}
