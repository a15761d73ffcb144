//! The facade's guarantees, each on a local server: a panic inside a call is `Internal` on every
//! path, one deadline bounds credential fetches and rate-limit waits, money goes on the wire as
//! a JSON number, and giving up follows the money rule.

mod support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use hcpartner::credentials::{AkSk, Auth, Password, ProvideCredentials};
use hcpartner::facade::{self, Blocking, Pager};
use hcpartner::{runtime, Client, Config, Dispatch, ErrorKind};
use serde_json::json;
use support::{json, Action, Server};

const MONEY_PATH: &str = "/v2/accounts/partner-accounts/adjust-amount";
const LIST_PATH: &str = "/v2/partners/sub-customers/query";

#[derive(Debug)]
struct Panics;

impl ProvideCredentials for Panics {
    fn name(&self) -> String {
        "a provider with a bug".into()
    }
    fn provide(&self) -> BoxFuture<'_, hcpartner::Result<AkSk>> {
        Box::pin(async { panic!("provider bug") })
    }
}

fn client_with(url: &str, auth: Auth, total: Duration) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .auth(auth)
        .total_timeout(total)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn signed(url: &str) -> Client {
    client_with(
        url,
        AkSk::new("AK", "SK").with_domain_id("d").into(),
        Duration::from_secs(10),
    )
}

/// A server on its own thread and runtime, so blocking calls can be made from test threads.
fn server(handler: impl Fn(&support::Recorded, usize) -> Action + Send + Sync + 'static) -> Server {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let s = Server::start(handler).await;
            tx.send(s).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

#[test]
fn a_panic_is_internal_on_every_path() {
    let s = server(|_, _| json(200, json!({})));
    let c = client_with(&s.url, Auth::provider(Panics), Duration::from_secs(5));
    let internal = |r: hcpartner::Result<facade::Answer>| {
        let e = r.expect_err("a panic must fail the call");
        assert_eq!(e.kind(), ErrorKind::Internal, "{e}");
        assert!(e.message().contains("provider bug"), "{e}");
        assert_eq!(e.report().code, 900);
    };
    internal(runtime::block_on(facade::call(
        &c,
        "list_sub_customers",
        json!({}),
    )));
    internal(facade::call_blocking(&c, "list_sub_customers", json!({})));
    match facade::call_interruptible(&c, "list_sub_customers", json!({}), || false) {
        Blocking::Done(r) => internal(r),
        other => panic!("{other:?}"),
    }
    let (tx, rx) = mpsc::channel();
    facade::spawn_call(&c, "list_sub_customers", json!({}), move |r| {
        tx.send(r).unwrap()
    })
    .unwrap();
    internal(
        rx.recv_timeout(Duration::from_secs(5))
            .expect("the spawned call must finish"),
    );
    let pager = Pager::new(&c, "list_sub_customers", json!({"limit": 10}), false).unwrap();
    let e = pager.next_blocking().unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Internal);
    assert!(
        pager.next_blocking().is_none(),
        "a pager ends after an error"
    );
    assert_eq!(s.count(LIST_PATH), 0, "nothing was sent");
}

#[test]
fn one_deadline_bounds_token_fetches_and_rate_limit_waits() {
    let s = server(|r, _| match r.path.as_str() {
        "/v3/auth/tokens" => Action::Sleep(Duration::from_secs(5), Box::new(json(500, json!({})))),
        _ => json(200, json!({"total_count": 0})),
    });
    let c = client_with(
        &s.url,
        Password::new("u", "p", "d").into(),
        Duration::from_millis(400),
    );
    let started = Instant::now();
    let e = facade::call_blocking(&c, "list_sub_customers", json!({})).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Timeout, Dispatch::NotSent),
        "{e}"
    );
    assert_eq!(s.count(LIST_PATH), 0);

    let config = Config::builder()
        .endpoint(&s.url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
        .rate_limit(0.2) // one call per 5 s
        .total_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let c = Client::new(config).unwrap();
    facade::call_blocking(&c, "list_sub_customers", json!({})).unwrap();
    let started = Instant::now();
    let e = facade::call_blocking(&c, "list_sub_customers", json!({})).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (e.kind(), e.dispatch()),
        (ErrorKind::Timeout, Dispatch::NotSent)
    );
    assert!(e.message().contains("rate limit"), "{e}");
    assert_eq!(s.count(LIST_PATH), 1);
}

