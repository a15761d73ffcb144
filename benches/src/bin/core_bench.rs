//! The core's cost per call against the benchmark server (static-server), in one run:
//! sequential on a current-thread runtime the calling thread drives, sequential as the blocking
//! faces call it (`facade::call_blocking` from a plain thread), and 16 / 64 calls in flight on the
//! shared runtime. Prints µs per call (min / median / max over the repeats).
//!
//! `core-bench URL [--seconds S] [--repeats N]`, or `core-bench URL --count N --path local|blocking`
//! to make exactly N calls of one path and time nothing (for `valgrind --tool=callgrind`).

use std::time::Instant;

use hcpartner::credentials::AkSk;
use hcpartner::facade;
use hcpartner::{Client, Config};
use serde_json::json;

const OP: &str = "list_sub_customers";
/// An Authorization header of a signed request's length, for the HTTP-stack-alone row.
const AUTHORIZATION: &str =
    "SDK-HMAC-SHA256 Access=BENCHAK, SignedHeaders=content-type;host;x-domain-id;x-sdk-date, \
     Signature=4b5f1e0d2c3a49d8a7e6f5041322110ffeeddccbbaa99887766554433221100f";

fn client(url: &str) -> Client {
    let config = Config::builder()
        .endpoint(url)
        .credentials(AkSk::new("BENCHAK", "BENCHSK").with_domain_id("0a1b2c3d"))
        .build()
        .expect("a config");
    Client::new(config).expect("a client")
}

/// Calls per second of `run` (which returns how many calls it made) over `seconds`.
fn rate(seconds: f64, mut run: impl FnMut() -> usize) -> f64 {
    run();
    let (mut calls, started) = (0usize, Instant::now());
    while started.elapsed().as_secs_f64() < seconds {
        calls += run();
    }
    calls as f64 / started.elapsed().as_secs_f64()
}

/// Context switches of the whole process so far (voluntary, involuntary): a thread hand-off that
/// parks and wakes a thread shows as a voluntary switch, whatever else the machine is doing.
fn switches() -> (i64, i64) {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid value.
    #[allow(unsafe_code)]
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        (u.ru_nvcsw, u.ru_nivcsw)
    }
}

fn summary(name: &str, rates: &[f64]) {
    let mut us: Vec<f64> = rates.iter().map(|r| 1e6 / r).collect();
    us.sort_by(f64::total_cmp);
    println!(
        "{name:<44} {:>8.1} {:>8.1} {:>8.1} µs/call   ({:.0} calls/s median)",
        us[0],
        us[us.len() / 2],
        us[us.len() - 1],
        1e6 / us[us.len() / 2]
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .expect("core-bench URL [--seconds S] [--repeats N]");
    let (mut seconds, mut repeats, mut count, mut path) = (1.0, 5, 0usize, String::new());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--repeats" => repeats = args.next().and_then(|s| s.parse().ok()).unwrap_or(repeats),
            "--count" => count = args.next().and_then(|s| s.parse().ok()).unwrap_or(0),
            "--path" => path = args.next().unwrap_or_default(),
            other => panic!("unknown argument {other}"),
        }
    }
    let c = client(&url);
    let params = json!({"offset": 0, "limit": 10});
    if count > 0 {
        let local = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let one = |c: &Client| match path.as_str() {
            "local" => drop(local.block_on(c.call(OP, params.clone())).expect("a call")),
            "shared" => {
                drop(hcpartner::runtime::block_on(c.call(OP, params.clone())).expect("a call"))
            }
            _ => drop(facade::call_blocking(c, OP, params.clone()).expect("a call")),
        };
        one(&c);
        let before = switches();
        for _ in 0..count {
            one(&c);
        }
        let after = switches();
        eprintln!(
            "{path}: {:.2} voluntary + {:.2} involuntary context switches per call (all threads)",
            (after.0 - before.0) as f64 / count as f64,
            (after.1 - before.1) as f64 / count as f64
        );
        return;
    }
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "core path", "min", "median", "max"
    );

    let local = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let rates: Vec<f64> = (0..repeats)
        .map(|_| {
            rate(seconds, || {
                for _ in 0..50 {
                    local.block_on(c.call(OP, params.clone())).expect("a call");
                }
                50
            })
        })
        .collect();
    summary("Client::call, current-thread runtime", &rates);

    let rates: Vec<f64> = (0..repeats)
        .map(|_| {
            rate(seconds, || {
                for _ in 0..50 {
                    facade::call_blocking(&c, OP, params.clone()).expect("a call");
                }
                50
            })
        })
        .collect();
    summary("facade::call_blocking (Python sync, C)", &rates);

    // The HTTP stack alone (hyper-util's pooled client, as the core's transport uses it, on a
    // current-thread runtime; the same POST with headers of a signed request's size, the body
    // collected): the part of the rows above that is not ours.
    let http = {
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build::<_, http_body_util::Full<bytes::Bytes>>(connector)
    };
    let target: hyper::Uri = format!("{url}/v2/partners/sub-customers/query")
        .parse()
        .expect("a URI");
    let rates: Vec<f64> = (0..repeats)
        .map(|_| {
            rate(seconds, || {
                for _ in 0..50 {
                    local.block_on(async {
                        let request = hyper::Request::post(target.clone())
                            .header("content-type", "application/json;charset=UTF-8")
                            .header("x-sdk-date", "20261201T000000Z")
                            .header("x-domain-id", "0a1b2c3d")
                            .header("authorization", AUTHORIZATION)
                            .body(http_body_util::Full::new(bytes::Bytes::from_static(
                                br#"{"offset":0,"limit":10}"#,
                            )))
                            .expect("a request");
                        let r = http.request(request).await.expect("a response");
                        let body = http_body_util::BodyExt::collect(r.into_body()).await;
                        std::hint::black_box(body.expect("a body").to_bytes());
                    });
                }
                50
            })
        })
        .collect();
    summary("HTTP stack alone (hyper-util), unsigned", &rates);

    for in_flight in [16usize, 64] {
        let rates: Vec<f64> = (0..repeats)
            .map(|_| {
                rate(seconds, || {
                    let handle = hcpartner::runtime::handle();
                    let tasks: Vec<_> = (0..in_flight)
                        .map(|_| {
                            let (c, params) = (c.clone(), params.clone());
                            handle.spawn(async move {
                                for _ in 0..10 {
                                    facade::call(&c, OP, params.clone()).await.expect("a call");
                                }
                            })
                        })
                        .collect();
                    hcpartner::runtime::block_on(async {
                        for t in tasks {
                            t.await.expect("a task");
                        }
                    });
                    in_flight * 10
                })
            })
            .collect();
        summary(
            &format!("facade::call, {in_flight} in flight (shared runtime)"),
            &rates,
        );
    }
}
