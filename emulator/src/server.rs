//! The HTTP side: connections served with hyper directly (so a fault can close one without an
//! answer), the gateway-like dispatch of every request (route, fault, authenticate, authorize,
//! validate, handle, count, persist), and the admin API under `/_emulator/`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hcpartner::generated::{find_model, OPERATIONS};
use hcpartner::operation::{Audience, Operation};
use hcpartner::Site;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::auth::{self, Principal, Refusal, TempKey, Token};
use crate::error::ApiError;
use crate::faults::{self, Fault, FaultKind, Stats};
use crate::handlers::{self, Ctx};
use crate::iam::{self, IamOp};
use crate::params::{self, Params};
use crate::state::State;
use crate::util::{epoch, hex_id};
use crate::{Credentials, Options};

/// Everything the request tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub opts: Options,
    pub creds: Credentials,
    pub state: Mutex<State>,
    pub tokens: Mutex<HashMap<String, Token>>,
    /// Temporary access keys by AK (`create_temporary_access_key_by_*`).
    pub temp_keys: Mutex<HashMap<String, TempKey>>,
    pub faults: Mutex<Vec<Fault>>,
    pub stats: Mutex<Stats>,
    /// Seconds added to the system clock.
    pub clock_offset: AtomicI64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    pub fn now(&self) -> SystemTime {
        hcpartner::signer::shift(SystemTime::now(), self.clock_offset.load(Ordering::Relaxed))
    }

    pub fn now_secs(&self) -> i64 {
        epoch(self.now())
    }

    fn persist(&self, st: &State) {
        if let Some(path) = &self.opts.state_file {
            if let Err(e) = st.save(path) {
                tracing::error!(path = %path.display(), error = %e, "could not write the state file");
            }
        }
    }

    /// Back to the seed: state, tokens, faults, counters and clock.
    pub fn reset(&self) {
        self.clock_offset.store(0, Ordering::Relaxed);
        let fresh = crate::state::seed::seed_for(self.now_secs(), self.opts.site);
        self.persist(&fresh);
        *lock(&self.state) = fresh;
        lock(&self.tokens).clear();
        lock(&self.temp_keys).clear();
        lock(&self.faults).clear();
        *lock(&self.stats) = Stats::default();
    }
}

/// A request as the dispatcher and the authenticator see it (header names lower-case).
#[derive(Debug)]
pub(crate) struct Incoming<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: Vec<(String, String)>,
    pub body: &'a [u8],
}

impl Incoming<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

/// Lets a handler close its connection without answering.
#[derive(Debug, Clone)]
pub(crate) struct ConnKill(pub Arc<Notify>);

enum Route {
    Bss(&'static Operation, Vec<(&'static str, String)>),
    Iam(IamOp, &'static str),
    Unknown,
}

fn route(method: &str, path: &str, body: &[u8], site: Site) -> Route {
    match (method, path.trim_end_matches('/')) {
        ("POST", "/v3/auth/tokens") => {
            return Route::Iam(IamOp::CreateToken, iam::token_op_name(body))
        }
        ("GET", "/v3/auth/tokens") => {
            return Route::Iam(IamOp::ValidateToken, "keystone_validate_token")
        }
        ("GET", "/v3/auth/domains") => {
            return Route::Iam(IamOp::ListDomains, "keystone_list_auth_domains")
        }
        ("POST", "/v3.0/OS-CREDENTIAL/securitytokens") => {
            return Route::Iam(IamOp::TemporaryKey, iam::temp_key_op_name(body))
        }
        _ => {}
    }
    match resolve(method, path, site) {
        Some((op, path_params)) => Route::Bss(op, path_params),
        None => Route::Unknown,
    }
}

/// Decoded path parameters when `path` (raw, still encoded) fits the `{name}` template.
fn match_template(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let t: Vec<&'static str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut out = Vec::new();
    for (ts, ps) in t.iter().zip(p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if ps.is_empty() {
                return None;
            }
            out.push((
                name,
                percent_encoding::percent_decode_str(ps)
                    .decode_utf8_lossy()
                    .into_owned(),
            ));
        } else if *ts != ps {
            return None;
        }
    }
    Some(out)
}

