//! The Rust side of benches/c_call.sh: the same call as benches/c_call.c through the core — the
//! facade's blocking call and the answer's JSON text, what `hcp_call` does without the C ABI —
//! against the same static server. Prints the mean ns per call. Usage: core_call ENDPOINT CALLS
use std::time::Instant;

use hcpartner::credentials::AkSk;
use hcpartner::{Client, Config};
use serde_json::json;

fn one_call(client: &Client) {
    let params = json!({"offset": 0, "limit": 10});
    let answer = hcpartner::facade::call_blocking(client, "list_sub_customers", params)
        .and_then(hcpartner::facade::Answer::into_json);
    std::hint::black_box(answer.expect("list_sub_customers"));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (endpoint, calls): (&str, u32) = (&args[1], args[2].parse().expect("CALLS"));
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(
            AkSk::new("BENCHAK", "BENCHSK").with_domain_id("0a1b2c3d4e5f40718293a4b5c6d7e8f9"),
        )
        .build()
        .expect("config");
    let client = Client::new(config).expect("client");
    for _ in 0..200 {
        one_call(&client);
    }
    let start = Instant::now();
    for _ in 0..calls {
        one_call(&client);
    }
    println!(
        "{:.0}",
        start.elapsed().as_nanos() as f64 / f64::from(calls)
    );
}
