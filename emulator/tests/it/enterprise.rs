//! Enterprise multi-account through the Rust face: the seeded resale customer is a master with
//! one sub-account; money and coupons move between them and nowhere else.

use hcpartner::Site;
use rust_decimal::Decimal;
use serde_json::json;

use crate::common::*;

fn sub_balance(emu: &hcpartner_emulator::Emulator) -> Decimal {
    emu.state()
        .sub_accounts
        .iter()
        .find(|s| s.id == SEED_SUB_ACCOUNT_ID)
        .map(|s| s.balance)
        .unwrap()
}

#[tokio::test]
async fn money_moves_between_master_and_sub_account_once() {
    let emu = start();
    let p = partner(&emu);
    let m = customer(&p, &emu, SEED_RESALE_ID);
    let total = emu.state().funds_total();
    let avail = m
        .call(
            "show_multi_account_transfer_amount",
            json!({"balance_type": "BALANCE_TYPE_DEBIT"}),
        )
        .await
        .unwrap();
    assert_eq!(
        dec(&avail["amount_infos"][0]["avail_transfer_amount"]),
        "2000.00".parse::<Decimal>().unwrap()
    );
    let fund =
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "12.50", "trans_id": "3f2c8a8e-0001"});
    m.call("update_sub_enterprise_amount", fund.clone())
        .await
        .unwrap();
    // The same transaction id again: the API's guard against a double submission.
    m.call("update_sub_enterprise_amount", fund).await.unwrap();
    assert_eq!(sub_balance(&emu), "112.50".parse::<Decimal>().unwrap());
    let back = m
        .call(
            "list_enterprise_multi_account",
            json!({"sub_customer_id": SEED_SUB_ACCOUNT_ID, "balance_type": "BALANCE_TYPE_DEBIT"}),
        )
        .await
        .unwrap();
    assert_eq!(
        dec(&back["amount_infos"][0]["avail_retrieve_amount"]),
        "112.50".parse::<Decimal>().unwrap()
    );
    m.call(
        "reclaim_sub_enterprise_amount",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "112.50"}),
    )
    .await
    .unwrap();
    assert_eq!(sub_balance(&emu), Decimal::ZERO);
    assert_eq!(
        emu.state().funds_total(),
        total,
        "money moved only between master and sub"
    );

    let over = raw(
        &m,
        "reclaim_sub_enterprise_amount",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "0.01"}),
    )
    .await;
    assert_eq!(code(over), "CBC.99000043");
    let unknown = raw(
        &m,
        "update_sub_enterprise_amount",
        json!({"customer_id": "nobody", "amount": "1"}),
    )
    .await;
    assert_eq!(code(unknown), "CBC.99000047");
    let places = raw(
        &m,
        "update_sub_enterprise_amount",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "amount": "1.005"}),
    )
    .await;
    assert_eq!(code(places), "CBC.0100");
    // Only a master has sub-accounts.
    let referral = password_client(
        &emu,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Cn,
    );
    let e = raw(&referral, "list_enterprise_sub_customers", json!({})).await;
    assert_eq!(code(e), "CBC.99000086");
    assert_eq!(emu.state().funds_total(), total);
}