/// The operation of the generated table (`hcpartner::generated::OPERATIONS`) that `site` serves
/// at `method path`, with its decoded path parameters. The other site's operations are not
/// there, as on the real endpoint. Where two share a method and template (the temporary-key
/// pair), the first by name wins; IAM routes by body before this.
fn resolve(
    method: &str,
    path: &str,
    site: Site,
) -> Option<(&'static Operation, Vec<(&'static str, String)>)> {
    OPERATIONS
        .iter()
        .filter(|o| o.sites.has(site) && o.method.as_str().eq_ignore_ascii_case(method))
        .find_map(|o| match_template(o.path, path).map(|pp| (*o, pp)))
}

/// Whether the operation answers with no body (204): its response model has no fields.
fn empty_response(op: &Operation) -> bool {
    find_model(op.response_model).is_none_or(|m| m.fields.is_empty())
}

fn respond(shared: &Shared, request_id: &str, result: Result<Reply, ApiError>) -> Response {
    let (status, body, extra) = match result {
        Ok(r) => (r.status, r.body, r.headers),
        Err(e) => (e.status, Some(e.body(request_id)), Vec::new()),
    };
    let mut resp = match (status, body) {
        (204, _) | (_, None) => Response::new(Body::empty()),
        (_, Some(v)) => Response::new(Body::from(v.to_string())),
    };
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(shared.now())) {
        h.insert("date", v);
    }
    for (k, v) in extra {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    resp
}

