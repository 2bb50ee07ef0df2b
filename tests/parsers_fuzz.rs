//! Property: no parser of what the network (or an operator) sends panics, whatever the bytes. In
//! wasm a panic would kill the whole console. Inputs come from a seeded generator: every documented
//! example, mutated at the byte level (flips, cuts, splices of JSON tokens) and at the structure
//! level (any value replaced by one of another type), plus random bytes. A failure names the seed.

use keyrack::api::access_keys::{create_failure_message, AccessKeyEnvelope, AccessKeyList};
use keyrack::api::config::parse_config;
use keyrack::api::credentials::{
    blob_fields, check_blob, ec2_access, searchable_blob, CredentialEnvelope, CredentialList,
};
use keyrack::api::ec2::{Ec2CredentialEnvelope, Ec2CredentialList};
use keyrack::api::error::{host_of, parse_error_body, HttpFailure};
use keyrack::api::identity::parse_token;
use keyrack::api::ksadm::{CredentialList as KsadmList, Ec2CredentialBody};
use keyrack::api::response::RawResponse;
use keyrack::api::retry::delay_before_retry;
use keyrack::api::time::{parse_http_date_ms, parse_timestamp_ms};
use keyrack::api::users::{ProjectList, UserList};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// xorshift64*: small, seeded, the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "-0.0",
    "18446744073709551616",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\uDBFF\\uDFFF\"",
    "\"ec2\"",
    "\"totp\"",
    "\"2020-01-08T06:26:08.123059Z\"",
    "\"99999999999-12-31T23:59:59Z\"",
    "\"-5-01-01T00:00:00Z\"",
    "\"Sun, 06 Nov 1994 08:49:37 GMT\"",
    "\"<script>alert(1)</script>\"",
    "\"é—🔑\"",
    "\\",
    "\u{0}",
];

fn fixtures() -> Vec<String> {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect();
    let config = format!("{}/public/config.json", env!("CARGO_MANIFEST_DIR"));
    texts.extend(std::fs::read_to_string(config).ok());
    texts.sort();
    assert!(texts.len() >= 15, "the documented examples are found");
    texts
}

fn mutate_bytes(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => bytes.truncate(at),
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(f64::from_bits(rng.next()).is_finite().then_some(1.5e300)),
        4 | 5 => {
            let token = TOKENS[rng.below(TOKENS.len())];
            json!(serde_json::from_str::<String>(token)
                .unwrap_or_else(|_| token.repeat(rng.below(50))))
        }
        6 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut map = serde_json::Map::new();
            for i in 0..rng.below(4) {
                map.insert(format!("k{i}"), random_value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// Replaces one value somewhere in the document (or removes a key) with something of another shape.
fn mutate_structure(rng: &mut Rng, value: &mut Value) {
    match value {
        Value::Object(map) if !map.is_empty() && rng.below(3) > 0 => {
            let key = map
                .keys()
                .nth(rng.below(map.len()))
                .cloned()
                .unwrap_or_default();
            if rng.below(6) == 0 {
                map.remove(&key);
            } else if let Some(inner) = map.get_mut(&key) {
                mutate_structure(rng, inner);
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(3) > 0 => {
            let i = rng.below(items.len());
            mutate_structure(rng, &mut items[i]);
        }
        _ => *value = random_value(rng, 0),
    }
}

fn parse_as<T: DeserializeOwned>(raw: &RawResponse) {
    let _ = raw.json::<T>();
}

/// Every parser the console runs on text from outside, with what it then derives.
fn parse_everything(body: &str) {
    for status in [
        200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 429, 500, 503,
    ] {
        let raw = RawResponse {
            status,
            body: body.to_string(),
            retry_after: Some(body.chars().take(40).collect()),
            ..RawResponse::default()
        };
        if let Some(error) = raw.failure() {
            let _ = (
                error.summary(),
                error.server_detail(),
                error.operator_hint(),
            );
            let _ = create_failure_message(&error);
        }
        let _ = raw.empty();
        let _ = delay_before_retry(0, status, raw.retry_after.as_deref(), 0);
        let _ = HttpFailure::from_response(status, body, None);
        parse_as::<Value>(&raw);
        parse_as::<CredentialList>(&raw);
        parse_as::<CredentialEnvelope>(&raw);
        parse_as::<Ec2CredentialList>(&raw);
        parse_as::<Ec2CredentialEnvelope>(&raw);
        parse_as::<KsadmList>(&raw);
        parse_as::<Ec2CredentialBody>(&raw);
        parse_as::<UserList>(&raw);
        parse_as::<ProjectList>(&raw);
        if let Ok(list) = raw.json::<AccessKeyList>() {
            for key in list.credentials {
                let _ = key.age(0);
                let _ = key.age(i64::MAX);
                let _ = key.age(i64::MIN);
            }
        }
        if let Ok(shown) = raw.json::<AccessKeyEnvelope>() {
            let _ = shown.credential.age(1_700_000_000_000);
        }
    }
    let _ = parse_error_body(body);
    let _ = host_of(body);
    if let Ok(token) = parse_token(body) {
        let _ = (token.is_admin(), token.delegation(), token.expires_at_ms());
        let _ = (token.tool_target(), token.public_endpoint("ec2"));
    }
    let _ = parse_config(body);
    for kind in ["ec2", "totp", "cert", "custom", ""] {
        let _ = check_blob(kind, body);
        let _ = searchable_blob(kind, body);
    }
    let _ = blob_fields(body);
    let _ = ec2_access(body);
    let _ = parse_timestamp_ms(body);
    let _ = parse_http_date_ms(body);
}

fn run(seed: u64, body: &str) {
    if std::panic::catch_unwind(|| parse_everything(body)).is_err() {
        panic!("a parser panicked (seed {seed}) on {body:?}");
    }
}

#[test]
fn no_parser_panics_on_mutated_documented_examples() {
    let fixtures = fixtures();
    let mut rng = Rng(0x5EED_0001);
    for (index, text) in fixtures.iter().enumerate() {
        run(index as u64, text);
        let parsed: Option<Value> = serde_json::from_str(text).ok();
        for round in 0..400 {
            let seed = (index as u64) << 32 | round;
            run(seed, &mutate_bytes(&mut rng, text));
            if let Some(mut value) = parsed.clone() {
                for _ in 0..=rng.below(3) {
                    mutate_structure(&mut rng, &mut value);
                }
                run(seed, &value.to_string());
            }
        }
    }
}

#[test]
fn no_parser_panics_on_random_bytes_or_deep_nesting() {
    let mut rng = Rng(0x5EED_0002);
    for seed in 0..3000u64 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        run(seed, &String::from_utf8_lossy(&bytes));
    }
    for depth in [127usize, 128, 129, 10_000] {
        let seed = depth as u64;
        run(seed, &format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        run(seed, &"{\"a\":".repeat(depth));
    }
}
