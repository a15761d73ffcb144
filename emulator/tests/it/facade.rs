//! The facade's money rule against the emulator: a state change on the wire that the caller gives
//! up on (cancel, Ctrl-C) runs to its end and is applied exactly once.

use std::sync::mpsc;
use std::time::Duration;

use hcpartner::facade::{self, Blocking};
use hcpartner::ErrorKind;
use hcpartner_emulator::{Fault, FaultKind};
use serde_json::json;

use crate::common::*;

const OP: &str = "update_customer_account_amount";

fn balance(p: &hcpartner::Client, id: &str) -> String {
    let v = facade::call_blocking(
        p,
        "list_customers_balances_detail",
        json!({"customer_infos": [{"customer_id": id}]}),
    )
    .unwrap()
    .into_value()
    .unwrap();
    v["customer_balances"][0]["amount"].to_string()
}

#[test]
fn a_cancelled_money_call_runs_to_its_end_and_is_applied_once() {
    let emu = start();
    let p = partner(&emu);
    let before = balance(&p, SEED_RESALE_ID);
    emu.add_fault(Fault::for_op(OP, FaultKind::Delay).delay_ms(600).times(2));

    let (tx, rx) = mpsc::channel();
    let control = facade::spawn_call(
        &p,
        OP,
        json!({"customer_id": SEED_RESALE_ID, "amount": "10.00"}),
        move |r| tx.send(r).unwrap(),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let e = control
        .cancel("cancelled")
        .expect("on the wire: it must run on");
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    let done = rx.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
    assert!(done.into_value().unwrap()["transfer_id"].is_string());

    // Ctrl-C in a blocking face: the same.
    let params = json!({"customer_id": SEED_RESALE_ID, "amount": 5});
    let started = std::time::Instant::now();
    let interrupted = move || started.elapsed() > Duration::from_millis(150);
    match facade::call_interruptible(&p, OP, params, interrupted) {
        Blocking::Interrupted(Some(e)) => assert_eq!(e.kind(), ErrorKind::OutcomeUnknown),
        other => panic!("{other:?}"),
    }
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(
        (emu.received(OP), emu.applied(OP)),
        (2, 2),
        "each sent once, applied once"
    );
    let after = balance(&p, SEED_RESALE_ID);
    let expected: rust_decimal::Decimal = before
        .trim_matches('"')
        .parse::<rust_decimal::Decimal>()
        .unwrap()
        + rust_decimal::Decimal::from(15);
    assert_eq!(
        after
            .trim_matches('"')
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        expected
    );
}
