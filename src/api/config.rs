//! The runtime configuration (`config.json` beside `index.html`): which clouds the console talks
//! to and which credential APIs each offers. Read at start-up, so one build serves any cloud.

use super::client::DEFAULT_TIMEOUT_SECONDS;
use super::json::Json;

pub const CONFIG_FILE: &str = "config.json";

/// Why the configuration could not be used: where it was looked for and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub url: String,
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub clouds: Vec<Cloud>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloud {
    /// Shown on the sign-in page and in the header.
    pub name: String,
    /// The Identity v3 endpoint, e.g. `https://keystone.example.com/v3`.
    pub identity_url: String,
    /// Prefilled on the sign-in form; `Default` when absent.
    pub default_domain: String,
    /// The cloud serves `/v3/credentials` (every Keystone does); true when absent.
    pub credentials_v3: bool,
    /// Which EC2 credential API the cloud serves, if any.
    pub ec2: Option<Ec2Api>,
    /// The IAM `/v3.0/OS-CREDENTIAL/credentials` access-key API, if the cloud serves it.
    pub access_keys: Option<AccessKeysApi>,
    /// How long a request may take before the console gives up on it and says so.
    pub request_timeout_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ec2Api {
    /// Keystone v3 `/v3/users/{user_id}/credentials/OS-EC2` on the identity endpoint.
    OsEc2,
    /// The v2.0 extension `/v2.0/users/{userId}/OS-KSADM/credentials`, under `base_url`.
    OsKsadm { base_url: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeysApi {
    /// The IAM endpoint under which `/v3.0/OS-CREDENTIAL/credentials` lives.
    pub base_url: String,
}

/// The members of one JSON object, taken one by one; what is left over was misspelt or is unknown.
struct Members {
    /// Where the object is, for messages: `""` at the top, `cloud "Lab": ` in a cloud.
    at: String,
    members: Vec<(String, Json)>,
}

impl Members {
    fn of(at: String, field: &str, value: Json) -> Result<Self, String> {
        match value {
            Json::Object(members) => Ok(Members { at, members }),
            other => Err(format!(
                "{at}{field} must be an object, not {}",
                other.kind()
            )),
        }
    }

    /// The object `field` inside the object at `at`; its own messages start `{at}{field}: `.
    fn section(at: &str, field: &str, value: Json) -> Result<Self, String> {
        let mut section = Members::of(at.to_string(), field, value)?;
        section.at = format!("{at}{field}: ");
        Ok(section)
    }

    fn take(&mut self, name: &str) -> Option<Json> {
        let index = self.members.iter().position(|(key, _)| key == name)?;
        Some(self.members.swap_remove(index).1).filter(|value| *value != Json::Null)
    }

    fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.take(name) {
            None => Ok(None),
            Some(Json::Text(text)) => Ok(Some(text)),
            Some(other) => Err(self.wrong(name, "a string", &other)),
        }
    }

    fn required_text(&mut self, name: &str) -> Result<String, String> {
        self.text(name)?
            .ok_or_else(|| format!("{}missing field `{name}`", self.at))
    }

    fn flag(&mut self, name: &str) -> Result<Option<bool>, String> {
        match self.take(name) {
            None => Ok(None),
            Some(Json::Bool(flag)) => Ok(Some(flag)),
            Some(other) => Err(self.wrong(name, "true or false", &other)),
        }
    }

    fn wrong(&self, name: &str, expected: &str, found: &Json) -> String {
        format!("{}{name} must be {expected}, not {}", self.at, found.kind())
    }

    /// Every member has been read: any other is an error, as a misspelt option must not be
    /// silently ignored.
    fn finish(self) -> Result<(), String> {
        match self.members.first() {
            None => Ok(()),
            Some((name, _)) => Err(format!("{}unknown field `{name}`", self.at)),
        }
    }
}

/// `request_timeout_seconds`: a whole number of seconds from 1 to 600.
fn timeout_seconds(at: &str, value: Option<Json>) -> Result<u32, String> {
    let range = "request_timeout_seconds must be from 1 to 600";
    match value {
        None => Ok(DEFAULT_TIMEOUT_SECONDS),
        Some(Json::Number(n)) if (1.0..=600.0).contains(&n) && n.fract() == 0.0 => Ok(n as u32),
        // Whole numbers are told back; others are not (formatting any float would add a
        // float printer to the shell).
        Some(Json::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Err(format!("{at}{range}, not {}", n as i64))
        }
        Some(Json::Number(_)) => Err(format!("{at}{range} (a whole number)")),
        Some(other) => Err(format!("{at}{range}, not {}", other.kind())),
    }
}

fn read_ec2(at: &str, value: Json) -> Result<Ec2Api, String> {
    let mut ec2 = Members::section(at, "ec2", value)?;
    let api = ec2.required_text("api")?;
    let base_url = ec2.text("base_url")?;
    ec2.finish()?;
    match (api.as_str(), base_url) {
        ("os-ec2", None) => Ok(Ec2Api::OsEc2),
        ("os-ec2", Some(_)) => Err(format!(
            "{at}ec2.base_url is for \"os-ksadm\" only: \"os-ec2\" uses identity_url"
        )),
        ("os-ksadm", Some(base_url)) => Ok(Ec2Api::OsKsadm { base_url }),
        ("os-ksadm", None) => Err(format!("{at}ec2 \"os-ksadm\" needs a base_url")),
        (other, _) => Err(format!(
            "{at}ec2.api must be \"os-ec2\" or \"os-ksadm\", not \"{other}\""
        )),
    }
}

fn read_cloud(number: usize, value: Json) -> Result<Cloud, String> {
    let mut cloud = Members::of(format!("cloud number {number}: "), "it", value)?;
    let name = cloud.required_text("name")?;
    if name.trim().is_empty() {
        return Err(format!("cloud number {number} has an empty name"));
    }
    cloud.at = format!("cloud \"{name}\": ");
    let at = cloud.at.clone();
    let identity_url = cloud.required_text("identity_url")?;
    let default_domain = cloud.text("default_domain")?;
    let credentials_v3 = cloud.flag("credentials_v3")?;
    let ec2 = cloud
        .take("ec2")
        .map(|ec2| read_ec2(&at, ec2))
        .transpose()?;
    let access_keys = match cloud.take("access_keys") {
        None => None,
        Some(value) => {
            let mut section = Members::section(&at, "access_keys", value)?;
            let base_url = section.required_text("base_url")?;
            section.finish()?;
            Some(AccessKeysApi { base_url })
        }
    };
    let request_timeout_seconds = timeout_seconds(&at, cloud.take("request_timeout_seconds"))?;
    cloud.finish()?;
    Ok(Cloud {
        name,
        identity_url,
        default_domain: default_domain.unwrap_or_else(|| "Default".to_string()),
        credentials_v3: credentials_v3.unwrap_or(true),
        ec2,
        access_keys,
        request_timeout_seconds,
    })
}

impl Cloud {
    pub fn identity_url(&self) -> &str {
        self.identity_url.trim_end_matches('/')
    }
}

fn check_url(field: &str, cloud: &str, url: &str) -> Result<(), String> {
    super::address::http_origin(url)
        .map(|_| ())
        .map_err(|why| format!("cloud \"{cloud}\": {field} {why}, not \"{url}\""))
}

/// Checks the configuration read as JSON; the error names the problem in words an operator can
/// act on.
pub fn read_config(json: Json) -> Result<RuntimeConfig, String> {
    let mut top = Members::of(String::new(), "the configuration", json)?;
    let clouds = match top.take("clouds") {
        None => return Err("missing field `clouds`".to_string()),
        Some(Json::List(clouds)) => clouds,
        Some(other) => return Err(top.wrong("clouds", "a list", &other)),
    };
    top.finish()?;
    let clouds = clouds
        .into_iter()
        .enumerate()
        .map(|(index, cloud)| read_cloud(index + 1, cloud))
        .collect::<Result<Vec<_>, _>>()?;
    if clouds.is_empty() {
        return Err("it names no cloud: \"clouds\" needs at least one entry".to_string());
    }
    for (index, cloud) in clouds.iter().enumerate() {
        if clouds[..index].iter().any(|c| c.name == cloud.name) {
            return Err(format!("two clouds are named \"{}\"", cloud.name));
        }
        check_url("identity_url", &cloud.name, &cloud.identity_url)?;
        if let Some(Ec2Api::OsKsadm { base_url }) = &cloud.ec2 {
            check_url("ec2.base_url", &cloud.name, base_url)?;
        }
        if let Some(access_keys) = &cloud.access_keys {
            check_url("access_keys.base_url", &cloud.name, &access_keys.base_url)?;
        }
    }
    Ok(RuntimeConfig { clouds })
}

/// Reads the configuration from its text with serde_json, for tests and tools; the console
/// parses it with the browser's `JSON.parse` instead (see [`Json`]).
pub fn parse_config(text: &str) -> Result<RuntimeConfig, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON: {e}"))?;
    read_config(Json::from(value))
}
