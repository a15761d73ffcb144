//! `hcpartner._native.Client`: a converter over the facade. Options, credentials, numbers,
//! errors, pagers and what giving up means are all decided there.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use hcpartner::facade::{
    self, Answer, Blocking, CallControl, CallOptions, ClientOptions, Pager, PagerOptions,
};
use hcpartner::{Client as CoreClient, Error, PerCall};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use serde_json::Value;

use crate::aio::{awaitable, pending, Finish};
use crate::convert::{from_json, from_py, PyBuild};
use crate::errors::{exception, raise, to_pyerr};
use crate::tape::Tape;

/// A call's params: converted, their date values written as their fields take them.
pub fn params_of(operation: &str, params: Option<&Bound<'_, PyAny>>) -> Result<Value, Error> {
    let mut v = match params {
        None => Value::Object(Default::default()),
        Some(p) => from_py(p, "")?,
    };
    facade::place_dates(operation, &mut v)?;
    Ok(v)
}

/// A call's own options over `client`'s (`None`: the client's).
pub fn per_call(client: &CoreClient, options: Option<&Bound<'_, PyAny>>) -> PyResult<PerCall> {
    let Some(o) = options.filter(|o| !o.is_none()) else {
        return Ok(PerCall::default());
    };
    let v = from_py(o, "options").map_err(raise)?;
    CallOptions::from_value(v, "call options")
        .and_then(|o| o.into_per_call(&client.config().retry))
        .map_err(raise)
}

fn built(py: Python<'_>, schema: facade::Schema, v: &Value) -> PyResult<Py<PyAny>> {
    facade::build(schema, v, &mut PyBuild(py)).map(Bound::unbind)
}

fn result_type(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static RESULT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    RESULT.import(py, "hcpartner._result", "Result")
}

/// A call's outcome, its answer's JSON parsed already where that pays: [`prepare`] runs where
/// the GIL is not held (the calling thread inside `detach`, a runtime worker), [`answer`] with it.
pub struct Prepared {
    outcome: hcpartner::Result<Answer>,
    tape: Option<Result<Tape, String>>,
}

/// Parses the answer now, off the GIL: the GIL then covers only making the objects.
pub fn prepare(outcome: hcpartner::Result<Answer>) -> Prepared {
    let tape = outcome
        .as_ref()
        .ok()
        .and_then(Answer::raw)
        .map(|(json, _)| Tape::parse(json));
    Prepared { outcome, tape }
}

/// Leaves the parse to jiter under the GIL: one pass, about 6% fewer instructions in all, which
/// is what a thread calling alone should pay.
pub fn unparsed(outcome: hcpartner::Result<Answer>) -> Prepared {
    Prepared {
        outcome,
        tape: None,
    }
}

/// Blocking calls in progress in this process: when a call ends with others still in progress,
/// they will want the GIL too, so its parse is done before it takes the GIL ([`prepare`]).
static BLOCKING_CALLS: AtomicUsize = AtomicUsize::new(0);

struct InProgress;

