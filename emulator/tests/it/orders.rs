//! Orders and resources, driven by the partner through a resale customer's assume_role token.

use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn order_lifecycle() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);

    let mine = c.call("list_customer_orders", json!({})).await.unwrap();
    assert_eq!(mine["total_count"], 2);
    let by_partner = p
        .call(
            "list_customer_orders",
            json!({"customer_id": SEED_RESALE_ID, "status": 6}),
        )
        .await
        .unwrap();
    assert_eq!(by_partner["order_infos"][0]["order_id"], PENDING_ORDER_ID);
    let e = raw(
        &c,
        "list_customer_orders",
        json!({"customer_id": SEED_CONSULTING_ID}),
    )
    .await;
    assert_eq!(code(e), "CBC.0151");

    let details = p
        .call(
            "show_customer_order_details",
            json!({"order_id": PENDING_ORDER_ID}),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            details["order_info"]["status"].as_i64(),
            details["total_count"].as_i64()
        ),
        (Some(6), Some(1))
    );

    // Pay with the seeded coupon (60.00 left) plus 0-balance cash: 36.00 is covered by the coupon.
    let coupons = c
        .call(
            "list_order_coupons_by_order_id",
            json!({"order_id": PENDING_ORDER_ID}),
        )
        .await
        .unwrap();
    let coupon = coupons["user_coupons"][0]["coupon_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let balance_before = emu
        .state()
        .customers
        .iter()
        .find(|x| x.id == SEED_RESALE_ID)
        .unwrap()
        .balance;
    c.call("pay_orders", json!({"order_id": PENDING_ORDER_ID, "use_coupon": "YES", "use_discount": "NO", "coupon_infos": [{"id": coupon, "type": 300}]}))
        .await
        .unwrap();
    let st = emu.state();
    assert_eq!(
        st.customers
            .iter()
            .find(|x| x.id == SEED_RESALE_ID)
            .unwrap()
            .balance,
        balance_before,
        "the coupon paid it all"
    );
    assert_eq!(
        st.coupons
            .iter()
            .find(|x| x.coupon_id == coupon)
            .unwrap()
            .balance,
        "24.00".parse::<Decimal>().unwrap()
    );
    let paid = p
        .call(
            "show_customer_order_details",
            json!({"order_id": PENDING_ORDER_ID}),
        )
        .await
        .unwrap();
    assert_eq!(paid["order_info"]["status"], 5);
    let again = raw(
        &c,
        "pay_orders",
        json!({"order_id": PENDING_ORDER_ID, "use_coupon": "NO", "use_discount": "NO"}),
    )
    .await;
    assert_eq!(code(again), "CBC.99003106");
    let cancel = raw(
        &c,
        "cancel_customer_order",
        json!({"order_id": PENDING_ORDER_ID}),
    )
    .await;
    assert_eq!(code(cancel), "CBC.99005010");
    // Partner credentials are refused on the customer's payment API.
    let e = raw(
        &p,
        "pay_orders",
        json!({"order_id": PENDING_ORDER_ID, "use_coupon": "NO", "use_discount": "NO"}),
    )
    .await;
    assert_eq!(code(e), "CBC.0151");
    let e = raw(
        &c,
        "pay_orders",
        json!({"order_id": "NOPE", "use_coupon": "NO", "use_discount": "NO"}),
    )
    .await;
    assert_eq!(code(e), "CBC.30000010");
}

#[tokio::test]
async fn resource_lifecycle() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);

    let res = c
        .call(
            "list_pay_per_use_customer_resources",
            json!({"only_main_resource": 1}),
        )
        .await
        .unwrap();
    assert_eq!(
        res["total_count"], 2,
        "the active server and the one awaiting payment: {res}"
    );
    let all = p
        .call(
            "list_pay_per_use_customer_resources",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(all["total_count"], 3);
    let od = p
        .call(
            "list_customer_on_demand_resources",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(od["total_count"], 1);

    c.call(
        "auto_renewal_resources",
        json!({"resource_id": SEED_SERVER_ID}),
    )
    .await
    .unwrap();
    let r = c
        .call(
            "list_pay_per_use_customer_resources",
            json!({"resource_ids": [SEED_SERVER_ID]}),
        )
        .await
        .unwrap();
    assert_eq!(r["data"][0]["expire_policy"], 3);
    c.call(
        "cancel_auto_renewal_resources",
        json!({"resource_id": SEED_SERVER_ID}),
    )
    .await
    .unwrap();
    let e = raw(
        &c,
        "cancel_auto_renewal_resources",
        json!({"resource_id": SEED_SERVER_ID}),
    )
    .await;
    assert_eq!(code(e), "CBC.99003605");
    let e = raw(
        &c,
        "auto_renewal_resources",
        json!({"resource_id": "no-such"}),
    )
    .await;
    assert_eq!(code(e), "CBC.99003012");

    let quote = c
        .call(
            "list_renew_rate_on_period",
            json!({"resource_ids": [SEED_SERVER_ID], "period_type": 2, "period_num": 2}),
        )
        .await
        .unwrap();
    assert_eq!(
        quote["official_website_rating_result"]["official_website_amount"],
        "288.00"
    );

    let expire_before = emu
        .state()
        .resources
        .iter()
        .find(|r| r.resource_id == SEED_SERVER_ID)
        .unwrap()
        .expire_time;
    let renew = c.call("renewal_resources", json!({"resource_ids": [SEED_SERVER_ID, "no-such"], "period_type": 2, "period_num": 1, "is_auto_pay": 1})).await.unwrap();
    assert_eq!(renew["order_ids"].as_array().unwrap().len(), 1);
    assert_eq!(renew["fail_resource_infos"][0]["resource_id"], "no-such");
    let st = emu.state();
    assert_eq!(
        st.resources
            .iter()
            .find(|r| r.resource_id == SEED_SERVER_ID)
            .unwrap()
            .expire_time,
        expire_before + 30 * 86_400
    );
    assert_eq!(
        st.customers
            .iter()
            .find(|x| x.id == SEED_RESALE_ID)
            .unwrap()
            .balance,
        "1856.00".parse::<Decimal>().unwrap()
    );

    let before = emu
        .state()
        .customers
        .iter()
        .find(|x| x.id == SEED_RESALE_ID)
        .unwrap()
        .balance;
    let un = c
        .call(
            "cancel_resources_subscription",
            json!({"resource_ids": [SEED_SERVER_ID], "unsubscribe_type": 1}),
        )
        .await
        .unwrap();
    let refund_order = un["order_ids"][0].as_str().unwrap().to_owned();
    let refund = p
        .call(
            "show_refund_order_details",
            json!({"order_id": refund_order}),
        )
        .await
        .unwrap();
    let amount = dec(&refund["refund_infos"][0]["amount"]);
    assert!(amount > Decimal::ZERO);
    assert_eq!(
        emu.state()
            .customers
            .iter()
            .find(|x| x.id == SEED_RESALE_ID)
            .unwrap()
            .balance,
        before + amount
    );
    let gone = c
        .call(
            "list_pay_per_use_customer_resources",
            json!({"resource_ids": [SEED_SERVER_ID]}),
        )
        .await
        .unwrap();
    assert_eq!(gone["total_count"], 0);

    c.call(
        "set_resources_renew_config",
        json!({"config_name": "AUTO_RENEW_DEFAULT", "config_value": "1"}),
    )
    .await
    .unwrap();
    assert_eq!(
        emu.state().renew_config[SEED_RESALE_ID]["AUTO_RENEW_DEFAULT"],
        "1"
    );
}
