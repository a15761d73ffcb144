//! Funding resale customers and reclaiming: exact decimals, the sum invariant, documented codes.

use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

fn total(emu: &hcpartner_emulator::Emulator) -> Decimal {
    emu.state().funds_total()
}

#[tokio::test]
async fn fund_and_reclaim_keep_the_sum() {
    let emu = start();
    let p = partner(&emu);
    let a = new_customer(&p, "f-1", None).await;
    let sum = total(&emu);

    let r = p
        .call(
            "update_customer_account_amount",
            json!({"customer_id": a, "amount": num("1234.56")}),
        )
        .await
        .unwrap();
    assert!(r["transfer_id"].as_str().is_some_and(|t| !t.is_empty()));
    let r = p
        .call(
            "reclaim_to_partner_account",
            json!({"customer_id": a, "amount": 234.5}),
        )
        .await
        .unwrap();
    assert!(r["trans_id"].as_str().is_some());
    assert_eq!(total(&emu), sum, "partner + customers is invariant");

    let b = p
        .call(
            "list_customers_balances_detail",
            json!({"customer_infos": [{"customer_id": a}, {"customer_id": SEED_RESALE_ID}]}),
        )
        .await
        .unwrap();
    let bal = &b["customer_balances"];
    assert_eq!(
        dec(&bal[0]["amount"]),
        "1000.06".parse::<Decimal>().unwrap()
    );
    assert_eq!(
        bal[0]["amount"].to_string(),
        "1000.06",
        "money is an exact JSON number"
    );
    assert_eq!(dec(&bal[1]["amount"]), "2000".parse::<Decimal>().unwrap());

    let pb = p.call("list_partner_balances", json!({})).await.unwrap();
    assert_eq!(
        dec(&pb["account_balances"][0]["amount"]),
        "100000".parse::<Decimal>().unwrap() - "1000.06".parse::<Decimal>().unwrap()
    );

    let recs = p
        .call("list_partner_adjust_records", json!({"customer_id": a}))
        .await
        .unwrap();
    assert_eq!(recs["total_count"], 2);
    assert_eq!(
        (
            recs["records"][0]["operation_type"].as_str(),
            recs["records"][0]["amount"].as_str()
        ),
        (Some("2"), Some("234.50"))
    );
    let changes = p
        .call(
            "list_partner_account_change_records",
            json!({"balance_type": "BALANCE_TYPE_DEBIT", "limit": 1}),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            changes["total_count"].as_i64(),
            changes["records"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );

    // The customer sees its balance through assume_role.
    let c = customer(&p, &emu, &a)
        .call("show_customer_account_balances", json!({}))
        .await
        .unwrap();
    assert_eq!(c["account_balances"][0]["amount"].to_string(), "1000.06");
}

#[tokio::test]
async fn money_errors_are_documented_codes() {
    let emu = start();
    let p = partner(&emu);
    let a = new_customer(&p, "f-2", None).await;
    let sum = total(&emu);
    let over = raw(
        &p,
        "update_customer_account_amount",
        json!({"customer_id": a, "amount": num("100000.01")}),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (over.code(), over.status()),
        (Some("CBC.99005003"), Some(400))
    );
    let reclaim_over = raw(
        &p,
        "reclaim_to_partner_account",
        json!({"customer_id": a, "amount": 1}),
    )
    .await;
    assert_eq!(code(reclaim_over), "CBC.99005003");
    let consulting = raw(
        &p,
        "update_customer_account_amount",
        json!({"customer_id": SEED_CONSULTING_ID, "amount": 10}),
    )
    .await;
    assert_eq!(code(consulting), "CBC.5024");
    let foreign = raw(
        &p,
        "update_customer_account_amount",
        json!({"customer_id": SEED_FOREIGN_ID, "amount": 10}),
    )
    .await;
    assert_eq!(code(foreign), "CBC.99000000");
    for bad in [
        num("1.005"),
        json!(0),
        json!(-5),
        json!("abc"),
        json!("10.00"),
    ] {
        let e = raw(
            &p,
            "update_customer_account_amount",
            json!({"customer_id": a, "amount": bad}),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code(), Some("CBC.0100"), "{bad}: {e}");
        assert!(e.message().contains("`amount`"), "{e}");
    }
    let e = raw(
        &p,
        "update_customer_account_amount",
        json!({"customer_id": a, "amount": 1, "indirect_partner_id": "r1"}),
    )
    .await;
    assert_eq!(code(e), "CBC.99000037");
    assert_eq!(total(&emu), sum, "failed calls move nothing");
    assert_eq!(emu.applied("update_customer_account_amount"), 0);
}
