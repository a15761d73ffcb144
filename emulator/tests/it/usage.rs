//! A customer's own views through the Rust face: cost analysis, fee records, bandwidth usage,
//! resource packages, stored-value cards, change records; specs by marker; the real-name QR code;
//! and changing yearly/monthly resources to pay-per-use.

use futures::TryStreamExt;
use hcpartner::Site;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::common::*;

fn last_cycle() -> String {
    hcpartner_emulator::util::bill_cycle(
        hcpartner_emulator::util::epoch(std::time::SystemTime::now()),
        1,
    )
}

#[tokio::test]
async fn costs_and_fee_records_agree_with_the_bills() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let cycle = last_cycle();
    let bills: Vec<_> = emu
        .state()
        .bills
        .into_iter()
        .filter(|b| b.customer_id == SEED_RESALE_ID && b.bill_cycle == cycle)
        .collect();
    let paid: Decimal = bills.iter().map(|b| b.payment_amount()).sum();
    let costs = c
        .call("list_costs", json!({"time_condition": {"time_measure_id": 2, "begin_time": cycle, "end_time": cycle}, "groupby": [{"type": "dimension", "key": "CLOUD_SERVICE_TYPE"}], "cost_type": "ORIGINAL_COST", "amount_type": "PAYMENT_AMOUNT"}))
        .await
        .unwrap();
    let by_service: Decimal = costs["cost_data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["amount_by_costs"]
                .as_str()
                .unwrap()
                .parse::<Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(by_service, paid);
    assert_eq!(costs["total_count"], 3, "three services");
    let records = c
        .call(
            "list_customerself_resource_records",
            json!({"cycle": cycle, "charge_mode": "3"}),
        )
        .await
        .unwrap();
    assert_eq!(
        records["total_count"], 2,
        "disk and bandwidth are pay-per-use"
    );
    let details = c
        .call(
            "list_customerself_resource_record_details",
            json!({"cycle": cycle}),
        )
        .await
        .unwrap();
    let consumed: Decimal = details["monthly_records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| dec(&r["consume_amount"]))
        .sum();
    assert_eq!(consumed, paid);
    assert!(
        details["monthly_records"][0]
            .get("resource_Type_code")
            .is_some(),
        "the official odd wire name"
    );
    let breakdown = c
        .call(
            "list_customer_bills_monthly_break_down",
            json!({"shared_month": cycle, "charging_mode": 1}),
        )
        .await
        .unwrap();
    assert_eq!(breakdown["total_count"], 1);
    let usage = c
        .call("list_resource_usage", json!({"bill_cycle": cycle, "service_type_code": "hws.service.type.vpc", "resource_type_code": "hws.resource.type.bandwidth", "usage_type": "upflow", "resource_id": "bw-seed-01", "limit": 5}))
        .await
        .unwrap();
    assert_eq!(usage["band_width"], "5");
    assert_eq!(usage["usage_info_list"].as_array().unwrap().len(), 5);
    assert_eq!(
        usage["total_count"].as_u64(),
        usage["actual_days"].as_str().and_then(|d| d.parse().ok())
    );
    let e = raw(&c, "list_resource_usage_summary", json!({"bill_cycle": cycle, "service_type_code": "hws.service.type.ec2", "resource_type_code": "hws.resource.type.vm", "usage_type": "duration"})).await;
    assert_eq!(code(e), "CBC.0100");
}

#[tokio::test]
async fn packages_cards_and_change_records() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let pk = c
        .call(
            "list_free_resource_infos",
            json!({"service_type_code_list": ["hws.service.type.obs"]}),
        )
        .await
        .unwrap();
    assert_eq!(
        pk["free_resource_packages"][0]["free_resources"][0]["amount"],
        "62.5"
    );
    let u = c
        .call(
            "list_free_resource_usages",
            json!({"free_resource_ids": [SEED_FREE_RESOURCE_ID, "other"]}),
        )
        .await
        .unwrap();
    assert_eq!(u["free_resources"].as_array().unwrap().len(), 1);
    let recs = c.call("list_free_resources_usage_records", json!({"deduct_time_begin": "2000-01-01T00:00:00Z", "deduct_time_end": "2100-01-01T00:00:00Z"})).await.unwrap();
    assert_eq!(recs["total_count"], 2);
    assert_eq!(
        recs["free_resource_records"][0]["remaining_amount"], "62.5",
        "newest first"
    );
    let none = c.call("list_free_resources_usage_records", json!({"deduct_time_begin": "2000-01-01T00:00:00Z", "deduct_time_end": "2000-01-02T00:00:00Z"})).await.unwrap();
    assert_eq!(none["total_count"], 0);
    let cards = c
        .call("list_stored_value_cards", json!({"status": 1}))
        .await
        .unwrap();
    assert_eq!(cards["stored_value_cards"][0]["card_id"], SEED_CARD_ID);
    assert_eq!(cards["stored_value_cards"][0]["balance"], "150.00");
    let used_up = c
        .call("list_stored_value_cards", json!({"status": 2}))
        .await
        .unwrap();
    assert_eq!(used_up["total_count"], 0);
    let coupons = c
        .call(
            "list_customer_coupon_change_records",
            json!({"balance_type": "BALANCE_TYPE_COUPON", "revenue_expense_type": "REVENUE"}),
        )
        .await
        .unwrap();
    assert_eq!(coupons["records"][0]["coupon_id"], "CP-SEED-0001");
    // A resale customer's cash account is the partner's: the service refuses its records.
    let e = raw(
        &c,
        "list_customer_account_change_records",
        json!({"balance_type": "BALANCE_TYPE_DEBIT"}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000084");
    let referral = password_client(
        &emu,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Cn,
    );
    let r = referral
        .call(
            "list_customer_account_change_records",
            json!({"balance_type": "BALANCE_TYPE_DEBIT", "limit": 100}),
        )
        .await
        .unwrap();
    let items = r["records"].as_array().unwrap();
    assert_eq!(items.len(), r["total_count"].as_u64().unwrap() as usize);
    // Balances chain: each older balance is the newer one plus what the newer payment took.
    for pair in items.windows(2) {
        let num = |v: &Value| v.as_str().unwrap().parse::<Decimal>().unwrap();
        assert_eq!(
            num(&pair[1]["balance_after_change"]),
            num(&pair[0]["balance_after_change"]) - num(&pair[0]["change_amount"])
        );
    }
}

#[tokio::test]
async fn specs_page_by_marker_through_the_paginator() {
    let emu = start();
    let p = partner(&emu);
    let params = json!({"cloud_service_type": "hws.service.type.ebs", "resource_type": "hws.resource.type.volume", "region_code": "cn-north-4", "charge_mode": "1", "limit": 1});
    let all: Vec<Value> = p
        .paginate("list_resource_specs", params)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let codes: Vec<&str> = all
        .iter()
        .map(|s| s["resource_spec"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SATA", "SSD"]);
    let e = raw(&p, "list_resource_specs", json!({"cloud_service_type": "x", "resource_type": "y", "region_code": "cn-north-4", "charge_mode": "1", "marker": "not-a-marker"})).await;
    assert_eq!(code(e), "CBC.0100");
}

#[tokio::test]
async fn the_real_name_qr_code_leads_to_the_review() {
    let emu = start();
    let p = partner(&emu);
    p.call("create_sub_customer", json!({"xaccount_id": "qr-1", "xaccount_type": "hcp_demo_IDP", "domain_name": "qr_customer_1", "password": "Qr-Passw0rd!"}))
        .await
        .unwrap();
    let c = password_client(&emu, "qr_customer_1", "Qr-Passw0rd!", Site::Cn);
    let qr = c
        .call("show_real_name_auth_qr_code", json!({}))
        .await
        .unwrap();
    let url = qr["qr_code_url"].as_str().unwrap();
    assert!(url.starts_with(emu.url()), "{url}");
    let page: Value = http().get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["verified_status"], -1);
    // A verified customer has none.
    let seeded = customer(&p, &emu, SEED_RESALE_ID);
    assert_eq!(
        code(raw(&seeded, "show_real_name_auth_qr_code", json!({})).await),
        "CBC.99007188"
    );
}

#[tokio::test]
async fn yearly_monthly_resources_change_to_pay_per_use() {
    let emu = start();
    let p = partner(&emu);
    let c = customer(&p, &emu, SEED_RESALE_ID);
    let policy = |emu: &hcpartner_emulator::Emulator, id: &str| {
        emu.state()
            .resources
            .into_iter()
            .find(|r| r.resource_id == id)
            .unwrap()
    };
    let r = c
        .call(
            "update_period_to_on_demand",
            json!({"operation": "SET_UP", "resource_ids": [SEED_SERVER_ID, "no-such"]}),
        )
        .await
        .unwrap();
    assert_eq!(r["error_details"][0]["id"], "no-such");
    assert_eq!(policy(&emu, SEED_SERVER_ID).expire_policy, 1);
    assert_eq!(
        policy(&emu, "evs-seed-data01").expire_policy,
        1,
        "with the disk of the same order"
    );
    c.call(
        "update_period_to_on_demand",
        json!({"operation": "CANCEL", "resource_ids": [SEED_SERVER_ID]}),
    )
    .await
    .unwrap();
    assert_eq!(policy(&emu, SEED_SERVER_ID).expire_policy, 0);
    let before = emu
        .state()
        .customers
        .into_iter()
        .find(|c| c.id == SEED_RESALE_ID)
        .unwrap()
        .balance;
    let now = c
        .call(
            "update_period_to_on_demand_instantly",
            json!({"resource_ids": [SEED_SERVER_ID]}),
        )
        .await
        .unwrap();
    let result = &now["to_ondemand_service_results"][0];
    assert_eq!(result["result"], "SUCCESS");
    let server = policy(&emu, SEED_SERVER_ID);
    assert_eq!(server.charging, "on_demand");
    let after = emu
        .state()
        .customers
        .into_iter()
        .find(|c| c.id == SEED_RESALE_ID)
        .unwrap()
        .balance;
    let order = c
        .call(
            "show_customer_order_details",
            json!({"order_id": result["order_id"]}),
        )
        .await
        .unwrap();
    assert_eq!(
        after - before,
        dec(&order["order_info"]["amount_after_discount"]),
        "the unused days come back"
    );
    assert!(after > before);
    let again = c
        .call(
            "update_period_to_on_demand_instantly",
            json!({"resource_ids": [SEED_SERVER_ID]}),
        )
        .await
        .unwrap();
    assert_eq!(
        again["to_ondemand_service_results"][0]["result"], "FAIL",
        "it is no longer yearly/monthly"
    );
}