#[tokio::test]
async fn coupons_are_cut_for_a_sub_account_and_retrieved() {
    let emu = start();
    let p = partner(&emu);
    let m = customer(&p, &emu, SEED_RESALE_ID);
    let coupons = m
        .call("list_multi_account_transfer_coupons", json!({}))
        .await
        .unwrap();
    let c = &coupons["avail_transfer_coupons"][0];
    let (id, balance) = (
        c["coupon_id"].as_str().unwrap().to_owned(),
        c["balance"].as_str().unwrap().parse::<Decimal>().unwrap(),
    );
    let cut = m
        .call(
            "claim_enterprise_multi_account_coupon",
            json!({"customer_id": SEED_SUB_ACCOUNT_ID, "coupon_id": id, "amount": "5.00"}),
        )
        .await
        .unwrap();
    let sub_coupon = cut["sub_coupon_id"].as_str().unwrap().to_owned();
    let left = m
        .call("list_multi_account_transfer_coupons", json!({}))
        .await
        .unwrap();
    assert_eq!(
        left["avail_transfer_coupons"][0]["balance"]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap(),
        balance - Decimal::from(5)
    );
    let subs = m
        .call(
            "list_multi_account_retrieve_coupons",
            json!({"sub_customer_id": SEED_SUB_ACCOUNT_ID}),
        )
        .await
        .unwrap();
    assert_eq!(subs["total_count"], 1);
    assert_eq!(
        subs["avail_retrieve_coupons"][0]["sub_coupon_id"],
        sub_coupon.as_str()
    );
    let too_much = raw(
        &m,
        "claim_enterprise_multi_account_coupon",
        json!({"customer_id": SEED_SUB_ACCOUNT_ID, "coupon_id": id, "amount": "100000"}),
    )
    .await;
    assert_eq!(code(too_much), "CBC.99000043");
    let back = m
        .call("reclaim_enterprise_multi_account_coupon", json!({"customer_id": SEED_SUB_ACCOUNT_ID, "coupon_id": id, "sub_coupon_id": sub_coupon}))
        .await
        .unwrap();
    assert_eq!(back["real_retrieve_amout"], "5.00");
    let whole = m
        .call("list_multi_account_transfer_coupons", json!({}))
        .await
        .unwrap();
    assert_eq!(
        whole["avail_transfer_coupons"][0]["balance"]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap(),
        balance
    );
}

#[tokio::test]
async fn sub_accounts_are_created_in_the_organization_with_an_sms_code() {
    let emu = start();
    let p = partner(&emu);
    let m = customer(&p, &emu, SEED_RESALE_ID);
    let tree = m
        .call(
            "list_enterprise_organizations",
            json!({"recursive_query": 1}),
        )
        .await
        .unwrap();
    assert_eq!(tree["child_nodes"][0]["id"], SEED_ORG_ID);
    let new = |code: &str| json!({"party_id": SEED_ORG_ID, "sub_customer_association_type": 1, "new_sub_customer": {"customer_name": "sub_account_two", "password": "Sub-Passw0rd!", "mobile_phone": "13922223333", "verification_code": code}});
    let e = raw(&m, "create_sub_enterprise_account", new("123456")).await;
    assert_eq!(code(e), "CBC.99000026", "no code was sent yet");
    m.call(
        "send_sms_verification_code",
        json!({"mobile_phone": "13922223333", "sm_template_args": [{"key": "k", "value": "v"}]}),
    )
    .await
    .unwrap();
    let e = raw(&m, "create_sub_enterprise_account", new("000000")).await;
    assert_eq!(code(e), "CBC.99000026");
    m.call("create_sub_enterprise_account", new("123456"))
        .await
        .unwrap();
    let subs = m
        .call(
            "list_enterprise_sub_customers",
            json!({"sub_customer_account_name": "two", "fuzzy_query": 1}),
        )
        .await
        .unwrap();
    assert_eq!(subs["total_count"], 1);
    assert_eq!(subs["sub_customer_infos"][0]["org_name"], "R&D");
    let dup = raw(&m, "create_sub_enterprise_account", new("123456")).await;
    assert_eq!(code(dup), "CBC.99000038");
    // A customer that is no master may not send the code.
    let referral = password_client(
        &emu,
        SEED_CONSULTING_NAME,
        SEED_CONSULTING_PASSWORD,
        Site::Cn,
    );
    let e = raw(
        &referral,
        "send_sms_verification_code",
        json!({"mobile_phone": "13922223333", "sm_template_args": []}),
    )
    .await;
    assert_eq!(code(e), "CBC.70300008");
}