/// Authenticates, authorizes, validates and runs one BSS operation.
fn process_bss(
    shared: &Shared,
    op: &'static Operation,
    path_params: &[(&'static str, String)],
    req: &Incoming<'_>,
) -> Result<Reply, (ApiError, bool)> {
    let who = auth::authenticate(shared, req, true).map_err(|r| refused(op.name, r))?;
    match (op.audience, &who) {
        (Audience::Partner, Principal::Customer(_)) => {
            let e = ApiError::denied("This API accepts only the partner's AK/SK or token.");
            return Err(refused(
                op.name,
                Refusal {
                    error: e,
                    reason: "customer credentials on a partner-only API".to_owned(),
                },
            ));
        }
        (Audience::Customer, Principal::Partner) => {
            let e = ApiError::denied("This API accepts only the customer's own AK/SK or token (partners use an assume_role token).");
            return Err(refused(
                op.name,
                Refusal {
                    error: e,
                    reason: "partner credentials on a customer-only API".to_owned(),
                },
            ));
        }
        _ => {}
    }
    let Some(reg) = handlers::registered(op.name) else {
        let msg = format!(
            "The emulator does not model operation {} ({} {}).",
            op.name,
            op.method.as_str(),
            op.path
        );
        return Err((ApiError::new(501, "EMULATOR.0501", msg), false));
    };
    let p = Params::build(
        op,
        path_params,
        req.query,
        &req.headers,
        req.body,
        shared.opts.site,
    )
    .map_err(|e| (e, false))?;
    // Bad offset/limit are refused before anything runs.
    params::paginate(op, &p, &mut Value::Null).map_err(|e| (e, false))?;
    let mut st = lock(&shared.state);
    handlers::check_resellers(reg, &p, &st).map_err(|e| (e, false))?;
    let mut ctx = Ctx {
        st: &mut st,
        p: &p,
        who: &who,
        now: shared.now_secs(),
        opts: &shared.opts,
        host: req.header("host").unwrap_or("127.0.0.1").to_owned(),
        changed: false,
    };
    let result = (reg.run)(&mut ctx);
    let changed = ctx.changed;
    if changed {
        shared.persist(&st);
    }
    let mut body = result.map_err(|e| (e, false))?;
    params::paginate(op, &p, &mut body).map_err(|e| (e, false))?;
    Ok(Reply {
        status: if empty_response(op) { 204 } else { 200 },
        body: Some(body),
        headers: Vec::new(),
    })
}

/// A successful body that does not fit its response model becomes 500 EMULATOR.0500: the
/// emulator is held to the description it serves.
fn conform(
    op_name: &str,
    result: Result<Reply, (ApiError, bool)>,
) -> Result<Reply, (ApiError, bool)> {
    let Ok(reply) = result else { return result };
    let Some(op) = hcpartner::generated::find_operation(op_name) else {
        return Ok(reply);
    };
    let body = reply.body.clone().unwrap_or(Value::Null);
    let problems = crate::conformance::check(op, &body);
    if problems.is_empty() {
        return Ok(reply);
    }
    tracing::error!(
        op = op_name,
        ?problems,
        "an answer does not fit its response model"
    );
    Err((
        ApiError::new(
            500,
            "EMULATOR.0500",
            format!(
                "The emulator's answer to {op_name} does not fit {}: {}",
                op.response_model,
                problems.join("; ")
            ),
        ),
        false,
    ))
}

fn refused(op: &str, r: Refusal) -> (ApiError, bool) {
    tracing::warn!(op, code = %r.error.code, reason = %r.reason, "refused");
    (r.error, true)
}

/// A request with everything owned, so its processing can outlive the connection.
struct Owned {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: bytes::Bytes,
}

/// Authenticates, validates and runs one routed request, then counts it. It runs as a task of
/// its own: a client that gives up and closes the connection (a timeout, a cancelled call) does
/// not stop it, so a delayed change is still applied, as on the real service.
async fn run(
    shared: Arc<Shared>,
    route: Route,
    req: Owned,
    op_name: Option<&'static str>,
    delay: Option<Duration>,
) -> Result<Reply, (ApiError, bool)> {
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let incoming = Incoming {
        method: &req.method,
        path: &req.path,
        query: req.query.as_deref(),
        headers: req.headers.clone(),
        body: &req.body,
    };
    let result = match route {
        Route::Unknown => {
            tracing::warn!(method = %req.method, path = %req.path, "refused: no such API on this site");
            Err((
                ApiError::gateway(
                    404,
                    "APIGW.0101",
                    "The API does not exist or has not been published in the environment",
                ),
                false,
            ))
        }
        Route::Iam(op, name) => conform(
            name,
            iam::handle(&shared, op, &incoming).map_err(|r| refused(name, r)),
        ),
        Route::Bss(op, pp) => conform(op.name, process_bss(&shared, op, &pp, &incoming)),
    };
    if let Some(n) = op_name {
        let mut stats = lock(&shared.stats);
        let s = stats.op(n);
        match &result {
            Ok(_) => s.applied += 1,
            Err((_, true)) => s.refused += 1,
            Err((_, false)) => s.failed += 1,
        }
    }
    result
}

/// Every request that is not admin traffic.
async fn dispatch(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response {
    let request_id = hex_id(16);
    let (parts, body) = req.into_parts();
    let kill = parts.extensions.get::<ConnKill>().cloned();
    let body = match axum::body::to_bytes(body, 12 << 20).await {
        Ok(b) => b,
        Err(_) => {
            return respond(
                &shared,
                &request_id,
                Err(ApiError::gateway(
                    413,
                    "APIGW.0201",
                    "Request entity too large",
                )),
            )
        }
    };
    let owned = Owned {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let (method, path) = (owned.method.as_str(), owned.path.as_str());
    let route = route(method, path, &owned.body, shared.opts.site);
    let op_name = match &route {
        Route::Bss(op, _) => Some(op.name),
        Route::Iam(_, name) => Some(*name),
        Route::Unknown => None,
    };
    {
        let mut stats = lock(&shared.stats);
        match op_name {
            Some(n) => stats.op(n).received += 1,
            None => stats.unknown += 1,
        }
    }
    let fault = faults::take(&mut lock(&shared.faults), method, path, op_name);
    let mut delay = None;
    if let Some(f) = &fault {
        tracing::info!(request_id, op = op_name.unwrap_or("-"), path, kind = ?f.kind, "injecting a fault");
        if let Some(n) = op_name {
            lock(&shared.stats).op(n).faulted += 1;
        }
        match f.kind {
            FaultKind::Delay => delay = Some(Duration::from_millis(f.delay_ms.unwrap_or(0))),
            FaultKind::DropBefore => return hang_up(kill).await,
            FaultKind::Fail => {
                let code = f
                    .error_code
                    .clone()
                    .unwrap_or_else(|| "CBC.0999".to_owned());
                let msg = f
                    .error_msg
                    .clone()
                    .unwrap_or_else(|| "Injected failure (emulator fault).".to_owned());
                let mut e = ApiError::new(f.status.unwrap_or(500), &code, msg);
                if code.starts_with("APIGW") {
                    e.shape = crate::error::Shape::Gateway;
                }
                return respond(&shared, &request_id, Err(e));
            }
            FaultKind::Throttle => {
                let e = ApiError::gateway(429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit, limit:10, time:1 second");
                return respond(&shared, &request_id, Err(e));
            }
            FaultKind::DropAfter => {}
        }
    }
    let task = tokio::spawn(run(shared.clone(), route, owned, op_name, delay));
    let result = match task.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "a request task failed");
            Err((
                ApiError::new(500, "EMULATOR.0500", "The emulator failed on this request."),
                false,
            ))
        }
    };
    if fault.is_some_and(|f| f.kind == FaultKind::DropAfter) {
        return hang_up(kill).await;
    }
    respond(&shared, &request_id, result.map_err(|(e, _)| e))
}

/// Closes the connection this request came on, never answering.
async fn hang_up(kill: Option<ConnKill>) -> Response {
    if let Some(k) = kill {
        k.0.notify_one();
        std::future::pending::<()>().await;
    }
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn bad(msg: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error_code": "EMULATOR.0400", "error_msg": msg.into()})),
    )
        .into_response()
}

async fn add_faults(AxState(shared): AxState<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("not JSON: {e}")),
    };
    let list = match v {
        Value::Array(a) => a,
        Value::Object(mut o) if o.contains_key("faults") => match o.remove("faults") {
            Some(Value::Array(a)) => a,
            _ => return bad("faults must be a list"),
        },
        other => vec![other],
    };
    let mut parsed = Vec::new();
    for item in list {
        match serde_json::from_value::<Fault>(item) {
            Ok(f) => match f.check() {
                Ok(()) => parsed.push(f),
                Err(e) => return bad(e),
            },
            Err(e) => return bad(format!("bad fault: {e}")),
        }
    }
    let mut faults = lock(&shared.faults);
    faults.extend(parsed);
    Json(json!({"faults": *faults})).into_response()
}

