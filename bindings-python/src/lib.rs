//! `hcpartner._native`: the private native module under the typed `hcpartner` package.
//! Converts Python values to the core's JSON params and back; all behaviour lives in the core
//! (`hcpartner::facade`).

mod aio;
mod client;
mod convert;
mod errors;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The core's `tracing` events reach Python's `logging` under the logger `hcpartner`.
    let _ = pyo3_log::try_init();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePager>()?;
    m.add_class::<client::CallCtl>()?;
    m.add_function(wrap_pyfunction!(client::sign_request, m)?)?;
    Ok(())
}
