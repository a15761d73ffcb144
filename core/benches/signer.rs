//! Time per signature of a typical BSS request (benches/signer_case.json), for comparison with the
//! official Python signer (`benches/signer.sh` runs both and prints the ratio).

use std::time::SystemTime;

use criterion::{criterion_group, criterion_main, Criterion};
use hcpartner::signer::{parse_sdk_date, sign_at, SigningKey};

fn bench(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/signer_case.json");
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("signer_case.json")).unwrap();
    let s = |k: &str| case[k].as_str().unwrap().to_owned();
    let (method, url, body, ak, sk, domain) = (
        s("method"),
        s("url"),
        s("body"),
        s("ak"),
        s("sk"),
        s("domain_id"),
    );
    let headers: Vec<(String, String)> = case["headers"]
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
    let at: SystemTime = parse_sdk_date(case["time"].as_str().unwrap()).unwrap();
    let key = SigningKey {
        ak: &ak,
        sk: &sk,
        security_token: None,
        domain_id: Some(&domain),
    };
    let hdrs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signed = sign_at(&method, &url, &hdrs, body.as_bytes(), &key, at).unwrap();
    eprintln!(
        "hcpartner Authorization: {}",
        signed.header("Authorization").unwrap()
    );
    c.bench_function("sign_bss_request", |b| {
        b.iter(|| {
            sign_at(
                &method,
                &url,
                std::hint::black_box(&hdrs),
                body.as_bytes(),
                &key,
                at,
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
