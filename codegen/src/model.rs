//! The API description as the generators see it, independent of any output language.
//!
//! Read from `core/api/operations.json` and `core/api/models.json` and checked for consistency
//! (every type resolves, pagination names real fields, the flat request has no name clash, path
//! placeholders match path params). The Rust, Python and TypeScript writers all start from here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::parse;

/// A field or parameter type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    Int,
    Float,
    /// Exact decimal (money).
    Decimal,
    Bool,
    /// Any JSON value.
    Object,
    List(Box<TypeRef>),
    /// String-keyed map.
    Map(Box<TypeRef>),
    /// A named model.
    Model(String),
}

impl TypeRef {
    /// Parses `string int float decimal bool object list<T> map<T> ModelName`.
    pub fn parse(text: &str) -> Result<TypeRef, String> {
        let t = text.trim();
        let inner = |prefix: &str| t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>'));
        Ok(match t {
            "string" => TypeRef::String,
            "int" => TypeRef::Int,
            "float" => TypeRef::Float,
            "decimal" => TypeRef::Decimal,
            "bool" => TypeRef::Bool,
            "object" => TypeRef::Object,
            _ => {
                if let Some(i) = inner("list<") {
                    TypeRef::List(Box::new(TypeRef::parse(i)?))
                } else if let Some(i) = inner("map<") {
                    TypeRef::Map(Box::new(TypeRef::parse(i)?))
                } else if !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    TypeRef::Model(t.to_owned())
                } else {
                    return Err(format!("bad type `{text}`"));
                }
            }
        })
    }

    /// The named models this type mentions.
    pub fn model_refs(&self) -> Vec<&str> {
        match self {
            TypeRef::List(t) | TypeRef::Map(t) => t.model_refs(),
            TypeRef::Model(m) => vec![m.as_str()],
            _ => vec![],
        }
    }

    /// The scalar at the bottom of lists and maps.
    pub fn leaf(&self) -> &TypeRef {
        match self {
            TypeRef::List(t) | TypeRef::Map(t) => t.leaf(),
            t => t,
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::String => f.write_str("string"),
            TypeRef::Int => f.write_str("int"),
            TypeRef::Float => f.write_str("float"),
            TypeRef::Decimal => f.write_str("decimal"),
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::Object => f.write_str("object"),
            TypeRef::List(t) => write!(f, "list<{t}>"),
            TypeRef::Map(t) => write!(f, "map<{t}>"),
            TypeRef::Model(m) => f.write_str(m),
        }
    }
}

/// One allowed value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    Str(String),
    Int(i64),
}

impl EnumValue {
    /// The value as JSON text (`"1"` for the string, `1` for the number), unquoted for strings.
    pub fn text(&self) -> String {
        match self {
            EnumValue::Str(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        }
    }
}

/// Inclusive value limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_len: Option<u32>,
    pub max_len: Option<u32>,
    /// Most digits after the decimal point (decimal fields only).
    pub scale: Option<u32>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// On which site(s) an operation or a field exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sites {
    #[default]
    Both,
    Cn,
    Intl,
}

impl Sites {
    pub(crate) fn parse(s: &str) -> Result<Sites, String> {
        Ok(match s {
            "both" => Sites::Both,
            "cn" => Sites::Cn,
            "intl" => Sites::Intl,
            _ => return Err(format!("bad site `{s}` (cn, intl or both)")),
        })
    }

    /// The Rust variant name (`Cn`).
    pub fn variant(self) -> &'static str {
        match self {
            Sites::Both => "Both",
            Sites::Cn => "Cn",
            Sites::Intl => "Intl",
        }
    }
}

