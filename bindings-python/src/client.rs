//! `hcpartner._native.Client`: a converter over the facade. Options, credentials, numbers,
//! errors, pagers and what giving up means are all decided there.

use std::sync::Mutex;

use hcpartner::facade::{self, Answer, Blocking, CallControl, ClientOptions, Pager};
use hcpartner::{Client as CoreClient, Error};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde_json::Value;

use crate::aio::{awaitable, pending, Finish};
use crate::convert::{from_json, from_py, PyBuild};
use crate::errors::{exception, raise, to_pyerr};

fn params_of(params: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match params {
        None => Ok(Value::Object(Default::default())),
        Some(p) => from_py(p, "").map_err(raise),
    }
}

fn built(py: Python<'_>, schema: facade::Schema, v: &Value) -> PyResult<Py<PyAny>> {
    facade::build(schema, v, &mut PyBuild(py)).map(Bound::unbind)
}

fn answer(py: Python<'_>, r: hcpartner::Result<Answer>) -> PyResult<Py<PyAny>> {
    let a = r.map_err(|e| to_pyerr(py, &e))?;
    match a.raw() {
        Some((json, headers)) => from_json(py, a.schema(), json, headers)
            .map(Bound::unbind)
            .map_err(|e| e.unwrap_or_else(|why| to_pyerr(py, &a.unreadable(why)))),
        None => a
            .build(&mut PyBuild(py))
            .map(Bound::unbind)
            .map_err(|e| e.unwrap_or_else(|e| to_pyerr(py, &e))),
    }
}

/// Asks Python whether Ctrl-C (or another signal handler) wants out; keeps its exception.
fn signal_check(slot: &mut Option<PyErr>) -> impl FnMut() -> bool + '_ {
    move || {
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(e) => {
                *slot = Some(e);
                true
            }
        })
    }
}

/// An exception of `class` for `e` (an abandoned state change), caused by `cause`.
fn abandoned(py: Python<'_>, e: &Error, class: &str, cause: Option<PyErr>) -> PyErr {
    match exception(py, e, Some(class)) {
        Ok(exc) => {
            let err = PyErr::from_value(exc);
            err.set_cause(py, cause);
            err
        }
        Err(err) => err,
    }
}

#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner._native", name = "Client")]
pub struct NativeClient {
    client: CoreClient,
}

#[pymethods]
impl NativeClient {
    /// `options`: the facade's `ClientOptions` as a dict (credentials as their spec dict).
    #[new]
    fn new(options: &Bound<'_, PyAny>) -> PyResult<Self> {
        let v = from_py(options, "options").map_err(raise)?;
        let config = ClientOptions::from_value(v, "Client options")
            .and_then(ClientOptions::into_config)
            .map_err(raise)?;
        let client = CoreClient::new(config).map_err(raise)?;
        crate::refresh_logging();
        Ok(NativeClient { client })
    }

    /// Calls `operation` with flat params; blocks this thread (not others: the GIL is released).
    /// Ctrl-C stops a read at once; a state change on the wire goes on and raises
    /// `InterruptedOutcomeUnknown`.
    #[pyo3(signature = (operation, params = None))]
    fn call(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let params = params_of(params)?;
        let mut signal = None;
        let outcome = py.detach(|| {
            facade::call_interruptible(&self.client, operation, params, signal_check(&mut signal))
        });
        match outcome {
            Blocking::Done(r) => answer(py, r),
            Blocking::Interrupted(None) => Err(signal.unwrap_or_else(|| raise(cancelled()))),
            Blocking::Interrupted(Some(e)) => {
                Err(abandoned(py, &e, "InterruptedOutcomeUnknown", signal))
            }
        }
    }

