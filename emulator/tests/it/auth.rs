//! Authentication as the service does it: signatures, clock skew, tokens, isolation, routing.

use std::time::Duration;

use hcpartner::credentials::{AkSk, CustomerDomain};
use hcpartner::{Client, ErrorKind};
use hcpartner_emulator::Options;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn bad_signature_is_refused_once() {
    let emu = start();
    let c = emu.credentials();
    let wrong = Client::new(
        base(&emu)
            .credentials(
                AkSk::new(c.ak.clone(), "not-the-secret").with_domain_id(c.domain_id.clone()),
            )
            .build()
            .unwrap(),
    )
    .unwrap();
    let e = wrong
        .call("list_sub_customers", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status()),
        (ErrorKind::Auth, Some("APIGW.0301"), Some(401))
    );
    assert!(e.message().contains("verify aksk signature fail"), "{e}");
    assert!(e.request_id().is_some_and(|id| !id.is_empty()));
    let s = emu.stats();
    assert_eq!(
        (
            s["ops"]["list_sub_customers"]["received"].as_u64(),
            s["ops"]["list_sub_customers"]["refused"].as_u64()
        ),
        (Some(1), Some(1)),
        "never retried: {s}"
    );

    let unknown = Client::new(
        base(&emu)
            .credentials(AkSk::new("UNKNOWNAK", "x").with_domain_id(c.domain_id.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        code(unknown.call("list_sub_customers", json!({})).await),
        "APIGW.0301"
    );
    let other_domain = Client::new(
        base(&emu)
            .credentials(AkSk::new(c.ak.clone(), c.sk.clone()).with_domain_id("0000"))
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        code(other_domain.call("list_sub_customers", json!({})).await),
        "APIGW.0301"
    );
    assert_eq!(emu.applied("list_sub_customers"), 0);
}

#[tokio::test]
async fn domain_id_is_looked_up_when_absent() {
    let emu = start();
    let c = emu.credentials();
    let p = Client::new(
        base(&emu)
            .credentials(AkSk::new(c.ak.clone(), c.sk.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
    p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(emu.applied("keystone_list_auth_domains"), 1);
}

#[tokio::test]
async fn skewed_clock_is_corrected_once() {
    let emu = start();
    emu.set_clock_offset(3600);
    let p = partner(&emu);
    let v = p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(v["count"], 2);
    assert!(
        (p.clock_offset() - 3600).abs() <= 2,
        "learned {}",
        p.clock_offset()
    );
    assert_eq!(
        (
            emu.received("list_sub_customers"),
            emu.applied("list_sub_customers")
        ),
        (2, 1)
    );

    // Without correction the gateway's answer surfaces.
    let strict = Client::new(
        base(&emu)
            .credentials(aksk(&emu))
            .clock_skew_correction(false)
            .build()
            .unwrap(),
    )
    .unwrap();
    let e = strict
        .call("list_sub_customers", json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("APIGW.0301"));
    assert!(e.message().contains("Signature expired"), "{e}");
}

#[tokio::test]
async fn password_and_assume_role_tokens() {
    let emu = start();
    let p = partner_password(&emu);
    let list = p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(list["count"], 2);
    assert_eq!(emu.applied("keystone_create_user_token_by_password"), 1);
    p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(
        emu.received("keystone_create_user_token_by_password"),
        1,
        "the token is cached"
    );

    // assume_role from a password token, by id and by name.
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let bal = c
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap();
    assert_eq!(bal["account_balances"][0]["amount"].to_string(), "2000.00");
    let by_name = p.for_customer(
        emu.credentials().agency_name.clone(),
        CustomerDomain::Name(SEED_RESALE_NAME.to_owned()),
    );
    by_name
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap();
    assert_eq!(emu.applied("keystone_create_agency_token"), 2);

    // A customer token sees that customer only.
    let e = c.call("list_sub_customers", json!({})).await.unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("CBC.0151"), Some(403)));
    let e = raw(
        &c,
        "list_customer_orders",
        json!({"customer_id": SEED_CONSULTING_ID}),
    )
    .await;
    assert_eq!(code(e), "CBC.0151");
    let e = raw(&p, "show_customer_account_balances", json!({})).await;
    assert_eq!(code(e), "CBC.0151");

    // No agency: consulting customers, other partners' customers, wrong agency names.
    for (agency, who) in [
        ("hcp_demo_IDP", SEED_CONSULTING_ID),
        ("hcp_demo_IDP", SEED_FOREIGN_ID),
        ("wrong_agency", SEED_RESALE_ID),
    ] {
        let e = p
            .for_customer(agency, CustomerDomain::Id(who.to_owned()))
            .call("show_customer_account_balances", json!({}))
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.status()),
            (ErrorKind::Auth, Some(404)),
            "{agency} {who}: {e}"
        );
    }

    // Wrong password.
    let c2 = emu.credentials();
    let bad = hcpartner::credentials::Password::new(
        c2.user_name.clone(),
        "wrong",
        c2.domain_name.clone(),
    );
    let e = Client::new(base(&emu).credentials(bad).build().unwrap())
        .unwrap()
        .call("list_sub_customers", json!({}))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Auth, Some(401)));

    // A customer with a password logs in itself.
    let own =
        hcpartner::credentials::Password::new(SEED_RESALE_NAME, "Seed-Passw0rd!", SEED_RESALE_NAME);
    let own = Client::new(base(&emu).credentials(own).build().unwrap()).unwrap();
    own.call("show_real_name_auth_status", json!({}))
        .await
        .unwrap();
}

