//! Static metadata of one API operation: what the transport, retry policy and validation need.
//!
//! The generated table (`crate::generated`) is made of these; the types are hand-written so the
//! generator only emits data.

use crate::config::Site;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// Which endpoint an operation is served by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Partner Center / BSS (`bss.myhuaweicloud.com`, `bss-intl.myhuaweicloud.com`).
    Bss,
    /// Identity and Access Management (tokens, temporary keys).
    Iam,
}

/// What a call does to the world; decides whether it may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Reads only; safe to retry after any transient failure.
    Read,
    /// Changes state that is not money (customers, real-name applications, settings).
    Write,
    /// Moves balances, coupons, orders or resources: never retried once it may have reached the server.
    WriteMoney,
    /// IAM token or key issuance: idempotent in effect (a new token does not revoke the old one).
    Auth,
}

impl Effect {
    /// Whether a failure after the request may have reached the server can be retried.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Effect::Read | Effect::Auth)
    }
}

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Partner,
    Customer,
    Both,
}

/// On which site(s) an operation or a parameter exists: the China site
/// (`bss.myhuaweicloud.com`), the international one (`bss-intl.myhuaweicloud.com`), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sites {
    Both,
    Cn,
    Intl,
}

impl Sites {
    /// Whether it exists on `site`.
    pub const fn has(self, site: Site) -> bool {
        matches!(
            (self, site),
            (Sites::Both, _) | (Sites::Cn, Site::Cn) | (Sites::Intl, Site::Intl)
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sites::Both => "both",
            Sites::Cn => "cn",
            Sites::Intl => "intl",
        }
    }
}

/// A parameter of the flat request that exists on one site only, or that one site requires.
///
/// The facts ride on the operation rather than on [`Field`], so a parameter the two sites share
/// keeps one description; [`crate::site::check_site`] reads them before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteField {
    /// The wire name (a top-level parameter or body field).
    pub name: &'static str,
    pub sites: Sites,
    /// The site on which it is required (it is optional on the other, or absent there).
    pub required_on: Option<Site>,
}

/// Where a parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    Path,
    Query,
    Header,
    /// A field of the JSON body (the body model's fields are flattened into the params).
    Body,
}

/// A parameter or field type, as the API description states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Int,
    Float,
    /// Exact decimal (money): a JSON number or a numeric string, never rounded through f64.
    Decimal,
    Bool,
    /// Any JSON value.
    Object,
    List(&'static Type),
    /// A string-keyed map of the given value type.
    Map(&'static Type),
    /// A named model from the model table.
    Model(&'static str),
}

/// The text a date or time field takes, so a face's date value (a Python `datetime`, a pandas
/// `Timestamp`) can be written the way the service reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateFormat {
    /// A bill month, `YYYY-MM`, cut in UTC+8.
    Month,
    /// A day, `YYYY-MM-DD`, in UTC+8.
    Date,
    /// An instant in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    DateTime,
}

impl DateFormat {
    /// How it is written, for docs and errors.
    pub fn pattern(self) -> &'static str {
        match self {
            DateFormat::Month => "YYYY-MM (UTC+8)",
            DateFormat::Date => "YYYY-MM-DD (UTC+8)",
            DateFormat::DateTime => "YYYY-MM-DDTHH:MM:SSZ (UTC)",
        }
    }
}

/// Value limits of a parameter (all optional).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// Inclusive bounds for numbers.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Inclusive bounds on string length (characters) or list length.
    pub min_len: Option<u32>,
    pub max_len: Option<u32>,
    /// Most digits after the decimal point of a decimal (money: 2).
    pub scale: Option<u32>,
}

impl Limits {
    pub const NONE: Limits = Limits {
        min: None,
        max: None,
        min_len: None,
        max_len: None,
        scale: None,
    };
}

/// One field of a model or one parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    /// Allowed values (as their JSON text for numbers), empty when unconstrained.
    pub enum_values: &'static [&'static str],
    pub limits: Limits,
    /// Secret values (passwords) are never echoed in errors or logs.
    pub secret: bool,
    /// A date or time string, and which form it takes.
    pub format: Option<DateFormat>,
}

/// A top-level parameter: a field plus where it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub field: Field,
    pub location: Location,
}

/// A named model (request body part or response part).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// Offset/limit (or marker/limit) pagination of a list operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// Where offset and limit go.
    pub location: Location,
    /// The name of the offset parameter (`offset`), or the marker for marker paging.
    pub offset_param: &'static str,
    pub limit_param: &'static str,
    /// The response field that holds the page's items.
    pub items_field: &'static str,
    /// The response field that holds the total count, when the service reports one.
    pub total_field: Option<&'static str>,
    /// Largest page size the service documents.
    pub max_limit: Option<u32>,
    /// Marker paging only (`offset_param` is then the marker parameter): the dotted path of the
    /// response field that holds the next marker (`page_info.next_marker`). `None` for offset paging.
    pub next_marker_field: Option<&'static str>,
}

/// Static description of one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    /// The official snake_case name (`list_sub_customers`).
    pub name: &'static str,
    pub method: Method,
    /// Path template with `{name}` placeholders.
    pub path: &'static str,
    pub service: Service,
    /// Category for grouping in docs (`customers`, `coupons`, …).
    pub category: &'static str,
    pub effect: Effect,
    pub audience: Audience,
    /// The site(s) that serve it.
    pub sites: Sites,
    /// Parameters whose presence or required-ness depends on the site.
    pub site_fields: &'static [SiteField],
    /// Path, query, header and flattened body parameters.
    pub params: &'static [Param],
    /// Name of the body model, when the operation takes a JSON body.
    pub body_model: Option<&'static str>,
    /// Name of the response model.
    pub response_model: &'static str,
    pub pagination: Option<Pagination>,
    /// Response headers copied into the result (e.g. `X-Subject-Token`).
    pub response_headers: &'static [&'static str],
}

impl Operation {
    /// A minimal description for requests built by hand (tests, `Client::send_raw`).
    pub const fn raw(
        name: &'static str,
        method: Method,
        path: &'static str,
        effect: Effect,
    ) -> Operation {
        Operation {
            name,
            method,
            path,
            service: Service::Bss,
            category: "raw",
            effect,
            audience: Audience::Both,
            sites: Sites::Both,
            site_fields: &[],
            params: &[],
            body_model: None,
            response_model: "",
            pagination: None,
            response_headers: &[],
        }
    }
}
