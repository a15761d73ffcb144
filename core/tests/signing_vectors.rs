//! Our signer against vectors produced by the official `huaweicloudsdkcore` signer
//! (tests/vectors/make_vectors.py): canonical request, Authorization and every added header
//! must match byte for byte.

use hcpartner::signer::{canonical_query_string, parse_sdk_date, sign_at, SigningKey};
use serde_json::Value;

fn load() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signing.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("tests/vectors/signing.json"))
        .unwrap()
}

#[test]
fn official_vectors() {
    let doc = load();
    let vectors = doc["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 40, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let s = |k: &str| v[k].as_str().map(str::to_owned);
        let headers: Vec<(String, String)> = v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let hdrs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (ak, sk, token, domain) = (
            s("ak").unwrap(),
            s("sk").unwrap(),
            s("security_token"),
            s("domain_id"),
        );
        let key = SigningKey {
            ak: &ak,
            sk: &sk,
            security_token: token.as_deref(),
            domain_id: domain.as_deref(),
        };
        // Vectors with "time": null carry their own X-Sdk-Date; the clock must then not matter.
        let at = match v["time"].as_str() {
            Some(t) => parse_sdk_date(t).unwrap(),
            None => std::time::SystemTime::UNIX_EPOCH,
        };
        let url = v["url"].as_str().unwrap();
        let signed = match sign_at(
            v["method"].as_str().unwrap(),
            url,
            &hdrs,
            v["body"].as_str().unwrap().as_bytes(),
            &key,
            at,
        ) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: error {e}"));
                continue;
            }
        };
        let exp = &v["expected"];
        if signed.canonical_request != exp["canonical_request"].as_str().unwrap() {
            failures.push(format!(
                "{name}: canonical request differs\n--- ours\n{}\n--- official\n{}",
                signed.canonical_request,
                exp["canonical_request"].as_str().unwrap()
            ));
            continue;
        }
        if signed.header("Authorization") != exp["authorization"].as_str() {
            failures.push(format!("{name}: Authorization differs"));
        }
        // Every header we add must be one the SDK added, with the same value.
        for (k, val) in &signed.headers {
            let official = exp["added_headers"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(ek, _)| ek.eq_ignore_ascii_case(k));
            match official {
                Some((_, ev)) if ev.as_str() == Some(val.as_str()) => {}
                other => {
                    failures.push(format!("{name}: header {k}={val:?} but official {other:?}"))
                }
            }
        }
        // And every header the SDK added (not merely trimmed) must be among ours.
        for (ek, _) in exp["added_headers"].as_object().unwrap() {
            let was_given = headers.iter().any(|(k, _)| k == ek);
            if !was_given && signed.header(ek).is_none() {
                failures.push(format!("{name}: the SDK added {ek}, we did not"));
            }
        }
        let uri = exp["request_uri"].as_str().unwrap();
        let official_query = uri.split_once('?').map_or("", |(_, q)| q);
        if canonical_query_string(url).unwrap() != official_query {
            failures.push(format!(
                "{name}: sent query differs: {} vs {official_query}",
                canonical_query_string(url).unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}