#[test]
fn a_string_amount_goes_out_as_a_json_number() {
    let s = server(|_, _| json(200, json!({"transfer_id": "T1"})));
    let c = signed(&s.url);
    for (given, sent) in [
        (json!("10.00"), "10.00"),
        (json!(" 7 "), "7"),
        (json!(5), "5"),
    ] {
        facade::call_blocking(
            &c,
            "update_customer_account_amount",
            json!({"customer_id": "c1", "amount": given}),
        )
        .unwrap();
        let body = s.requests(MONEY_PATH).last().unwrap().body.clone();
        let expected = format!(r#"{{"customer_id":"c1","amount":{sent}}}"#);
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }
    // Refused before sending: not a decimal, or more places than money has.
    for bad in ["1_5", "1.005", "NaN"] {
        let e = facade::call_blocking(
            &c,
            "update_customer_account_amount",
            json!({"customer_id": "c1", "amount": bad}),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidArgument, Some("amount"))
        );
    }
    assert_eq!(s.count(MONEY_PATH), 3);
}

fn slow(path: &'static str) -> impl Fn(&support::Recorded, usize) -> Action {
    move |r, n| {
        let answer = json(
            200,
            json!({"transfer_id": format!("T{n}"), "total_count": 0}),
        );
        if r.path == path {
            Action::Sleep(Duration::from_millis(800), Box::new(answer))
        } else {
            answer
        }
    }
}

