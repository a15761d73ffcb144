//! The international site through the Rust face: its own operations against an emulator
//! started for it, the client's site checks before anything is sent (the emulator's counters
//! prove nothing arrived), and what each emulator answers when a call for the other site reaches
//! it anyway.

use futures::TryStreamExt;
use hcpartner::{ErrorKind, Site};
use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn budgets_are_set_shown_listed_and_recorded() {
    let emu = start_intl();
    let p = intl_partner(&emu);
    let b = p
        .call(
            "show_sub_customer_budget",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(
        (dec(&b["budget_amount"]), dec(&b["used_amount"])),
        (d("1000.00"), d("120.50"))
    );
    assert_eq!(b["currency"], "USD");
    p.call("update_sub_customer_budget", json!({"customer_id": SEED_RESALE_ID, "budget_amount": num("1500.00"), "budget_type": "MONTHLY"}))
        .await
        .unwrap();
    let all = p
        .call(
            "list_sub_customer_budget",
            json!({"customer_ids": [SEED_RESALE_ID, SEED_CONSULTING_ID, SEED_FOREIGN_ID]}),
        )
        .await
        .unwrap();
    // Only this partner's resale customers come back.
    assert_eq!(all["budget_infos"].as_array().unwrap().len(), 1);
    assert_eq!(dec(&all["budget_infos"][0]["budget_amount"]), d("1500.00"));
    let recs = p
        .call(
            "list_sub_customer_budget_records",
            json!({"customer_id": SEED_RESALE_ID, "limit": 1}),
        )
        .await
        .unwrap();
    assert_eq!(recs["total_count"], 2);
    assert_eq!(dec(&recs["record_list"][0]["budget_amount"]), d("1500.00"));
    // The budget is a target, not a transfer: setting it again leaves it where it is.
    p.call(
        "update_sub_customer_budget",
        json!({"customer_id": SEED_RESALE_ID, "budget_amount": num("1500.00")}),
    )
    .await
    .unwrap();
    let b = p
        .call(
            "show_sub_customer_budget",
            json!({"customer_id": SEED_RESALE_ID}),
        )
        .await
        .unwrap();
    assert_eq!(dec(&b["budget_amount"]), d("1500.00"));
    let consulting = raw(
        &p,
        "update_sub_customer_budget",
        json!({"customer_id": SEED_CONSULTING_ID, "budget_amount": 10}),
    )
    .await;
    assert_eq!(code(consulting), "CBC.5024");
}

#[tokio::test]
async fn customers_are_frozen_and_unfrozen_with_per_customer_errors() {
    let emu = start_intl();
    let p = intl_partner(&emu);
    let r = p
        .call("freeze_sub_customers", json!({"customer_ids": [SEED_RESALE_ID, SEED_CONSULTING_ID, SEED_FOREIGN_ID], "reason": "overdue", "freeze_type": "ACCOUNT_AND_RESOURCE"}))
        .await
        .unwrap();
    let codes: Vec<&str> = r["error_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["error_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CBC.5024", "CBC.99000000"]);
    let c = emu
        .state()
        .customers
        .into_iter()
        .find(|c| c.id == SEED_RESALE_ID)
        .unwrap();
    assert_eq!(c.is_frozen, 1);
    assert!(emu
        .state()
        .resources
        .iter()
        .any(|r| r.customer_id == SEED_RESALE_ID && r.status == 4));
    let wrong = p
        .call(
            "unfreeze_sub_customers",
            json!({"customer_ids": [SEED_RESALE_ID], "reason": "paid", "unfreeze_type": "ACCOUNT"}),
        )
        .await
        .unwrap();
    assert_eq!(
        wrong["error_details"][0]["error_code"], "CBC.0100",
        "the unfreeze type must be the freeze type"
    );
    p.call("unfreeze_sub_customers", json!({"customer_ids": [SEED_RESALE_ID], "reason": "paid", "unfreeze_type": "ACCOUNT_AND_RESOURCE"}))
        .await
        .unwrap();
    let c = emu
        .state()
        .customers
        .into_iter()
        .find(|c| c.id == SEED_RESALE_ID)
        .unwrap();
    assert_eq!(c.is_frozen, 0);
    assert!(!emu.state().resources.iter().any(|r| r.status == 4));
}

#[tokio::test]
async fn the_partners_credit_bill_and_invoices() {
    let emu = start_intl();
    let p = intl_partner(&emu);
    let now = hcpartner_emulator::util::epoch(std::time::SystemTime::now());
    let cycle = hcpartner_emulator::util::bill_cycle(now, 1);
    let bill = p
        .call("list_postpaid_bill_sum", json!({"bill_cycle": cycle}))
        .await
        .unwrap();
    let consumed: Decimal = emu
        .state()
        .bills
        .iter()
        .filter(|b| b.bill_cycle == cycle && b.customer_id == SEED_RESALE_ID)
        .map(|b| b.payment_amount())
        .sum();
    assert_eq!(dec(&bill["consume_amount"]), consumed);
    let q = p
        .call("show_partner_consumption_quota", json!({}))
        .await
        .unwrap();
    let used: Decimal = q["used_consumption_quota"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(used, consumed - d("100000.00"), "due + unbilled - balance");
    assert_eq!(q["consumption_quota"], "10000.00");
    let domain = emu.credentials().domain_id.clone();
    let window = json!({"domain_id": domain, "start_time": "2000-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z", "offset": 2, "limit": 1});
    let page = p.call("list_invoices", window.clone()).await.unwrap();
    assert_eq!(page["count"], 2);
    assert_eq!(
        page["invoices"][0]["requestId"], "INV-SEED-0002",
        "page 2 holds the older one"
    );
    let mut other = window;
    other["domain_id"] = json!("someone-else");
    assert_eq!(code(raw(&p, "list_invoices", other).await), "CBC.0151");
}

#[tokio::test]
async fn spec_prices_page_by_marker() {
    let emu = start_intl();
    let p = intl_partner(&emu);
    let first = p
        .call(
            "list_resource_specs_price",
            json!({"region_code": "ap-southeast-1", "need_price": true, "limit": 2}),
        )
        .await
        .unwrap();
    assert_eq!(first["resource_spec_infos"].as_array().unwrap().len(), 2);
    assert_eq!(first["page_info"]["next_marker"], "2");
    assert_eq!(
        first["resource_spec_infos"][0]["price_lists"][0]["currency"],
        "USD"
    );
    let all: Vec<serde_json::Value> = p
        .paginate(
            "list_resource_specs_price",
            json!({"region_code": "ap-southeast-1", "limit": 2}),
        )
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), hcpartner_emulator::state::catalog::SPECS.len());
    assert!(
        all.iter().all(|s| s.get("price_lists").is_none()),
        "prices only when asked"
    );
}

#[tokio::test]
async fn the_client_refuses_the_other_sites_operations_and_fields_before_sending() {
    let cn = start();
    let intl = start_intl();
    let (pc, pi) = (partner(&cn), intl_partner(&intl));
    let before = (cn.stats(), intl.stats());
    let e = pc
        .call(
            "freeze_sub_customers",
            json!({"customer_ids": [SEED_RESALE_ID], "reason": "r"}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidArgument, Some("operation"))
    );
    assert!(e.message().contains("international"), "{e}");
    let e = pi
        .call(
            "update_customer_account_amount",
            json!({"customer_id": SEED_RESALE_ID, "amount": 1}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidArgument, Some("operation"))
    );
    let e = pi
        .call("create_sub_customer", json!({"xaccount_id": "x1", "xaccount_type": "hcp_demo_IDP", "domain_area": "SG", "cooperation_type": "1"}))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("cooperation_type"));
    assert!(e.message().contains("China (cn)"), "{e}");
    let e = pi
        .call(
            "create_sub_customer",
            json!({"xaccount_id": "x1", "xaccount_type": "hcp_demo_IDP"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("domain_area"));
    let e = pc
        .call(
            "send_verification_message_code",
            json!({"receiver_type": 1}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("mobile_phone"));
    let e = pc
        .call(
            "create_sub_customer",
            json!({"xaccount_id": "x1", "xaccount_type": "hcp_demo_IDP", "email": "a@b.c"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("email"));
    // The typed path checks the same.
    let req = hcpartner::generated::models::FreezeSubCustomersRequest {
        customer_ids: vec![SEED_RESALE_ID.into()],
        reason: "r".into(),
        ..Default::default()
    };
    let e = pc.freeze_sub_customers(req).await.unwrap_err();
    assert_eq!(e.field(), Some("operation"));
    assert_eq!(
        (cn.stats(), intl.stats()),
        before,
        "nothing reached either emulator"
    );
    assert_eq!(cn.stats()["totals"]["received"], 0);
    // The right site takes the same call.
    let ok = pi
        .call("create_sub_customer", json!({"xaccount_id": "x1", "xaccount_type": "hcp_demo_IDP", "domain_area": "SG", "email": "a@b.c"}))
        .await
        .unwrap();
    assert!(ok["domain_id"].is_string());
}

#[tokio::test]
async fn each_emulator_answers_the_other_sites_calls_as_the_service_does() {
    let intl = start_intl();
    let pi = intl_partner(&intl);
    // Sent raw (no client checks): the international endpoint has no China-only API ...
    let e = raw(
        &pi,
        "update_customer_account_amount",
        json!({"customer_id": SEED_RESALE_ID, "amount": 1}),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("APIGW.0101"), Some(404)));
    assert_eq!(intl.stats()["unknown_paths"], 1);
    // ... and does not take the China site's fields.
    let e = raw(&pi, "create_sub_customer", json!({"xaccount_id": "x2", "xaccount_type": "hcp_demo_IDP", "domain_area": "SG", "mobile_phone": "13900000000"})).await.unwrap_err();
    assert_eq!(e.code(), Some("CBC.0100"));
    assert!(e.message().contains("`mobile_phone`"), "{e}");
    let e = raw(
        &pi,
        "send_verification_message_code",
        json!({"receiver_type": 2}),
    )
    .await
    .unwrap_err();
    assert!(e.message().contains("`email`"), "{e}");
    let referral = password_client(
        &intl,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Intl,
    );
    let q = referral
        .call("show_customer_expenditure_quota", json!({}))
        .await
        .unwrap();
    assert_eq!(dec(&q["granting_amount"]), d("5000"));
    // A resale customer has none ("no results").
    let c = customer(&pi, &intl, SEED_RESALE_ID);
    let none = c
        .call("show_customer_expenditure_quota", json!({}))
        .await
        .unwrap();
    assert_eq!(none, json!({}));
}

#[tokio::test]
async fn the_emulator_refuses_values_of_the_wrong_type() {
    let emu = start_intl();
    let p = intl_partner(&emu);
    // Sent raw: an amount as a JSON string, as a client bug would send it.
    let e = raw(
        &p,
        "update_sub_customer_budget",
        json!({"customer_id": SEED_RESALE_ID, "budget_amount": "1500.00"}),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("CBC.0100"), Some(400)));
    assert!(
        e.message().contains("`budget_amount`") && e.message().contains("not a string"),
        "{e}"
    );
    // More decimal places than the description's scale: the client refuses it before sending,
    // and the emulator refuses it by the same rule when a client sends it anyway.
    let params = json!({"customer_id": SEED_RESALE_ID, "budget_amount": num("1500.005")});
    let e = p
        .call("update_sub_customer_budget", params.clone())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), hcpartner::ErrorKind::InvalidArgument, "{e}");
    let e = raw(&p, "update_sub_customer_budget", params)
        .await
        .unwrap_err();
    assert!(e.message().contains("at most 2 decimal places"), "{e}");
    for (op, params, field) in [
        (
            "list_sub_customer_budget",
            json!({"customer_ids": SEED_RESALE_ID}),
            "customer_ids",
        ),
        (
            "freeze_sub_customers",
            json!({"customer_ids": [SEED_RESALE_ID], "reason": 5}),
            "reason",
        ),
        ("list_sub_customers", json!({"limit": "10"}), "limit"),
        (
            "list_sub_customer_budget_records",
            json!({"customer_id": SEED_RESALE_ID, "limit": 1.5}),
            "limit",
        ),
    ] {
        let e = raw(&p, op, params).await.unwrap_err();
        assert_eq!(e.code(), Some("CBC.0100"), "{op}: {e}");
        assert!(e.message().contains(&format!("`{field}`")), "{op}: {e}");
    }
    let s = emu.stats();
    assert_eq!(s["ops"]["update_sub_customer_budget"]["failed"], 2);
    assert_eq!(s["ops"]["update_sub_customer_budget"]["applied"], 0);
    let b = emu.state().budgets[0].amount;
    assert_eq!(b, d("1000.00"), "nothing changed");
}
