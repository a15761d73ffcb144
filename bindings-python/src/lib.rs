//! `hcpartner._native`: the private native module under the typed `hcpartner` package.
//! Converts Python values to the core's JSON params and back; all behaviour lives in the core
//! (`hcpartner::facade`). The core's events reach Python's `logging` (logger `hcpartner`)
//! through `src/logging.rs`, which imports `logging` only once the program has imported it or a
//! warning is due.

mod aio;
mod client;
mod convert;
mod errors;
mod fan;
mod logging;
mod reconcile;
mod tape;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

/// Whether the program has imported the module `name` (so that hcpartner need not import it for
/// a check: `logging`, `decimal`).
pub fn imported(py: Python<'_>, name: &Bound<'_, PyString>) -> bool {
    // CPython keeps its own reference to `sys.modules` (replacing it is unsupported): kept here.
    static MODULES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    MODULES
        .get_or_try_init(py, || {
            py.import("sys")?
                .getattr("modules")?
                .cast_into::<PyDict>()
                .map(Bound::unbind)
                .map_err(PyErr::from)
        })
        .and_then(|m| m.bind(py).contains(name))
        .unwrap_or(false)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePager>()?;
    m.add_class::<client::CallCtl>()?;
    m.add_class::<fan::FanCtl>()?;
    m.add_function(wrap_pyfunction!(fan::map_blocking, m)?)?;
    m.add_function(wrap_pyfunction!(fan::map_async, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::reconcile_async, m)?)?;
    m.add_function(wrap_pyfunction!(client::sign_request, m)?)?;
    m.add_function(wrap_pyfunction!(refresh_logging_py, m)?)?;
    m.add_function(wrap_pyfunction!(tape::parse_both_ways, m)?)?;
    Ok(())
}

/// Makes hcpartner see logging levels changed since its loggers were first used.
#[pyfunction(name = "refresh_logging")]
fn refresh_logging_py(py: Python<'_>) {
    logging::refresh_logging(py);
}