/// The admin API and the catch-all dispatcher.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/_emulator/faults",
            post(add_faults)
                .get(|AxState(s): AxState<Arc<Shared>>| async move { Json(json!({"faults": *lock(&s.faults)})) })
                .delete(|AxState(s): AxState<Arc<Shared>>| async move {
                    lock(&s.faults).clear();
                    Json(json!({"faults": []}))
                }),
        )
        .route(
            "/_emulator/stats",
            get(|AxState(s): AxState<Arc<Shared>>| async move { Json(lock(&s.stats).to_json()) }).delete(|AxState(s): AxState<Arc<Shared>>| async move {
                *lock(&s.stats) = Stats::default();
                Json(json!({}))
            }),
        )
        .route(
            "/_emulator/reset",
            post(|AxState(s): AxState<Arc<Shared>>| async move {
                s.reset();
                Json(json!({"reset": true}))
            }),
        )
        .route(
            "/_emulator/clock",
            post(|AxState(s): AxState<Arc<Shared>>, body: axum::body::Bytes| async move {
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let Some(off) = v.get("offset_seconds").and_then(Value::as_i64) else {
                    return bad("offset_seconds (an integer) is required");
                };
                s.clock_offset.store(off, Ordering::Relaxed);
                Json(json!({"offset_seconds": off, "now": crate::util::utc(s.now_secs())})).into_response()
            })
            .get(|AxState(s): AxState<Arc<Shared>>| async move {
                Json(json!({"offset_seconds": s.clock_offset.load(Ordering::Relaxed), "now": crate::util::utc(s.now_secs())}))
            }),
        )
        .route("/_emulator/state", get(|AxState(s): AxState<Arc<Shared>>| async move { Json(serde_json::to_value(&*lock(&s.state)).unwrap_or_default()) }))
        .route("/_emulator/info", get(|AxState(s): AxState<Arc<Shared>>| async move { Json(crate::info_json(&s.creds, None, s.opts.site)) }))
        .route("/_emulator/realname-qrcode/{customer_id}", get(|AxState(s): AxState<Arc<Shared>>, axum::extract::Path(id): axum::extract::Path<String>| async move {
            // The page a real-name QR code leads to: who it is for and where their review stands.
            let st = lock(&s.state);
            let now = s.now_secs();
            match st.customers.iter().find(|c| c.id == id) {
                Some(c) => Json(json!({"customer_id": c.id, "verified_status": c.verified_status(now)})).into_response(),
                None => (StatusCode::NOT_FOUND, Json(json!({"error_code": "EMULATOR.0404", "error_msg": "no such customer"}))).into_response(),
            }
        }))
        .fallback(dispatch)
        .with_state(shared)
}

