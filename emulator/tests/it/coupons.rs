//! Coupons from quotas: issue (with per-customer failures), list, reclaim, records.

use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn issue_list_reclaim_coupons() {
    let emu = start();
    let p = partner(&emu);
    let a = new_customer(&p, "c-1", None).await;
    let quota_before = dec(&p
        .call("list_quota_coupons", json!({"quota_ids": [QUOTA_ID]}))
        .await
        .unwrap()["quotas"][0]["balance"]);

    let r = p
        .call("create_partner_coupons", json!({"quota_id": QUOTA_ID, "customer_ids": [a, SEED_CONSULTING_ID, SEED_FOREIGN_ID], "face_value": num("50.25"), "cloud_service_types": ["hws.service.type.ec2"], "memo": "spring"}))
        .await
        .unwrap();
    let infos = r["coupon_infos"].as_array().unwrap();
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0]["id"], a.as_str());
    let coupon = infos[0]["coupon_id"].as_str().unwrap().to_owned();
    let errs = r["error_details"].as_array().unwrap();
    let code_for = |id: &str| {
        errs.iter()
            .find(|e| e["id"] == id)
            .map(|e| e["error_code"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        code_for(SEED_CONSULTING_ID).as_deref(),
        Some("CBC.99000014")
    );
    assert_eq!(code_for(SEED_FOREIGN_ID).as_deref(), Some("CBC.99000000"));

    let q = p
        .call("list_quota_coupons", json!({"quota_ids": [QUOTA_ID]}))
        .await
        .unwrap();
    assert_eq!(
        dec(&q["quotas"][0]["balance"]),
        quota_before - "50.25".parse::<Decimal>().unwrap()
    );

    let issued = p
        .call("list_issued_partner_coupons", json!({"customer_id": a}))
        .await
        .unwrap();
    assert_eq!(issued["total_count"], 1);
    let c = &issued["user_coupons"][0];
    assert_eq!(
        (
            c["coupon_id"].as_str(),
            c["status"].as_i64(),
            c["face_value"].to_string()
        ),
        (Some(coupon.as_str()), Some(2), "50.25".to_owned())
    );
    assert_eq!(
        c["use_limits"][0]["use_limiti_info_id"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );

    // The customer sees its own coupons only.
    let mine = customer(&p, &emu, &a)
        .call("list_sub_customer_coupons", json!({}))
        .await
        .unwrap();
    assert_eq!(mine["count"], 1);
    let all = p
        .call("list_sub_customer_coupons", json!({"limit": 100}))
        .await
        .unwrap();
    assert_eq!(all["count"], 2, "the seeded coupon and the new one");

    p.call("reclaim_partner_coupons", json!({"coupon_id": coupon}))
        .await
        .unwrap();
    let again = raw(&p, "reclaim_partner_coupons", json!({"coupon_id": coupon})).await;
    assert_eq!(code(again), "CBC.0100");
    let q = p.call("list_quota_coupons", json!({})).await.unwrap();
    assert_eq!(q["total_count"], 2);
    assert_eq!(dec(&q["quotas"][0]["balance"]), quota_before);
    let reclaimed = p
        .call("list_issued_partner_coupons", json!({"coupon_id": coupon}))
        .await
        .unwrap();
    assert_eq!(reclaimed["user_coupons"][0]["status"], 5);

    let recs = p
        .call("list_partner_coupons_record", json!({"customer_id": a}))
        .await
        .unwrap();
    assert_eq!(recs["total_count"], 2);
    let only_issue = p
        .call(
            "list_partner_coupons_record",
            json!({"operation_types": ["1"]}),
        )
        .await
        .unwrap();
    assert_eq!(only_issue["total_count"], 2, "the seeded issue and ours");
}

#[tokio::test]
async fn coupon_quota_rules() {
    let emu = start();
    let p = partner(&emu);
    let e = raw(
        &p,
        "create_partner_coupons",
        json!({"quota_id": QUOTA_EXPIRED_ID, "customer_ids": [SEED_RESALE_ID], "face_value": 10}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000017");
    let e = raw(
        &p,
        "create_partner_coupons",
        json!({"quota_id": "nope", "customer_ids": [SEED_RESALE_ID], "face_value": 10}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000012");
    let e = raw(
        &p,
        "create_partner_coupons",
        json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": 10001}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000019");
    let e = raw(&p, "create_partner_coupons", json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": 10, "cloud_service_types": ["hws.service.type.nope"]})).await;
    assert_eq!(code(e), "CBC.50000055");
    // A customer token may not issue coupons.
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let e = raw(
        &c,
        "create_partner_coupons",
        json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": 10}),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (e.code(), e.status(), e.kind()),
        (Some("CBC.0151"), Some(403), hcpartner::ErrorKind::Auth)
    );
}

/// The limits that used to live in the emulator come from core/api now: the client refuses a
/// call that breaks one before sending it, and the emulator refuses it with the same rule.
#[tokio::test]
async fn list_limits_come_from_the_description() {
    let emu = start();
    let p = partner(&emu);
    let ids: Vec<String> = (0..101).map(|i| format!("c{i}")).collect();
    let params = json!({"quota_id": QUOTA_ID, "customer_ids": ids, "face_value": 10});
    let e = p
        .call("create_partner_coupons", params.clone())
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (hcpartner::ErrorKind::InvalidArgument, Some("customer_ids"))
    );
    assert_eq!(emu.received("create_partner_coupons"), 0);
    let e = raw(&p, "create_partner_coupons", params).await.unwrap_err();
    assert_eq!(e.code(), Some("CBC.0100"));
    assert!(
        e.message().contains("`customer_ids`") && e.message().contains("100"),
        "{e}"
    );
    let none = raw(
        &p,
        "list_customers_balances_detail",
        json!({"customer_infos": []}),
    )
    .await
    .unwrap_err();
    assert!(none.message().contains("`customer_infos`"), "{none}");
    let e = raw(
        &p,
        "create_partner_coupons",
        json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": num("1.001")}),
    )
    .await
    .unwrap_err();
    assert!(
        e.message().contains("`face_value`") && e.message().contains("2 decimal places"),
        "{e}"
    );
}
