//! The fault soak: 2,000 calls from 8 tasks across every state-changing category the emulator
//! keeps records of (funding, reclaim, coupon issue and reclaim, customer creation) and reads,
//! with random faults injected (delays past the attempt timeout, 5xx, throttling, the connection
//! dropped before and after processing) and the emulator's clock moved a day on twice, so every
//! IAM token expires in the middle. Each state change carries a unique amount or name, so the
//! emulator's own records say exactly which calls were applied. Then, per call:
//! - a success was applied exactly once;
//! - an outcome-unknown was applied at most once (and only a state change can be one);
//! - every other failure was not applied, and none was retried into a double application;
//! - the money of the partner and its customers is only moved by applied calls;
//! - `facade::reconcile` settles every unknown outcome of a funding, reclaim or coupon call with
//!   the verdict the emulator's records give.
//!
//! `HCP_SOAK_SEED=N` replays one run; the counts are printed at the end.

#[allow(dead_code, unused_imports)] // the emulator suite's helpers, of which the soak uses a few
#[path = "../../emulator/tests/it/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use hcpartner::facade::reconcile::{reconcile_ticket, Ticket, Verdict};
use hcpartner::retry::RetryConfig;
use hcpartner::{Client, Dispatch, ErrorKind};
use hcpartner_emulator::{Emulator, Fault, FaultKind};
use rust_decimal::Decimal;
use serde_json::json;

const CALLS: usize = 2000;
const TASKS: usize = 8;
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(400);
/// An injected delay: past the attempt timeout.
const DELAY: Duration = Duration::from_millis(900);

/// A small deterministic generator (xorshift64*): a run is replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What one call was and what the client said of it.
#[derive(Debug, Clone)]
struct Call {
    op: &'static str,
    /// How to find it in the emulator's records: (customer, amount) or a name.
    mark: Mark,
    outcome: Result<u32, (ErrorKind, Dispatch, String)>,
    /// An unknown outcome's ticket, settled by `facade::reconcile` after the run.
    ticket: Option<Ticket>,
}

#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Money { customer: String, amount: Decimal },
    Coupon { customer: String, face: Decimal },
    Reclaimed(String),
    Customer(String),
    Read,
}

#[derive(Default)]
struct Tally {
    calls: Vec<Call>,
    faults: BTreeMap<&'static str, usize>,
    /// Coupons known to be issued and not yet asked back.
    coupons: Vec<String>,
}

fn fault_for(rng: &mut Rng, op: &str) -> Option<(&'static str, Fault)> {
    let f = |k| Fault::for_op(op, k);
    Some(match rng.below(10) {
        0 => (
            "delay past the timeout",
            f(FaultKind::Delay).delay_ms(DELAY.as_millis() as u64),
        ),
        1 => ("HTTP 500", f(FaultKind::Fail).status(500, "CBC.0999")),
        2 => ("throttled", f(FaultKind::Throttle)),
        3 => ("dropped before processing", f(FaultKind::DropBefore)),
        4 => ("dropped after processing", f(FaultKind::DropAfter)),
        _ => return None,
    })
}

fn unique_amount(n: usize, base: i64) -> Decimal {
    Decimal::new(base * 100 + n as i64, 2)
}

async fn one(
    rng: &mut Rng,
    n: usize,
    partner: &Client,
    password: &Client,
    emu: &Emulator,
    customers: &[String],
    tally: &Mutex<Tally>,
) {
    let customer = customers[rng.below(customers.len())].clone();
    let via = if rng.below(3) == 0 { password } else { partner };
    let (op, params, mark) = match rng.below(6) {
        0 | 1 => {
            let amount = unique_amount(n, 10);
            let p = json!({"customer_id": customer, "amount": amount.to_string()});
            (
                "update_customer_account_amount",
                p,
                Mark::Money { customer, amount },
            )
        }
        2 => {
            let amount = unique_amount(n, 1);
            let p = json!({"customer_id": customer, "amount": amount.to_string()});
            (
                "reclaim_to_partner_account",
                p,
                Mark::Money { customer, amount },
            )
        }
        3 => {
            let face = unique_amount(n, 1);
            let p = json!({"quota_id": QUOTA_ID, "customer_ids": [customer], "face_value": face.to_string()});
            ("create_partner_coupons", p, Mark::Coupon { customer, face })
        }
        4 => match tally.lock().unwrap().coupons.pop() {
            Some(coupon) => (
                "reclaim_partner_coupons",
                json!({"coupon_id": coupon}),
                Mark::Reclaimed(coupon),
            ),
            None => ("list_sub_customers", json!({"limit": 5}), Mark::Read),
        },
        _ if rng.below(2) == 0 => {
            let xid = format!("soak-{n}");
            let p = json!({"xaccount_id": xid, "xaccount_type": "hcp_demo_IDP", "domain_name": format!("soak_{n}")});
            ("create_sub_customer", p, Mark::Customer(xid))
        }
        _ => ("list_sub_customers", json!({"limit": 5}), Mark::Read),
    };
    if let Some((name, fault)) = fault_for(rng, op) {
        emu.add_fault(fault);
        *tally.lock().unwrap().faults.entry(name).or_default() += 1;
    }
    let r = via.call_with_meta(op, params).await;
    if let Err(e) = &r {
        tracing::debug!(target: "soak", error = %e, report = ?e, "call failed");
        // for the secrets scan
    }
    let mut t = tally.lock().unwrap();
    if let (Ok((v, _)), "create_partner_coupons") = (&r, op) {
        if let Some(c) = v["coupon_infos"][0]["coupon_id"].as_str() {
            t.coupons.push(c.to_owned());
        }
    }
    let ticket = r.as_ref().err().and_then(|e| e.ticket().cloned());
    let outcome = match r {
        Ok((_, meta)) => Ok(meta.attempts),
        Err(e) => Err((e.kind(), e.dispatch(), e.to_string())),
    };
    t.calls.push(Call {
        op,
        mark,
        outcome,
        ticket,
    });
}