#[tokio::test]
async fn expired_token_is_refreshed_once() {
    let emu = start_with(Options {
        token_ttl: Duration::from_secs(3600),
        ..Default::default()
    });
    let p = partner_password(&emu);
    p.call("list_sub_customers", json!({})).await.unwrap();
    // The service's clock passes the token's expiry; the client still thinks it is fresh.
    emu.set_clock_offset(2 * 3600);
    p.call("list_sub_customers", json!({})).await.unwrap();
    let s = emu.stats();
    assert_eq!(s["ops"]["list_sub_customers"]["refused"], 1, "{s}");
    assert_eq!(s["ops"]["list_sub_customers"]["applied"], 2);
    assert_eq!(emu.applied("keystone_create_user_token_by_password"), 2);
}

#[tokio::test]
async fn short_tokens_are_renewed_before_expiry() {
    let emu = start_with(Options {
        token_ttl: Duration::from_secs(2),
        ..Default::default()
    });
    let p = partner_password(&emu);
    p.call("list_service_types", json!({})).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    p.call("list_service_types", json!({})).await.unwrap();
    assert_eq!(emu.applied("keystone_create_user_token_by_password"), 2);
    assert_eq!(emu.stats()["ops"]["list_service_types"]["refused"], 0);
}

#[tokio::test]
async fn routing_unknown_paths_and_the_other_sites_operations() {
    let emu = start();
    let p = partner(&emu);
    let nowhere = hcpartner::operation::Operation::raw(
        "nowhere",
        hcpartner::Method::Get,
        "/v2/no/such/api",
        hcpartner::Effect::Read,
    );
    let e = p.call_op(&nowhere, json!({})).await.unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("APIGW.0101"), Some(404)));
    // The China endpoint does not publish the international operations (sent raw: the client
    // would refuse it before sending).
    let e = raw(
        &p,
        "freeze_sub_customers",
        json!({"customer_ids": ["c"], "reason": "r"}),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("APIGW.0101"), Some(404)));
    assert_eq!(emu.stats()["unknown_paths"], 2);
    // Every operation of both sites is modelled.
    let (cn, intl) = (hcpartner::Site::Cn, hcpartner::Site::Intl);
    assert!(hcpartner_emulator::unmodelled_ops(cn).is_empty());
    assert!(hcpartner_emulator::unmodelled_ops(intl).is_empty());
    let mut all: Vec<&str> = hcpartner_emulator::modelled_ops(cn);
    all.extend(hcpartner_emulator::modelled_ops(intl));
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), hcpartner::generated::OPERATIONS.len());
}

/// Temporary AK/SK from IAM sign BSS calls with their security token, as the identity they were
/// issued for.
#[tokio::test]
async fn temporary_access_keys_sign_with_their_security_token() {
    let emu = start();
    let p = partner(&emu);
    let agency = emu.credentials().agency_name.clone();
    let k = p
        .call("create_temporary_access_key_by_agency", json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": {"agency_name": agency, "domain_id": SEED_RESALE_ID, "duration_seconds": 900}}}}))
        .await
        .unwrap();
    let cred = &k["credential"];
    let (ak, sk, token) = (
        cred["access"].as_str().unwrap().to_owned(),
        cred["secret"].as_str().unwrap().to_owned(),
        cred["securitytoken"].as_str().unwrap().to_owned(),
    );
    let keyed = |with_token: bool| {
        let mut c = AkSk::new(ak.clone(), sk.clone()).with_domain_id(SEED_RESALE_ID);
        if with_token {
            c = c.with_security_token(token.clone());
        }
        Client::new(base(&emu).credentials(c).build().unwrap()).unwrap()
    };
    // The key acts as the resale customer: a customer API answers with its balance.
    let bal = keyed(true)
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap();
    assert_eq!(bal["account_balances"][0]["amount"].to_string(), "2000.00");
    let e = keyed(true)
        .call("list_sub_customers", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some("CBC.0151"),
        "a customer's key on a partner API: {e}"
    );
    let e = keyed(false)
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some("APIGW.0301"),
        "without its security token: {e}"
    );
    // By token: the partner's own identity.
    let c = emu.credentials().clone();
    let t = p
        .call("keystone_create_user_token_by_password", json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"domain": {"name": c.domain_name}, "name": c.user_name, "password": c.password}}}, "scope": {"domain": {"name": c.domain_name}}}}))
        .await
        .unwrap();
    let k = p
        .call("create_temporary_access_key_by_token", json!({"auth": {"identity": {"methods": ["token"], "token": {"id": t["X-Subject-Token"]}}}}))
        .await
        .unwrap();
    let cred = &k["credential"];
    let partner_key = AkSk::new(
        cred["access"].as_str().unwrap(),
        cred["secret"].as_str().unwrap(),
    )
    .with_security_token(cred["securitytoken"].as_str().unwrap())
    .with_domain_id(c.domain_id.clone());
    let pk = Client::new(base(&emu).credentials(partner_key).build().unwrap()).unwrap();
    pk.call("list_sub_customers", json!({})).await.unwrap();
    // An expired key is refused.
    emu.set_clock_offset(901);
    let e = keyed(true)
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("APIGW.0301"), "{e}");
    assert!(
        e.message().contains("temporary access key has expired"),
        "{e}"
    );
}
