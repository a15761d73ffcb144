//! `hcpartner._native`: the private native module under the typed `hcpartner` package.
//! Converts Python values to the core's JSON params and back; all behaviour lives in the core
//! (`hcpartner::facade`).

mod aio;
mod client;
mod convert;
mod errors;
mod fan;
mod reconcile;

use std::sync::OnceLock;

use pyo3::prelude::*;

/// The core's `tracing` events reach Python's `logging` under the logger `hcpartner`, installed
/// with the first client (not at import: pyo3-log imports `logging`, which costs more than
/// hcpartner). pyo3-log caches each logger's level; each new client drops that cache, so logging
/// configured after the first call (a notebook's `basicConfig`) is seen by later clients.
static LOGGING: OnceLock<Option<pyo3_log::ResetHandle>> = OnceLock::new();

pub fn refresh_logging() {
    if let Some(Some(h)) = LOGGING.get() {
        h.reset();
    }
    let _ = LOGGING.get_or_init(|| pyo3_log::try_init().ok());
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
    Ok(())
}

/// Makes hcpartner see logging levels changed since its loggers were first used.
#[pyfunction(name = "refresh_logging")]
fn refresh_logging_py() {
    refresh_logging();
}
