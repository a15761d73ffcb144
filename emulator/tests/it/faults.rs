//! Each fault kind, and what the core client makes of it.

use std::time::Duration;

use hcpartner::retry::RetryConfig;
use hcpartner::{Client, ErrorKind};
use hcpartner_emulator::{Fault, FaultKind};
use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn delay_times_the_client_out() {
    let emu = start();
    let p = Client::new(
        base(&emu)
            .credentials(aksk(&emu))
            .attempt_timeout(Duration::from_millis(300))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap();
    emu.add_fault(Fault::new("/v2/products/service-types", FaultKind::Delay).delay_ms(1500));
    let e = p.call("list_service_types", json!({})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    // A short delay only slows the call down.
    emu.add_fault(Fault::new("/v2/products/service-types", FaultKind::Delay).delay_ms(100));
    p.call("list_service_types", json!({})).await.unwrap();
}

#[tokio::test]
async fn fail_surfaces_the_code() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(
        Fault::for_op("create_sub_customer", FaultKind::Fail).status(400, "CBC.99000030"),
    );
    let e = p
        .call(
            "create_sub_customer",
            json!({"xaccount_id": "f1", "xaccount_type": "hcp_demo_IDP"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status(), e.kind()),
        (Some("CBC.99000030"), Some(400), ErrorKind::Api)
    );
    assert_eq!(emu.applied("create_sub_customer"), 0);
    // A transient 500 on a read is retried; the retry succeeds.
    emu.add_fault(Fault::new(
        "/v2/partners/sub-customers/query",
        FaultKind::Fail,
    ));
    p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(
        (
            emu.received("list_sub_customers"),
            emu.applied("list_sub_customers")
        ),
        (2, 1)
    );
}

#[tokio::test]
async fn drop_before_on_a_read_is_retried() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(Fault::new(
        "/v2/partners/sub-customers/query",
        FaultKind::DropBefore,
    ));
    let v = p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(v["count"], 2);
    assert_eq!(
        (
            emu.received("list_sub_customers"),
            emu.applied("list_sub_customers")
        ),
        (2, 1)
    );
}

#[tokio::test]
async fn drop_after_on_money_is_outcome_unknown_and_applied_once() {
    let emu = start();
    let p = partner(&emu);
    let a = new_customer(&p, "d-1", None).await;
    let sum = emu.state().funds_total();
    emu.add_fault(Fault::new(
        "/v2/accounts/partner-accounts/adjust-amount",
        FaultKind::DropAfter,
    ));
    let e = p
        .call(
            "update_customer_account_amount",
            json!({"customer_id": a, "amount": num("10.00")}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.attempts(), 1);
    let s = emu.stats();
    assert_eq!(
        (
            s["ops"]["update_customer_account_amount"]["received"].as_u64(),
            s["ops"]["update_customer_account_amount"]["applied"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let st = emu.state();
    assert_eq!(
        st.customers.iter().find(|c| c.id == a).unwrap().balance,
        "10.00".parse::<Decimal>().unwrap(),
        "moved exactly once"
    );
    assert_eq!(st.funds_total(), sum);
}

#[tokio::test]
async fn throttle_is_throttled() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(Fault::for_op(
        "update_customer_account_amount",
        FaultKind::Throttle,
    ));
    let e = p
        .call(
            "update_customer_account_amount",
            json!({"customer_id": SEED_RESALE_ID, "amount": 1}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.status()),
        (ErrorKind::Throttled, Some("APIGW.0308"), Some(429))
    );
    assert_eq!(emu.applied("update_customer_account_amount"), 0);
    // A read is retried after throttling and succeeds.
    emu.add_fault(Fault::for_op("list_service_types", FaultKind::Throttle).times(2));
    p.call("list_service_types", json!({})).await.unwrap();
    assert_eq!(emu.received("list_service_types"), 3);
}

/// The service applies a change it has started even when the caller stops waiting: a `delay`
/// fault on a money call the client gives up on still moves the money, once.
#[tokio::test]
async fn a_delayed_change_is_applied_after_the_client_gives_up() {
    let emu = start();
    let p = Client::new(
        base(&emu)
            .credentials(aksk(&emu))
            .attempt_timeout(Duration::from_millis(200))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap();
    let before = emu.state().partner.balance;
    emu.add_fault(Fault::for_op("update_customer_account_amount", FaultKind::Delay).delay_ms(600));
    let e = p
        .call(
            "update_customer_account_amount",
            json!({"customer_id": SEED_RESALE_ID, "amount": num("7.00")}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(emu.applied("update_customer_account_amount"), 0, "not yet");
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(emu.applied("update_customer_account_amount"), 1);
    assert_eq!(emu.state().partner.balance, before - Decimal::from(7));
    assert_eq!(emu.received("update_customer_account_amount"), 1);
}
