//! Signs one Partner Center call with AK/SK and sends it to a local server that checks the
//! signature the way the API gateway does. Run: `cargo run -p hcpartner --example sign_and_send`.

use std::time::SystemTime;

use hcpartner::credentials::AkSk;
use hcpartner::operation::{Effect, Method, Operation};
use hcpartner::signer::{parse_sdk_date, sign_at, SigningKey};
use hcpartner::{Client, Config};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static LIST_SUB_CUSTOMERS: Operation = Operation::raw(
    "list_sub_customers",
    Method::Post,
    "/v2/partners/sub-customers/query",
    Effect::Read,
);

/// Reads one request, re-signs what arrived with the shared SK, answers whether it matched.
async fn gateway(listener: tokio::net::TcpListener, sk: &'static str) {
    let (mut sock, _) = listener.accept().await.unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    let (head, body) = loop {
        n += sock.read(&mut buf[n..]).await.unwrap();
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0usize);
            if body.len() >= len {
                break (head.to_owned(), body.to_owned());
            }
        }
    };
    let mut lines = head.lines();
    let mut first = lines.next().unwrap().split(' ');
    let (method, target) = (first.next().unwrap(), first.next().unwrap());
    let headers: Vec<(&str, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .unwrap_or("")
    };
    let auth = get("Authorization");
    let ak = auth
        .split("Access=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or("");
    let signed_names = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or("");
    let signed: Vec<(&str, &str)> = headers
        .iter()
        .copied()
        .filter(|(k, _)| signed_names.split(';').any(|n| n.eq_ignore_ascii_case(k)))
        .collect();
    let key = SigningKey {
        ak,
        sk,
        security_token: None,
        domain_id: None,
    };
    let at = parse_sdk_date(get("X-Sdk-Date")).unwrap_or(SystemTime::UNIX_EPOCH);
    let ours = sign_at(
        method,
        &format!("http://x{target}"),
        &signed,
        body.as_bytes(),
        &key,
        at,
    )
    .unwrap();
    let valid = ours.header("Authorization") == Some(auth);
    let reply = json!({"signature_valid": valid, "signed_headers": signed_names, "domain_id": get("X-Domain-Id"),
                       "customer_infos": [], "count": 0})
    .to_string();
    let status = if valid { "200 OK" } else { "401 Unauthorized" };
    let resp = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-Request-Id: demo-0001\r\nContent-Length: {}\r\n\r\n{reply}",
        reply.len()
    );
    sock.write_all(resp.as_bytes()).await.unwrap();
}

#[tokio::main]
async fn main() -> hcpartner::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(gateway(listener, "demo-secret-key"));

    // 1. The public signer works with any HTTP client: it returns the headers to add.
    let headers = hcpartner::signer::sign(
        "POST",
        &format!("{url}/v2/partners/sub-customers/query"),
        &[("Content-Type", "application/json")],
        br#"{"offset":0,"limit":10}"#,
        "DEMOAK",
        "demo-secret-key",
    )?;
    println!("headers the signer adds:");
    for (k, v) in &headers {
        println!("  {k}: {v}");
    }

    // 2. The client signs and sends for you.
    let config = Config::builder()
        .endpoint(&url)
        .credentials(AkSk::new("DEMOAK", "demo-secret-key").with_domain_id("demo-domain-id"))
        .build()?;
    println!("\nconfig: {:?}", config.auth); // the secret key prints as ***
    let client = Client::new(config)?;
    let result = client
        .call_op(&LIST_SUB_CUSTOMERS, json!({"offset": 0, "limit": 10}))
        .await?;
    println!("\nPOST /v2/partners/sub-customers/query -> {result}");
    assert_eq!(result["signature_valid"], true);
    Ok(())
}
