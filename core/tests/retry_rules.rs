//! Each retry rule, proven by counting how often the request reached a local server.

mod support;

use std::time::{Duration, Instant};

use hcpartner::credentials::AkSk;
use hcpartner::operation::{Effect, Method, Operation};
use hcpartner::retry::RetryConfig;
use hcpartner::{Client, Config, Dispatch, ErrorKind};
use serde_json::json;
use support::{json, reply, verify_signature, Action, Server};

static READ: Operation = Operation::raw("list_things", Method::Get, "/v2/read", Effect::Read);
static QUERY: Operation = Operation::raw("query_things", Method::Post, "/v2/query", Effect::Read);
static MONEY: Operation = Operation::raw(
    "adjust_amount",
    Method::Post,
    "/v2/money",
    Effect::WriteMoney,
);
static WRITE: Operation =
    Operation::raw("create_customer", Method::Post, "/v2/write", Effect::Write);

/// A canned failure.
type Fault = fn() -> Action;

fn client(url: &str) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("dom-1"))
        .retry(
            RetryConfig::new(3, Duration::from_millis(10), Duration::from_millis(50))
                .with_throttle_delay(Duration::from_millis(10)),
        )
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn fails_then_ok(times: usize, fail: Fault) -> impl Fn(&support::Recorded, usize) -> Action {
    move |_, n| {
        if n <= times {
            fail()
        } else {
            json(200, json!({"ok": n}))
        }
    }
}

#[tokio::test]
async fn reads_retry_on_5xx_429_hangup_and_timeout() {
    let cases: Vec<(&str, Fault)> = vec![
        ("503", || {
            json(503, json!({"error_code": "CBC.0999", "error_msg": "busy"}))
        }),
        ("429", || {
            json(
                429,
                json!({"error_code": "APIGW.0308", "error_msg": "throttled"}),
            )
        }),
        ("throttle-code", || {
            json(
                400,
                json!({"error_code": "CBC.99008040", "error_msg": "too frequent"}),
            )
        }),
        ("hangup", || Action::Hangup),
        ("timeout", || {
            Action::Sleep(Duration::from_millis(1000), Box::new(json(200, json!({}))))
        }),
        ("html-502", || {
            reply(
                502,
                &[("Content-Type", "text/html")],
                "<html>bad gateway</html>",
            )
        }),
    ];
    for (name, fail) in cases {
        for op in [&READ, &QUERY] {
            let server = Server::start(fails_then_ok(2, fail)).await;
            let out = client(&server.url).call_op(op, json!({"offset": 0})).await;
            assert_eq!(
                out.unwrap_or_else(|e| panic!("{name} {}: {e}", op.name))["ok"],
                3,
                "{name}"
            );
            assert_eq!(server.count(op.path), 3, "{name} {}", op.name);
        }
    }
}

#[tokio::test]
async fn reads_give_up_after_max_attempts() {
    let server =
        Server::start(|_, _| json(503, json!({"error_code": "CBC.0999", "error_msg": "down"})))
            .await;
    let e = client(&server.url)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!(server.count("/v2/read"), 3);
    assert_eq!(
        (e.kind(), e.code(), e.status(), e.attempts()),
        (ErrorKind::Api, Some("CBC.0999"), Some(503), 3)
    );
    assert_eq!(e.request_id(), Some("req-503"));
    assert!(e.retryable());
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Server::start(|_, _| {
        json(
            400,
            json!({"error_code": "CBC.0100", "error_msg": "bad offset"}),
        )
    })
    .await;
    let e = client(&server.url)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!(server.count("/v2/read"), 1);
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (ErrorKind::Api, Some("CBC.0100"), "bad offset")
    );
    assert_eq!(e.dispatch(), Dispatch::Responded);
    assert!(e.to_string().contains("CBC.0100 (HTTP 400)"), "{e}");
}

