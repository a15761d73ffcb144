//! Who the caller is: AK/SK (optionally temporary, with a security token), an IAM password token,
//! or a customer's token obtained by assume_role. Plus the providers that find AK/SK in the
//! environment or the official profile file, and a chain that tries them in order.

mod authorizer;
mod cache;
mod iam;
mod metadata;
mod provider;
mod token;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

pub(crate) use authorizer::Authorizer;
pub use metadata::{MetadataProvider, ENV_METADATA_ENDPOINT};
pub use provider::{
    Chain, EnvProvider, ProfileProvider, ProvideCredentials, StaticProvider, ENV_METADATA_DISABLED,
};
pub use token::{CachedToken, TokenCache};

use crate::secret::Secret;

/// An access key pair, as Huawei Cloud issues them. `Debug` never shows `sk` or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AkSk {
    pub ak: String,
    pub sk: Secret,
    /// Present for temporary credentials; sent (and signed) as `X-Security-Token`.
    pub security_token: Option<Secret>,
    /// The account id global services (BSS) need, sent as `X-Domain-Id`. Looked up on the first
    /// call when absent.
    pub domain_id: Option<String>,
    /// When temporary keys stop working (the metadata service says); asked for again before.
    pub expires_at: Option<SystemTime>,
}

impl AkSk {
    pub fn new(ak: impl Into<String>, sk: impl Into<Secret>) -> AkSk {
        AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
            domain_id: None,
            expires_at: None,
        }
    }
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> AkSk {
        self.security_token = Some(token.into());
        self
    }
    pub fn with_domain_id(mut self, domain_id: impl Into<String>) -> AkSk {
        self.domain_id = Some(domain_id.into());
        self
    }
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .field("domain_id", &self.domain_id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// IAM user credentials for a token (`POST /v3/auth/tokens`, password method, domain scope).
#[derive(Clone, PartialEq, Eq)]
pub struct Password {
    /// The IAM user name (for the account's own admin user, the account name).
    pub user: String,
    pub password: Secret,
    /// The account (domain) name the user belongs to; also the token's scope.
    pub domain_name: String,
}

impl Password {
    pub fn new(
        user: impl Into<String>,
        password: impl Into<Secret>,
        domain_name: impl Into<String>,
    ) -> Password {
        Password {
            user: user.into(),
            password: password.into(),
            domain_name: domain_name.into(),
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Password")
            .field("user", &self.user)
            .field("password", &self.password)
            .field("domain_name", &self.domain_name)
            .finish()
    }
}

/// Which customer to act for through assume_role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerDomain {
    /// The customer's account id (`customer_id` in list_sub_customers); IAM recommends this.
    Id(String),
    /// The customer's account name.
    Name(String),
}

/// In words, as reprs and messages show it: `customer id "0970…"`.
impl fmt::Display for CustomerDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerDomain::Id(id) => write!(f, "customer id {id:?}"),
            CustomerDomain::Name(n) => write!(f, "customer name {n:?}"),
        }
    }
}

/// A customer token by assume_role: the partner (authenticated by `partner`) assumes the agency
/// `agency_name` that the customer created for it.
#[derive(Debug, Clone)]
pub struct AssumeRole {
    pub partner: Box<Auth>,
    pub agency_name: String,
    pub customer: CustomerDomain,
}

/// How a client authenticates.
#[derive(Clone)]
pub enum Auth {
    /// AK/SK signing; the provider is asked once per client (its result is cached).
    AkSk(Arc<dyn ProvideCredentials>),
    /// An IAM token by password, cached and refreshed before expiry.
    Password(Password),
    /// A customer's token by assume_role.
    AssumeRole(AssumeRole),
    /// A token obtained elsewhere; used as is until the service rejects it.
    Token(Secret),
}

impl Auth {
    pub fn provider(p: impl ProvideCredentials + 'static) -> Auth {
        Auth::AkSk(Arc::new(p))
    }
    /// A customer token through an agency, with `self` as the partner's credentials.
    pub fn assume_role(self, agency_name: impl Into<String>, customer: CustomerDomain) -> Auth {
        Auth::AssumeRole(AssumeRole {
            partner: Box::new(self),
            agency_name: agency_name.into(),
            customer,
        })
    }
    /// A short description for logs (never a secret).
    pub fn describe(&self) -> String {
        match self {
            Auth::AkSk(p) => format!("AK/SK from {}", p.name()),
            Auth::Password(p) => format!(
                "IAM password token for user {} in {}",
                p.user, p.domain_name
            ),
            Auth::AssumeRole(a) => {
                format!(
                    "assume_role {} for {} by {}",
                    a.agency_name,
                    a.customer,
                    a.partner.describe()
                )
            }
            Auth::Token(_) => "a caller-supplied token".to_owned(),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::AkSk(p) => f.debug_tuple("AkSk").field(p).finish(),
            Auth::Password(p) => f.debug_tuple("Password").field(p).finish(),
            Auth::AssumeRole(a) => f.debug_tuple("AssumeRole").field(a).finish(),
            Auth::Token(t) => f.debug_tuple("Token").field(t).finish(),
        }
    }
}

impl From<AkSk> for Auth {
    fn from(c: AkSk) -> Auth {
        Auth::provider(StaticProvider::new(c))
    }
}

impl From<Password> for Auth {
    fn from(p: Password) -> Auth {
        Auth::Password(p)
    }
}

impl From<AssumeRole> for Auth {
    fn from(a: AssumeRole) -> Auth {
        Auth::AssumeRole(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = AkSk::new("AKID", "SK-SECRET-1")
            .with_security_token("TOKEN-SECRET-2")
            .with_domain_id("dom");
        let p = Password::new("user", "PASSWORD-SECRET-3", "acct");
        let a = Auth::from(p.clone()).assume_role("agency", CustomerDomain::Id("cust".into()));
        let t = Auth::Token(Secret::new("TOKEN-SECRET-4"));
        let all = format!(
            "{c:?} {p:?} {a:?} {t:?} {:?} {}",
            Auth::from(c.clone()),
            a.describe()
        );
        for s in [
            "SK-SECRET-1",
            "TOKEN-SECRET-2",
            "PASSWORD-SECRET-3",
            "TOKEN-SECRET-4",
        ] {
            assert!(!all.contains(s), "{s} leaked in {all}");
        }
        assert!(all.contains("AKID") && all.contains("agency"));
    }
}
