//! The IAM calls behind credentials: a token by password, a customer token by assume_role, and
//! the account (domain) id of an AK. Each runs under the deadline of the call that needs it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Instant, SystemTime};

use serde_json::{json, Value};

use super::authorizer::Authorizer;
use super::cache::Refreshing;
use super::{AkSk, CachedToken, CustomerDomain, Password};
use crate::client::Client;
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::generated::operations::{
    KEYSTONE_CREATE_AGENCY_TOKEN, KEYSTONE_CREATE_USER_TOKEN_BY_PASSWORD,
    KEYSTONE_LIST_AUTH_DOMAINS,
};
use crate::per_call::PerCall;
use crate::response::Want;
use crate::secret::Secret;

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

pub(crate) async fn password_token(
    client: &Client,
    p: &Password,
    deadline: Instant,
) -> Result<CachedToken> {
    let body = json!({"nocatalog": "true", "auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": p.user, "password": p.password.expose(), "domain": {"name": p.domain_name}}}},
        "scope": {"domain": {"name": p.domain_name}}}});
    tracing::debug!(user = %p.user, domain = %p.domain_name, "fetching an IAM token by password");
    let reply = client
        .execute(
            &KEYSTONE_CREATE_USER_TOKEN_BY_PASSWORD,
            body,
            &Authorizer::Anonymous,
            deadline,
            None,
            Want::Value,
            &PerCall::default(),
        )
        .await
        .map_err(|e| auth_error(e, "getting an IAM token"))?;
    token_from(reply.into_value()?)
}

pub(crate) async fn agency_token(
    client: &Client,
    partner: &Authorizer,
    agency: &str,
    customer: &CustomerDomain,
    deadline: Instant,
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
        %customer,
        "fetching a customer token by assume_role"
    );
    let reply = client
        .execute(
            &KEYSTONE_CREATE_AGENCY_TOKEN,
            body,
            partner,
            deadline,
            None,
            Want::Value,
            &PerCall::default(),
        )
        .await
        .map_err(|e| auth_error(e, "assume_role"))?;
    token_from(reply.into_value()?)
}

/// Domain ids by (IAM endpoint, AK): looked up once per process, never at construction. Each
/// cell is fork-aware (see `cache.rs`): a child forked during a lookup does not wait for it.
fn domain_cell(iam: &str, ak: &str) -> Arc<Refreshing<String>> {
    type Cells = HashMap<(String, String), Arc<Refreshing<String>>>;
    static CELLS: OnceLock<Mutex<Cells>> = OnceLock::new();
    let mut cells = CELLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    cells
        .entry((iam.to_owned(), ak.to_owned()))
        .or_default()
        .clone()
}

pub(crate) async fn domain_id_for(
    client: &Client,
    key: &Arc<AkSk>,
    deadline: Instant,
) -> Result<Arc<str>> {
    let cell = domain_cell(&client.config().iam_endpoint, &key.ak);
    let id = cell
        .get(
            |_| true,
            || async {
                tracing::debug!(ak = %key.ak, "looking up the domain id (GET /v3/auth/domains)");
                let signer = Authorizer::signing(key.clone());
                let reply = client
                    .execute(
                        &KEYSTONE_LIST_AUTH_DOMAINS,
                        Value::Null,
                        &signer,
                        deadline,
                        None,
                        Want::Value,
                        &PerCall::default(),
                    )
                    .await
                    .map_err(|e| {
                        auth_error(
                            e,
                            "looking up the account's domain id (set domain_id to skip it)",
                        )
                    })?;
                reply
                    .into_value()?
                    .pointer("/domains/0/id")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::Decode,
                            Dispatch::Responded,
                            "IAM listed no domain for this AK; set domain_id explicitly",
                        )
                    })
            },
        )
        .await?;
    Ok(Arc::from(id.as_str()))
}