#[tokio::test]
async fn money_moves_once() {
    let cases: Vec<(&str, Fault, ErrorKind)> = vec![
        ("hangup", || Action::Hangup, ErrorKind::OutcomeUnknown),
        (
            "timeout",
            || Action::Sleep(Duration::from_millis(1000), Box::new(json(200, json!({})))),
            ErrorKind::OutcomeUnknown,
        ),
        (
            "500",
            || json(500, json!({"error_code": "CBC.0999", "error_msg": "?"})),
            ErrorKind::OutcomeUnknown,
        ),
        (
            "502-html",
            || reply(502, &[], "<html/>"),
            ErrorKind::OutcomeUnknown,
        ),
        (
            "429",
            || {
                json(
                    429,
                    json!({"error_code": "APIGW.0308", "error_msg": "slow down"}),
                )
            },
            ErrorKind::Throttled,
        ),
        (
            "400",
            || {
                json(
                    400,
                    json!({"error_code": "CBC.99005003", "error_msg": "balance insufficient"}),
                )
            },
            ErrorKind::Api,
        ),
    ];
    for (name, fail, kind) in cases {
        for op in [&MONEY, &WRITE] {
            let server = Server::start(fails_then_ok(1, fail)).await;
            let e = client(&server.url)
                .call_op(op, json!({"amount": 10}))
                .await
                .unwrap_err();
            assert_eq!(
                server.count(op.path),
                1,
                "{name} {} was sent more than once",
                op.name
            );
            assert_eq!(e.kind(), kind, "{name} {}: {e}", op.name);
            if kind == ErrorKind::OutcomeUnknown {
                assert!(!e.retryable());
                assert!(e.hint().unwrap().contains("may have been applied"), "{e}");
            }
        }
    }
}

