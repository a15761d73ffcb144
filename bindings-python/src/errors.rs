//! Core errors become the exception classes of `hcpartner.errors` (defined in Python so they can
//! also derive from the built-in TimeoutError / ConnectionError / ValueError). The attributes
//! are the facade's `ErrorReport`, whatever the kind.

use hcpartner::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgument",
        ErrorKind::Auth => "AuthError",
        ErrorKind::Api => "ApiError",
        ErrorKind::Throttled => "ThrottledError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Connect => "ConnectionError",
        ErrorKind::OutcomeUnknown => "OutcomeUnknown",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::Internal => "InternalError",
        _ => "HcpError",
    }
}

pub fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static MODULE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("hcpartner.errors")?.into_any().unbind())
        })
        .map(|m| m.bind(py))
}

/// The exception for `e`, of class `class` (default: the one for its kind).
pub fn exception<'py>(
    py: Python<'py>,
    e: &Error,
    class: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let cls = errors_module(py)?.getattr(class.unwrap_or(class_name(e.kind())))?;
    let report = e.report();
    let kw = PyDict::new(py);
    kw.set_item("kind", report.kind)?;
    kw.set_item("code", report.code)?;
    kw.set_item("dispatch", report.dispatch)?;
    kw.set_item("status", report.status)?;
    kw.set_item("error_code", report.error_code)?;
    kw.set_item("error_msg", report.message)?;
    kw.set_item("request_id", report.request_id)?;
    kw.set_item("retryable", report.retryable)?;
    kw.set_item("field", report.field)?;
    kw.set_item("operation", report.operation)?;
    kw.set_item("hint", report.hint)?;
    kw.set_item("attempts", report.attempts)?;
    kw.set_item("body_excerpt", report.body_excerpt)?;
    cls.call((report.display,), Some(&kw))
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
