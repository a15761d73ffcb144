//! `hcpartner._native.Client`: a converter over the core's `call(operation, params)`.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::StreamExt;
use hcpartner::retry::RetryConfig;
use hcpartner::{runtime, Client as CoreClient, Config, Language, Site};
use pyo3::exceptions::{PyStopAsyncIteration, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::aio::{awaitable, Finish};
use crate::convert::{from_py, to_py};
use crate::credentials::{auth_from, customer_domain};
use crate::errors::to_pyerr;

#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner._native", name = "Client")]
pub struct NativeClient {
    client: CoreClient,
}

fn secs(field: &str, v: Option<f64>) -> PyResult<Option<Duration>> {
    v.map(|s| {
        Duration::try_from_secs_f64(s).map_err(|_| {
            PyValueError::new_err(format!("{field} must be a non-negative number of seconds"))
        })
    })
    .transpose()
}

fn params_of(params: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match params {
        None => Ok(Value::Object(Default::default())),
        Some(p) => from_py(p, "params"),
    }
}

fn result_to_py(py: Python<'_>, r: hcpartner::Result<Value>) -> PyResult<Py<PyAny>> {
    match r {
        Ok(v) => Ok(to_py(py, &v)?.unbind()),
        Err(e) => Err(to_pyerr(py, &e)),
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (*, site = None, endpoint = None, iam_endpoint = None, credentials = None,
        connect_timeout = None, read_timeout = None, timeout = None, total_timeout = None,
        max_attempts = None, retry_base_delay = None, retry_max_delay = None, throttle_delay = None,
        proxy = None, language = None, rate_limit = None, rate_limits = None, user_agent = None,
        verify_tls = true, token_refresh_margin = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        site: Option<&str>,
        endpoint: Option<String>,
        iam_endpoint: Option<String>,
        credentials: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_attempts: Option<u32>,
        retry_base_delay: Option<f64>,
        retry_max_delay: Option<f64>,
        throttle_delay: Option<f64>,
        proxy: Option<String>,
        language: Option<&str>,
        rate_limit: Option<f64>,
        rate_limits: Option<std::collections::HashMap<String, f64>>,
        user_agent: Option<String>,
        verify_tls: bool,
        token_refresh_margin: Option<f64>,
    ) -> PyResult<Self> {
        let py_err = |e: hcpartner::Error| Python::attach(|py| to_pyerr(py, &e));
        let mut b = Config::builder();
        if let Some(s) = site {
            b = b.site(s.parse::<Site>().map_err(py_err)?);
        }
        b.set_endpoint(endpoint)
            .set_iam_endpoint(iam_endpoint)
            .set_proxy(proxy)
            .set_user_agent_suffix(user_agent);
        b.set_connect_timeout(secs("connect_timeout", connect_timeout)?)
            .set_read_timeout(secs("read_timeout", read_timeout)?)
            .set_attempt_timeout(secs("timeout", timeout)?)
            .set_total_timeout(secs("total_timeout", total_timeout)?)
            .set_token_refresh_margin(secs("token_refresh_margin", token_refresh_margin)?)
            .set_rate_limit(rate_limit);
        if let Some(l) = language {
            b = b.language(l.parse::<Language>().map_err(py_err)?);
        }
        for (op, per_second) in rate_limits.unwrap_or_default() {
            b = b.rate_limit_for(op, per_second);
        }
        if max_attempts.is_some()
            || retry_base_delay.is_some()
            || retry_max_delay.is_some()
            || throttle_delay.is_some()
        {
            let d = RetryConfig::default();
            let mut r = RetryConfig::new(
                max_attempts.unwrap_or(d.max_attempts),
                secs("retry_base_delay", retry_base_delay)?.unwrap_or(d.base_delay),
                secs("retry_max_delay", retry_max_delay)?.unwrap_or(d.max_delay),
            );
            r = r.with_throttle_delay(
                secs("throttle_delay", throttle_delay)?.unwrap_or(d.throttle_delay),
            );
            b = b.retry(r);
        }
        if let Some(c) = credentials {
            b = b.auth(auth_from(c)?);
        }
        if !verify_tls {
            b = b.danger_accept_invalid_certs(true);
        }
        let config = b.build().map_err(py_err)?;
        let client = CoreClient::new(config).map_err(py_err)?;
        Ok(NativeClient { client })
    }

    /// Calls `operation` with flat params; blocks this thread (not others: the GIL is released).
    #[pyo3(signature = (operation, params = None))]
    fn call(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let params = params_of(params)?;
        let client = &self.client;
        let r = py.detach(|| runtime::block_on(client.call(operation, params)));
        result_to_py(py, r)
    }

    /// The same call as an asyncio awaitable.
    #[pyo3(signature = (operation, params = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation: String,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = params_of(params)?;
        let client = self.client.clone();
        awaitable(py, async move {
            let r = client.call(&operation, params).await;
            Box::new(move |py: Python<'_>| result_to_py(py, r)) as Finish
        })
    }

    /// Every item of a paginated operation (`pages=True`: every page), fetched lazily.
    #[pyo3(signature = (operation, params = None, pages = false))]
    fn paginate(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        pages: bool,
    ) -> PyResult<PageIterator> {
        let stream = self.stream(operation, params, pages)?;
        Ok(PageIterator {
            stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
        })
    }

    #[pyo3(signature = (operation, params = None, pages = false))]
    fn paginate_async(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        pages: bool,
    ) -> PyResult<AsyncPageIterator> {
        let stream = self.stream(operation, params, pages)?;
        Ok(AsyncPageIterator {
            stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
        })
    }

    /// A client acting for a resale customer through assume_role (shares the connection pool).
    #[pyo3(signature = (agency_name, *, customer_id = None, customer_name = None))]
    fn for_customer(
        &self,
        agency_name: String,
        customer_id: Option<String>,
        customer_name: Option<String>,
    ) -> PyResult<Self> {
        let customer = customer_domain(customer_id, customer_name)?;
        Ok(NativeClient {
            client: self.client.for_customer(agency_name, customer),
        })
    }

    #[getter]
    fn endpoint(&self) -> &str {
        &self.client.config().bss_endpoint
    }

    #[getter]
    fn site(&self) -> &'static str {
        self.client.config().site.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(endpoint={:?}, auth={:?})",
            self.client.config().bss_endpoint,
            self.client.config().auth.describe()
        )
    }
}

