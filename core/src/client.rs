//! The client: one per configuration, cheap to clone, safe to share across tasks and threads.

use std::sync::Arc;
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::credentials::{Auth, Authorizer, CustomerDomain};
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::generated::find_operation;
use crate::operation::Operation;
use crate::per_call::PerCall;
use crate::pipeline::{Meta, Progress, Reply};
use crate::response::Want;
use crate::transport::Transport;
use crate::validate::validate;

/// Looks an operation up by name, with an error that says what exists.
pub(crate) fn operation_named(name: &str) -> Result<&'static Operation> {
    find_operation(name).ok_or_else(|| {
        let near = crate::generated::OPERATIONS
            .iter()
            .map(|o| (strsim(name, o.name), o.name))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, n)| format!("; did you mean {n:?}?"))
            .unwrap_or_default();
        Error::invalid_argument(
            "operation",
            format!(
                "unknown operation {:?}{near} (hcpartner knows {} operations: see OPERATIONS)",
                crate::error::quote(name),
                crate::generated::OPERATIONS.len()
            ),
        )
    })
}

/// Edit distance, for "did you mean" (names are short).
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Optional fields a typed request leaves unset serialize as `null`; the wire omits them.
fn drop_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

/// A Partner Center client. Construction never touches the network.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub config: Config,
    pub transport: Arc<Transport>,
    pub auth: Arc<Authorizer>,
}

impl Client {
    /// A client for `config`. Fails only on bad configuration (TLS or proxy setup).
    pub fn new(config: Config) -> Result<Client> {
        let transport = Arc::new(Transport::new(&config)?);
        let auth = Arc::new(Authorizer::new(&config.auth));
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport,
                auth,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A client that acts for a resale customer through assume_role, sharing this client's
    /// connection pool and the partner's cached credentials.
    pub fn for_customer(&self, agency_name: impl Into<String>, customer: CustomerDomain) -> Client {
        let agency_name = agency_name.into();
        let mut config = self.inner.config.clone();
        config.auth = config
            .auth
            .clone()
            .assume_role(agency_name.clone(), customer.clone());
        // The partner's authorizer is shared, not rebuilt: its cached token serves both clients.
        let auth = Arc::new(Authorizer::assume_role(
            self.inner.auth.clone(),
            agency_name,
            customer,
        ));
        Client {
            inner: Arc::new(Inner {
                config,
                transport: self.inner.transport.clone(),
                auth,
            }),
        }
    }

    /// A client with other credentials sharing this client's connection pool.
    pub fn with_auth(&self, auth: Auth) -> Client {
        let mut config = self.inner.config.clone();
        config.auth = auth;
        let authorizer = Arc::new(Authorizer::new(&config.auth));
        Client {
            inner: Arc::new(Inner {
                config,
                transport: self.inner.transport.clone(),
                auth: authorizer,
            }),
        }
    }

    /// The clock offset (server minus local, seconds) learned from a rejected signature.
    pub fn clock_offset(&self) -> i64 {
        self.inner.transport.clock_offset()
    }

    /// Checks `params` against `op` and this client's site before anything is sent.
    pub(crate) fn check(&self, op: &Operation, params: &Value) -> Result<()> {
        validate(op, params)?;
        crate::site::check_site(op, params, self.inner.config.site)
    }

    /// Runs `op` (already validated, `per` too) under the call's deadline.
    pub(crate) async fn run(
        &self,
        op: &Operation,
        params: Value,
        progress: Option<&Progress>,
        want: Want,
        per: &PerCall,
    ) -> Result<Reply> {
        let total = self.total_timeout(per);
        let deadline = Instant::now() + total;
        self.execute(op, params, &self.inner.auth, deadline, progress, want, per)
            .await
    }

    /// How long a call with `per` may take, every attempt and wait included.
    pub(crate) fn total_timeout(&self, per: &PerCall) -> std::time::Duration {
        per.total_timeout.unwrap_or(self.inner.config.total_timeout)
    }

    /// The ticket an abandoned call of `op` gets (see [`crate::facade::reconcile`]): from now, by
    /// the server's clock as this client knows it, to when the call must have ended.
    pub(crate) fn abandoned_ticket(
        &self,
        op: &Operation,
        params: &Value,
        per: &PerCall,
    ) -> Option<crate::facade::reconcile::Ticket> {
        use crate::facade::reconcile::{settles, ticket_of};
        // Asked for every spawned call: reads and other operations stop here, before the clock.
        if !settles(op) {
            return None;
        }
        let began = self.inner.transport.now();
        let ended = began + self.total_timeout(per);
        Some(ticket_of(op, params, began, ended))
    }

    /// Sends `op` without schema validation and returns its JSON result (declared response
    /// headers included). For operations outside the generated table; prefer [`Client::call`].
    pub async fn call_op(&self, op: &Operation, params: Value) -> Result<Value> {
        self.run(op, params, None, Want::Value, &PerCall::default())
            .await?
            .into_value()
    }

    /// Calls an operation by its official name (`list_sub_customers`, or camelCase
    /// `listSubCustomers`) with flat params: path, query and header parameters and the body's
    /// fields side by side. Validated against the API description first: bad input fails with
    /// `InvalidArgument` naming the field, and nothing is sent. This is the entry the Python,
    /// Node and C faces use (through [`crate::facade`]).
    pub async fn call(&self, operation: &str, params: Value) -> Result<Value> {
        Ok(self.call_with_meta(operation, params).await?.0)
    }

    /// [`Client::call`], with the request id, status, attempts and time of the answer.
    pub async fn call_with_meta(&self, operation: &str, params: Value) -> Result<(Value, Meta)> {
        self.call_with(operation, params, &PerCall::default()).await
    }

    /// [`Client::call_with_meta`] with this call's own deadline, retries or extra headers.
    pub async fn call_with(
        &self,
        operation: &str,
        params: Value,
        per: &PerCall,
    ) -> Result<(Value, Meta)> {
        let op = operation_named(operation)?;
        self.check(op, &params)?;
        per.check(op)?;
        let reply = self.run(op, params, None, Want::Value, per).await?;
        let meta = reply.meta.clone();
        Ok((reply.into_value()?, meta))
    }

    /// The typed path: `req` is serialized to flat params, validated and sent exactly as
    /// [`Client::call`] does, and the result decoded into `Resp`.
    pub async fn call_typed<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        op: &'static Operation,
        req: &Req,
    ) -> Result<Resp> {
        let params = serde_json::to_value(req).map_err(|e| {
            Error::invalid_argument("request", format!("could not be serialized: {e}"))
                .with_operation(op.name)
        })?;
        let params = drop_nulls(params);
        self.check(op, &params)?;
        let reply = self
            .run(op, params, None, Want::Value, &PerCall::default())
            .await?;
        let meta = reply.meta.clone();
        serde_json::from_value(reply.into_value()?).map_err(|e| {
            let mut err = Error::new(
                ErrorKind::Decode,
                Dispatch::Responded,
                format!("the response does not match {}: {e}", op.response_model),
            )
            .with_operation(op.name)
            .with_status(meta.status)
            .with_request_id(meta.request_id.clone());
            if !op.effect.is_idempotent() {
                err = err.with_hint(format!(
                    "the server accepted and applied {}; only its answer is unreadable. Do not send it again",
                    op.name
                ));
            }
            err
        })
    }
}
