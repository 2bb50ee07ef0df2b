//! The runtime configuration (`config.json` beside `index.html`): which clouds the console talks
//! to and which credential APIs each offers. Read at start-up, so one build serves any cloud.

use super::client::DEFAULT_TIMEOUT_SECONDS;
use serde::Deserialize;

pub const CONFIG_FILE: &str = "config.json";

/// Why the configuration could not be used: where it was looked for and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub url: String,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeConfig {
    pub clouds: Vec<Cloud>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cloud {
    /// Shown on the sign-in page and in the header.
    pub name: String,
    /// The Identity v3 endpoint, e.g. `https://keystone.example.com/v3`.
    pub identity_url: String,
    /// Prefilled on the sign-in form; `Default` when absent.
    #[serde(default = "default_domain")]
    pub default_domain: String,
    /// The cloud serves `/v3/credentials` (every Keystone does).
    #[serde(default = "yes")]
    pub credentials_v3: bool,
    /// Which EC2 credential API the cloud serves, if any.
    #[serde(default)]
    pub ec2: Option<Ec2Api>,
    /// The IAM `/v3.0/OS-CREDENTIAL/credentials` access-key API, if the cloud serves it.
    #[serde(default)]
    pub access_keys: Option<AccessKeysApi>,
    /// How long a request may take before the console gives up on it and says so.
    #[serde(default = "default_timeout")]
    pub request_timeout_seconds: u32,
}

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECONDS
}

fn default_domain() -> String {
    "Default".to_string()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Ec2Section")]
pub enum Ec2Api {
    /// Keystone v3 `/v3/users/{user_id}/credentials/OS-EC2` on the identity endpoint.
    OsEc2,
    /// The v2.0 extension `/v2.0/users/{userId}/OS-KSADM/credentials`, under `base_url`.
    OsKsadm { base_url: String },
}

/// The `ec2` section as written. Read as a plain struct: serde's internally tagged enums buffer
/// their input, and that machinery alone was 8 KB of the shell every first view downloads.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ec2Section {
    api: Ec2ApiName,
    #[serde(default)]
    base_url: Option<String>,
}

#[derive(Deserialize)]
enum Ec2ApiName {
    #[serde(rename = "os-ec2")]
    OsEc2,
    #[serde(rename = "os-ksadm")]
    OsKsadm,
}

impl TryFrom<Ec2Section> for Ec2Api {
    type Error = &'static str;

    fn try_from(section: Ec2Section) -> Result<Self, Self::Error> {
        match (section.api, section.base_url) {
            (Ec2ApiName::OsEc2, None) => Ok(Ec2Api::OsEc2),
            (Ec2ApiName::OsEc2, Some(_)) => {
                Err("ec2.base_url is for \"os-ksadm\" only: \"os-ec2\" uses identity_url")
            }
            (Ec2ApiName::OsKsadm, Some(base_url)) => Ok(Ec2Api::OsKsadm { base_url }),
            (Ec2ApiName::OsKsadm, None) => Err("ec2 \"os-ksadm\" needs a base_url"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKeysApi {
    /// The IAM endpoint under which `/v3.0/OS-CREDENTIAL/credentials` lives.
    pub base_url: String,
}

impl Cloud {
    pub fn identity_url(&self) -> &str {
        self.identity_url.trim_end_matches('/')
    }
}

fn check_url(field: &str, cloud: &str, url: &str) -> Result<(), String> {
    super::address::http_origin(url)
        .map(|_| ())
        .map_err(|why| format!("cloud \"{cloud}\": {field} {why}, not {url:?}"))
}

/// Parses and checks the configuration; the error names the problem in words an operator can act on.
pub fn parse_config(text: &str) -> Result<RuntimeConfig, String> {
    let config: RuntimeConfig =
        serde_json::from_str(text).map_err(|e| format!("it is not valid: {e}"))?;
    if config.clouds.is_empty() {
        return Err("it names no cloud: \"clouds\" needs at least one entry".to_string());
    }
    for (index, cloud) in config.clouds.iter().enumerate() {
        if cloud.name.trim().is_empty() {
            return Err(format!("cloud number {} has an empty name", index + 1));
        }
        if config.clouds[..index].iter().any(|c| c.name == cloud.name) {
            return Err(format!("two clouds are named \"{}\"", cloud.name));
        }
        check_url("identity_url", &cloud.name, &cloud.identity_url)?;
        if !(1..=600).contains(&cloud.request_timeout_seconds) {
            return Err(format!(
                "cloud \"{}\": request_timeout_seconds must be from 1 to 600, not {}",
                cloud.name, cloud.request_timeout_seconds
            ));
        }
        if let Some(Ec2Api::OsKsadm { base_url }) = &cloud.ec2 {
            check_url("ec2.base_url", &cloud.name, base_url)?;
        }
        if let Some(access_keys) = &cloud.access_keys {
            check_url("access_keys.base_url", &cloud.name, &access_keys.base_url)?;
        }
    }
    Ok(config)
}
