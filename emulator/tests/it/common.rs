//! Shared setup: an in-process emulator and core clients for the partner and its customers.

use std::time::Duration;

use hcpartner::credentials::{AkSk, CustomerDomain, Password};
use hcpartner::operation::Operation;
use hcpartner::retry::RetryConfig;
use hcpartner::{Client, Config, ConfigBuilder, Error};
use hcpartner_emulator::{Emulator, Options};
use serde_json::Value;

pub use hcpartner_emulator::state::seed::{
    PAID_ORDER_ID, PENDING_ORDER_ID, QUOTA_EXPIRED_ID, QUOTA_ID, SEED_CARD_ID, SEED_CONSULTING_ID,
    SEED_CONSULTING_NAME, SEED_CONSULTING_PASSWORD, SEED_FOREIGN_ID, SEED_FREE_RESOURCE_ID,
    SEED_ORG_ID, SEED_RESALE_ID, SEED_RESALE_NAME, SEED_RESELLER_ID, SEED_SERVER_ID,
    SEED_SUB_ACCOUNT_ID,
};

/// A plain HTTP client for the admin API. reqwest is built without a crypto provider of its own
/// (the core hands its clients their TLS configuration), so the tests install rustls' ring.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub fn start() -> Emulator {
    Emulator::start(Options::default()).expect("the emulator starts")
}

pub fn start_with(opts: Options) -> Emulator {
    Emulator::start(opts).expect("the emulator starts")
}

/// An emulator serving the international site.
pub fn start_intl() -> Emulator {
    start_with(Options {
        site: hcpartner::Site::Intl,
        ..Options::default()
    })
}

/// The partner by AK/SK, configured for the international site.
pub fn intl_partner(emu: &Emulator) -> Client {
    let config = base(emu)
        .site(hcpartner::Site::Intl)
        .credentials(aksk(emu))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Fast retries so tests that retry stay quick.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::new(3, Duration::from_millis(10), Duration::from_millis(50))
        .with_throttle_delay(Duration::from_millis(20))
}

pub fn base(emu: &Emulator) -> ConfigBuilder {
    Config::builder()
        .endpoint(emu.url())
        .retry(fast_retry())
        .attempt_timeout(Duration::from_secs(10))
}

pub fn aksk(emu: &Emulator) -> AkSk {
    let c = emu.credentials();
    AkSk::new(c.ak.clone(), c.sk.clone()).with_domain_id(c.domain_id.clone())
}

/// The partner by AK/SK.
pub fn partner(emu: &Emulator) -> Client {
    Client::new(base(emu).credentials(aksk(emu)).build().unwrap()).unwrap()
}

/// The partner by IAM password token.
pub fn partner_password(emu: &Emulator) -> Client {
    let c = emu.credentials();
    let pw = Password::new(
        c.user_name.clone(),
        c.password.clone(),
        c.domain_name.clone(),
    );
    Client::new(base(emu).credentials(pw).build().unwrap()).unwrap()
}

/// A resale customer, reached by the partner through assume_role.
pub fn customer(partner: &Client, emu: &Emulator, id: &str) -> Client {
    partner.for_customer(
        emu.credentials().agency_name.clone(),
        CustomerDomain::Id(id.to_owned()),
    )
}

pub fn op(name: &str) -> &'static Operation {
    hcpartner::generated::find_operation(name).unwrap_or_else(|| panic!("no operation {name}"))
}

/// `name` with its body fields undeclared: the client then sends them exactly as given (the
/// declared ones would be normalized, money as JSON numbers), as a buggy client would.
fn untyped(name: &str) -> &'static Operation {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, &'static Operation>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    cache.entry(name.to_owned()).or_insert_with(|| {
        let o = op(name);
        let params: Vec<hcpartner::operation::Param> = o
            .params
            .iter()
            .filter(|p| p.location != hcpartner::operation::Location::Body)
            .copied()
            .collect();
        Box::leak(Box::new(Operation {
            params: Box::leak(params.into_boxed_slice()),
            ..*o
        }))
    })
}

/// Sends without client-side validation or normalization, so the emulator's own checks answer.
pub async fn raw(client: &Client, name: &str, params: Value) -> Result<Value, Error> {
    client.call_op(untyped(name), params).await
}

/// The error code of a failed call.
pub fn code(r: Result<Value, Error>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => e.code().unwrap_or("<none>").to_owned(),
    }
}

/// An exact decimal as a JSON number (`"10.00"` keeps its two places): how money is sent.
pub fn num(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("{text} is not a number"))
}

pub fn dec(v: &Value) -> rust_decimal::Decimal {
    v.to_string()
        .trim_matches('"')
        .parse()
        .unwrap_or_else(|_| panic!("{v} is not a decimal"))
}

/// A customer that signs in with its own password (user = account name), on `site`.
pub fn password_client(
    emu: &Emulator,
    name: &str,
    password: &str,
    site: hcpartner::Site,
) -> Client {
    let pw = Password::new(name.to_owned(), password.to_owned(), name.to_owned());
    Client::new(base(emu).site(site).credentials(pw).build().unwrap()).unwrap()
}

pub async fn new_customer(client: &Client, xid: &str, cooperation: Option<&str>) -> String {
    let mut p = serde_json::json!({"xaccount_id": xid, "xaccount_type": "hcp_demo_IDP", "domain_name": format!("cust_{xid}")});
    if let Some(c) = cooperation {
        p["cooperation_type"] = c.into();
    }
    let v = client
        .call("create_sub_customer", p)
        .await
        .expect("create_sub_customer");
    v["domain_id"].as_str().unwrap().to_owned()
}