/// A model field or an operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name, exactly as sent.
    pub name: String,
    pub ty: TypeRef,
    /// Required on every site where the field exists.
    pub required: bool,
    /// Required on this one site only (`Cn` or `Intl`), optional or absent on the other.
    pub required_on: Option<Sites>,
    /// The site(s) where the field exists.
    pub sites: Sites,
    pub secret: bool,
    pub enum_values: Vec<EnumValue>,
    pub limits: Limits,
    /// Where a constraint or a change from the reference comes from.
    pub source: Option<String>,
    /// What it means, in a sentence (docstrings, `help()`).
    pub doc: Option<String>,
    /// A date or time string: `month` (`YYYY-MM`, UTC+8), `date` (`YYYY-MM-DD`, UTC+8) or
    /// `datetime` (`YYYY-MM-DDTHH:MM:SSZ`, UTC).
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
}

impl Location {
    pub(crate) fn parse(s: &str) -> Result<Location, String> {
        Ok(match s {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "body" => Location::Body,
            _ => return Err(format!("bad location `{s}`")),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub field: Field,
    pub location: Location,
    /// `multi` when a list query param is sent as repeated keys.
    pub collection_format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Read,
    Write,
    WriteMoney,
    Auth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Partner,
    Customer,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Bss,
    Iam,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `offset` + `limit`.
    Offset,
    /// `marker` + `limit`; the next marker comes back in the response.
    Marker,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PageStyle,
    pub location: Location,
    pub offset_param: String,
    pub limit_param: String,
    pub items_field: String,
    /// Other list fields of the page (the first, `items_field`, is the main one).
    pub other_items_fields: Vec<String>,
    pub total_field: Option<String>,
    pub max_limit: Option<u32>,
    /// Dotted response path of the next marker (marker paging only).
    pub next_marker_field: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Official snake_case name.
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub service: Service,
    pub category: String,
    pub effect: Effect,
    pub audience: Audience,
    /// Who may call it, in words.
    pub caller: String,
    /// The site(s) that serve it.
    pub sites: Sites,
    /// The reference's `in_bssintl` (`yes`, `no`, `n/a`), checked against `sites`.
    pub in_bssintl: Option<String>,
    /// Path, query and header params (body fields come from `body`).
    pub params: Vec<Param>,
    /// The body model, whose fields are merged into the flat request.
    pub body: Option<String>,
    pub response: String,
    pub response_headers: Vec<String>,
    pub pagination: Option<Pagination>,
    pub docs: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// The JSON body of one operation (merged into its flat request).
    Body,
    /// The response of one operation.
    Response,
    /// A nested model.
    Model,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub kind: ModelKind,
    pub fields: Vec<Field>,
}

/// Which side of a call a model is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Sent by the caller: `required` is enforced.
    Request,
    /// Received from the service: every field may be absent.
    Response,
}

/// The whole description.
#[derive(Debug, Clone)]
pub struct Api {
    /// Sorted by name.
    pub operations: Vec<Operation>,
    /// By name.
    pub models: BTreeMap<String, Model>,
}

/// The grouping of a model that more than one category uses.
pub const SHARED: &str = "shared";

impl Api {
    /// Reads `operations.json` and `models.json` from `dir` and checks them.
    pub fn load(dir: &Path) -> Result<Api, String> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        Api::from_json(&read("operations.json")?, &read("models.json")?)
    }

    pub fn from_json(operations: &str, models: &str) -> Result<Api, String> {
        let ops: Value =
            serde_json::from_str(operations).map_err(|e| format!("operations.json: {e}"))?;
        let mods: Value = serde_json::from_str(models).map_err(|e| format!("models.json: {e}"))?;
        let mut api = Api {
            operations: Vec::new(),
            models: BTreeMap::new(),
        };
        let model_map = parse::obj(&mods, "models.json")?
            .get("models")
            .and_then(Value::as_object);
        for (name, m) in model_map.ok_or("models.json: no `models` object")? {
            let model =
                parse::parse_model(name, m).map_err(|e| format!("models.json: {name}: {e}"))?;
            api.models.insert(name.clone(), model);
        }
        let op_list = parse::obj(&ops, "operations.json")?
            .get("operations")
            .and_then(Value::as_array);
        for o in op_list.ok_or("operations.json: no `operations` array")? {
            let name = o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            api.operations.push(
                parse::parse_operation(o).map_err(|e| format!("operations.json: {name}: {e}"))?,
            );
        }
        api.operations.sort_by(|a, b| a.name.cmp(&b.name));
        api.check()?;
        Ok(api)
    }

    pub fn model(&self, name: &str) -> &Model {
        &self.models[name]
    }

    /// The flat request of an operation: path, query and header params, then the body model's fields.
    pub fn flat_params(&self, op: &Operation) -> Vec<Param> {
        let mut out = op.params.clone();
        if let Some(body) = &op.body {
            for f in &self.model(body).fields {
                out.push(Param {
                    field: f.clone(),
                    location: Location::Body,
                    collection_format: None,
                });
            }
        }
        out
    }

    /// The params of the flat request that exist on one site only or that one site requires.
    pub fn site_fields(&self, op: &Operation) -> Vec<Param> {
        self.flat_params(op)
            .into_iter()
            .filter(|p| p.field.sites != Sites::Both || p.field.required_on.is_some())
            .collect()
    }

    /// Models reachable from `roots` (the roots included).
    pub fn closure<'r>(&self, roots: impl IntoIterator<Item = &'r str>) -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            if let Some((key, m)) = self.models.get_key_value(&name) {
                if seen.insert(key.as_str()) {
                    stack.extend(
                        m.fields
                            .iter()
                            .flat_map(|f| f.ty.model_refs())
                            .map(str::to_owned),
                    );
                }
            }
        }
        seen
    }

    /// Models an operation uses (body, response, and everything they nest).
    pub fn models_of(&self, op: &Operation) -> BTreeSet<&str> {
        let param_refs = op.params.iter().flat_map(|p| p.field.ty.model_refs());
        self.closure(
            op.body
                .as_deref()
                .into_iter()
                .chain([op.response.as_str()])
                .chain(param_refs),
        )
    }

    /// For every model, the operations that use it (in operation order).
    pub fn users(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for op in &self.operations {
            for m in self.models_of(op) {
                users.entry(m).or_default().push(op.name.as_str());
            }
        }
        users
    }

    /// The models that are sent (reachable from a body or a param); all others are received.
    pub fn request_side(&self) -> BTreeSet<&str> {
        let roots = self.operations.iter().flat_map(|o| {
            o.body
                .as_deref()
                .into_iter()
                .chain(o.params.iter().flat_map(|p| p.field.ty.model_refs()))
        });
        self.closure(roots)
    }

    /// Whether a model is sent or received.
    pub fn side(&self, model: &str) -> Side {
        if self.request_side().contains(model) {
            Side::Request
        } else {
            Side::Response
        }
    }

    /// For every model, the category whose operations alone use it, or [`SHARED`].
    pub fn homes(&self) -> BTreeMap<&str, &str> {
        let mut cats: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for op in &self.operations {
            for m in self.models_of(op) {
                cats.entry(m).or_default().insert(op.category.as_str());
            }
        }
        self.models
            .keys()
            .map(|m| {
                let home = match cats.get(m.as_str()) {
                    Some(c) if c.len() == 1 => c.iter().next().copied().unwrap_or(SHARED),
                    _ => SHARED,
                };
                (m.as_str(), home)
            })
            .collect()
    }

    /// The categories, sorted.
    pub fn categories(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .operations
            .iter()
            .map(|o| o.category.as_str())
            .collect();
        set.into_iter().map(str::to_owned).collect()
    }

    fn check(&self) -> Result<(), String> {
        let mut errors = Vec::new();
        for m in self.models.values() {
            let mut names = BTreeSet::new();
            for f in &m.fields {
                if !names.insert(f.name.as_str()) {
                    errors.push(format!("model {}: field `{}` twice", m.name, f.name));
                }
                check_field(self, &format!("model {}", m.name), f, &mut errors);
            }
        }
        for m in self.models.values().filter(|m| m.kind != ModelKind::Body) {
            for f in m.fields.iter().filter(|f| is_site_specific(f)) {
                errors.push(format!(
                    "model {}: field `{}` names a site, but sites are checked on the flat request \
                     only (params and body fields)",
                    m.name, f.name
                ));
            }
        }
        let used: BTreeSet<&str> = self
            .operations
            .iter()
            .flat_map(|o| self.models_of(o))
            .collect();
        for m in self.models.keys() {
            if !used.contains(m.as_str()) {
                errors.push(format!("model {m} is used by no operation"));
            }
        }
        let mut names = BTreeSet::new();
        for op in &self.operations {
            let ctx = format!("operation {}", op.name);
            if !names.insert(op.name.as_str()) {
                errors.push(format!("{ctx}: defined twice"));
            }
            check_sites(self, op, &ctx, &mut errors);
            for p in &op.params {
                check_field(self, &ctx, &p.field, &mut errors);
                if p.location == Location::Body {
                    errors.push(format!(
                        "{ctx}: param `{}` in body: put body fields in the body model",
                        p.field.name
                    ));
                }
            }
            for (what, name) in op
                .body
                .iter()
                .map(|b| ("body", b))
                .chain([("response", &op.response)])
            {
                match self.models.get(name) {
                    None => errors.push(format!("{ctx}: {what} model `{name}` is not defined")),
                    Some(m) => {
                        let want = if what == "body" {
                            ModelKind::Body
                        } else {
                            ModelKind::Response
                        };
                        if m.kind != want {
                            errors.push(format!(
                                "{ctx}: model `{name}` is used as {what} but its kind is {:?}",
                                m.kind
                            ));
                        }
                    }
                }
            }
            if op
                .body
                .as_ref()
                .is_some_and(|b| !self.models.contains_key(b))
                || !self.models.contains_key(&op.response)
            {
                continue;
            }
            let flat = self.flat_params(op);
            let mut seen = BTreeSet::new();
            for p in &flat {
                if !seen.insert(p.field.name.as_str()) {
                    errors.push(format!(
                        "{ctx}: the flat request has `{}` twice (a param and a body field?)",
                        p.field.name
                    ));
                }
            }
            let placeholders: BTreeSet<&str> = op
                .path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
                .collect();
            let path_params: BTreeSet<&str> = op
                .params
                .iter()
                .filter(|p| p.location == Location::Path)
                .map(|p| p.field.name.as_str())
                .collect();
            if placeholders != path_params {
                errors.push(format!("{ctx}: path placeholders {placeholders:?} differ from path params {path_params:?}"));
            }
            for p in op.params.iter().filter(|p| p.location == Location::Path) {
                if !p.field.required || p.field.ty != TypeRef::String {
                    errors.push(format!(
                        "{ctx}: path param `{}` must be a required string",
                        p.field.name
                    ));
                }
            }
            let response = self.model(&op.response);
            for h in &op.response_headers {
                if !response.fields.iter().any(|f| &f.name == h) {
                    errors.push(format!(
                        "{ctx}: response header `{h}` is not a field of {}",
                        op.response
                    ));
                }
            }
            if let Some(pg) = &op.pagination {
                for name in [&pg.offset_param, &pg.limit_param] {
                    match flat.iter().find(|p| &p.field.name == name) {
                        None => {
                            errors.push(format!("{ctx}: pagination param `{name}` is not a param"))
                        }
                        Some(p) if p.location != pg.location => errors.push(format!(
                            "{ctx}: pagination param `{name}` is not in {:?}",
                            pg.location
                        )),
                        Some(_) => {}
                    }
                }
                let list_field = |name: &str| {
                    response
                        .fields
                        .iter()
                        .find(|f| f.name == name)
                        .map(|f| matches!(f.ty, TypeRef::List(_)))
                };
                for name in std::iter::once(&pg.items_field).chain(&pg.other_items_fields) {
                    if list_field(name) != Some(true) {
                        errors.push(format!(
                            "{ctx}: pagination items `{name}` is not a list field of {}",
                            op.response
                        ));
                    }
                }
                if let Some(total) = &pg.total_field {
                    if response
                        .fields
                        .iter()
                        .find(|f| &f.name == total)
                        .map(|f| &f.ty)
                        != Some(&TypeRef::Int)
                    {
                        errors.push(format!(
                            "{ctx}: pagination total `{total}` is not an int field of {}",
                            op.response
                        ));
                    }
                }
                match (pg.style, &pg.next_marker_field) {
                    (PageStyle::Marker, None) => {
                        errors.push(format!("{ctx}: marker paging needs next_marker_field"))
                    }
                    (PageStyle::Offset, Some(_)) => {
                        errors.push(format!("{ctx}: next_marker_field on offset paging"))
                    }
                    (PageStyle::Marker, Some(path)) => {
                        if !self.resolves(&op.response, path) {
                            errors.push(format!(
                                "{ctx}: next_marker_field `{path}` is not a string in {}",
                                op.response
                            ));
                        }
                    }
                    (PageStyle::Offset, None) => {}
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    /// Whether a dotted path names a string field, starting at a model.
    fn resolves(&self, model: &str, path: &str) -> bool {
        let Some((head, rest)) = path
            .split_once('.')
            .map_or(Some((path, None)), |(h, r)| Some((h, Some(r))))
        else {
            return false;
        };
        let Some(f) = self
            .models
            .get(model)
            .and_then(|m| m.fields.iter().find(|f| f.name == head))
        else {
            return false;
        };
        match (rest, &f.ty) {
            (None, TypeRef::String) => true,
            (Some(rest), TypeRef::Model(m)) => self.resolves(m, rest),
            _ => false,
        }
    }
}

fn is_site_specific(f: &Field) -> bool {
    f.sites != Sites::Both || f.required_on.is_some()
}

/// An operation's sites agree with the reference's `in_bssintl`, and its site-specific fields
/// make sense: on a two-site operation only, required where they exist.
fn check_sites(api: &Api, op: &Operation, ctx: &str, errors: &mut Vec<String>) {
    let expected = match op.in_bssintl.as_deref() {
        Some("no") => Some(&[Sites::Cn][..]),
        Some("yes") => Some(&[Sites::Both, Sites::Intl][..]),
        Some("n/a") => Some(&[Sites::Both][..]),
        _ => None,
    };
    if let Some(ok) = expected {
        if !ok.contains(&op.sites) {
            errors.push(format!(
                "{ctx}: sites {:?} contradict in_bssintl {:?}",
                op.sites, op.in_bssintl
            ));
        }
    }
    if op
        .body
        .as_ref()
        .is_some_and(|b| !api.models.contains_key(b))
    {
        return;
    }
    for p in api.site_fields(op) {
        let f = &p.field;
        if op.sites != Sites::Both {
            errors.push(format!(
                "{ctx}: `{}` names a site, but the whole operation is on one site",
                f.name
            ));
        }
        if let Some(on) = f.required_on {
            if on == Sites::Both || (f.sites != Sites::Both && f.sites != on) {
                errors.push(format!(
                    "{ctx}: `{}` is required on {on:?} but exists on {:?}",
                    f.name, f.sites
                ));
            }
            if f.required {
                errors.push(format!(
                    "{ctx}: `{}` is required everywhere and on one site",
                    f.name
                ));
            }
        }
    }
}

fn check_field(api: &Api, ctx: &str, f: &Field, errors: &mut Vec<String>) {
    for m in f.ty.model_refs() {
        if !api.models.contains_key(m) {
            errors.push(format!(
                "{ctx}: field `{}` refers to undefined model `{m}`",
                f.name
            ));
        }
    }
    for v in &f.enum_values {
        let ok = matches!(
            (v, f.ty.leaf()),
            (EnumValue::Str(_), TypeRef::String)
                | (
                    EnumValue::Int(_),
                    TypeRef::Int | TypeRef::Float | TypeRef::Decimal
                )
        );
        if !ok {
            errors.push(format!(
                "{ctx}: enum value {v:?} of `{}` does not fit type {}",
                f.name, f.ty
            ));
        }
    }
    if f.secret && f.ty != TypeRef::String {
        errors.push(format!("{ctx}: secret field `{}` must be a string", f.name));
    }
    if (f.limits.min.is_some() || f.limits.max.is_some())
        && !matches!(
            f.ty.leaf(),
            TypeRef::Int | TypeRef::Float | TypeRef::Decimal
        )
    {
        errors.push(format!("{ctx}: min/max on non-numeric field `{}`", f.name));
    }
    if f.limits.scale.is_some() && f.ty.leaf() != &TypeRef::Decimal {
        errors.push(format!("{ctx}: scale on non-decimal field `{}`", f.name));
    }
    if (f.limits.min_len.is_some() || f.limits.max_len.is_some())
        && !matches!(f.ty, TypeRef::String | TypeRef::List(_))
    {
        errors.push(format!(
            "{ctx}: min_len/max_len on `{}`, which is neither a string nor a list",
            f.name
        ));
    }
    if !f.enum_values.is_empty() || !f.limits.is_empty() || f.secret || is_site_specific(f) {
        // Constraints must say where they come from (the reference's own `secret` flags excepted).
        let from_reference = f.secret && f.enum_values.is_empty() && f.limits.is_empty();
        if f.source.is_none() && !from_reference {
            errors.push(format!(
                "{ctx}: constraint on `{}` without a `source`",
                f.name
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-operation description with the given body fields (JSON) and operation sites.
    fn api_with(sites: &str, body_fields: &str, nested_fields: &str) -> Result<Api, String> {
        let ops = format!(
            r#"{{"operations": [{{"name": "op_x", "method": "POST", "path": "/x", "service": "bss",
            "category": "customers", "effect": "read", "audience": "partner", "sites": {sites},
            "params": [], "body": "XReq", "response": "OpXResponse"}}]}}"#
        );
        let models = format!(
            r#"{{"models": {{"XReq": {{"kind": "body", "fields": [{body_fields}]}},
            "Inner": {{"kind": "model", "fields": [{nested_fields}]}},
            "OpXResponse": {{"kind": "response", "fields": [{{"name": "i", "type": "Inner"}}]}}}}}}"#
        );
        Api::from_json(&ops, &models)
    }

    #[test]
    fn sites_are_parsed_and_checked() {
        let api = api_with(
            r#""both""#,
            r#"{"name": "a", "type": "string", "sites": "cn", "required": "cn", "source": "s"},
               {"name": "b", "type": "string"}"#,
            "",
        )
        .unwrap();
        let site = api.site_fields(&api.operations[0]);
        assert_eq!(site.len(), 1);
        assert_eq!(
            (site[0].field.sites, site[0].field.required_on),
            (Sites::Cn, Some(Sites::Cn))
        );
        let bad = [
            // required on the site where the field does not exist
            (
                r#""both""#,
                r#"{"name": "a", "type": "string", "sites": "cn", "required": "intl", "source": "s"}"#,
                "",
                "required on Intl",
            ),
            // a site restriction needs a source
            (
                r#""both""#,
                r#"{"name": "a", "type": "string", "sites": "intl"}"#,
                "",
                "without a `source`",
            ),
            // a field of one site on an operation of one site
            (
                r#""intl", "sites_source": "s""#,
                r#"{"name": "a", "type": "string", "sites": "intl", "source": "s"}"#,
                "",
                "whole operation",
            ),
            // nested fields are not checked by site
            (
                r#""both""#,
                "",
                r#"{"name": "n", "type": "string", "sites": "cn", "source": "s"}"#,
                "flat request only",
            ),
            // a one-site operation says where that comes from
            (r#""cn""#, "", "", "sites_source"),
        ];
        for (sites, body, nested, want) in bad {
            let e = api_with(sites, body, nested).unwrap_err();
            assert!(e.contains(want), "{want}: {e}");
        }
    }

    #[test]
    fn types_parse_and_print() {
        for t in ["string", "list<Foo>", "map<map<list<string>>>", "decimal"] {
            assert_eq!(TypeRef::parse(t).unwrap().to_string(), t);
        }
        assert!(TypeRef::parse("list<").is_err());
    }
}