#[test]
fn an_interrupted_read_stops_and_an_interrupted_money_call_runs_on() {
    let s = server(slow(LIST_PATH));
    let c = signed(&s.url);
    let started = Instant::now();
    let after = |ms| move || started.elapsed() > Duration::from_millis(ms);
    match facade::call_interruptible(&c, "list_sub_customers", json!({}), after(100)) {
        Blocking::Interrupted(None) => {}
        other => panic!("a read is dropped at once: {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(400));

    let s = server(slow(MONEY_PATH));
    let c = signed(&s.url);
    let params = json!({"customer_id": "c1", "amount": 1});
    let started = Instant::now();
    let after = |ms| move || started.elapsed() > Duration::from_millis(ms);
    match facade::call_interruptible(&c, "update_customer_account_amount", params, after(100)) {
        Blocking::Interrupted(Some(e)) => {
            assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
            assert!(
                e.hint()
                    .unwrap()
                    .contains("list_partner_account_change_records"),
                "{e}"
            );
        }
        other => panic!("a money call on the wire must run on: {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(400));
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(s.count(MONEY_PATH), 1, "sent once, never again");
}

#[test]
fn cancelling_a_spawned_call_follows_the_money_rule() {
    let s = server(slow(MONEY_PATH));
    let c = signed(&s.url);
    let (tx, rx) = mpsc::channel();
    let control = facade::spawn_call(
        &c,
        "update_customer_account_amount",
        json!({"customer_id": "c1", "amount": 1}),
        move |r| tx.send(r.and_then(|a| a.into_value())).unwrap(),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let e = control
        .cancel("cancelled")
        .expect("on the wire: not aborted");
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    // It runs to its end: the outcome still arrives (and is logged).
    let done = rx.recv_timeout(Duration::from_secs(3)).unwrap().unwrap();
    assert_eq!(done["transfer_id"], "T1");
    assert_eq!(s.count(MONEY_PATH), 1);

    let s = server(slow(LIST_PATH));
    let c = signed(&s.url);
    let (tx, rx) = mpsc::channel::<()>();
    let control = facade::spawn_call(&c, "list_sub_customers", json!({}), move |_| {
        tx.send(()).unwrap()
    })
    .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    assert!(control.cancel("cancelled").is_none(), "a read is aborted");
    assert!(
        rx.recv_timeout(Duration::from_secs(2)).is_err(),
        "aborted: no outcome"
    );
}

#[test]
fn bad_input_fails_before_anything_runs() {
    let s = server(|_, _| json(200, json!({})));
    let c = signed(&s.url);
    let e = facade::call_blocking(&c, "update_customer_acount_amount", json!({})).unwrap_err();
    assert_eq!(e.field(), Some("operation"));
    assert!(
        e.message()
            .contains("did you mean \"update_customer_account_amount\""),
        "{e}"
    );
    let e = Pager::new(&c, "update_customer_account_amount", json!({}), false).unwrap_err();
    assert!(e.message().contains("does not paginate"), "{e}");
    let e = Pager::new(&c, "list_sub_customers", json!({"limt": 1}), false).unwrap_err();
    assert_eq!(e.field(), Some("limt"));
    let e = Pager::new(&c, "list_sub_customers", json!({"offset": "3"}), false).unwrap_err();
    assert_eq!(e.field(), Some("offset"));
    assert!(s.hits.lock().unwrap().is_empty());
}

#[test]
fn an_unreadable_2xx_to_a_money_call_says_it_was_applied() {
    let s = server(|r, _| match r.path.as_str() {
        MONEY_PATH => support::reply(200, &[], "<html>maintenance</html>"),
        _ => json(
            200,
            json!({"error_code": "CBC.99000050", "error_msg": "lookup timed out"}),
        ),
    });
    let c = signed(&s.url);
    let e = facade::call_blocking(
        &c,
        "update_customer_account_amount",
        json!({"customer_id": "c1", "amount": 1}),
    )
    .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Decode, Some(200)));
    assert!(
        e.hint().unwrap().contains("applied") && !e.retryable(),
        "{e}"
    );
    assert_eq!(s.count(MONEY_PATH), 1, "never sent again");
    // A 200 carrying a code that may mean "done" goes through the same outcome rule.
    let e = facade::call_blocking(
        &c,
        "create_sub_customer",
        json!({"xaccount_id": "x", "xaccount_type": "t"}),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.code(), Some("CBC.99000050"));
}

#[test]
fn a_read_handed_over_as_text_keeps_its_digits_and_refuses_what_is_not_json() {
    let body = r#"{"count": 1, "customer_infos": [{"balance": 10.10, "id": "c1"}]}"#;
    let s = server(move |r, _| match r.body.as_slice() {
        b if b.windows(3).any(|w| w == b"\"x1") => support::reply(200, &[], " {\"a\": "),
        b if b.windows(3).any(|w| w == b"\"x2") => {
            support::reply(200, &[], "<html>maintenance</html>")
        }
        _ => support::reply(200, &[], body),
    });
    let c = signed(&s.url);
    let text = |name: &str| {
        facade::call_blocking(&c, "list_sub_customers", json!({"account_name": name}))
            .and_then(facade::Answer::into_json)
    };
    assert_eq!(
        text("ok").unwrap(),
        body,
        "the service's own text, 10.10 as sent"
    );
    for name in ["x1", "x2"] {
        let e = text(name).unwrap_err();
        assert_eq!(
            (e.kind(), e.status()),
            (ErrorKind::Decode, Some(200)),
            "{e}"
        );
        assert!(e.body_excerpt().is_some(), "{e}");
    }
}

#[test]
fn an_answer_reads_as_doubles_only_when_no_number_would_change() {
    let s = server(|r, _| {
        let answer = match r.body.as_slice() {
            b if b.windows(4).any(|w| w == b"\"big") => r#"{"count": 9007199254740993}"#,
            b if b.windows(4).any(|w| w == b"\"exp") => r#"{"count": 1e3}"#,
            b if b.windows(4).any(|w| w == b"\"hex") => {
                // Hex ids (digits then an "e"), an escaped quote, long digit runs: all in strings.
                r#"{"count": 2, "customer_infos": [{"customer_id": "000000004e5f40718293a4b5c6d7e8f9", "label": "a \"12345678901234567e3\" b", "telephone": "12345678901234567890"}]}"#
            }
            b if b.windows(4).any(|w| w == b"\"esc") => r#"{"label": "\\", "count": 1E2}"#,
            _ => r#"{"count": 2, "customer_infos": [{"customer": "e1", "id": "12345"}]}"#,
        };
        support::reply(200, &[], answer)
    });
    let c = signed(&s.url);
    let reads = |op: &str, params| {
        facade::call_blocking(&c, op, params)
            .unwrap()
            .reads_as_doubles()
    };
    assert!(reads(
        "list_sub_customers",
        json!({"account_name": "plain"})
    ));
    assert!(!reads("list_sub_customers", json!({"account_name": "big"})));
    assert!(!reads("list_sub_customers", json!({"account_name": "exp"})));
    assert!(reads("list_sub_customers", json!({"account_name": "hex"})));
    // The string ends at the quote after an escaped backslash: the exponent after it counts.
    assert!(!reads("list_sub_customers", json!({"account_name": "esc"})));
    // A model with decimal fields (balances) always takes the exact path.
    assert!(!reads("show_customer_account_balances", json!({})));
}