#[tokio::test]
async fn money_is_retried_when_the_connection_was_refused() {
    // A port with nothing listening yet: the first attempts are refused, then a server appears.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let config = Config::builder()
        .endpoint(format!("http://{addr}"))
        .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
        .retry(RetryConfig::new(
            8,
            Duration::from_millis(100),
            Duration::from_millis(200),
        ))
        .build()
        .unwrap();
    let c = Client::new(config).unwrap();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h2 = hits.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let l = tokio::net::TcpListener::bind(addr).await.unwrap();
        let (mut s, _) = l.accept().await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buf = vec![0u8; 4096];
        let _ = s.read(&mut buf).await.unwrap();
        h2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let body = r#"{"transfer_id":"t1"}"#;
        s.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    });
    let out = c.call_op(&MONEY, json!({"amount": 1})).await.unwrap();
    assert_eq!(out["transfer_id"], "t1");
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 1);

    // With nothing ever listening, every attempt is refused: Connect, not sent, attempts counted.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = probe.local_addr().unwrap();
    drop(probe);
    let c = client(&format!("http://{dead}"));
    let e = c.call_op(&MONEY, json!({})).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.dispatch(), e.attempts()),
        (ErrorKind::Connect, Dispatch::NotSent, 3)
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::start(|_, n| {
        if n == 1 {
            Action::Reply(
                429,
                vec![("Retry-After".into(), "1".into())],
                r#"{"error_code":"CBC.0250","error_msg":"flow control"}"#.into(),
            )
        } else {
            json(200, json!({}))
        }
    })
    .await;
    let config = Config::builder()
        .endpoint(&server.url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
        .retry(
            RetryConfig::new(3, Duration::from_millis(1), Duration::from_secs(5))
                .with_throttle_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let t = Instant::now();
    Client::new(config)
        .unwrap()
        .call_op(&READ, json!({}))
        .await
        .unwrap();
    let waited = t.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    assert_eq!(server.count("/v2/read"), 2);
}

#[tokio::test]
async fn client_side_rate_limit() {
    let server = Server::start(|_, _| json(200, json!({}))).await;
    let config = Config::builder()
        .endpoint(&server.url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
        .rate_limit(100.0)
        .rate_limit_for("list_things", 10.0)
        .build()
        .unwrap();
    let c = Client::new(config).unwrap();
    let t = Instant::now();
    for _ in 0..6 {
        c.call_op(&READ, json!({})).await.unwrap();
    }
    // 10/s: the first call passes at once, the next five wait 100 ms each.
    assert!(
        t.elapsed() >= Duration::from_millis(450),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    for _ in 0..6 {
        c.call_op(&QUERY, json!({})).await.unwrap();
    }
    assert!(
        t.elapsed() < Duration::from_millis(400),
        "other ops keep their own budget: {:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn requests_are_signed_as_sent() {
    let server = Server::start(|r, _| {
        if verify_signature(r, "AK", "SK") {
            json(200, json!({"seen": r.header("X-Domain-Id")}))
        } else {
            json(401, json!({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail"}))
        }
    })
    .await;
    let c = client(&server.url);
    let out = c
        .call_op(
            &READ,
            json!({"z": "末尾", "a": [3, 1], "e": "", "q": "a b+c/d"}),
        )
        .await
        .unwrap();
    assert_eq!(out["seen"], "dom-1");
    let r = &server.requests("/v2/read")[0];
    assert_eq!(r.query, "a=1&a=3&e=&q=a%20b%2Bc%2Fd&z=%E6%9C%AB%E5%B0%BE");
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert!(r.header("User-Agent").unwrap().starts_with("hcpartner/"));
    c.call_op(&MONEY, json!({"amount": 12.50, "note": "充值"}))
        .await
        .unwrap();
    assert_eq!(
        server.requests("/v2/money")[0].json(),
        json!({"amount": 12.50, "note": "充值"})
    );
}

#[tokio::test]
async fn a_bad_signature_is_never_retried() {
    let server = Server::start(|_, _| {
        json(
            401,
            json!({"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail"}),
        )
    })
    .await;
    let e = client(&server.url)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        server.count("/v2/read"),
        1,
        "repeated signature failures lock the AK"
    );
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some("APIGW.0301")));
}

#[tokio::test]
async fn clock_skew_is_corrected_once() {
    // The server's clock runs an hour ahead; it refuses signatures more than 15 min off.
    let ahead = Duration::from_secs(3600);
    let server = Server::start(move |r, _| {
        let server_now = std::time::SystemTime::now() + ahead;
        let date = httpdate::fmt_http_date(server_now);
        let signed = r
            .header("X-Sdk-Date")
            .and_then(hcpartner::signer::parse_sdk_date)
            .unwrap();
        let off = server_now
            .duration_since(signed)
            .unwrap_or_else(|e| e.duration());
        if off > Duration::from_secs(900) {
            Action::Reply(
                401,
                vec![("Date".into(), date)],
                r#"{"error_code":"APIGW.0301","error_msg":"Signature expired"}"#.into(),
            )
        } else {
            Action::Reply(200, vec![("Date".into(), date)], "{}".into())
        }
    })
    .await;
    let c = client(&server.url);
    c.call_op(&MONEY, json!({})).await.unwrap();
    assert_eq!(server.count("/v2/money"), 2);
    assert!((c.clock_offset() - 3600).abs() <= 2, "{}", c.clock_offset());
    // The offset sticks: the next call is signed right the first time.
    c.call_op(&MONEY, json!({})).await.unwrap();
    assert_eq!(server.count("/v2/money"), 3);
}

#[tokio::test]
async fn wrong_site_says_which_site_to_use() {
    let server = Server::start(|_, _| {
        json(
            403,
            json!({"error_code": "CBC.0156", "error_msg": "customer not on this site"}),
        )
    })
    .await;
    let e = client(&server.url)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    let hint = e.hint().unwrap();
    assert!(
        hint.contains("intl") && hint.contains("bss-intl.myhuaweicloud.com"),
        "{hint}"
    );
}

#[tokio::test]
async fn undecodable_success_is_a_decode_error_with_an_excerpt() {
    let server =
        Server::start(|_, _| reply(200, &[("X-Request-Id", "r-9")], "<html>maintenance</html>"))
            .await;
    let e = client(&server.url)
        .call_op(&READ, json!({}))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.request_id()), (ErrorKind::Decode, Some("r-9")));
    assert!(e.body_excerpt().unwrap().contains("maintenance"));
}
