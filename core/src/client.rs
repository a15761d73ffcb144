//! The client: one per configuration, cheap to clone, safe to share across tasks and threads.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::credentials::{Auth, Authorizer, CustomerDomain};
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::generated::{find_model, find_operation};
use crate::operation::Operation;
use crate::transport::Transport;
use crate::validate::validate;

/// Looks an operation up by name, with an error that says what exists.
pub(crate) fn operation_named(name: &str) -> Result<&'static Operation> {
    find_operation(name).ok_or_else(|| {
        Error::invalid_argument(
            "operation",
            format!("unknown operation {name:?}; see hcpartner::generated::OPERATIONS"),
        )
    })
}

/// Optional fields a typed request leaves unset serialize as `null`; the wire omits them.
fn drop_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

/// Some operations answer HTTP 200 with an error code in the body (CBC.5001 "caller is not a
/// partner", …). Unless the response model itself has `error_code` (check_user_identity does),
/// such a body is an error.
fn error_in_success(op: &Operation, v: &Value, resp: &Response) -> Option<Error> {
    let code = v.get("error_code")?.as_str()?;
    if code.is_empty() || code == "CBC.0000" {
        return None;
    }
    if find_model(op.response_model)
        .is_some_and(|m| m.fields.iter().any(|f| f.name == "error_code"))
    {
        return None;
    }
    let msg = v
        .get("error_msg")
        .and_then(Value::as_str)
        .unwrap_or("error reported in a successful response")
        .to_owned();
    Some(Error::from_response(
        resp.status,
        Some(code.to_owned()),
        msg,
        resp.request_id.clone(),
        None,
    ))
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

/// A successful raw response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub request_id: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: bytes::Bytes,
}

impl Response {
    /// The body as JSON; an empty body reads as `{}`.
    pub fn json(&self) -> Result<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Default::default()));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                Dispatch::Responded,
                format!("the response is not valid JSON: {e}"),
            )
            .with_status(self.status)
            .with_request_id(self.request_id.clone())
            .with_body_excerpt(&self.body)
        })
    }

    /// The body as JSON with the operation's declared response headers added under their names.
    pub fn json_with_headers(&self, op: &Operation) -> Result<Value> {
        let mut v = self.json()?;
        if let Value::Object(map) = &mut v {
            for name in op.response_headers {
                if let Some(h) = self.headers.get(*name).and_then(|h| h.to_str().ok()) {
                    map.insert((*name).to_owned(), Value::String(h.to_owned()));
                }
            }
        }
        Ok(v)
    }
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
        let auth = Arc::new(Authorizer::AssumeRole {
            partner: self.inner.auth.clone(),
            agency_name,
            customer,
            cache: Default::default(),
        });
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

    /// Sends `op` with flat `params` and returns the raw response. No schema validation: the
    /// generated operations and [`Client::call`] validate first.
    pub async fn send(&self, op: &Operation, params: &Value) -> Result<Response> {
        self.execute(op, params, &self.inner.auth).await
    }

    /// Sends `op` without schema validation and returns its JSON result (declared response
    /// headers included). For operations outside the generated table; prefer [`Client::call`].
    pub async fn call_op(&self, op: &Operation, params: &Value) -> Result<Value> {
        let resp = self.send(op, params).await?;
        let value = resp
            .json_with_headers(op)
            .map_err(|e| e.with_operation(op.name))?;
        match error_in_success(op, &value, &resp) {
            Some(e) => Err(e.with_operation(op.name)),
            None => Ok(value),
        }
    }

    /// Calls an operation by its official name (`list_sub_customers`, or camelCase
    /// `listSubCustomers`) with flat params: path, query and header parameters and the body's
    /// fields side by side. Validated against the API description first: bad input fails with
    /// `InvalidArgument` naming the field, and nothing is sent. This is the entry the Python,
    /// Node and C faces use.
    pub async fn call(&self, operation: &str, params: Value) -> Result<Value> {
        let op = operation_named(operation)?;
        validate(op, &params)?;
        crate::site::check_site(op, &params, self.inner.config.site)?;
        self.call_op(op, &params).await
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
        validate(op, &params)?;
        crate::site::check_site(op, &params, self.inner.config.site)?;
        let value = self.call_op(op, &params).await?;
        serde_json::from_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                Dispatch::Responded,
                format!("the response does not match {}: {e}", op.response_model),
            )
            .with_operation(op.name)
        })
    }
}
