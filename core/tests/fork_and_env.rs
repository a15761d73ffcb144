//! Process-level behaviour: the shared runtime and connection pool survive fork(), and the
//! environment provider reads the official variable names. One test binary, run serially.
#![allow(unsafe_code)] // fork/waitpid/_exit and set_var exist only as unsafe calls

mod support;

use std::time::Duration;

use hcpartner::credentials::{AkSk, EnvProvider, ProvideCredentials};
use hcpartner::operation::{Effect, Method, Operation};
use hcpartner::{runtime, Client, Config};
use serde_json::json;

static READ: Operation = Operation::raw("list_things", Method::Get, "/v2/read", Effect::Read);

#[test]
fn client_works_in_a_forked_child() {
    // The server lives on its own thread and runtime, so it keeps serving in the parent.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let server = support::Server::start(|_, n| support::json(200, json!({"n": n}))).await;
            tx.send(server.url.clone()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let url = rx.recv().unwrap();
    let config = Config::builder()
        .endpoint(&url)
        .credentials(AkSk::new("AK", "SK").with_domain_id("d"))
        .attempt_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    // Parent uses the shared runtime and pool first, leaving a pooled keep-alive connection.
    assert_eq!(
        runtime::block_on(client.call_op(&READ, json!({}))).unwrap()["n"],
        1
    );

    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // Child: same client object; must get a fresh runtime and pool instead of hanging.
        let ok = runtime::block_on(async {
            tokio::time::timeout(Duration::from_secs(10), client.call_op(&READ, json!({}))).await
        });
        let code = match ok {
            Ok(Ok(v)) if v["n"] == 2 => 0,
            Ok(Ok(_)) => 3,
            Ok(Err(_)) => 2,
            Err(_) => 1,
        };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status), "child did not exit normally");
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "child call failed (1 = hang/timeout, 2 = error, 3 = wrong answer)"
    );
    // And the parent still works.
    assert_eq!(
        runtime::block_on(client.call_op(&READ, json!({}))).unwrap()["n"],
        3
    );
}

#[test]
fn environment_provider_uses_official_names() {
    unsafe {
        std::env::set_var("HUAWEICLOUD_SDK_AK", "ENV-AK");
        std::env::set_var("HUAWEICLOUD_SDK_SK", "ENV-SK");
        std::env::set_var("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ENV-TOKEN");
        std::env::set_var("HUAWEICLOUD_SDK_DOMAIN_ID", "ENV-DOMAIN");
    }
    let c = runtime::block_on(EnvProvider::new().provide()).unwrap();
    assert_eq!((c.ak.as_str(), c.sk.expose()), ("ENV-AK", "ENV-SK"));
    assert_eq!(
        c.security_token.as_ref().map(|t| t.expose()),
        Some("ENV-TOKEN")
    );
    assert_eq!(c.domain_id.as_deref(), Some("ENV-DOMAIN"));
    assert!(!format!("{c:?}").contains("ENV-SK"));

    // The default chain (env, then profile) picks the environment and says so.
    let chain = hcpartner::credentials::Chain::default();
    assert_eq!(runtime::block_on(chain.provide()).unwrap().ak, "ENV-AK");
    assert!(chain.used().unwrap().contains("environment"));

    unsafe { std::env::remove_var("HUAWEICLOUD_SDK_SK") };
    let e = runtime::block_on(EnvProvider::new().provide()).unwrap_err();
    assert_eq!(e.field(), Some("HUAWEICLOUD_SDK_SK"));

    // The chain falls through to the profile file named by HUAWEICLOUD_SDK_CREDENTIALS_FILE.
    let path = std::env::temp_dir().join(format!("hcp-cred-{}", std::process::id()));
    std::fs::write(&path, "[global]\nak = FILE-AK\nsk = FILE-SK\n").unwrap();
    unsafe {
        std::env::remove_var("HUAWEICLOUD_SDK_AK");
        std::env::set_var("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &path);
    }
    let chain = hcpartner::credentials::Chain::default();
    assert_eq!(runtime::block_on(chain.provide()).unwrap().ak, "FILE-AK");
    assert!(chain.used().unwrap().contains(&path.display().to_string()));
    std::fs::remove_file(&path).unwrap();
    for k in [
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_SDK_DOMAIN_ID",
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    ] {
        unsafe { std::env::remove_var(k) };
    }
}

#[test]
fn a_fork_during_a_token_refresh_does_not_hang_the_child() {
    // IAM answers after 1.5 s, so a parent thread is inside the token fetch (holding the refresh
    // lock) when the process forks.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let server = support::Server::start(|r, n| match r.path.as_str() {
                "/v3/auth/tokens" => {
                    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
                    let body = json!({"token": {"expires_at": expires
                        .format(&time::format_description::well_known::Rfc3339).unwrap()}});
                    support::Action::Sleep(
                        Duration::from_millis(1500),
                        Box::new(support::Action::Reply(
                            201,
                            vec![("X-Subject-Token".into(), format!("tok-{n}"))],
                            body.to_string(),
                        )),
                    )
                }
                _ => support::json(200, json!({"n": n})),
            })
            .await;
            tx.send(server.url.clone()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let url = rx.recv().unwrap();
    let config = Config::builder()
        .endpoint(&url)
        .credentials(hcpartner::credentials::Password::new("u", "pw", "d"))
        .total_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let refreshing = {
        let client = client.clone();
        std::thread::spawn(move || runtime::block_on(client.call_op(&READ, json!({}))))
    };
    std::thread::sleep(Duration::from_millis(300));

    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // The inherited lock belongs to a thread that does not exist here: a fresh cache, its
        // own token fetch, done within a few seconds.
        let ok = runtime::block_on(async {
            tokio::time::timeout(Duration::from_secs(8), client.call_op(&READ, json!({}))).await
        });
        let code = match ok {
            Ok(Ok(_)) => 0,
            Ok(Err(_)) => 2,
            Err(_) => 1,
        };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child did not exit normally");
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "child call failed (1 = hang, 2 = error)"
    );
    refreshing.join().unwrap().unwrap();
}
