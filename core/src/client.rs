//! The client: one per configuration, cheap to clone, safe to share across tasks and threads.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::credentials::{Auth, Authorizer, CustomerDomain};
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::Operation;
use crate::transport::Transport;

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
        let auth = Arc::new(Authorizer::AssumeRole {
            partner: self.inner.auth.clone(),
            agency_name: agency_name.into(),
            customer,
            cache: Default::default(),
        });
        let mut config = self.inner.config.clone();
        config.auth = config
            .auth
            .clone()
            .assume_role("(see for_customer)", CustomerDomain::Id(String::new()));
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

    /// Sends `op` and returns its JSON result (declared response headers included).
    pub async fn call_op(&self, op: &Operation, params: &Value) -> Result<Value> {
        let resp = self.send(op, params).await?;
        resp.json_with_headers(op)
            .map_err(|e| e.with_operation(op.name))
    }

    /// The typed path: `req` is serialized to flat params, sent as [`Client::call_op`] sends, and
    /// the result decoded into `Resp`.
    pub async fn call_typed<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        op: &'static Operation,
        req: &Req,
    ) -> Result<Resp> {
        let params = serde_json::to_value(req).map_err(|e| {
            Error::invalid_argument("request", format!("could not be serialized: {e}"))
                .with_operation(op.name)
        })?;
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
