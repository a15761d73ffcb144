//! # hcpartner-emulator
//!
//! A stateful local Huawei Cloud Partner Center (BSS) with its IAM token endpoints, for tests,
//! demos and for partners testing their own integrations without moving real money.
//!
//! ```no_run
//! let emu = hcpartner_emulator::Emulator::start(Default::default()).unwrap();
//! println!("listening on {}, partner AK {}", emu.url(), emu.credentials().ak);
//! ```
//!
//! * Listens on 127.0.0.1 only (port 0 = a free port) and serves one site (`Options::site`, China
//!   by default) the way the service does: AK/SK signatures (SDK-HMAC-SHA256, verified with the
//!   `hcpartner` signer, 15-minute clock window; temporary keys with their security token) or
//!   tokens it issued itself (`POST /v3/auth/tokens`, password and assume_role).
//! * Routes by the client's own generated operation table (`hcpartner::generated::OPERATIONS`,
//!   from `core/api/`), which also gives each operation's site, audience, parameters, request
//!   models and pagination: unknown paths, and the other site's operations, answer 404
//!   APIGW.0101. Every operation of both sites is modelled ([`unmodelled_ops`] is empty), and
//!   every answer is checked against its response model ([`conformance`]).
//! * State starts from a seed (`state::seed`) and can be persisted to a JSON file.
//! * The admin API under `/_emulator/` (no auth) injects faults, counts what was applied, resets
//!   and skews the clock; see the crate README.

mod auth;
pub mod conformance;
pub mod error;
pub mod faults;
mod handlers;
mod iam;
mod issued;
pub mod params;
mod server;
pub mod state;
pub mod util;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

pub use auth::{Principal, MAX_SKEW_S};
pub use faults::{Fault, FaultKind};
pub use state::seed as seed_state;

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct Options {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Load state from this file at start (when it exists) and write it after every change.
    pub state_file: Option<PathBuf>,
    /// Start from the seed even when `state_file` exists (and overwrite it).
    pub reseed: bool,
    /// Lifetime of issued tokens (the service's is 24 h).
    pub token_ttl: Duration,
    /// How long a real-name review takes (0 = decided at once).
    pub review_delay: Duration,
    /// The site this process serves (one, as the real endpoints do): the other site's operations
    /// answer 404 APIGW.0101 and its fields CBC.0100.
    pub site: hcpartner::Site,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 0,
            state_file: None,
            reseed: false,
            token_ttl: Duration::from_secs(24 * 3600),
            review_delay: Duration::ZERO,
            site: hcpartner::Site::Cn,
        }
    }
}

/// The demo partner's credentials (fixed, so tests and examples can rely on them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credentials {
    pub ak: String,
    pub sk: String,
    pub domain_id: String,
    pub domain_name: String,
    /// IAM user for the password token (the account's own admin user: the account name).
    pub user_name: String,
    pub password: String,
    /// The agency every resale customer creates for the partner (assume_role).
    pub agency_name: String,
    /// The platform id Huawei assigned the partner (`xaccount_type` in create_sub_customer).
    pub xaccount_type: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            ak: "HCPEMUDEMOPARTNERAK01".to_owned(),
            sk: "hcp-emulator-demo-secret-key-0001".to_owned(),
            domain_id: state::seed::PARTNER_DOMAIN_ID.to_owned(),
            domain_name: state::seed::PARTNER_DOMAIN_NAME.to_owned(),
            user_name: state::seed::PARTNER_DOMAIN_NAME.to_owned(),
            password: "Demo-Passw0rd!".to_owned(),
            agency_name: state::seed::PARTNER_XACCOUNT_TYPE.to_owned(),
            xaccount_type: state::seed::PARTNER_XACCOUNT_TYPE.to_owned(),
        }
    }
}

/// The JSON description of a running emulator: URL, site, credentials and seeded ids.
pub fn info_json(creds: &Credentials, url: Option<&str>, site: hcpartner::Site) -> Value {
    use state::seed::*;
    let mut v = json!({
        "site": site.as_str(),
        "ak": creds.ak,
        "sk": creds.sk,
        "domain_id": creds.domain_id,
        "domain_name": creds.domain_name,
        "user_name": creds.user_name,
        "password": creds.password,
        "agency_name": creds.agency_name,
        "xaccount_type": creds.xaccount_type,
        "seed": {
            "resale_customer_id": SEED_RESALE_ID,
            "resale_customer_name": SEED_RESALE_NAME,
            "resale_customer_password": SEED_RESALE_PASSWORD,
            "consulting_customer_id": SEED_CONSULTING_ID,
            "consulting_customer_name": SEED_CONSULTING_NAME,
            "consulting_customer_password": SEED_CONSULTING_PASSWORD,
            "foreign_customer_id": SEED_FOREIGN_ID,
            "quota_id": QUOTA_ID,
            "expired_quota_id": QUOTA_EXPIRED_ID,
            "pending_order_id": PENDING_ORDER_ID,
            "paid_order_id": PAID_ORDER_ID,
            "server_resource_id": SEED_SERVER_ID,
            "sub_account_id": SEED_SUB_ACCOUNT_ID,
            "org_id": SEED_ORG_ID,
            "reseller_id": SEED_RESELLER_ID,
            "stored_value_card_id": SEED_CARD_ID,
            "free_resource_id": SEED_FREE_RESOURCE_ID,
        },
        "modelled_ops": modelled_ops(site),
    });
    if let Some(u) = url {
        v["url"] = json!(u);
    }
    v
}

