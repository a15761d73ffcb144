//! `{:?}` of every public type that can hold a secret, and every error text, holds none.

use std::time::{Duration, SystemTime};

use hcpartner::credentials::{
    AkSk, Auth, CachedToken, Chain, CustomerDomain, EnvProvider, MetadataProvider, Password,
    ProfileProvider, StaticProvider, TokenCache,
};
use hcpartner::facade::{ClientOptions, CredentialsSpec, Pager};
use hcpartner::generated::models::{
    KeystoneCreateUserTokenByPasswordRequest, KeystoneValidateTokenResponse,
};
use hcpartner::signer::{sign_at, SigningKey};
use hcpartner::{Client, Config, Secret};
use serde_json::json;

const SECRETS: [&str; 6] = [
    "SK-SECRET-1",
    "TOKEN-SECRET-2",
    "PASSWORD-SECRET-3",
    "TOKEN-SECRET-4",
    "PROXY-SECRET-5",
    "SUBJECT-SECRET-6",
];

fn assert_clean(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{s} leaked in:\n{text}");
    }
}

#[test]
fn debug_of_every_public_type() {
    let key = AkSk::new("AKID", "SK-SECRET-1")
        .with_security_token("TOKEN-SECRET-2")
        .with_domain_id("dom");
    let password = Password::new("admin", "PASSWORD-SECRET-3", "acct");
    let assume = Auth::from(password.clone()).assume_role("agency", CustomerDomain::Id("c".into()));
    let token = Auth::Token(Secret::new("TOKEN-SECRET-4"));
    let config = Config::builder()
        .endpoint("http://127.0.0.1:9")
        .proxy("http://user:PROXY-SECRET-5@127.0.0.1:3128")
        .credentials(key.clone())
        .build()
        .unwrap();
    let builder = Config::builder()
        .proxy("http://user:PROXY-SECRET-5@127.0.0.1:3128")
        .credentials(key.clone());
    let client = Client::new(config.clone()).unwrap();
    let customer = client.for_customer("agency", CustomerDomain::Name("n".into()));
    let cached = CachedToken {
        token: Secret::new("TOKEN-SECRET-4"),
        issued_at: SystemTime::now(),
        expires_at: SystemTime::now() + Duration::from_secs(60),
    };
    let options = ClientOptions::from_value(
        json!({"endpoint": "http://127.0.0.1:9", "proxy": "http://u:PROXY-SECRET-5@p:1",
               "credentials": {"type": "assume_role", "agency_name": "a", "customer_id": "c",
                   "partner": {"type": "password", "user": "u", "password": "PASSWORD-SECRET-3", "domain_name": "d"}}}),
        "test",
    )
    .unwrap();
    let spec: CredentialsSpec = serde_json::from_value(
        json!({"type": "ak_sk", "ak": "A", "sk": "SK-SECRET-1", "security_token": "TOKEN-SECRET-2"}),
    )
    .unwrap();
    let signing = SigningKey {
        ak: "AKID",
        sk: "SK-SECRET-1",
        security_token: Some("TOKEN-SECRET-2"),
        domain_id: None,
    };
    let signed = sign_at(
        "GET",
        "https://h/v2/x",
        &[],
        b"",
        &signing,
        SystemTime::now(),
    )
    .unwrap();
    let body: KeystoneCreateUserTokenByPasswordRequest = serde_json::from_value(json!({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {"name": "u", "password": "PASSWORD-SECRET-3", "domain": {"name": "d"}}}},
        "scope": {"domain": {"name": "d"}}}}))
    .unwrap();
    let validated: KeystoneValidateTokenResponse =
        serde_json::from_value(json!({"token": {}, "X-Subject-Token": "SUBJECT-SECRET-6"}))
            .unwrap();
    let pager = Pager::new(&client, "list_sub_customers", json!({}), false).unwrap();
    let text = format!(
        "{key:?} {password:?} {assume:?} {token:?} {config:?} {builder:?} {client:?} {customer:?} \
         {cached:?} {:?} {options:?} {spec:?} {signing:?} {signed:?} {body:?} {validated:?} \
         {pager:?} {:?} {:?} {:?} {:?} {:?} {} {} {}",
        TokenCache::new(),
        Chain::default(),
        EnvProvider::new(),
        ProfileProvider::new(),
        MetadataProvider::new(),
        StaticProvider::new(key.clone()),
        assume.describe(),
        token.describe(),
        config.auth.describe(),
    );
    assert_clean(&text);
    assert!(text.contains("AKID") && text.contains("agency"), "{text}");
}

#[test]
fn errors_never_echo_a_secret() {
    let mut texts = Vec::new();
    // A password of the wrong type and one too short: the field is named, the value never.
    let c = Client::new(
        Config::builder()
            .endpoint("http://127.0.0.1:9")
            .credentials(AkSk::new("A", "S").with_domain_id("d"))
            .build()
            .unwrap(),
    )
    .unwrap();
    for params in [
        json!({"xaccount_id": "x", "xaccount_type": "t", "password": "SK-SECRET-1"[..7].to_owned()}),
        json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "u", "password": ["PASSWORD-SECRET-3"], "domain": {"name": "d"}}}}, "scope": {"domain": {"name": "d"}}}}),
    ] {
        for op in [
            "create_sub_customer",
            "keystone_create_user_token_by_password",
        ] {
            if let Err(e) = c.prepare(op, params.clone()) {
                texts.push(format!("{e} {e:?} {:?}", e.report()));
            }
        }
    }
    let e = ClientOptions::from_value(
        json!({"credentials": {"type": "ak_sk", "ak": "A", "sk": ["SK-SECRET-1"]}}),
        "test",
    )
    .unwrap_err();
    texts.push(format!("{e} {e:?}"));
    let e = Config::builder()
        .proxy("nonsense://user:PROXY-SECRET-5@")
        .build()
        .unwrap_err();
    texts.push(format!("{e} {e:?}"));
    assert!(texts.len() >= 4, "{texts:?}");
    assert_clean(&texts.join("\n"));
}
