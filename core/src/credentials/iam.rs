//! Turning an [`Auth`] into request headers: AK/SK signatures (with the domain id looked up once
//! per AK), or IAM tokens fetched by password or assume_role and cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use serde_json::{json, Value};

use super::{AkSk, Auth, CachedToken, CustomerDomain, Password, ProvideCredentials, TokenCache};
use crate::client::Client;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::generated::operations::{
    KEYSTONE_CREATE_AGENCY_TOKEN, KEYSTONE_CREATE_USER_TOKEN_BY_PASSWORD,
    KEYSTONE_LIST_AUTH_DOMAINS,
};
use crate::operation::Service;
use crate::secret::Secret;
use crate::signer::{self, SigningKey};
use crate::transport::Outgoing;

/// Authentication state of a client: cached provider output, tokens, domain id.
pub(crate) enum Authorizer {
    /// No credentials (the password token call itself).
    Anonymous,
    AkSk {
        provider: Arc<dyn ProvideCredentials>,
        loaded: OnceLock<Arc<AkSk>>,
    },
    Password {
        password: Password,
        cache: TokenCache,
    },
    AssumeRole {
        partner: Arc<Authorizer>,
        agency_name: String,
        customer: CustomerDomain,
        cache: TokenCache,
    },
    Token(Arc<CachedToken>),
}

impl std::fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Authorizer::Anonymous => f.write_str("Anonymous"),
            Authorizer::AkSk { provider, .. } => write!(f, "AkSk({})", provider.name()),
            Authorizer::Password { password, .. } => write!(f, "Password({})", password.user),
            Authorizer::AssumeRole { agency_name, .. } => write!(f, "AssumeRole({agency_name})"),
            Authorizer::Token(_) => f.write_str("Token(***)"),
        }
    }
}

/// What one attempt carries.
#[derive(Debug, Clone)]
pub(crate) enum Applied {
    None,
    Sign {
        key: Arc<AkSk>,
        domain_id: Option<Arc<str>>,
    },
    Token(Arc<CachedToken>),
}

impl Applied {
    pub fn is_token(&self) -> bool {
        matches!(self, Applied::Token(_))
    }
    pub fn is_signed(&self) -> bool {
        matches!(self, Applied::Sign { .. })
    }

    /// The headers this attempt adds, signed at `now`.
    pub fn headers(&self, req: &Outgoing, now: SystemTime) -> Result<Vec<(&'static str, String)>> {
        match self {
            Applied::None => Ok(Vec::new()),
            Applied::Token(t) => Ok(vec![("X-Auth-Token", t.token.expose().to_owned())]),
            Applied::Sign { key, domain_id } => {
                let headers: Vec<(&str, &str)> = req
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let sk = SigningKey {
                    ak: &key.ak,
                    sk: key.sk.expose(),
                    security_token: key.security_token.as_ref().map(Secret::expose),
                    domain_id: domain_id.as_deref(),
                };
                Ok(
                    signer::sign_at(req.method.as_str(), &req.url, &headers, &req.body, &sk, now)?
                        .headers,
                )
            }
        }
    }
}

impl Authorizer {
    pub fn new(auth: &Auth) -> Authorizer {
        match auth {
            Auth::AkSk(p) => Authorizer::AkSk {
                provider: p.clone(),
                loaded: OnceLock::new(),
            },
            Auth::Password(p) => Authorizer::Password {
                password: p.clone(),
                cache: TokenCache::new(),
            },
            Auth::AssumeRole(a) => Authorizer::AssumeRole {
                partner: Arc::new(Authorizer::new(&a.partner)),
                agency_name: a.agency_name.clone(),
                customer: a.customer.clone(),
                cache: TokenCache::new(),
            },
            Auth::Token(t) => Authorizer::Token(Arc::new(CachedToken {
                token: t.clone(),
                issued_at: SystemTime::now(),
                expires_at: SystemTime::now() + Duration::from_secs(24 * 3600),
            })),
        }
    }

    fn aksk(
        provider: &Arc<dyn ProvideCredentials>,
        loaded: &OnceLock<Arc<AkSk>>,
    ) -> Result<Arc<AkSk>> {
        if let Some(k) = loaded.get() {
            return Ok(k.clone());
        }
        let k = Arc::new(provider.provide()?);
        Ok(loaded.get_or_init(|| k).clone())
    }

    /// The credentials for one attempt against `service`; fetches tokens or the domain id when needed.
    pub fn authorize<'a>(
        &'a self,
        client: &'a Client,
        service: Service,
    ) -> BoxFuture<'a, Result<Applied>> {
        Box::pin(async move {
            match self {
                Authorizer::Anonymous => Ok(Applied::None),
                Authorizer::Token(t) => Ok(Applied::Token(t.clone())),
                Authorizer::AkSk { provider, loaded } => {
                    let key = Self::aksk(provider, loaded)?;
                    let domain_id = match (&key.domain_id, service) {
                        (Some(d), _) => Some(Arc::from(d.as_str())),
                        (None, Service::Bss) => Some(domain_id_for(client, &key).await?),
                        (None, Service::Iam) => None,
                    };
                    Ok(Applied::Sign { key, domain_id })
                }
                Authorizer::Password { password, cache } => {
                    let margin = client.config().token_refresh_margin;
                    let t = cache
                        .get(margin, || password_token(client, password))
                        .await?;
                    Ok(Applied::Token(t))
                }
                Authorizer::AssumeRole {
                    partner,
                    agency_name,
                    customer,
                    cache,
                } => {
                    let margin = client.config().token_refresh_margin;
                    let t = cache
                        .get(margin, || {
                            agency_token(client, partner, agency_name, customer)
                        })
                        .await?;
                    Ok(Applied::Token(t))
                }
            }
        })
    }

    /// Drops a token the service rejected so the next attempt fetches a new one.
    pub fn invalidate(&self, applied: &Applied) {
        let Applied::Token(t) = applied else { return };
        match self {
            Authorizer::Password { cache, .. } | Authorizer::AssumeRole { cache, .. } => {
                cache.invalidate(t)
            }
            _ => {}
        }
    }

    /// Whether a rejected token can be replaced by fetching a new one.
    pub fn can_refresh(&self) -> bool {
        matches!(
            self,
            Authorizer::Password { .. } | Authorizer::AssumeRole { .. }
        )
    }
}