/// How many times the emulator applied the call marked `mark`.
fn applied(state: &hcpartner_emulator::state::State, op: &str, mark: &Mark) -> usize {
    match mark {
        Mark::Money { customer, amount } => {
            let kind = if op == "reclaim_to_partner_account" {
                "2"
            } else {
                "1"
            };
            let same = |r: &&hcpartner_emulator::state::AccountRecord| {
                r.customer_id == *customer && r.amount == *amount && r.operation_type == kind
            };
            state.account_records.iter().filter(same).count()
        }
        Mark::Coupon { customer, face } => {
            let same = |c: &&hcpartner_emulator::state::Coupon| {
                c.customer_id == *customer && c.face_value == *face
            };
            state.coupons.iter().filter(same).count()
        }
        Mark::Reclaimed(id) => {
            let reclaimed =
                |c: &&hcpartner_emulator::state::Coupon| c.coupon_id == *id && c.status == 5;
            state.coupons.iter().filter(reclaimed).count()
        }
        Mark::Customer(xid) => state
            .customers
            .iter()
            .filter(|c| c.xaccount_id == *xid)
            .count(),
        Mark::Read => 0,
    }
}

/// With `HCP_SECRETS_DIR` set (`make test`), the core's and the emulator's events at DEBUG and
/// every error of the soak go to `rust-soak.log` there, which tests/secrets/scan.py scans.
fn debug_log() {
    let Some(dir) = std::env::var_os("HCP_SECRETS_DIR") else {
        return;
    };
    let file = std::fs::File::create(std::path::Path::new(&dir).join("rust-soak.log"))
        .expect("the soak's debug log");
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "hcpartner=debug,hcpartner_emulator=debug,soak=debug",
        ))
        .init();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_calls_through_faults_move_money_only_once() {
    debug_log();
    let seed = std::env::var("HCP_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_0001_u64);
    let emu = Arc::new(start());
    let retry = RetryConfig::new(3, Duration::from_millis(5), Duration::from_millis(20))
        .with_throttle_delay(Duration::from_millis(10));
    let make = |b: hcpartner::ConfigBuilder| {
        Client::new(
            b.attempt_timeout(ATTEMPT_TIMEOUT)
                .retry(retry)
                .build()
                .unwrap(),
        )
        .unwrap()
    };
    let partner = make(base(&emu).credentials(aksk(&emu)));
    let c = emu.credentials();
    let pw = hcpartner::credentials::Password::new(
        c.user_name.clone(),
        c.password.clone(),
        c.domain_name.clone(),
    );
    let password = make(base(&emu).credentials(pw));
    let mut customers = vec![SEED_RESALE_ID.to_owned()];
    for i in 0..3 {
        customers.push(new_customer(&partner, &format!("soak-c{i}"), None).await);
    }
    let before = emu.state();
    let (funds_before, records_before) = (before.funds_total(), before.account_records.len());
    let balances_before: Decimal = before
        .customers
        .iter()
        .filter(|c| customers.contains(&c.id))
        .map(|c| c.balance)
        .sum();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = std::time::Instant::now();
    for (phase, offset) in [(0, 0), (1, 25 * 3600), (2, 50 * 3600)] {
        // A day on: every IAM token the password client holds has expired.
        emu.set_clock_offset(offset);
        // A service's clock does not jump: the clients see the new one before the phase (one
        // read each, as any earlier answer would show it), so unknown outcomes reconcile in the
        // window the service's records use.
        for c in [&partner, &password] {
            c.call("list_sub_customers", json!({"limit": 1}))
                .await
                .unwrap();
        }
        let mut tasks = Vec::new();
        for task in 0..TASKS {
            let (emu, partner, password, customers, tally) = (
                emu.clone(),
                partner.clone(),
                password.clone(),
                customers.clone(),
                tally.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut rng =
                    Rng(seed ^ ((phase * TASKS + task) as u64 + 1).wrapping_mul(0x9E37_79B9));
                let per_task = CALLS / TASKS / 3 + 1;
                for i in 0..per_task {
                    let n = (phase * TASKS + task) * per_task + i;
                    one(&mut rng, n, &partner, &password, &emu, &customers, &tally).await;
                }
            }));
        }
        for t in tasks {
            t.await.expect("a soak task");
        }
    }
    let elapsed = started.elapsed();
    emu.clear_faults();
    // A delayed request the client gave up on is still applied when its delay ends.
    tokio::time::sleep(DELAY + Duration::from_millis(500)).await;
    let state = emu.state();
    let t = std::mem::take(&mut *tally.lock().unwrap());

    let (mut ok, mut unknown, mut failed, mut retries) = (0, 0, 0, 0u32);
    let mut unknown_applied = 0;
    let (mut moved, mut money_applied) = (Decimal::ZERO, 0);
    for call in &t.calls {
        let times = applied(&state, call.op, &call.mark);
        match &call.outcome {
            Ok(attempts) => {
                ok += 1;
                retries += attempts - 1;
                if call.mark != Mark::Read {
                    assert_eq!(times, 1, "a success applied {times} times: {call:?}");
                }
            }
            Err((ErrorKind::OutcomeUnknown, dispatch, msg)) => {
                unknown += 1;
                unknown_applied += times;
                assert!(times <= 1, "applied {times} times: {msg}");
                assert_ne!(
                    call.mark,
                    Mark::Read,
                    "a read is never outcome-unknown: {msg}"
                );
                assert_ne!(*dispatch, Dispatch::NotSent, "{msg}");
            }
            Err((kind, dispatch, msg)) => {
                failed += 1;
                assert_eq!(times, 0, "a {kind:?} failure was applied: {msg}");
                // A state change whose request may have arrived is never a plain failure.
                if call.mark != Mark::Read && *dispatch == Dispatch::MaybeSent {
                    panic!("{kind:?} with the request maybe sent, not outcome-unknown: {msg}");
                }
            }
        }
        if let Mark::Money { amount, .. } = &call.mark {
            money_applied += times;
            let sign = if call.op == "reclaim_to_partner_account" {
                -1
            } else {
                1
            };
            moved += Decimal::from(sign * times as i64) * *amount;
        }
    }
    assert_eq!(
        state.funds_total(),
        funds_before,
        "partner + customers: money moves between them, never in or out"
    );
    // Every record of the run is one of its calls, applied once; the customers' balances moved
    // by exactly the applied calls.
    assert_eq!(state.account_records.len() - records_before, money_applied);
    let balances = |s: &hcpartner_emulator::state::State| -> Decimal {
        s.customers
            .iter()
            .filter(|c| customers.contains(&c.id))
            .map(|c| c.balance)
            .sum()
    };
    assert_eq!(balances(&state) - balances_before, moved);
    // Every unknown outcome of a funding, reclaim or coupon call, settled from the records.
    let mut reconciled = 0;
    for call in t.calls.iter().filter(|c| c.ticket.is_some()) {
        let r = reconcile_ticket(&partner, call.ticket.as_ref().unwrap())
            .await
            .unwrap();
        let truth = if applied(&state, call.op, &call.mark) == 1 {
            Verdict::Applied
        } else {
            Verdict::NotApplied
        };
        assert_eq!(r.verdict, truth, "{call:?}: {r:?}");
        reconciled += 1;
    }
    let settled = [
        "update_customer_account_amount",
        "reclaim_to_partner_account",
        "create_partner_coupons",
        "reclaim_partner_coupons",
    ];
    let settleable = t
        .calls
        .iter()
        .filter(|c| {
            settled.contains(&c.op) && matches!(c.outcome, Err((ErrorKind::OutcomeUnknown, ..)))
        })
        .count();
    assert_eq!(
        reconciled, settleable,
        "every settleable unknown outcome carries a ticket"
    );
    let faulted: u64 = emu.stats()["ops"]
        .as_object()
        .map(|ops| ops.values().filter_map(|o| o["faulted"].as_u64()).sum())
        .unwrap_or(0);
    println!(
        "soak (seed {seed:#x}): {} calls in {:.1} s; faults planned {:?}, {faulted} hit per the \
         emulator; {ok} succeeded ({retries} retries), {failed} failed cleanly, {unknown} \
         outcome-unknown ({unknown_applied} of them applied per the emulator's records; \
         {reconciled} settled by reconcile, each verdict right)",
        t.calls.len(),
        elapsed.as_secs_f64(),
        t.faults,
    );
    assert!(t.calls.len() >= CALLS);
    assert!(
        unknown > 0 && failed > 0 && retries > 0,
        "the faults were felt"
    );
}