/// Operations of `site` the emulator models: the BSS handlers and the IAM operations.
pub fn modelled_ops(site: hcpartner::Site) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = handlers::HANDLERS
        .iter()
        .map(|r| r.op)
        .chain(iam::OPS.iter().copied())
        .filter(|n| hcpartner::generated::find_operation(n).is_some_and(|o| o.sites.has(site)))
        .collect();
    v.sort_unstable();
    v
}

/// Operations of `site` in the operation table that the emulator does not model (they would
/// answer 501 EMULATOR.0501). Empty: every operation of both sites is modelled.
pub fn unmodelled_ops(site: hcpartner::Site) -> Vec<&'static str> {
    let modelled = modelled_ops(site);
    let mut v: Vec<&'static str> = hcpartner::generated::OPERATIONS
        .iter()
        .filter(|o| o.sites.has(site))
        .map(|o| o.name)
        .filter(|n| !modelled.contains(n))
        .collect();
    v.sort_unstable();
    v
}

/// A running emulator. Stops when dropped.
#[derive(Debug)]
pub struct Emulator {
    url: String,
    port: u16,
    creds: Credentials,
    shared: Arc<server::Shared>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts on 127.0.0.1 in a background thread with its own runtime; returns once listening.
    pub fn start(opts: Options) -> std::io::Result<Emulator> {
        let creds = Credentials::default();
        issued::record_configured(&creds);
        let now = util::epoch(std::time::SystemTime::now());
        let state = match &opts.state_file {
            Some(path) if path.exists() && !opts.reseed => state::State::load(path)?,
            _ => state::seed::seed_for(now, opts.site),
        };
        if let Some(path) = &opts.state_file {
            state.save(path)?;
        }
        let shared = Arc::new(server::Shared {
            opts: opts.clone(),
            creds: creds.clone(),
            state: Mutex::new(state),
            tokens: Mutex::new(Default::default()),
            temp_keys: Mutex::new(Default::default()),
            faults: Mutex::new(Vec::new()),
            stats: Mutex::new(Default::default()),
            clock_offset: Default::default(),
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let sh = shared.clone();
        let port = opts.port;
        let thread = std::thread::Builder::new()
            .name("hcpartner-emulator".to_owned())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .thread_name("hcp-emulator")
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = tx.send(listener.local_addr());
                    server::serve(listener, sh, stop_rx).await;
                });
                rt.shutdown_timeout(Duration::from_millis(200));
            })?;
        let addr = rx
            .recv()
            .map_err(|_| std::io::Error::other("the emulator thread stopped before listening"))??;
        tracing::info!(%addr, "hcpartner emulator listening");
        Ok(Emulator {
            url: format!("http://{addr}"),
            port: addr.port(),
            creds,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`: the BSS and IAM endpoint.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The demo partner's credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    /// URL, credentials and seeded ids as one JSON object (what the binary prints).
    pub fn info(&self) -> Value {
        info_json(&self.creds, Some(&self.url), self.shared.opts.site)
    }

    /// Per-operation counters (as `GET /_emulator/stats`).
    pub fn stats(&self) -> Value {
        self.shared
            .stats
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .to_json()
    }

    /// How many requests of `op` were processed successfully.
    pub fn applied(&self, op: &str) -> u64 {
        self.shared
            .stats
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .ops
            .get(op)
            .map_or(0, |s| s.applied)
    }

    /// How many requests of `op` arrived.
    pub fn received(&self, op: &str) -> u64 {
        self.shared
            .stats
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .ops
            .get(op)
            .map_or(0, |s| s.received)
    }

    /// Adds a fault (as `POST /_emulator/faults`).
    pub fn add_fault(&self, fault: Fault) {
        if let Err(e) = fault.check() {
            panic!("bad fault {fault:?}: {e}");
        }
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Skews the emulator's clock by `seconds` (as `POST /_emulator/clock`).
    pub fn set_clock_offset(&self, seconds: i64) {
        self.shared.clock_offset.store(seconds, Ordering::Relaxed);
    }

    /// Back to the seed (as `POST /_emulator/reset`).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// A copy of the current state.
    pub fn state(&self) -> state::State {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Stops listening and ends every connection.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_now();
    }
}
