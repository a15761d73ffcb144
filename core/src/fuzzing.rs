//! Entry points for the fuzz targets (`fuzz/`, `make fuzz`) and for the replay of their corpus in
//! `make test`: each takes arbitrary bytes, runs one parser of the core on them, and checks what
//! must hold whatever the input (no panic is the fuzzer's own check). Built with the `fuzzing`
//! feature or for the core's tests; not part of the API.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::error::ErrorKind;
use crate::facade::{ClientOptions, Schema};
use crate::generated::models::{MonthlyBillRes, ResFeeRecordV2, SubCustomerMonthlyBillDetail};
use crate::generated::OPERATIONS;
use crate::response::{self, Want};
use crate::signer::{self, SigningKey};
use crate::transport::Incoming;

/// One fuzz target: arbitrary bytes in, a panic on a broken rule.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/fuzz_targets/*.rs` and `fuzz/corpus/<name>/` call them.
pub const TARGETS: &[(&str, Target)] = &[
    ("error_body", error_body),
    ("response_decode", response_decode),
    ("signer", signer),
    ("params", params),
    ("options", options),
    ("h1_response", h1_response),
];

fn incoming(status: u16, body: &[u8]) -> Incoming {
    Incoming {
        status,
        headers: Default::default(),
        body: bytes::Bytes::copy_from_slice(body),
    }
}

/// The error of any non-2xx answer: a kind, a message, and an excerpt no longer than its bound.
pub fn error_body(data: &[u8]) {
    let status = 400 + u16::from(data.first().copied().unwrap_or(0)) % 200;
    let e = response::error_from_response(&incoming(status, data));
    assert!(!e.message().is_empty());
    assert_eq!(e.status(), Some(status));
    if let Some(x) = e.body_excerpt() {
        // Bounded in characters (an ellipsis when cut), whatever the bytes were.
        let chars = x.chars().count();
        assert!(chars <= crate::error::BODY_EXCERPT_MAX + 1, "{chars}");
    }
}

/// The answers whose items are the three largest response models (`ResFeeRecordV2`,
/// `MonthlyBillRes`, `SubCustomerMonthlyBillDetail`).
const LARGEST_HOLDERS: &[&str] = &[
    "ListCustomerselfResourceRecordDetailsResponse",
    "ListCustomerselfResourceRecordsResponse",
    "ListSubCustomerBillDetailResponse",
];

/// A 200 answer to the operations whose answers are the three largest models, decoded as the
/// faces decode it (outcome, then the value) and as the typed API does.
pub fn response_decode(data: &[u8]) {
    let holding = |o: &&&crate::Operation| LARGEST_HOLDERS.contains(&o.response_model);
    for op in OPERATIONS.iter().filter(holding) {
        for want in [Want::Value, Want::Raw] {
            if let Ok(body) = response::outcome(op, &incoming(200, data), want) {
                if let Ok(v) = body.into_value() {
                    let _ = crate::facade::shape(
                        Schema::response(op),
                        v,
                        crate::facade::Numbers::Strings,
                    );
                }
            }
        }
    }
    let _ = serde_json::from_slice::<ResFeeRecordV2>(data);
    let _ = serde_json::from_slice::<MonthlyBillRes>(data);
    let _ = serde_json::from_slice::<SubCustomerMonthlyBillDetail>(data);
}

/// A URL, headers and a body from the bytes (lines: the URL, then `name: value` lines, then a
/// blank line and the body): the signature is made or refused with an error, and it is the same
/// twice.
pub fn signer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let url = lines.next().unwrap_or_default();
    let headers: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once(':')).collect();
    let key = SigningKey {
        ak: "FUZZAK",
        sk: "FUZZSK",
        security_token: None,
        domain_id: None,
    };
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let once = signer::sign_at("POST", url, &headers, body.as_bytes(), &key, at);
    let again = signer::sign_at("POST", url, &headers, body.as_bytes(), &key, at);
    match (once, again) {
        (Ok(a), Ok(b)) => assert_eq!(a.headers, b.headers),
        (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
        _ => panic!("signing the same request twice disagreed"),
    }
    let _ = signer::canonical_query_string(url);
}

/// Parameters from arbitrary JSON for an operation chosen by the first byte: validated and built
/// into a request, or refused with an invalid-argument error that names a field.
pub fn params(data: &[u8]) {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    let op = OPERATIONS[usize::from(pick) % OPERATIONS.len()];
    let Ok(v) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    // One config for every input: building it is not what is fuzzed.
    static CONFIG: std::sync::OnceLock<crate::Config> = std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        crate::Config::builder()
            .endpoint("http://127.0.0.1:9")
            .credentials(crate::credentials::AkSk::new("FUZZAK", "FUZZSK").with_domain_id("d"))
            .build()
            .expect("a fixed config")
    });
    match crate::validate::validate(op, &v).and_then(|()| crate::request::build(config, op, v)) {
        Ok(_) => {}
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            assert!(
                e.field().is_some_and(|f| !f.is_empty()),
                "no field named: {e}"
            );
        }
    }
}

/// The facade's client options from arbitrary JSON: a config, or a configuration or argument
/// error naming the field, and never a secret in the message.
pub fn options(data: &[u8]) {
    let Ok(v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let secret = v
        .pointer("/credentials/sk")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let r = ClientOptions::from_value(v, "options").and_then(ClientOptions::into_config);
    if let Err(e) = r {
        assert!(e.field().is_some(), "no field named: {e}");
        // (Unless the input itself repeats it elsewhere, say in a key the error names.)
        let text = String::from_utf8_lossy(data);
        if let Some(sk) = secret.filter(|s| s.len() >= 8 && text.matches(s.as_str()).count() == 1) {
            assert!(!e.to_string().contains(&sk), "the secret in an error: {e}");
        }
    }
}

/// An answer as the calling task's HTTP/1.1 exchange reads it (`core/src/h1.rs`): framed, or
/// refused as something that may have been sent; never more body than bytes came.
pub fn h1_response(data: &[u8]) {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
    }
    let mut io = data;
    let wait = || tokio::time::Instant::now() + Duration::from_secs(5);
    let r = RUNTIME.with(|rt| rt.block_on(crate::h1::read_response(&mut io, &wait)));
    match r {
        Ok((answer, _)) => assert!(answer.body.len() <= data.len(), "a body out of nothing"),
        Err(e) => assert_eq!(
            (e.kind(), e.dispatch()),
            (ErrorKind::Connect, crate::Dispatch::MaybeSent),
            "{e}"
        ),
    }
}

#[cfg(test)]
mod tests {
    /// The committed corpus (`fuzz/corpus/<target>/`) replays without a failure.
    #[test]
    fn the_fuzz_corpus_replays() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
        let mut replayed = 0;
        for (name, target) in super::TARGETS {
            let dir = root.join(name);
            let entries =
                std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            for entry in entries {
                let path = entry.unwrap().path();
                let data = std::fs::read(&path).unwrap();
                let r = std::panic::catch_unwind(|| target(&data));
                assert!(r.is_ok(), "{name}: {} fails", path.display());
                replayed += 1;
            }
        }
        assert!(
            replayed >= 5 * super::TARGETS.len(),
            "only {replayed} corpus files"
        );
    }
}
