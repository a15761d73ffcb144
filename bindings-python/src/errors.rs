//! Core errors become the exception classes of `hcpartner.errors` (defined in Python so they can
//! also derive from the built-in TimeoutError / ConnectionError / ValueError).

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
        _ => "HcpError",
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static MODULE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("hcpartner.errors")?.into_any().unbind())
        })
        .map(|m| m.bind(py))
}

/// The Python exception for a core error, with every detail as an attribute.
pub fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = errors_module(py)?.getattr(class_name(e.kind()))?;
        let kw = PyDict::new(py);
        kw.set_item("kind", e.kind().as_str())?;
        kw.set_item("dispatch", e.dispatch().as_str())?;
        kw.set_item("status", e.status())?;
        kw.set_item("error_code", e.code())?;
        kw.set_item("error_msg", e.message())?;
        kw.set_item("request_id", e.request_id())?;
        kw.set_item("retryable", e.retryable())?;
        kw.set_item("field", e.field())?;
        kw.set_item("operation", e.operation())?;
        kw.set_item("hint", e.hint())?;
        kw.set_item("attempts", e.attempts())?;
        kw.set_item("body_excerpt", e.body_excerpt())?;
        let exc = cls.call((e.to_string(),), Some(&kw))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}
