//! Resellers (indirect partners) through the Rust face: funding and reclaiming them, coupon quota
//! allocated to them and reclaimed; and what the other operations do with a reseller's id.

use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

fn reseller_balance(emu: &hcpartner_emulator::Emulator) -> Decimal {
    emu.state().resellers[0].balance
}

fn quota_balance(emu: &hcpartner_emulator::Emulator) -> Decimal {
    emu.state()
        .quotas
        .iter()
        .find(|q| q.quota_id == QUOTA_ID)
        .unwrap()
        .balance
}

#[tokio::test]
async fn funding_a_reseller_moves_money_and_keeps_the_total() {
    let emu = start();
    let p = partner(&emu);
    let list = p
        .call(
            "list_indirect_partners",
            json!({"account_name": "hcp_seed_reseller"}),
        )
        .await
        .unwrap();
    assert_eq!(list["count"], 1);
    assert_eq!(
        list["indirect_partners"][0]["indirect_partner_id"],
        SEED_RESELLER_ID
    );
    let total = emu.state().funds_total();
    let t = p
        .call(
            "update_indirect_partner_account",
            json!({"indirect_partner_id": SEED_RESELLER_ID, "amount": num("250.75")}),
        )
        .await
        .unwrap();
    assert!(t["transfer_id"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(reseller_balance(&emu), "750.75".parse::<Decimal>().unwrap());
    p.call(
        "reclaim_indirect_partner_account",
        json!({"indirect_partner_id": SEED_RESELLER_ID, "amount": num("0.75")}),
    )
    .await
    .unwrap();
    assert_eq!(reseller_balance(&emu), "750.00".parse::<Decimal>().unwrap());
    assert_eq!(emu.state().funds_total(), total);
    let over = raw(
        &p,
        "reclaim_indirect_partner_account",
        json!({"indirect_partner_id": SEED_RESELLER_ID, "amount": num("750.01")}),
    )
    .await;
    assert_eq!(code(over), "CBC.99005003");
    let unknown = raw(
        &p,
        "update_indirect_partner_account",
        json!({"indirect_partner_id": "nobody", "amount": 1}),
    )
    .await;
    assert_eq!(code(unknown), "CBC.99000037");
    assert_eq!(emu.state().funds_total(), total);
    assert_eq!(emu.applied("update_indirect_partner_account"), 1);
}

#[tokio::test]
async fn coupon_quota_goes_to_resellers_and_comes_back() {
    let emu = start();
    let p = partner(&emu);
    let before = quota_balance(&emu);
    let r = p
        .call("update_coupon_quotas", json!({"quota_id": QUOTA_ID, "indirect_partner_ids": [SEED_RESELLER_ID, "nobody"], "quota_amount": num("300.00")}))
        .await
        .unwrap();
    // Per reseller: one allocated, one refused with HTTP 200.
    assert_eq!(r["simple_quota_infos"].as_array().unwrap().len(), 1);
    assert_eq!(r["error_details"][0]["error_code"], "CBC.99000037");
    assert_eq!(quota_balance(&emu), before - Decimal::from(300));
    let issued = p
        .call(
            "list_issued_coupon_quotas",
            json!({"indirect_partner_id": SEED_RESELLER_ID}),
        )
        .await
        .unwrap();
    assert_eq!(issued["total_count"], 1);
    assert_eq!(dec(&issued["quotas"][0]["balance"]), Decimal::from(300));
    let qid = issued["quotas"][0]["quota_id"].as_str().unwrap().to_owned();
    let back = p
        .call(
            "reclaim_coupon_quotas",
            json!({"quota_ids": [qid, "no-such-quota"]}),
        )
        .await
        .unwrap();
    assert_eq!(
        dec(&back["simple_quota_infos"][0]["quota_balance"]),
        Decimal::from(300)
    );
    assert_eq!(back["error_details"][0]["id"], "no-such-quota");
    assert_eq!(quota_balance(&emu), before);
    let recs = p
        .call("list_coupon_quotas_records", json!({"quota_id": qid}))
        .await
        .unwrap();
    let kinds: Vec<&str> = recs["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["2", "1"], "newest first: reclaimed, allocated");
    let expired = raw(&p, "update_coupon_quotas", json!({"quota_id": QUOTA_EXPIRED_ID, "indirect_partner_ids": [SEED_RESELLER_ID], "quota_amount": 1})).await;
    assert_eq!(code(expired), "CBC.99000017");
}

#[tokio::test]
async fn operations_on_a_resellers_customers_say_they_are_not_modelled() {
    let emu = start();
    let p = partner(&emu);
    let e = raw(
        &p,
        "list_sub_customers",
        json!({"indirect_partner_id": SEED_RESELLER_ID}),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), (Some("EMULATOR.0501"), Some(501)));
    assert!(e.message().contains(SEED_RESELLER_ID), "{e}");
    let e = raw(
        &p,
        "list_sub_customers",
        json!({"indirect_partner_id": "r1"}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000037");
}