impl InProgress {
    fn enter() -> Self {
        BLOCKING_CALLS.fetch_add(1, Ordering::Relaxed);
        InProgress
    }
    fn finish(self, outcome: hcpartner::Result<Answer>) -> Prepared {
        if BLOCKING_CALLS.load(Ordering::Relaxed) > 1 {
            prepare(outcome)
        } else {
            unparsed(outcome)
        }
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        BLOCKING_CALLS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A call's result: an `hcpartner.Result` (a dict) carrying the answer's metadata.
pub fn answer(py: Python<'_>, p: Prepared) -> PyResult<Py<PyAny>> {
    let a = p.outcome.map_err(|e| to_pyerr(py, &e))?;
    let value = match a.raw() {
        Some((json, headers)) => from_json(py, a.schema(), json, p.tape, headers)
            .map_err(|e| e.unwrap_or_else(|why| to_pyerr(py, &a.unreadable(why))))?,
        None => a
            .build(&mut PyBuild(py))
            .map_err(|e| e.unwrap_or_else(|e| to_pyerr(py, &e)))?,
    };
    if !value.is_exact_instance_of::<PyDict>() {
        return Ok(value.unbind());
    }
    let result = result_type(py)?.call1((value,))?;
    let m = &a.meta;
    let meta = (
        a.op.name,
        m.request_id.as_deref(),
        m.status,
        m.attempts,
        m.elapsed.as_secs_f64(),
    );
    result.setattr("_meta", meta.into_pyobject(py)?)?;
    Ok(result.unbind())
}

/// Asks Python whether Ctrl-C (or another signal handler) wants out; keeps its exception.
pub fn signal_check(slot: &mut Option<PyErr>) -> impl FnMut() -> bool + '_ {
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
pub fn abandoned(py: Python<'_>, e: &Error, class: &str, cause: Option<PyErr>) -> PyErr {
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
        // First: the client's construction can warn (`verify_tls=False`).
        crate::logging::refresh_logging(options.py());
        let v = from_py(options, "options").map_err(raise)?;
        let config = ClientOptions::from_value(v, "Client options")
            .and_then(ClientOptions::into_config)
            .map_err(raise)?;
        let client = CoreClient::new(config).map_err(raise)?;
        Ok(NativeClient { client })
    }

    /// Calls `operation` with flat params; blocks this thread (not others: the GIL is released).
    /// Ctrl-C stops a read at once; a state change on the wire goes on and raises
    /// `InterruptedOutcomeUnknown`.
    #[pyo3(signature = (operation, params = None, options = None))]
    fn call(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        crate::logging::connect_if_imported(py);
        let params = params_of(operation, params).map_err(raise)?;
        let per = per_call(&self.client, options)?;
        let mut signal = None;
        let outcome = py.detach(|| {
            let check = signal_check(&mut signal);
            let call = InProgress::enter();
            match facade::call_interruptible_with(&self.client, operation, params, per, check) {
                Blocking::Done(r) => Ok(call.finish(r)),
                Blocking::Interrupted(e) => Err(e),
            }
        });
        match outcome {
            Ok(p) => answer(py, p),
            Err(None) => Err(signal.unwrap_or_else(|| raise(cancelled()))),
            Err(Some(e)) => Err(abandoned(py, &e, "InterruptedOutcomeUnknown", signal)),
        }
    }

    /// The same call as an asyncio future, with the control that cancels it by the money rule.
    #[pyo3(signature = (operation, params = None, options = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        crate::logging::connect_if_imported(py);
        let params = params_of(operation, params).map_err(raise)?;
        let per = per_call(&self.client, options)?;
        let (fut, sender) = pending(py)?;
        let control = facade::spawn_call_with(&self.client, operation, params, per, move |r| {
            let p = prepare(r);
            sender.send(Box::new(move |py: Python<'_>| answer(py, p)) as Finish)
        })
        .map_err(raise)?;
        let control = Bound::new(py, CallCtl::new(control))?;
        fut.call_method1("add_done_callback", (control.getattr("on_done")?,))?;
        PyTuple::new(py, [fut, control.into_any()])
    }

    /// Items (or pages) of a paginated operation; checked now, fetched as iterated.
    #[pyo3(signature = (operation, params = None, pages = false, options = None, max_items = None))]
    fn pager(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        pages: bool,
        options: Option<&Bound<'_, PyAny>>,
        max_items: Option<u64>,
    ) -> PyResult<NativePager> {
        crate::logging::connect_if_imported(py);
        let params = params_of(operation, params).map_err(raise)?;
        let opts = PagerOptions::pages(pages)
            .with_per(per_call(&self.client, options)?)
            .with_max_items(max_items);
        Pager::with(&self.client, operation, params, opts)
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

    /// The proxies requests go through, passwords redacted.
    #[getter]
    fn proxy(&self) -> String {
        self.client.config().proxy_description()
    }

    /// The CA bundle trusted instead of the system's roots, and where its path came from.
    #[getter]
    fn ca_bundle(&self) -> Option<(String, String)> {
        let (path, source) = self.client.config().ca_bundle.clone()?;
        Some((path.display().to_string(), source))
    }

    /// Test hook: a panic inside a guarded call, sync or as an awaitable.
    #[pyo3(signature = (awaited = false))]
    fn _panic<'py>(&self, py: Python<'py>, awaited: bool) -> PyResult<Bound<'py, PyAny>> {
        crate::logging::connect_if_imported(py);
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

impl NativeClient {
    pub fn core(&self) -> &CoreClient {
        &self.client
    }
}

pub fn cancelled() -> Error {
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
        crate::logging::connect_if_imported(py);
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
        crate::logging::connect_if_imported(py);
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

    /// The total the service reported (after the first page), if it reports one.
    #[getter]
    fn total(&self) -> Option<u64> {
        self.pager.total()
    }

    /// Pages fetched so far.
    #[getter]
    fn pages_fetched(&self) -> u64 {
        self.pager.pages_fetched()
    }

    /// The latest page's own fields (`currency`, sums), numbers by the response model.
    fn page_fields(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.pager.page_fields() {
            None => Ok(py.None()),
            Some(m) => built(
                py,
                facade::Schema::response(self.pager.operation()),
                &Value::Object(m),
            ),
        }
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