/// Accepts loopback connections until `stop` flips.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let router = router(shared);
    loop {
        let (stream, peer): (tokio::net::TcpStream, SocketAddr) = tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        if !peer.ip().is_loopback() {
            tracing::warn!(%peer, "refused a connection from outside the loopback interface");
            continue;
        }
        let _ = stream.set_nodelay(true);
        let kill = Arc::new(Notify::new());
        let conn_kill = ConnKill(kill.clone());
        let app = router.clone();
        let service = hyper::service::service_fn(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(conn_kill.clone());
                app.clone().oneshot(req.map(Body::new))
            },
        );
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                r = conn => if let Err(e) = r { tracing::debug!(%peer, error = %e, "connection ended with an error") },
                _ = kill.notified() => tracing::debug!(%peer, "connection closed on purpose (fault)"),
                _ = stop.changed() => {}
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_templates() {
        let (op, pp) = resolve(
            "DELETE",
            "/v2/orders/subscriptions/resources/autorenew/abc%20d",
            Site::Cn,
        )
        .unwrap();
        assert_eq!(op.name, "cancel_auto_renewal_resources");
        assert_eq!(pp, vec![("resource_id", "abc d".to_owned())]);
        assert!(empty_response(op));
        let (op, _) = resolve("POST", "/v2/partners/sub-customers/query/", Site::Cn).unwrap();
        assert_eq!(op.name, "list_sub_customers");
        assert!(!empty_response(op));
        assert!(resolve("GET", "/v2/nothing", Site::Cn).is_none());
        assert!(resolve("PATCH", "/v2/partners/sub-customers", Site::Cn).is_none());
        // Each site serves its own operations only.
        let freeze = "/v2/partners/sub-customers/freeze";
        assert!(resolve("POST", freeze, Site::Cn).is_none());
        assert_eq!(
            resolve("POST", freeze, Site::Intl).unwrap().0.name,
            "freeze_sub_customers"
        );
        let adjust = "/v2/accounts/partner-accounts/adjust-amount";
        assert!(resolve("POST", adjust, Site::Intl).is_none());
    }

    #[test]
    fn every_operation_routes_to_its_template() {
        for op in OPERATIONS {
            let path: Vec<&str> = op
                .path
                .split('/')
                .map(|s| if s.starts_with('{') { "x" } else { s })
                .collect();
            let site = if op.sites.has(Site::Cn) {
                Site::Cn
            } else {
                Site::Intl
            };
            let (found, _) = resolve(op.method.as_str(), &path.join("/"), site).unwrap();
            assert_eq!(
                (found.method, found.path),
                (op.method, op.path),
                "{}",
                op.name
            );
        }
    }
}
