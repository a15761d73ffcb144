//! `Client.reconcile` / `AsyncClient.reconcile`: an unknown outcome settled from the service's
//! records by the facade (`facade::reconcile`); this reads the ticket off the exception (or takes
//! a ticket dict) and builds the answer, its records' numbers by their model.

use hcpartner::facade::{self, reconcile::reconcile_value};
use hcpartner::Error;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::aio::{awaitable, Finish};
use crate::client::{cancelled, signal_check, NativeClient};
use crate::convert::{from_py, PyBuild};
use crate::errors::{errors_module, raise, to_pyerr};

/// The ticket in `error`: an hcpartner error's `ticket` (`None`: it has none), or a ticket dict.
fn ticket_of(error: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    let py = error.py();
    if error.is_instance(&errors_module(py)?.getattr("HcpError")?)? {
        let t = error.getattr("ticket")?;
        return match t.is_none() {
            true => Ok(None),
            false => from_py(&t, "ticket").map(Some).map_err(raise),
        };
    }
    if error.cast::<PyDict>().is_ok() {
        return from_py(error, "ticket").map(Some).map_err(raise);
    }
    let what = error.get_type().name()?;
    Err(raise(Error::invalid_argument(
        "error",
        format!(
            "must be an hcpartner error (an OutcomeUnknown) or its ticket (a dict), not {what}"
        ),
    )))
}

fn answer(
    py: Python<'_>,
    r: hcpartner::Result<facade::reconcile::Reconciliation>,
) -> PyResult<Py<PyAny>> {
    let r = r.map_err(|e| to_pyerr(py, &e))?;
    r.build(&mut PyBuild(py)).map(Bound::unbind)
}

/// Settles `error` (or a ticket), blocking this thread with the GIL released. Only reads are
/// sent, so Ctrl-C stops it at once.
#[pyfunction]
pub fn reconcile(
    py: Python<'_>,
    client: &NativeClient,
    error: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    crate::logging::connect_if_imported(py);
    let ticket = ticket_of(error)?;
    let core = client.core();
    let mut signal = None;
    let r = py.detach(|| {
        let found = reconcile_value(core, ticket, "ticket");
        facade::block_interruptible(found, signal_check(&mut signal))
    });
    match r {
        None => Err(signal.unwrap_or_else(|| raise(cancelled()))),
        Some(r) => answer(py, r),
    }
}

/// [`reconcile`] as an asyncio future; cancelling it drops the reads.
#[pyfunction]
pub fn reconcile_async<'py>(
    py: Python<'py>,
    client: &NativeClient,
    error: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::logging::connect_if_imported(py);
    let ticket = ticket_of(error)?;
    let core = client.core().clone();
    awaitable(py, async move {
        let r = reconcile_value(&core, ticket, "ticket").await;
        Box::new(move |py: Python<'_>| answer(py, r)) as Finish
    })
}
