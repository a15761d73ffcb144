//! Temporary AK/SK are asked for again before they expire: from the ECS metadata service (by
//! their `expires_at`), and once more when the gateway says they expired.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hcpartner::credentials::MetadataProvider;
use hcpartner::{Client, Config};
use serde_json::json;
use support::{json, Server};

fn rfc3339(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[tokio::test]
async fn metadata_keys_are_refreshed_before_they_expire() {
    let issued = Arc::new(AtomicUsize::new(0));
    let n = issued.clone();
    let server = Server::start(move |r, _| match r.path.as_str() {
        "/meta-data/latest/api/token" => support::reply(200, &[], "session-1"),
        "/openstack/latest/securitykey" => {
            assert_eq!(r.header("X-Metadata-Token"), Some("session-1"));
            let k = n.fetch_add(1, Ordering::SeqCst) + 1;
            // Two seconds of life: asked for again after one (half the lifetime at most).
            let expires = rfc3339(SystemTime::now() + Duration::from_secs(2));
            json(
                200,
                json!({"credential": {"access": format!("TMPAK{k}"), "secret": "TMPSK",
                "securitytoken": format!("TOKEN{k}"), "expires_at": expires}}),
            )
        }
        "/v3/auth/domains" => json(200, json!({"domains": [{"id": "dom-1", "name": "acct"}]})),
        _ => json(200, json!({"ok": true})),
    })
    .await;
    let config = Config::builder()
        .endpoint(&server.url)
        .credentials(hcpartner::credentials::Auth::provider(
            MetadataProvider::with_endpoint(&server.url),
        ))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let params = json!({});
    let op = hcpartner::generated::find_operation("list_conversions").unwrap();
    client.call_op(op, params.clone()).await.unwrap();
    client.call_op(op, params.clone()).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "fresh keys are reused");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client.call_op(op, params).await.unwrap();
    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "asked again before expiry"
    );
    let sent: Vec<String> = server
        .requests(op.path)
        .iter()
        .map(|r| r.header("X-Security-Token").unwrap_or("").to_owned())
        .collect();
    assert_eq!(sent, ["TOKEN1", "TOKEN1", "TOKEN2"]);
    let auth = server.requests(op.path)[2]
        .header("Authorization")
        .unwrap()
        .to_owned();
    assert!(auth.contains("Access=TMPAK2"), "{auth}");
}
