//! The facade's per-call options, pagers and fan-outs against the emulator, as every face gets
//! them: a call's own retries and timeout, each page's total and own fields, max_items, and one
//! operation for many params in input order with the money rule per item.

use std::time::{Duration, Instant};

use hcpartner::facade::{self, CallOptions, FanOutEnd, Pager, PagerOptions};
use hcpartner::{ErrorKind, PerCall};
use hcpartner_emulator::{Fault, FaultKind};
use serde_json::json;

use crate::common::*;

const MONEY: &str = "update_customer_account_amount";

fn per(options: serde_json::Value) -> PerCall {
    CallOptions::from_value(options, "test")
        .and_then(|o| o.into_per_call(&Default::default()))
        .unwrap()
}

#[test]
fn a_call_takes_its_own_retries_and_timeout() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(
        Fault::for_op("list_sub_customers", FaultKind::Fail)
            .status(500, "CBC.9999")
            .times(2),
    );
    let once = per(json!({"retry": {"max_attempts": 1}}));
    let e = facade::call_blocking_with(&p, "list_sub_customers", json!({}), once).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Api, 1));
    let a = facade::call_blocking_with(
        &p,
        "list_sub_customers",
        json!({}),
        per(json!({"retry": {"max_attempts": 3}})),
    )
    .unwrap();
    assert_eq!((a.meta.status, a.meta.attempts), (200, 2));
    emu.add_fault(
        Fault::for_op("list_sub_customers", FaultKind::Delay)
            .delay_ms(2000)
            .times(3),
    );
    let started = Instant::now();
    let e = facade::call_blocking_with(
        &p,
        "list_sub_customers",
        json!({}),
        per(json!({"timeout": 0.3})),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[test]
fn money_moves_once_whatever_the_call_s_retries() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(Fault::for_op(MONEY, FaultKind::DropAfter));
    let generous = per(json!({"retry": {"max_attempts": 10, "base_delay": 0.01}}));
    let params = json!({"customer_id": SEED_RESALE_ID, "amount": 3});
    let e = facade::call_blocking_with(&p, MONEY, params, generous).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!((emu.received(MONEY), emu.applied(MONEY)), (1, 1));
}

#[test]
fn pagers_know_the_total_and_the_page_fields() {
    let emu = start();
    let p = partner(&emu);
    let opts = PagerOptions::pages(false).with_max_items(Some(1));
    let pager = Pager::with(&p, "list_sub_customers", json!({}), opts).unwrap();
    assert_eq!(pager.total(), None);
    assert!(pager.next_blocking().unwrap().is_ok());
    assert!(pager.next_blocking().is_none());
    assert!(pager.total().unwrap() >= 2);
    assert_eq!(emu.received("list_sub_customers"), 1);
    let now = hcpartner_emulator::util::epoch(std::time::SystemTime::now());
    let cycle = hcpartner_emulator::util::bill_cycle(now, 1);
    let pager = Pager::new(
        &p,
        "list_subcustomer_monthly_bills",
        json!({"cycle": cycle, "charge_mode": "1"}),
        false,
    )
    .unwrap();
    assert!(pager
        .next_blocking()
        .unwrap()
        .unwrap()
        .get("amount")
        .is_some());
    let fields = pager.page_fields().unwrap();
    assert_eq!(fields.get("currency"), Some(&json!("CNY")));
    assert!(!fields.contains_key("bill_sums"));
}

#[test]
fn a_fan_out_keeps_input_order_and_the_money_rule_per_item() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(Fault::for_op(MONEY, FaultKind::DropAfter));
    let items = vec![
        Ok(json!({"customer_id": SEED_RESALE_ID, "amount": 1})),
        Ok(json!({"customer_id": SEED_RESALE_ID, "amount": "1.005"})), // refused, never sent
        Ok(json!({"customer_id": SEED_RESALE_ID, "amount": 2})),
        Err(hcpartner::Error::invalid_argument(
            "amount",
            "the face could not convert it",
        )),
    ];
    let mut ticks = 0;
    let end = facade::fan_out_blocking(&p, MONEY, items, PerCall::default(), 1, |_| {
        ticks += 1;
        false
    })
    .unwrap();
    let FanOutEnd::Done(results) = end else {
        panic!("not interrupted")
    };
    let kinds: Vec<Option<ErrorKind>> = results
        .iter()
        .map(|r| r.as_ref().err().map(|e| e.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            Some(ErrorKind::OutcomeUnknown),
            Some(ErrorKind::InvalidArgument),
            None,
            Some(ErrorKind::InvalidArgument)
        ]
    );
    assert!(ticks >= 1);
    assert_eq!((emu.received(MONEY), emu.applied(MONEY)), (2, 2));
    let e = facade::spawn_fan_out(&p, MONEY, vec![], PerCall::default(), 0, |_, _| {}).unwrap_err();
    assert_eq!(e.field(), Some("concurrency"));
}

#[test]
fn an_interrupted_fan_out_drops_reads_and_reports_the_money_on_the_wire() {
    let emu = start();
    let p = partner(&emu);
    emu.add_fault(Fault::for_op(MONEY, FaultKind::Delay).delay_ms(800));
    let items = (0..3)
        .map(|_| Ok(json!({"customer_id": SEED_RESALE_ID, "amount": 1})))
        .collect();
    let started = Instant::now();
    let end = facade::fan_out_blocking(&p, MONEY, items, PerCall::default(), 1, |_| {
        started.elapsed() > Duration::from_millis(200)
    })
    .unwrap();
    let FanOutEnd::Interrupted { results, abandoned } = end else {
        panic!("interrupted")
    };
    assert!(results.iter().all(Option::is_none));
    assert_eq!(abandoned.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0]);
    assert_eq!(abandoned[0].1.kind(), ErrorKind::OutcomeUnknown);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!((emu.received(MONEY), emu.applied(MONEY)), (1, 1));
}
