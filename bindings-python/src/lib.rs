//! `hcpartner._native`: the private native module under the typed `hcpartner` package.
//! Converts Python values to the core's JSON params and back; all behaviour lives in the core.

mod aio;
mod client;
mod convert;
mod credentials;
mod errors;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::PageIterator>()?;
    m.add_class::<client::AsyncPageIterator>()?;
    m.add_class::<credentials::AkSk>()?;
    m.add_class::<credentials::Password>()?;
    m.add_class::<credentials::Token>()?;
    m.add_class::<credentials::AssumeRole>()?;
    m.add_class::<credentials::Provider>()?;
    m.add_function(wrap_pyfunction!(credentials::from_env, m)?)?;
    m.add_function(wrap_pyfunction!(credentials::from_profile, m)?)?;
    m.add_function(wrap_pyfunction!(credentials::default_chain, m)?)?;
    m.add_function(wrap_pyfunction!(client::sign_request, m)?)?;
    Ok(())
}
