//! Settling an unknown outcome from the service's records (`facade::reconcile`): each verdict
//! for funding, reclaim and coupons, against what the emulator really applied.

use hcpartner::facade::reconcile::{reconcile, Verdict};
use hcpartner::{Client, Error, ErrorKind};
use hcpartner_emulator::{Emulator, Fault, FaultKind};
use serde_json::{json, Value};

use crate::common::*;

async fn unknown(emu: &Emulator, p: &Client, op: &str, kind: FaultKind, params: Value) -> Error {
    emu.add_fault(Fault::for_op(op, kind));
    let e = p.call(op, params).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert!(e.ticket().is_some(), "{e}");
    e
}

#[tokio::test]
async fn funding_and_reclaim_are_found_or_not_in_the_adjust_records() {
    let emu = start();
    let p = partner(&emu);
    let fund = |amount: &str| json!({"customer_id": SEED_RESALE_ID, "amount": num(amount)});
    let op = "update_customer_account_amount";

    let e = unknown(&emu, &p, op, FaultKind::DropAfter, fund("12.34")).await;
    let r = reconcile(&p, &e).await.unwrap();
    assert_eq!((r.verdict, r.records.len()), (Verdict::Applied, 1), "{r:?}");
    assert_eq!(r.records[0]["amount"], "12.34");

    let e = unknown(&emu, &p, op, FaultKind::DropBefore, fund("12.35")).await;
    assert_eq!(
        reconcile(&p, &e).await.unwrap().verdict,
        Verdict::NotApplied
    );

    // The same amount twice in the window: the records cannot say which call it was.
    p.call(op, fund("7.00")).await.unwrap();
    let e = unknown(&emu, &p, op, FaultKind::DropAfter, fund("7.00")).await;
    let r = reconcile(&p, &e).await.unwrap();
    assert_eq!((r.verdict, r.records.len()), (Verdict::Ambiguous, 2));

    let reclaim = json!({"customer_id": SEED_RESALE_ID, "amount": num("1.50")});
    let e = unknown(
        &emu,
        &p,
        "reclaim_to_partner_account",
        FaultKind::DropAfter,
        reclaim,
    )
    .await;
    let r = reconcile(&p, &e).await.unwrap();
    assert_eq!(
        (r.verdict, r.looked_in),
        (Verdict::Applied, "list_partner_adjust_records")
    );
    assert_eq!(
        emu.applied("update_customer_account_amount"),
        3,
        "reconciling changes nothing"
    );
}

#[tokio::test]
async fn coupons_are_found_or_not_among_the_issued_ones() {
    let emu = start();
    let p = partner(&emu);
    let issue = |face: &str| json!({"quota_id": QUOTA_ID, "customer_ids": [SEED_RESALE_ID], "face_value": num(face)});
    let e = unknown(
        &emu,
        &p,
        "create_partner_coupons",
        FaultKind::DropAfter,
        issue("3.21"),
    )
    .await;
    let r = reconcile(&p, &e).await.unwrap();
    assert_eq!((r.verdict, r.records.len()), (Verdict::Applied, 1), "{r:?}");
    let coupon = r.records[0]["coupon_id"].as_str().unwrap().to_owned();

    let e = unknown(
        &emu,
        &p,
        "create_partner_coupons",
        FaultKind::DropBefore,
        issue("3.22"),
    )
    .await;
    assert_eq!(
        reconcile(&p, &e).await.unwrap().verdict,
        Verdict::NotApplied
    );

    let back = json!({"coupon_id": coupon});
    let e = unknown(
        &emu,
        &p,
        "reclaim_partner_coupons",
        FaultKind::DropBefore,
        back.clone(),
    )
    .await;
    assert_eq!(
        reconcile(&p, &e).await.unwrap().verdict,
        Verdict::NotApplied
    );
    let e = unknown(
        &emu,
        &p,
        "reclaim_partner_coupons",
        FaultKind::DropAfter,
        back,
    )
    .await;
    assert_eq!(reconcile(&p, &e).await.unwrap().verdict, Verdict::Applied);
}

#[tokio::test]
async fn only_an_unknown_outcome_of_a_settled_operation_reconciles() {
    let emu = start();
    let p = partner(&emu);
    let e = p
        .call(
            "update_customer_account_amount",
            json!({"customer_id": SEED_RESALE_ID, "amount": -1}),
        )
        .await
        .unwrap_err();
    let r = reconcile(&p, &e).await.unwrap_err();
    assert_eq!(
        (r.kind(), r.field()),
        (ErrorKind::InvalidArgument, Some("error"))
    );
}
