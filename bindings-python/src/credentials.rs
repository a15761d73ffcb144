//! Credential objects of the Python face. Each wraps a core `Auth`; their reprs never show a secret.

use hcpartner::credentials::{self as core, Auth, CustomerDomain};
use hcpartner::Secret;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// An access key pair; `security_token` for temporary keys, `domain_id` = the account id.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner")]
pub struct AkSk {
    pub inner: core::AkSk,
}

#[pymethods]
impl AkSk {
    #[new]
    #[pyo3(signature = (ak, sk, *, security_token = None, domain_id = None))]
    fn new(
        ak: String,
        sk: String,
        security_token: Option<String>,
        domain_id: Option<String>,
    ) -> Self {
        let mut inner = core::AkSk::new(ak, sk);
        inner.security_token = security_token.map(Secret::new);
        inner.domain_id = domain_id;
        AkSk { inner }
    }
    #[getter]
    fn ak(&self) -> &str {
        &self.inner.ak
    }
    #[getter]
    fn domain_id(&self) -> Option<&str> {
        self.inner.domain_id.as_deref()
    }
    fn __repr__(&self) -> String {
        let token = if self.inner.security_token.is_some() {
            ", security_token='***'"
        } else {
            ""
        };
        format!(
            "AkSk(ak={:?}, sk='***'{token}, domain_id={:?})",
            self.inner.ak, self.inner.domain_id
        )
    }
}

/// An IAM user's password, exchanged for a token (cached, refreshed before expiry).
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner")]
pub struct Password {
    pub inner: core::Password,
}

#[pymethods]
impl Password {
    #[new]
    #[pyo3(signature = (user, password, domain_name))]
    fn new(user: String, password: String, domain_name: String) -> Self {
        Password {
            inner: core::Password::new(user, password, domain_name),
        }
    }
    fn __repr__(&self) -> String {
        format!(
            "Password(user={:?}, password='***', domain_name={:?})",
            self.inner.user, self.inner.domain_name
        )
    }
}

/// A token obtained elsewhere, sent as X-Auth-Token.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner")]
pub struct Token {
    pub inner: Secret,
}

#[pymethods]
impl Token {
    #[new]
    fn new(token: String) -> Self {
        Token {
            inner: Secret::new(token),
        }
    }
    fn __repr__(&self) -> &'static str {
        "Token('***')"
    }
}

/// A resale customer's token by assume_role: `partner` credentials assume the customer's agency.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner")]
pub struct AssumeRole {
    pub inner: Auth,
}

#[pymethods]
impl AssumeRole {
    #[new]
    #[pyo3(signature = (partner, agency_name, *, customer_id = None, customer_name = None))]
    fn new(
        partner: &Bound<'_, PyAny>,
        agency_name: String,
        customer_id: Option<String>,
        customer_name: Option<String>,
    ) -> PyResult<Self> {
        let customer = customer_domain(customer_id, customer_name)?;
        Ok(AssumeRole {
            inner: auth_from(partner)?.assume_role(agency_name, customer),
        })
    }
    fn __repr__(&self) -> String {
        format!("AssumeRole({})", self.inner.describe())
    }
}

/// Credentials found by a provider: the environment, the profile file, or the default chain.
#[derive(Debug)]
#[pyclass(frozen, module = "hcpartner")]
pub struct Provider {
    pub inner: Auth,
}

#[pymethods]
impl Provider {
    fn __repr__(&self) -> String {
        format!("Provider({})", self.inner.describe())
    }
}

pub fn customer_domain(
    customer_id: Option<String>,
    customer_name: Option<String>,
) -> PyResult<CustomerDomain> {
    match (customer_id, customer_name) {
        (Some(id), None) => Ok(CustomerDomain::Id(id)),
        (None, Some(name)) => Ok(CustomerDomain::Name(name)),
        _ => Err(PyTypeError::new_err(
            "give exactly one of customer_id or customer_name",
        )),
    }
}

/// `HUAWEICLOUD_SDK_AK`, `_SK`, `_SECURITY_TOKEN`, `_DOMAIN_ID`, read on first use.
#[pyfunction]
pub fn from_env() -> Provider {
    Provider {
        inner: Auth::provider(core::EnvProvider::new()),
    }
}

/// The official profile file (`~/.huaweicloud/credentials` or `HUAWEICLOUD_SDK_CREDENTIALS_FILE`).
#[pyfunction]
#[pyo3(signature = (path = None, section = "global"))]
pub fn from_profile(path: Option<std::path::PathBuf>, section: &str) -> Provider {
    let mut p = core::ProfileProvider::new().with_section(section);
    if let Some(path) = path {
        p = p.with_path(path);
    }
    Provider {
        inner: Auth::provider(p),
    }
}

/// The default chain: environment, then profile file.
#[pyfunction]
pub fn default_chain() -> Provider {
    Provider {
        inner: Auth::provider(core::Chain::default()),
    }
}

/// The core `Auth` behind any credentials object.
pub fn auth_from(obj: &Bound<'_, PyAny>) -> PyResult<Auth> {
    if let Ok(c) = obj.cast::<AkSk>() {
        return Ok(Auth::from(c.get().inner.clone()));
    }
    if let Ok(c) = obj.cast::<Password>() {
        return Ok(Auth::from(c.get().inner.clone()));
    }
    if let Ok(c) = obj.cast::<Token>() {
        return Ok(Auth::Token(c.get().inner.clone()));
    }
    if let Ok(c) = obj.cast::<AssumeRole>() {
        return Ok(c.get().inner.clone());
    }
    if let Ok(c) = obj.cast::<Provider>() {
        return Ok(c.get().inner.clone());
    }
    Err(PyTypeError::new_err(format!(
        "credentials must be AkSk, Password, Token, AssumeRole, from_env() or from_profile(), not {}",
        obj.get_type().name()?
    )))
}
