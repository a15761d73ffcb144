//! Turning an [`Auth`] into request headers: AK/SK signatures (keys from their provider, asked
//! again before temporary keys expire; the domain id looked up once per AK), or IAM tokens
//! fetched by password or assume_role and cached.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;

use super::cache::Refreshing;
use super::iam::{agency_token, domain_id_for, password_token};
use super::{AkSk, Auth, CachedToken, CustomerDomain, Password, ProvideCredentials, TokenCache};
use crate::client::Client;
use crate::error::Result;
use crate::operation::Service;
use crate::secret::Secret;
use crate::signer::{self, SigningKey};
use crate::transport::Outgoing;

/// Temporary keys that carry no expiry (environment, profile file) are read again this often.
const REREAD_TEMPORARY: Duration = Duration::from_secs(5 * 60);

/// Keys from a provider and when to ask it again.
#[derive(Debug)]
pub(crate) struct Loaded {
    key: Arc<AkSk>,
    refresh_at: Option<SystemTime>,
}

impl Loaded {
    fn new(key: AkSk, margin: Duration) -> Loaded {
        let now = SystemTime::now();
        let refresh_at = match (key.expires_at, &key.security_token) {
            (Some(at), _) => {
                let life = at.duration_since(now).unwrap_or_default();
                Some(at - margin.min(life / 2))
            }
            (None, Some(_)) => Some(now + REREAD_TEMPORARY),
            (None, None) => None,
        };
        Loaded {
            key: Arc::new(key),
            refresh_at,
        }
    }
    fn fresh(&self) -> bool {
        self.refresh_at.is_none_or(|at| SystemTime::now() < at)
    }
}

/// Authentication state of a client: cached provider output, tokens, domain id.
pub(crate) enum Authorizer {
    /// No credentials (the password token call itself).
    Anonymous,
    AkSk {
        provider: Arc<dyn ProvideCredentials>,
        keys: Refreshing<Loaded>,
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
                keys: Refreshing::default(),
            },
            Auth::Password(p) => Authorizer::Password {
                password: p.clone(),
                cache: TokenCache::new(),
            },
            Auth::AssumeRole(a) => Authorizer::assume_role(
                Arc::new(Authorizer::new(&a.partner)),
                a.agency_name.clone(),
                a.customer.clone(),
            ),
            Auth::Token(t) => Authorizer::Token(Arc::new(CachedToken {
                token: t.clone(),
                issued_at: SystemTime::now(),
                expires_at: SystemTime::now() + Duration::from_secs(24 * 3600),
            })),
        }
    }

    pub fn assume_role(
        partner: Arc<Authorizer>,
        agency_name: String,
        customer: CustomerDomain,
    ) -> Authorizer {
        Authorizer::AssumeRole {
            partner,
            agency_name,
            customer,
            cache: TokenCache::new(),
        }
    }

    /// Signs with fixed keys (the domain-id lookup of those keys).
    pub fn signing(key: Arc<AkSk>) -> Authorizer {
        let keys = Refreshing::default();
        let provider = Arc::new(super::StaticProvider::new((*key).clone()));
        Authorizer::AkSk { provider, keys }
    }

    /// The credentials for one attempt against `service`; fetches keys, tokens or the domain id
    /// when needed, within `deadline`.
    pub fn authorize<'a>(
        &'a self,
        client: &'a Client,
        service: Service,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Applied>> {
        Box::pin(async move {
            let margin = client.config().token_refresh_margin;
            match self {
                Authorizer::Anonymous => Ok(Applied::None),
                Authorizer::Token(t) => Ok(Applied::Token(t.clone())),
                Authorizer::AkSk { provider, keys } => {
                    let loaded = keys
                        .get(Loaded::fresh, || async {
                            Ok(Loaded::new(provider.provide().await?, margin))
                        })
                        .await?;
                    let key = loaded.key.clone();
                    let domain_id = match (&key.domain_id, service) {
                        (Some(d), _) => Some(Arc::from(d.as_str())),
                        (None, Service::Bss) => Some(domain_id_for(client, &key, deadline).await?),
                        (None, Service::Iam) => None,
                    };
                    Ok(Applied::Sign { key, domain_id })
                }
                Authorizer::Password { password, cache } => {
                    let t = cache
                        .get(margin, || password_token(client, password, deadline))
                        .await?;
                    Ok(Applied::Token(t))
                }
                Authorizer::AssumeRole {
                    partner,
                    agency_name,
                    customer,
                    cache,
                } => {
                    let t = cache
                        .get(margin, || {
                            agency_token(client, partner, agency_name, customer, deadline)
                        })
                        .await?;
                    Ok(Applied::Token(t))
                }
            }
        })
    }

    /// Drops credentials the service rejected as expired so the next attempt fetches new ones.
    pub fn invalidate(&self, applied: &Applied) {
        match (self, applied) {
            (
                Authorizer::Password { cache, .. } | Authorizer::AssumeRole { cache, .. },
                Applied::Token(t),
            ) => cache.invalidate(t),
            (Authorizer::AkSk { keys, .. }, Applied::Sign { key, .. }) => {
                keys.invalidate(|l| Arc::ptr_eq(&l.key, key))
            }
            _ => {}
        }
    }

    /// Whether credentials rejected as expired can be replaced by fetching new ones: tokens we
    /// fetch, and temporary keys (with a security token) from a provider.
    pub fn can_refresh(&self, applied: &Applied) -> bool {
        match (self, applied) {
            (Authorizer::Password { .. } | Authorizer::AssumeRole { .. }, Applied::Token(_)) => {
                true
            }
            (Authorizer::AkSk { .. }, Applied::Sign { key, .. }) => key.security_token.is_some(),
            _ => false,
        }
    }
}
