//! Reading the description's JSON into the model, with errors that name the bad key.

use serde_json::{Map, Value};

use crate::model::{
    Audience, Effect, EnumValue, Field, Limits, Location, Model, ModelKind, Operation, PageStyle,
    Pagination, Param, Service, Sites, TypeRef, SHARED,
};

pub(crate) fn obj<'a>(v: &'a Value, ctx: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{ctx}: expected an object"))
}

fn string(o: &Map<String, Value>, key: &str) -> Result<String, String> {
    o.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("missing string `{key}`"))
}

fn opt_string(o: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn flag(o: &Map<String, Value>, key: &str) -> Result<bool, String> {
    match o.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(format!("`{key}` must be true or false")),
    }
}

fn strings(o: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match o.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{key}` must hold strings"))
            })
            .collect(),
        Some(_) => Err(format!("`{key}` must be a list")),
    }
}

fn check_keys(o: &Map<String, Value>, allowed: &[&str], ctx: &str) -> Result<(), String> {
    for k in o.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!(
                "{ctx}: unknown key `{k}` (known: {})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

fn parse_field(v: &Value, extra_keys: &[&str]) -> Result<Field, String> {
    let o = obj(v, "field")?;
    let name = string(o, "name")?;
    let mut allowed = vec![
        "name", "type", "required", "sites", "secret", "enum", "limits", "source", "sdk_attr",
        "doc", "format",
    ];
    allowed.extend_from_slice(extra_keys);
    check_keys(o, &allowed, &format!("field `{name}`"))?;
    let ty = TypeRef::parse(&string(o, "type")?).map_err(|e| format!("field `{name}`: {e}"))?;
    let enum_values = match o.get("enum") {
        None => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(EnumValue::Str(s.clone())),
                Value::Number(n) => n
                    .as_i64()
                    .map(EnumValue::Int)
                    .ok_or_else(|| format!("enum value {n} is not an integer")),
                _ => Err(format!(
                    "field `{name}`: enum values are strings or integers"
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(format!("field `{name}`: `enum` must be a list")),
    };
    let limits = match o.get("limits") {
        None => Limits::default(),
        Some(l) => {
            let l = obj(l, "limits")?;
            check_keys(
                l,
                &["min", "max", "min_len", "max_len", "scale"],
                &format!("field `{name}` limits"),
            )?;
            let num = |k: &str| -> Result<Option<f64>, String> {
                l.get(k)
                    .map(|v| {
                        v.as_f64()
                            .ok_or_else(|| format!("limits.{k} must be a number"))
                    })
                    .transpose()
            };
            let len = |k: &str| -> Result<Option<u32>, String> {
                l.get(k)
                    .map(|v| {
                        v.as_u64()
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(|| {
                                format!("limits.{k} must be a small non-negative integer")
                            })
                    })
                    .transpose()
            };
            Limits {
                min: num("min")?,
                max: num("max")?,
                min_len: len("min_len")?,
                max_len: len("max_len")?,
                scale: len("scale")?,
            }
        }
    };
    // `required`: true (wherever the field exists), or the one site that requires it.
    let (required, required_on) = match o.get("required") {
        None | Some(Value::Bool(false)) => (false, None),
        Some(Value::Bool(true)) => (true, None),
        Some(Value::String(s)) => (false, Some(Sites::parse(s)?)),
        Some(_) => return Err(format!("field `{name}`: `required` is a bool or a site")),
    };
    let sites = match opt_string(o, "sites")? {
        None => Sites::Both,
        Some(s) => Sites::parse(&s).map_err(|e| format!("field `{name}`: {e}"))?,
    };
    let format = match opt_string(o, "format")? {
        None => None,
        Some(f) if ["month", "date", "datetime"].contains(&f.as_str()) => {
            if ty != TypeRef::String {
                return Err(format!("field `{name}`: `format` is for strings"));
            }
            Some(f)
        }
        Some(f) => {
            return Err(format!(
                "field `{name}`: format `{f}` is not month, date or datetime"
            ))
        }
    };
    Ok(Field {
        name,
        ty,
        required,
        required_on,
        sites,
        secret: flag(o, "secret")?,
        enum_values,
        limits,
        source: opt_string(o, "source")?,
        doc: opt_string(o, "doc")?,
        format,
    })
}

pub(crate) fn parse_model(name: &str, v: &Value) -> Result<Model, String> {
    let o = obj(v, "model")?;
    check_keys(o, &["kind", "source", "required_from", "fields"], "model")?;
    let kind = match string(o, "kind")?.as_str() {
        "body" => ModelKind::Body,
        "response" => ModelKind::Response,
        "model" => ModelKind::Model,
        k => return Err(format!("bad kind `{k}`")),
    };
    let fields = o
        .get("fields")
        .and_then(Value::as_array)
        .ok_or("missing `fields`")?
        .iter()
        .map(|f| parse_field(f, &[]))
        .collect::<Result<_, _>>()?;
    Ok(Model {
        name: name.to_owned(),
        kind,
        fields,
    })
}

pub(crate) fn parse_operation(v: &Value) -> Result<Operation, String> {
    let o = obj(v, "operation")?;
    check_keys(
        o,
        &[
            "name",
            "method",
            "path",
            "service",
            "category",
            "effect",
            "audience",
            "caller",
            "params",
            "body",
            "response",
            "response_headers",
            "pagination",
            "docs",
            "notes",
            "in_bssintl",
            "intl_diff",
            "sites",
            "sites_source",
        ],
        "operation",
    )?;
    let name = string(o, "name")?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err("names are snake_case".into());
    }
    let method = string(o, "method")?;
    if !["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&method.as_str()) {
        return Err(format!("bad method `{method}`"));
    }
    let path = string(o, "path")?;
    if !path.starts_with('/') {
        return Err("path must start with /".into());
    }
    let service = match string(o, "service")?.as_str() {
        "bss" => Service::Bss,
        "iam" => Service::Iam,
        s => return Err(format!("bad service `{s}`")),
    };
    let effect = match string(o, "effect")?.as_str() {
        "read" => Effect::Read,
        "write" => Effect::Write,
        "write-money" => Effect::WriteMoney,
        "auth" => Effect::Auth,
        s => return Err(format!("bad effect `{s}`")),
    };
    let audience = match string(o, "audience")?.as_str() {
        "partner" => Audience::Partner,
        "customer" => Audience::Customer,
        "both" => Audience::Both,
        s => return Err(format!("bad audience `{s}`")),
    };
    let category = string(o, "category")?;
    if category.is_empty()
        || category == SHARED
        || !category.chars().all(|c| c.is_ascii_lowercase() || c == '-')
    {
        return Err(format!("bad category `{category}`"));
    }
    let sites = Sites::parse(&string(o, "sites")?)?;
    if sites != Sites::Both && opt_string(o, "sites_source")?.is_none() {
        return Err("a one-site operation needs `sites_source`".into());
    }
    let params = o
        .get("params")
        .and_then(Value::as_array)
        .ok_or("missing `params`")?
        .iter()
        .map(|p| {
            let field = parse_field(p, &["in", "collection_format"])?;
            let po = obj(p, "param")?;
            Ok(Param {
                location: Location::parse(&string(po, "in")?)?,
                collection_format: opt_string(po, "collection_format")?,
                field,
            })
        })
        .collect::<Result<_, String>>()?;
    let pagination = match o.get("pagination") {
        None | Some(Value::Null) => None,
        Some(p) => Some(parse_pagination(obj(p, "pagination")?)?),
    };
    Ok(Operation {
        name,
        method,
        path,
        service,
        category,
        effect,
        audience,
        caller: opt_string(o, "caller")?.unwrap_or_default(),
        sites,
        in_bssintl: opt_string(o, "in_bssintl")?,
        params,
        body: opt_string(o, "body")?,
        response: string(o, "response")?,
        response_headers: strings(o, "response_headers")?,
        pagination,
        docs: strings(o, "docs")?,
        notes: opt_string(o, "notes")?,
    })
}

fn parse_pagination(p: &Map<String, Value>) -> Result<Pagination, String> {
    check_keys(
        p,
        &[
            "style",
            "location",
            "offset_param",
            "limit_param",
            "items_field",
            "other_items_fields",
            "total_field",
            "max_limit",
            "next_marker_field",
            "source",
        ],
        "pagination",
    )?;
    let style = match string(p, "style")?.as_str() {
        "offset" => PageStyle::Offset,
        "marker" => PageStyle::Marker,
        s => return Err(format!("bad pagination style `{s}`")),
    };
    let location = Location::parse(&string(p, "location")?)?;
    if !matches!(location, Location::Query | Location::Body) {
        return Err("pagination params go in the query or the body".into());
    }
    let max_limit = match p.get("max_limit") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("max_limit must be a positive integer")?,
        ),
    };
    Ok(Pagination {
        style,
        location,
        offset_param: string(p, "offset_param")?,
        limit_param: string(p, "limit_param")?,
        items_field: string(p, "items_field")?,
        other_items_fields: strings(p, "other_items_fields")?,
        total_field: opt_string(p, "total_field")?,
        max_limit,
        next_marker_field: opt_string(p, "next_marker_field")?,
    })
}
