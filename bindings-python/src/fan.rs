//! `Client.map` / `AsyncClient.map`: one operation for many parameter sets through the facade's
//! fan-out (`facade::spawn_fan_out`): the concurrency, the rate limit and the money rule per item
//! are the core's; this converts params in and results out, in input order.

use std::sync::Mutex;

use hcpartner::facade::{self, FanOut, FanOutEnd};
use hcpartner::Error;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::aio::{pending, Finish, Sender};
use crate::client::{
    abandoned, answer, params_of, per_call, prepare, signal_check, unparsed, NativeClient,
};
use crate::errors::{exception, raise};

/// `(result, None)` or `(None, exception)` of one item.
fn pair(py: Python<'_>, r: hcpartner::Result<facade::Answer>) -> PyResult<Py<PyAny>> {
    let (ok, err) = match answer(py, unparsed(r)) {
        Ok(v) => (v, py.None()),
        Err(e) => (py.None(), e.into_value(py).into_any()),
    };
    Ok(PyTuple::new(py, [ok, err])?.into_any().unbind())
}

fn converted(
    operation: &str,
    params: &Bound<'_, PyList>,
) -> Vec<hcpartner::Result<serde_json::Value>> {
    params
        .iter()
        .map(|p| params_of(operation, Some(&p)))
        .collect()
}

/// Runs `operation` once per dict of `params`, `concurrency` at a time, blocking this thread
/// (the GIL released). `progress(done)` is called about every 50 ms; Ctrl-C stops by the money
/// rule. Returns `[(result, error), ...]` in input order.
#[pyfunction]
#[pyo3(signature = (client, operation, params, options = None, concurrency = 8, progress = None))]
pub fn map_blocking(
    py: Python<'_>,
    client: &NativeClient,
    operation: &str,
    params: &Bound<'_, PyList>,
    options: Option<&Bound<'_, PyAny>>,
    concurrency: usize,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Py<PyAny>>> {
    crate::logging::connect_if_imported(py);
    let core = client.core();
    let per = per_call(core, options)?;
    let items = converted(operation, params);
    let progress = progress
        .filter(|p| !p.is_none())
        .map(|p| p.clone().unbind());
    let (mut failure, mut callback_error): (Option<PyErr>, Option<PyErr>) = (None, None);
    let end = py.detach(|| {
        let mut signal = signal_check(&mut failure);
        let mut last = usize::MAX;
        facade::fan_out_blocking(core, operation, items, per, concurrency, |done| {
            if signal() {
                return true;
            }
            let Some(p) = progress.as_ref().filter(|_| done != last) else {
                return false;
            };
            last = done;
            // A failing progress callback stops the fan-out, as Ctrl-C does.
            callback_error = Python::attach(|py| p.call1(py, (done,)).err());
            callback_error.is_some()
        })
    });
    let end = end.map_err(raise)?;
    match end {
        FanOutEnd::Done(results) => results.into_iter().map(|r| pair(py, r)).collect(),
        FanOutEnd::Interrupted {
            results,
            abandoned: left,
        } => {
            let partial: Vec<Py<PyAny>> = results
                .into_iter()
                .map(|r| match r {
                    Some(r) => pair(py, r),
                    None => Ok(PyTuple::new(py, [py.None(), py.None()])?
                        .into_any()
                        .unbind()),
                })
                .collect::<PyResult<_>>()?;
            let cause = failure.or(callback_error);
            let err = match left.first() {
                Some((_, e)) => abandoned(py, e, "InterruptedOutcomeUnknown", cause),
                None => cause.unwrap_or_else(|| raise(crate::client::cancelled())),
            };
            let exc = err.value(py);
            exc.setattr("partial", partial)?;
            let indices: Vec<usize> = left.iter().map(|(i, _)| *i).collect();
            exc.setattr("abandoned_items", indices)?;
            Err(err)
        }
    }
}

/// Gives up on an awaited fan-out by the money rule.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner._native")]
pub struct FanCtl {
    fan: Mutex<Option<FanOut>>,
}

#[pymethods]
impl FanCtl {
    /// Stops waiting: `[(index, CancelledOutcomeUnknown), ...]` for the state changes that may
    /// be on the wire and go on in the background; the rest are dropped.
    fn cancel(&self, py: Python<'_>) -> PyResult<Vec<(usize, Py<PyAny>)>> {
        let fan = self.fan.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(fan) = fan else {
            return Ok(Vec::new());
        };
        fan.cancel("cancelled")
            .into_iter()
            .map(|(i, e): (usize, Error)| {
                let exc = exception(py, &e, Some("CancelledOutcomeUnknown"))?;
                Ok((i, exc.unbind()))
            })
            .collect()
    }
}

/// Starts the fan-out on the running asyncio loop: one future per item (in input order), each
/// resolved with the item's result or exception, and the control that cancels them all.
#[pyfunction]
#[pyo3(signature = (client, operation, params, options = None, concurrency = 8))]
pub fn map_async<'py>(
    py: Python<'py>,
    client: &NativeClient,
    operation: &str,
    params: &Bound<'py, PyList>,
    options: Option<&Bound<'py, PyAny>>,
    concurrency: usize,
) -> PyResult<(Vec<Bound<'py, PyAny>>, FanCtl)> {
    crate::logging::connect_if_imported(py);
    let core = client.core();
    let per = per_call(core, options)?;
    let items = converted(operation, params);
    let mut futures = Vec::with_capacity(items.len());
    let mut senders: Vec<Mutex<Option<Sender>>> = Vec::with_capacity(items.len());
    for _ in 0..items.len() {
        let (fut, sender) = pending(py)?;
        futures.push(fut);
        senders.push(Mutex::new(Some(sender)));
    }
    let fan = facade::spawn_fan_out(core, operation, items, per, concurrency, move |i, r| {
        let sender = senders[i].lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sender) = sender {
            let p = prepare(r);
            sender.send(Box::new(move |py: Python<'_>| answer(py, p)) as Finish);
        }
    })
    .map_err(raise)?;
    Ok((
        futures,
        FanCtl {
            fan: Mutex::new(Some(fan)),
        },
    ))
}