impl NativeClient {
    fn stream(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        pages: bool,
    ) -> PyResult<Stream> {
        let params = params_of(params)?;
        let r = if pages {
            self.client.paginate_pages(operation, params)
        } else {
            self.client.paginate(operation, params)
        };
        r.map_err(|e| Python::attach(|py| to_pyerr(py, &e)))
    }
}

type Stream = BoxStream<'static, hcpartner::Result<Value>>;
type Shared = Arc<tokio::sync::Mutex<Option<Stream>>>;

/// Items (or pages) of a paginated call, for `for item in ...`.
#[allow(missing_debug_implementations)] // holds a stream, which has no Debug
#[pyclass(module = "hcpartner._native")]
pub struct PageIterator {
    stream: Shared,
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let stream = self.stream.clone();
        let next = py.detach(|| {
            runtime::block_on(async move {
                let mut guard = stream.lock().await;
                let item = match guard.as_mut() {
                    Some(s) => s.next().await,
                    None => None,
                };
                if item.is_none() {
                    *guard = None;
                }
                item
            })
        });
        match next {
            None => Ok(None),
            Some(r) => result_to_py(py, r).map(Some),
        }
    }
}

/// Items (or pages) of a paginated call, for `async for item in ...`.
#[allow(missing_debug_implementations)] // holds a stream, which has no Debug
#[pyclass(module = "hcpartner._native")]
pub struct AsyncPageIterator {
    stream: Shared,
}

#[pymethods]
impl AsyncPageIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stream = self.stream.clone();
        awaitable(py, async move {
            let mut guard = stream.lock().await;
            let item = match guard.as_mut() {
                Some(s) => s.next().await,
                None => None,
            };
            if item.is_none() {
                *guard = None;
            }
            Box::new(move |py: Python<'_>| match item {
                None => Err(PyStopAsyncIteration::new_err(())),
                Some(r) => result_to_py(py, r),
            }) as Finish
        })
    }
}

/// Signs a request with AK/SK (SDK-HMAC-SHA256, byte-identical to the official SDK) and returns
/// the headers to add, so any HTTP library can send it.
#[pyfunction]
#[pyo3(signature = (method, url, headers = None, body = None, *, ak, sk, security_token = None, domain_id = None))]
#[allow(clippy::too_many_arguments)]
pub fn sign_request<'py>(
    py: Python<'py>,
    method: &str,
    url: &str,
    headers: Option<&Bound<'py, PyAny>>,
    body: Option<&Bound<'py, PyAny>>,
    ak: &str,
    sk: &str,
    security_token: Option<&str>,
    domain_id: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(h) = headers {
        let items = if let Ok(d) = h.cast::<PyDict>() {
            d.items().into_any()
        } else {
            h.clone()
        };
        for item in items.try_iter()? {
            let (k, v): (String, String) = item?.extract()?;
            pairs.push((k, v));
        }
    }
    let body: Vec<u8> = match body {
        None => Vec::new(),
        Some(b) => match b.extract::<String>() {
            Ok(s) => s.into_bytes(),
            Err(_) => b.extract::<Vec<u8>>()?,
        },
    };
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let key = hcpartner::signer::SigningKey {
        ak,
        sk,
        security_token,
        domain_id,
    };
    let signed = hcpartner::signer::sign_at(
        method,
        url,
        &refs,
        &body,
        &key,
        std::time::SystemTime::now(),
    )
    .map_err(|e| to_pyerr(py, &e))?;
    let out = PyDict::new(py);
    for (k, v) in signed.headers {
        out.set_item(k, v)?;
    }
    Ok(out)
}