/// An error answer while obtaining credentials is an Auth failure of the call that needed them.
fn auth_error(e: Error, what: &str) -> Error {
    match e.kind() {
        ErrorKind::Api | ErrorKind::Auth => e.into_auth(what),
        _ => e,
    }
}

fn parse_time(v: Option<&Value>) -> Option<SystemTime> {
    let s = v?.as_str()?;
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(Into::into)
}

/// Reads `X-Subject-Token` and `token.expires_at` / `issued_at` from a token response.
fn token_from(resp: Value) -> Result<CachedToken> {
    let token = resp
        .get("X-Subject-Token")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                Dispatch::Responded,
                "IAM answered without an X-Subject-Token header",
            )
        })?;
    let expires_at = parse_time(resp.pointer("/token/expires_at")).ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            Dispatch::Responded,
            "IAM token response has no valid token.expires_at",
        )
    })?;
    let issued_at = parse_time(resp.pointer("/token/issued_at")).unwrap_or_else(SystemTime::now);
    Ok(CachedToken {
        token: Secret::new(token),
        expires_at,
        issued_at,
    })
}

async fn password_token(client: &Client, p: &Password) -> Result<CachedToken> {
    let body = json!({"nocatalog": "true", "auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": p.user, "password": p.password.expose(), "domain": {"name": p.domain_name}}}},
        "scope": {"domain": {"name": p.domain_name}}}});
    tracing::debug!(user = %p.user, domain = %p.domain_name, "fetching an IAM token by password");
    let resp = client
        .execute(
            &KEYSTONE_CREATE_USER_TOKEN_BY_PASSWORD,
            &body,
            &Authorizer::Anonymous,
        )
        .await
        .map_err(|e| auth_error(e, "getting an IAM token"))?;
    token_from(resp.json_with_headers(&KEYSTONE_CREATE_USER_TOKEN_BY_PASSWORD)?)
}

async fn agency_token(
    client: &Client,
    partner: &Authorizer,
    agency: &str,
    customer: &CustomerDomain,
) -> Result<CachedToken> {
    let (key, value, scope) = match customer {
        CustomerDomain::Id(id) => ("domain_id", id, json!({"domain": {"id": id}})),
        CustomerDomain::Name(n) => ("domain_name", n, json!({"domain": {"name": n}})),
    };
    let body = json!({"nocatalog": "true", "auth": {
        "identity": {"methods": ["assume_role"], "assume_role": {"agency_name": agency, key: value}},
        "scope": scope}});
    tracing::debug!(
        agency,
        ?customer,
        "fetching a customer token by assume_role"
    );
    let resp = client
        .execute(&KEYSTONE_CREATE_AGENCY_TOKEN, &body, partner)
        .await
        .map_err(|e| auth_error(e, "assume_role"))?;
    token_from(resp.json_with_headers(&KEYSTONE_CREATE_AGENCY_TOKEN)?)
}

type DomainCell = Arc<tokio::sync::OnceCell<Arc<str>>>;

/// Domain ids by (IAM endpoint, AK): looked up once per process, never at construction.
fn domain_cell(iam: &str, ak: &str) -> DomainCell {
    static CELLS: OnceLock<Mutex<HashMap<(String, String), DomainCell>>> = OnceLock::new();
    let mut map = CELLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    map.entry((iam.to_owned(), ak.to_owned()))
        .or_default()
        .clone()
}

async fn domain_id_for(client: &Client, key: &Arc<AkSk>) -> Result<Arc<str>> {
    let cell = domain_cell(&client.config().iam_endpoint, &key.ak);
    let id = cell
        .get_or_try_init(|| async {
            tracing::debug!(ak = %key.ak, "looking up the domain id (GET /v3/auth/domains)");
            let signer = Authorizer::AkSk {
                provider: Arc::new(super::StaticProvider::new((**key).clone())),
                loaded: OnceLock::from(key.clone()),
            };
            let resp = client
                .execute(&KEYSTONE_LIST_AUTH_DOMAINS, &Value::Null, &signer)
                .await
                .map_err(|e| {
                    auth_error(
                        e,
                        "looking up the account's domain id (set domain_id to skip it)",
                    )
                })?;
            let v = resp.json()?;
            let id = v
                .pointer("/domains/0/id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Decode,
                        Dispatch::Responded,
                        "IAM listed no domain for this AK; set domain_id explicitly",
                    )
                })?;
            Ok::<Arc<str>, Error>(Arc::from(id))
        })
        .await?;
    Ok(id.clone())
}