    /// The same call as an asyncio future, with the control that cancels it by the money rule.
    #[pyo3(signature = (operation, params = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let params = params_of(params)?;
        let (fut, sender) = pending(py)?;
        let control = facade::spawn_call(&self.client, operation, params, move |r| {
            sender.send(Box::new(move |py: Python<'_>| answer(py, r)) as Finish)
        })
        .map_err(raise)?;
        let control = Bound::new(py, CallCtl::new(control))?;
        fut.call_method1("add_done_callback", (control.getattr("on_done")?,))?;
        PyTuple::new(py, [fut, control.into_any()])
    }

    /// Items (or pages) of a paginated operation; checked now, fetched as iterated.
    #[pyo3(signature = (operation, params = None, pages = false))]
    fn pager(
        &self,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        pages: bool,
    ) -> PyResult<NativePager> {
        let params = params_of(params)?;
        Pager::new(&self.client, operation, params, pages)
            .map(|pager| NativePager { pager })
            .map_err(raise)
    }

    /// A client acting for a resale customer through assume_role (shares the connection pool).
    #[pyo3(signature = (agency_name, *, customer_id = None, customer_name = None))]
    fn for_customer(
        &self,
        agency_name: String,
        customer_id: Option<String>,
        customer_name: Option<String>,
    ) -> PyResult<Self> {
        let customer = facade::customer_domain(customer_id, customer_name).map_err(raise)?;
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

    #[getter]
    fn auth(&self) -> String {
        self.client.config().auth.describe()
    }

    /// Test hook: a panic inside a guarded call, sync or as an awaitable.
    #[pyo3(signature = (awaited = false))]
    fn _panic<'py>(&self, py: Python<'py>, awaited: bool) -> PyResult<Bound<'py, PyAny>> {
        async fn boom() -> hcpartner::Result<Value> {
            panic!("deliberate test panic")
        }
        if awaited {
            return awaitable(py, async {
                let r = boom().await;
                Box::new(move |py: Python<'_>| r.map(|_| py.None()).map_err(|e| to_pyerr(py, &e)))
                    as Finish
            });
        }
        let r = py.detach(|| facade::block(boom()));
        r.map(|_| py.None().into_bound(py))
            .map_err(|e| to_pyerr(py, &e))
    }
}

fn cancelled() -> Error {
    Error::invalid_argument("call", "interrupted")
}

/// Gives up on an awaited call by the money rule (see `facade::CallControl`).
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner._native")]
pub struct CallCtl {
    control: CallControl,
    /// The outcome of the first cancel: `Some(None)` aborted, `Some(Some(e))` abandoned.
    outcome: Mutex<Option<Option<Error>>>,
}

impl CallCtl {
    fn new(control: CallControl) -> CallCtl {
        CallCtl {
            control,
            outcome: Mutex::new(None),
        }
    }
}

#[pymethods]
impl CallCtl {
    /// Stops waiting; an `OutcomeUnknown` (also a CancelledError) when a state change on the
    /// wire goes on in the background, else None.
    fn cancel(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        let mut outcome = self.outcome.lock().unwrap_or_else(|p| p.into_inner());
        let e = outcome.get_or_insert_with(|| self.control.cancel("cancelled"));
        e.as_ref().map(|e| {
            abandoned(py, e, "CancelledOutcomeUnknown", None)
                .into_value(py)
                .into_any()
        })
    }

    /// Done-callback of the future: a cancelled future cancels the call.
    fn on_done(&self, py: Python<'_>, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.cancel(py);
        }
        Ok(())
    }
}

/// `for` / `async for` over a facade pager.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner._native")]
pub struct NativePager {
    pager: Pager,
}

#[pymethods]
impl NativePager {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut signal = None;
        let pager = &self.pager;
        let next = py.detach(|| {
            facade::block_interruptible(async { Ok(pager.next().await) }, signal_check(&mut signal))
        });
        match next {
            None => Err(signal.unwrap_or_else(|| raise(cancelled()))),
            Some(Err(e)) | Some(Ok(Some(Err(e)))) => Err(to_pyerr(py, &e)),
            Some(Ok(None)) => Err(PyStopIteration::new_err(())),
            Some(Ok(Some(Ok(v)))) => built(py, self.pager.schema(), &v),
        }
    }
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pager = self.pager.clone();
        awaitable(py, async move {
            let item = pager.next().await;
            let schema = pager.schema();
            Box::new(move |py: Python<'_>| match item {
                None => Err(PyStopAsyncIteration::new_err(())),
                Some(Ok(v)) => built(py, schema, &v),
                Some(Err(e)) => Err(to_pyerr(py, &e)),
            }) as Finish
        })
    }
    #[getter]
    fn operation(&self) -> &'static str {
        self.pager.operation().name
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
        let items = match h.cast::<PyDict>() {
            Ok(d) => d.items().into_any(),
            Err(_) => h.clone(),
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
