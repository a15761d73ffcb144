//! Core errors become the exception classes of `hcpartner.errors` (generated from
//! core/api/faces.json; Python classes so they can also derive from the built-in TimeoutError /
//! ConnectionError / ValueError). The attributes are the facade's `ErrorReport`.

use hcpartner::facade::{build, Schema};
use hcpartner::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::PyBuild;

pub fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static MODULE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("hcpartner.errors")?.into_any().unbind())
        })
        .map(|m| m.bind(py))
}

/// The exception for `e`, of class `class` (default: the one for its kind), its attributes the
/// facade's error report.
pub fn exception<'py>(
    py: Python<'py>,
    e: &Error,
    class: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let module = errors_module(py)?;
    let cls = match class {
        Some(name) => module.getattr(name)?,
        None => module.getattr("_BY_KIND")?.get_item(e.kind().as_str())?,
    };
    let mut report = e.report();
    // The ticket is built by its own schema (its amounts are money), the rest as it is.
    let ticket = report.ticket.take();
    let mut report =
        serde_json::to_value(report).map_err(|err| PyValueError::new_err(err.to_string()))?;
    let display = report
        .as_object_mut()
        .and_then(|m| m.remove("display"))
        .and_then(|d| d.as_str().map(str::to_owned))
        .unwrap_or_default();
    let kw = build(Schema::Any, &report, &mut PyBuild(py))?;
    let kw = kw.cast::<PyDict>()?;
    if let Some(t) = ticket {
        kw.set_item("ticket", t.build(&mut PyBuild(py))?)?;
    }
    cls.call((display,), Some(kw))
}

/// The Python exception for a core error, with every detail as an attribute.
pub fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match exception(py, e, None) {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// [`to_pyerr`] for callers without the GIL.
pub fn raise(e: Error) -> PyErr {
    Python::attach(|py| to_pyerr(py, &e))
}
