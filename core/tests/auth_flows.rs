//! Tokens by password and assume_role, single-flight refresh, lazy domain id lookup — counted on a
//! local server standing in for IAM and BSS.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hcpartner::credentials::{AkSk, Auth, CustomerDomain, Password};
use hcpartner::operation::{Effect, Method, Operation};
use hcpartner::{Client, Config, ErrorKind, Secret};
use serde_json::json;
use support::{json, verify_signature, Action, Recorded, Server};

static BSS_READ: Operation = Operation::raw(
    "list_sub_customers",
    Method::Post,
    "/v2/partners/sub-customers/query",
    Effect::Read,
);
static BSS_MONEY: Operation = Operation::raw(
    "update_customer_account_amount",
    Method::Post,
    "/v2/accounts/partner-accounts/adjust-amount",
    Effect::WriteMoney,
);

fn rfc3339(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// IAM issues tokens "tok-N"/"cust-N" (N counts issues); BSS accepts only the newest partner
/// token, any customer token, or a valid signature.
fn iam_and_bss(lifetime: Duration) -> impl Fn(&Recorded, usize) -> Action {
    let issued = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let newest = Arc::new(std::sync::Mutex::new(String::new()));
    move |r, _| match r.path.as_str() {
        "/v3/auth/tokens" => {
            let body = r.json();
            let method = body
                .pointer("/auth/identity/methods/0")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned();
            if method == "password"
                && body.pointer("/auth/identity/password/user/password")
                    != Some(&json!("pw-secret"))
            {
                return json(
                    401,
                    json!({"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}),
                );
            }
            if method == "assume_role"
                && r.header("X-Auth-Token").is_none()
                && r.header("Authorization").is_none()
            {
                return json(
                    401,
                    json!({"error": {"code": 401, "message": "no credentials"}}),
                );
            }
            std::thread::sleep(Duration::from_millis(30));
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let prefix = if method == "assume_role" {
                "cust"
            } else {
                "tok"
            };
            if prefix == "tok" {
                *newest.lock().unwrap() = format!("tok-{n}");
            }
            let now = SystemTime::now();
            Action::Reply(
                201,
                vec![("X-Subject-Token".into(), format!("{prefix}-{n}"))],
                json!({"token": {"issued_at": rfc3339(now), "expires_at": rfc3339(now + lifetime), "methods": [method]}}).to_string(),
            )
        }
        "/v3/auth/domains" => {
            if verify_signature(r, "AK", "SK") && r.header("X-Domain-Id").is_none() {
                json(
                    200,
                    json!({"domains": [{"id": "dom-looked-up", "name": "partner"}]}),
                )
            } else {
                json(
                    401,
                    json!({"error_code": "APIGW.0301", "error_msg": "bad signature"}),
                )
            }
        }
        _ => {
            let newest = newest.lock().unwrap().clone();
            match r.header("X-Auth-Token") {
                Some(t) if t == newest || t.starts_with("cust-") => json(200, json!({"token": t})),
                Some(_) => json(
                    401,
                    json!({"error_code": "APIGW.0307", "error_msg": "The token must be updated."}),
                ),
                None if verify_signature(r, "AK", "SK") => {
                    json(200, json!({"domain": r.header("X-Domain-Id")}))
                }
                None => json(
                    401,
                    json!({"error_code": "APIGW.0301", "error_msg": "bad signature"}),
                ),
            }
        }
    }
}

fn client(url: &str, auth: Auth) -> Client {
    Client::new(Config::builder().endpoint(url).auth(auth).build().unwrap()).unwrap()
}

fn password() -> Auth {
    Auth::from(Password::new("partner-admin", "pw-secret", "partner"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_tasks_one_token_request() {
    let server = Server::start(iam_and_bss(Duration::from_secs(24 * 3600))).await;
    let c = client(&server.url, password());
    assert_eq!(
        server.hits.lock().unwrap().len(),
        0,
        "construction must not touch the network"
    );
    let mut tasks = Vec::new();
    for i in 0..100 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.call_op(&BSS_READ, json!({"offset": i})).await.unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap()["token"], "tok-1");
    }
    assert_eq!(server.count("/v3/auth/tokens"), 1);
    assert_eq!(server.count(BSS_READ.path), 100);
    let token_req = &server.requests("/v3/auth/tokens")[0];
    assert_eq!(token_req.query, "nocatalog=true");
    assert_eq!(
        token_req.json().pointer("/auth/scope/domain/name"),
        Some(&json!("partner"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_expired_token_is_refreshed_once_even_for_money() {
    let server = Server::start(iam_and_bss(Duration::from_secs(24 * 3600))).await;
    let c = client(&server.url, password());
    c.call_op(&BSS_READ, json!({})).await.unwrap();
    // Another client (another process) gets a newer token; the service now rejects ours.
    client(&server.url, password())
        .call_op(&BSS_READ, json!({}))
        .await
        .unwrap();
    let out = c.call_op(&BSS_MONEY, json!({"amount": 5})).await.unwrap();
    assert_eq!(out["token"], "tok-3");
    assert_eq!(
        server.count(BSS_MONEY.path),
        2,
        "rejected once by the gateway, then applied once"
    );
    assert_eq!(server.count("/v3/auth/tokens"), 3);
}

#[tokio::test]
async fn tokens_are_refreshed_before_expiry() {
    // Tokens live 2 s; with the margin capped at half the lifetime, one is refreshed after ~1 s.
    let server = Server::start(iam_and_bss(Duration::from_secs(2))).await;
    let c = client(&server.url, password());
    c.call_op(&BSS_READ, json!({})).await.unwrap();
    c.call_op(&BSS_READ, json!({})).await.unwrap();
    assert_eq!(server.count("/v3/auth/tokens"), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        c.call_op(&BSS_READ, json!({})).await.unwrap()["token"],
        "tok-2"
    );
    assert_eq!(server.count("/v3/auth/tokens"), 2);
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_without_the_password() {
    let server = Server::start(iam_and_bss(Duration::from_secs(3600))).await;
    let c = client(
        &server.url,
        Auth::from(Password::new("partner-admin", "WRONG-pw-123", "partner")),
    );
    let e = c.call_op(&BSS_READ, json!({})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.message().contains("username or password is wrong"), "{e}");
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("WRONG-pw-123"), "{shown}");
    assert_eq!(server.count("/v3/auth/tokens"), 1);
}

#[tokio::test]
async fn assume_role_acts_for_a_customer() {
    let server = Server::start(iam_and_bss(Duration::from_secs(3600))).await;
    let partner = client(&server.url, password());
    let customer =
        partner.for_customer("partner_agency", CustomerDomain::Id("cust-domain-7".into()));
    assert_eq!(
        customer.call_op(&BSS_READ, json!({})).await.unwrap()["token"],
        "cust-2"
    );
    assert_eq!(
        customer.call_op(&BSS_READ, json!({})).await.unwrap()["token"],
        "cust-2"
    );
    let reqs = server.requests("/v3/auth/tokens");
    assert_eq!(reqs.len(), 2, "one partner token, one customer token");
    let ar = reqs[1].json();
    assert_eq!(
        ar.pointer("/auth/identity/assume_role/agency_name"),
        Some(&json!("partner_agency"))
    );
    assert_eq!(
        ar.pointer("/auth/identity/assume_role/domain_id"),
        Some(&json!("cust-domain-7"))
    );
    assert_eq!(reqs[1].header("X-Auth-Token"), Some("tok-1"));
    // The partner client keeps its own token.
    assert_eq!(
        partner.call_op(&BSS_READ, json!({})).await.unwrap()["token"],
        "tok-1"
    );

    // assume_role by AK/SK: the token request is signed instead.
    let signed = client(
        &server.url,
        Auth::from(AkSk::new("AK", "SK").with_domain_id("d")),
    )
    .for_customer("a", CustomerDomain::Name("acme".into()));
    signed.call_op(&BSS_READ, json!({})).await.unwrap();
    let last = server.requests("/v3/auth/tokens").pop().unwrap();
    assert!(
        last.header("Authorization").is_some()
            && last
                .json()
                .pointer("/auth/identity/assume_role/domain_name")
                == Some(&json!("acme"))
    );
}

#[tokio::test]
async fn domain_id_is_looked_up_once_on_first_call() {
    let server = Server::start(iam_and_bss(Duration::from_secs(3600))).await;
    let c = client(&server.url, Auth::from(AkSk::new("AK", "SK")));
    assert_eq!(server.hits.lock().unwrap().len(), 0);
    for _ in 0..3 {
        assert_eq!(
            c.call_op(&BSS_READ, json!({})).await.unwrap()["domain"],
            "dom-looked-up"
        );
    }
    // A second client with the same AK reuses the process-wide cache.
    client(&server.url, Auth::from(AkSk::new("AK", "SK")))
        .call_op(&BSS_READ, json!({}))
        .await
        .unwrap();
    assert_eq!(server.count("/v3/auth/domains"), 1);
}

#[tokio::test]
async fn a_given_token_is_sent_as_is() {
    let server = Server::start(iam_and_bss(Duration::from_secs(3600))).await;
    let c = client(&server.url, Auth::Token(Secret::new("cust-external")));
    assert_eq!(
        c.call_op(&BSS_READ, json!({})).await.unwrap()["token"],
        "cust-external"
    );
    assert_eq!(server.count("/v3/auth/tokens"), 0);
}
