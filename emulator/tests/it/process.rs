//! The admin API over HTTP, persistence, and the binary's startup line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use hcpartner_emulator::Options;
use serde_json::{json, Value};

use crate::common::*;

async fn admin(method: reqwest::Method, url: String, body: Option<Value>) -> Value {
    let mut rb = http().request(method, url);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    resp.json().await.unwrap()
}

#[tokio::test]
async fn admin_api_over_http() {
    let emu = start();
    let p = partner(&emu);
    let u = emu.url().to_owned();
    let f = admin(reqwest::Method::POST, format!("{u}/_emulator/faults"), Some(json!({"path": "/v2/partners/sub-customers", "method": "POST", "kind": "fail", "status": 400, "error_code": "CBC.99000051", "count": 2}))).await;
    assert_eq!(f["faults"][0]["count"], 2);
    assert_eq!(
        code(
            raw(
                &p,
                "create_sub_customer",
                json!({"xaccount_id": "h1", "xaccount_type": "hcp_demo_IDP"})
            )
            .await
        ),
        "CBC.99000051"
    );
    admin(
        reqwest::Method::DELETE,
        format!("{u}/_emulator/faults"),
        None,
    )
    .await;
    new_customer(&p, "h1", None).await;
    let stats = admin(reqwest::Method::GET, format!("{u}/_emulator/stats"), None).await;
    assert_eq!(
        (
            stats["ops"]["create_sub_customer"]["received"].as_u64(),
            stats["ops"]["create_sub_customer"]["applied"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let bad = http()
        .post(format!("{u}/_emulator/faults"))
        .json(&json!({"path": "/x", "kind": "explode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let clock = admin(
        reqwest::Method::POST,
        format!("{u}/_emulator/clock"),
        Some(json!({"offset_seconds": -7200})),
    )
    .await;
    assert_eq!(clock["offset_seconds"], -7200);
    admin(reqwest::Method::POST, format!("{u}/_emulator/reset"), None).await;
    let list = p.call("list_sub_customers", json!({})).await.unwrap();
    assert_eq!(
        list["count"], 2,
        "reset drops created customers (and the skew)"
    );
    let stats = admin(reqwest::Method::GET, format!("{u}/_emulator/stats"), None).await;
    assert!(stats["ops"].get("create_sub_customer").is_none());

    // Every answer carries a request id and a JSON content type, errors included.
    let r = http().get(format!("{u}/v2/nothing")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.headers().get("x-request-id").is_some());
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_code"], "APIGW.0101");
    let r = http()
        .post(format!("{u}/v2/partners/sub-customers/query"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("x-request-id").is_some());
}

#[tokio::test]
async fn state_persists_across_restarts() {
    let dir = std::env::temp_dir().join(format!("hcp-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let opts = Options {
        state_file: Some(file.clone()),
        ..Default::default()
    };
    let id = {
        let emu = start_with(opts.clone());
        let p = partner(&emu);
        let id = new_customer(&p, "keep-1", None).await;
        p.call(
            "update_customer_account_amount",
            json!({"customer_id": id, "amount": num("12.34")}),
        )
        .await
        .unwrap();
        id
    };
    let emu = start_with(opts.clone());
    let st = emu.state();
    let c = st
        .customers
        .iter()
        .find(|c| c.id == id)
        .expect("the customer survived the restart");
    assert_eq!(c.balance.to_string(), "12.34");
    drop(emu);
    let emu = start_with(Options {
        reseed: true,
        ..opts
    });
    assert!(
        emu.state().customers.iter().all(|c| c.id != id),
        "--seed starts over"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn binary_prints_its_url_and_credentials() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hcpartner-emulator"))
        .args(["--port", "0", "--token-ttl", "600"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let url = info["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let cfg = hcpartner::Config::builder()
        .endpoint(url)
        .credentials(
            hcpartner::credentials::AkSk::new(
                info["ak"].as_str().unwrap(),
                info["sk"].as_str().unwrap(),
            )
            .with_domain_id(info["domain_id"].as_str().unwrap()),
        )
        .build()
        .unwrap();
    let v = hcpartner::Client::new(cfg)
        .unwrap()
        .call("list_sub_customers", json!({}))
        .await;
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(v.unwrap()["count"], 2);
    assert_eq!(info["seed"]["resale_customer_id"], SEED_RESALE_ID);
}
