//! Keystone v3 tokens: signing in three ways, validating, revoking, and what a token says.

use super::client::{to_json, Client};
use super::error::{ApiError, HttpFailure};
use super::secret::Secret;
use super::time::parse_timestamp_ms;
use gloo_net::http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The ways a person can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Password {
        user: String,
        domain: String,
        password: Secret,
        /// Scope to this project (by name, in the user's domain); none means Keystone's default.
        project: Option<String>,
    },
    /// An existing token, validated before use.
    Token(Secret),
    ApplicationCredential {
        id: String,
        secret: Secret,
    },
}

impl SignIn {
    /// The body of `POST /v3/auth/tokens`; `None` for a token sign-in, which validates instead.
    pub fn auth_request(&self) -> Option<Value> {
        match self {
            SignIn::Password {
                user,
                domain,
                password,
                project,
            } => {
                let mut auth = json!({
                    "identity": {
                        "methods": ["password"],
                        "password": {"user": {
                            "name": user,
                            "domain": {"name": domain},
                            "password": password.expose(),
                        }}
                    }
                });
                if let Some(project) = project.as_deref().filter(|p| !p.trim().is_empty()) {
                    auth["scope"] =
                        json!({"project": {"name": project.trim(), "domain": {"name": domain}}});
                }
                Some(json!({ "auth": auth }))
            }
            SignIn::ApplicationCredential { id, secret } => Some(json!({
                "auth": {"identity": {
                    "methods": ["application_credential"],
                    "application_credential": {"id": id, "secret": secret.expose()},
                }}
            })),
            SignIn::Token(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NamedRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScopedRef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub domain: Option<NamedRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Endpoint {
    #[serde(default)]
    pub interface: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub region_id: Option<String>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CatalogService {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

/// The body of a token, as Keystone returns it on sign-in and validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokenInfo {
    #[serde(default)]
    pub methods: Vec<String>,
    pub user: ScopedRef,
    #[serde(default)]
    pub project: Option<ScopedRef>,
    #[serde(default)]
    pub domain: Option<NamedRef>,
    #[serde(default)]
    pub roles: Vec<NamedRef>,
    pub expires_at: String,
    #[serde(default)]
    pub issued_at: String,
    /// The service catalog, kept as JSON until a page reads it (`services()`): typed parsing of
    /// a catalog is about a third of the token parsing code, and only the EC2 page needs it, while
    /// the token itself is parsed by the shell the sign-in page loads.
    #[serde(default)]
    pub catalog: Value,
    #[serde(default)]
    pub application_credential: Option<Value>,
    #[serde(rename = "OS-TRUST:trust", default)]
    pub trust: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
struct TokenEnvelope {
    token: TokenInfo,
}

/// Why a token may not manage credentials although it is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delegation {
    ApplicationCredential,
    Trust,
}

impl TokenInfo {
    pub fn has_role(&self, name: &str) -> bool {
        self.roles.iter().any(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// The token's role names, the most powerful first (Keystone's default roles, which imply
    /// each other in this order), then any others by name.
    pub fn roles_by_power(&self) -> Vec<String> {
        const BY_POWER: [&str; 4] = ["admin", "manager", "member", "reader"];
        let rank = |name: &str| {
            BY_POWER
                .iter()
                .position(|known| known.eq_ignore_ascii_case(name))
                .unwrap_or(BY_POWER.len())
        };
        let mut names: Vec<String> = self.roles.iter().map(|r| r.name.clone()).collect();
        names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        names
    }

    /// Admin mode: the token carries Keystone's `admin` role.
    pub fn is_admin(&self) -> bool {
        self.has_role("admin")
    }

    /// Keystone refuses credential management to delegated tokens.
    pub fn delegation(&self) -> Option<Delegation> {
        if self.application_credential.is_some()
            || self.methods.iter().any(|m| m == "application_credential")
        {
            Some(Delegation::ApplicationCredential)
        } else if self.trust.is_some() {
            Some(Delegation::Trust)
        } else {
            None
        }
    }

    pub fn expires_at_ms(&self) -> Option<i64> {
        parse_timestamp_ms(&self.expires_at)
    }

    /// Where S3/EC2 tools should point: the catalog's `s3`, else `ec2`, public endpoint. What
    /// the catalog says is pasted into a shell and an AWS profile, so an endpoint that is not a
    /// plain http(s) URL, or a region that is not one word, is left out.
    pub fn tool_target(&self) -> super::export::ToolTarget {
        let endpoint = ["s3", "ec2"]
            .iter()
            .find_map(|kind| self.public_endpoint(kind));
        super::export::ToolTarget {
            region: endpoint
                .as_ref()
                .and_then(|e| e.region_id.clone().or_else(|| e.region.clone()))
                .filter(|region| super::address::is_region_name(region)),
            endpoint: endpoint
                .map(|e| e.url)
                .filter(|url| super::address::http_origin(url).is_ok()),
        }
    }

    /// The catalog's services; none when the token has no catalog or an unreadable one.
    pub fn services(&self) -> Vec<CatalogService> {
        Vec::<CatalogService>::deserialize(&self.catalog).unwrap_or_default()
    }

    /// The public endpoint of the first catalog service of this type, if the token has a catalog.
    pub fn public_endpoint(&self, service_type: &str) -> Option<Endpoint> {
        self.services()
            .into_iter()
            .filter(|s| s.kind == service_type)
            .flat_map(|s| s.endpoints)
            .find(|e| e.interface == "public")
    }
}

/// Parses a token body (`{"token":{…}}`).
pub fn parse_token(body: &str) -> Result<TokenInfo, serde_json::Error> {
    serde_json::from_str::<TokenEnvelope>(body).map(|e| e.token)
}

fn tokens_url(identity_url: &str) -> String {
    format!("{}/auth/tokens", identity_url.trim_end_matches('/'))
}

fn unexpected(status: u16, detail: impl Into<String>, request_id: Option<String>) -> ApiError {
    ApiError::Unexpected {
        status,
        detail: detail.into(),
        request_id,
    }
}

/// Signs in and returns the token with what it says; waits at most `timeout_seconds` (the
/// cloud's `request_timeout_seconds`), as every other call does.
pub async fn sign_in(
    identity_url: &str,
    how: &SignIn,
    timeout_seconds: u32,
) -> Result<(Secret, TokenInfo), ApiError> {
    if let SignIn::Token(token) = how {
        let info = validate(identity_url, token, timeout_seconds)
            .await
            .map_err(|error| {
                // Keystone answers 404 for a subject token it does not know: to the person signing
                // in that is simply a token that does not work.
                if error.status() == Some(404) {
                    ApiError::Http(HttpFailure {
                        status: 401,
                        server_message: Some(
                            "Keystone does not know this token: it is invalid, expired or revoked."
                                .into(),
                        ),
                        request_id: error.request_id().map(str::to_string),
                        ..HttpFailure::default()
                    })
                } else {
                    error
                }
            })?;
        return Ok((token.clone(), info));
    }
    let Some(body) = how.auth_request() else {
        return Err(unexpected(0, "nothing to sign in with", None));
    };
    issue_token(identity_url, &body, timeout_seconds).await
}

/// `POST /v3/auth/tokens` with `body`: the new token and what it says.
async fn issue_token(
    identity_url: &str,
    body: &Value,
    timeout_seconds: u32,
) -> Result<(Secret, TokenInfo), ApiError> {
    let raw = Client::default()
        .with_timeout_seconds(timeout_seconds)
        .exchange(
            Method::POST,
            &tokens_url(identity_url),
            Some(to_json(body)?),
            None,
        )
        .await?;
    if let Some(error) = raw.failure() {
        return Err(error);
    }
    let token = raw.subject_token.clone().filter(|t| !t.is_empty()).ok_or_else(|| {
        unexpected(
            raw.status,
            "the answer carried no X-Subject-Token header (if the server is behind a proxy, it must expose that header to the browser)",
            raw.request_id.clone(),
        )
    })?;
    let info = parse_token(&raw.body).map_err(|e| {
        unexpected(
            raw.status,
            format!("unreadable token: {e}"),
            raw.request_id.clone(),
        )
    })?;
    Ok((Secret::new(token), info))
}

/// What a token can be scoped to: a project or a domain the user has a role on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Project { id: String, name: String },
    Domain { id: String, name: String },
}

impl Scope {
    pub fn id(&self) -> &str {
        match self {
            Scope::Project { id, .. } | Scope::Domain { id, .. } => id,
        }
    }

    /// How a person reads it in a list: projects by name, domains marked as such.
    pub fn label(&self) -> String {
        match self {
            Scope::Project { name, .. } => name.clone(),
            Scope::Domain { name, .. } => format!("Domain {name}"),
        }
    }

    /// Whether the token described by `info` already has this scope.
    pub fn is_scope_of(&self, info: &TokenInfo) -> bool {
        match self {
            Scope::Project { id, .. } => info.project.as_ref().is_some_and(|p| &p.id == id),
            Scope::Domain { id, .. } => info.domain.as_ref().is_some_and(|d| &d.id == id),
        }
    }

    /// The body of `POST /v3/auth/tokens` that trades `token` for one of this scope (the token
    /// method, as Horizon's project switcher does: no password is asked again).
    pub fn request(&self, token: &Secret) -> Value {
        let scope = match self {
            Scope::Project { id, .. } => json!({ "project": { "id": id } }),
            Scope::Domain { id, .. } => json!({ "domain": { "id": id } }),
        };
        json!({ "auth": {
            "identity": { "methods": ["token"], "token": { "id": token.expose() } },
            "scope": scope,
        }})
    }
}

#[derive(Debug, Clone, Deserialize)]
struct ScopeList {
    #[serde(default)]
    projects: Vec<NamedRef>,
    #[serde(default)]
    domains: Vec<NamedRef>,
}

/// Every project, then every domain, the token's user may scope to (`GET /v3/auth/projects` and
/// `GET /v3/auth/domains`), each sorted by name.
pub async fn available_scopes(client: &Client, identity_url: &str) -> Result<Vec<Scope>, ApiError> {
    let base = identity_url.trim_end_matches('/');
    let projects: ScopeList = client.get(&format!("{base}/auth/projects")).await?;
    let domains: ScopeList = client.get(&format!("{base}/auth/domains")).await?;
    Ok(scopes_from(projects.projects, domains.domains))
}

/// Projects, then domains, each sorted by name.
pub fn scopes_from(mut projects: Vec<NamedRef>, mut domains: Vec<NamedRef>) -> Vec<Scope> {
    projects.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    domains.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    projects
        .into_iter()
        .map(|p| Scope::Project {
            id: p.id,
            name: p.name,
        })
        .chain(domains.into_iter().map(|d| Scope::Domain {
            id: d.id,
            name: d.name,
        }))
        .collect()
}

/// Trades `token` for a token of `scope`.
pub async fn rescope(
    identity_url: &str,
    token: &Secret,
    scope: &Scope,
    timeout_seconds: u32,
) -> Result<(Secret, TokenInfo), ApiError> {
    issue_token(identity_url, &scope.request(token), timeout_seconds).await
}

/// `GET /v3/auth/tokens`: what the token says, or 401/404 when it is not valid.
pub async fn validate(
    identity_url: &str,
    token: &Secret,
    timeout_seconds: u32,
) -> Result<TokenInfo, ApiError> {
    let raw = Client::with_token(token.clone())
        .with_timeout_seconds(timeout_seconds)
        .exchange(Method::GET, &tokens_url(identity_url), None, Some(token))
        .await?;
    if let Some(error) = raw.failure() {
        return Err(error);
    }
    parse_token(&raw.body)
        .map_err(|e| unexpected(raw.status, format!("unreadable token: {e}"), raw.request_id))
}

/// `DELETE /v3/auth/tokens`: the token is refused from then on.
pub async fn revoke(
    identity_url: &str,
    token: &Secret,
    timeout_seconds: u32,
) -> Result<(), ApiError> {
    Client::with_token(token.clone())
        .with_timeout_seconds(timeout_seconds)
        .exchange(Method::DELETE, &tokens_url(identity_url), None, Some(token))
        .await?
        .empty()
}
