//! Placing flat params on the wire: path segments, query pairs, headers and the JSON body, as the
//! operation's description says. Money goes as a JSON number whatever the face passed (the
//! string "10.00", an int, a Decimal): decimals are normalized here, by the description's types.

use percent_encoding::utf8_percent_encode;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::generated::find_model;
use crate::money;
use crate::operation::{Field, Location, Method, Operation, Service, Type};
// Path params are encoded as the SDK's `quote(v, safe='')`, the same set the signer uses.
use crate::signer::{encode_query, QUOTE};
use crate::transport::Outgoing;

/// The text of a scalar as it goes into a path, query or header.
fn scalar_text(field: &str, v: &Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Error::invalid_argument(
            field,
            "must be a string, number or boolean here",
        )),
    }
}

fn param_of<'o>(op: &'o Operation, name: &str) -> (Location, Option<&'o Field>) {
    if let Some(p) = op.params.iter().find(|p| p.field.name == name) {
        return (p.location, Some(&p.field));
    }
    // Undeclared (raw operations): query for bodiless methods, body otherwise.
    match op.method {
        Method::Get | Method::Delete => (Location::Query, None),
        _ => (Location::Body, None),
    }
}

/// `v` with every decimal (by `ty`) as an exact JSON number. Values that are not decimals are
/// left as they are (validation has refused them already on the generated path).
fn wire_value(ty: &Type, field: &Field, v: Value) -> Value {
    match (ty, v) {
        (Type::Decimal, v) => match money::from_value(&v) {
            Some(Ok(d)) => money::to_wire(d, field.limits.scale),
            _ => v,
        },
        (Type::List(item), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|x| wire_value(item, field, x))
                .collect(),
        ),
        (Type::Map(item), Value::Object(m)) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, wire_value(item, field, x)))
                .collect(),
        ),
        (Type::Model(name), Value::Object(m)) => match find_model(name) {
            Some(model) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| match model.fields.iter().find(|f| f.name == k) {
                        Some(f) => {
                            let x = wire_value(&f.ty, f, x);
                            (k, x)
                        }
                        None => (k, x),
                    })
                    .collect(),
            ),
            None => Value::Object(m),
        },
        (_, v) => v,
    }
}

/// The text of a path, query or header value; decimals in their canonical digits.
fn text_of(name: &str, field: Option<&Field>, v: &Value) -> Result<String> {
    if let (Some(f), Some(Ok(d))) = (
        field.filter(|f| f.ty == Type::Decimal),
        money::from_value(v),
    ) {
        return Ok(money::to_wire(d, f.limits.scale).to_string());
    }
    scalar_text(name, v)
}

/// Builds the unsigned request for `op` with flat `params` (already validated).
pub(crate) fn build(config: &Config, op: &Operation, params: Value) -> Result<Outgoing> {
    let obj = match params {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        _ => {
            return Err(Error::invalid_argument(
                "params",
                "must be an object of named parameters",
            ))
        }
    };
    let mut path = op.path.to_owned();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::with_capacity(4);
    let mut body = Map::new();
    for (name, value) in obj {
        if value.is_null() {
            continue;
        }
        let (location, field) = param_of(op, &name);
        match location {
            Location::Path => {
                let text = text_of(&name, field, &value)?;
                if text.is_empty() {
                    return Err(Error::invalid_argument(
                        name,
                        "must not be empty (it is part of the URL path)",
                    ));
                }
                path = path.replace(
                    &format!("{{{name}}}"),
                    &utf8_percent_encode(&text, QUOTE).to_string(),
                );
            }
            Location::Query => match &value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let text = text_of(&format!("{name}[{i}]"), field, item)?;
                        query.push((name.clone(), text));
                    }
                }
                v => {
                    let text = text_of(&name, field, v)?;
                    query.push((name, text));
                }
            },
            Location::Header => {
                let text = text_of(&name, field, &value)?;
                headers.push((name, text));
            }
            Location::Body => {
                let value = match field {
                    Some(f) => wire_value(&f.ty, f, value),
                    None => value,
                };
                body.insert(name, value);
            }
        }
    }
    if let Some(missing) = op
        .params
        .iter()
        .find(|p| p.location == Location::Path && path.contains(&format!("{{{}}}", p.field.name)))
    {
        return Err(Error::invalid_argument(
            missing.field.name,
            "is required (it is part of the URL path)",
        ));
    }
    let base = match op.service {
        Service::Bss => &config.bss_endpoint,
        Service::Iam => &config.iam_endpoint,
    };
    let mut url = format!("{base}{path}");
    if !query.is_empty() {
        // Sorted as the signer canonicalizes, so the URL we send is the canonical one.
        url.push('?');
        encode_query(&mut query, &mut url);
    }
    headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    if op.service == Service::Bss
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("X-Language"))
    {
        if let Some(lang) = config.language {
            headers.push(("X-Language".to_owned(), lang.as_str().to_owned()));
        }
    }
    let has_body = !body.is_empty()
        || (op.body_model.is_some() && !matches!(op.method, Method::Get | Method::Delete));
    let body = if has_body {
        serde_json::to_vec(&Value::Object(body)).expect("a JSON map serializes")
    } else {
        Vec::new()
    };
    Ok(Outgoing {
        method: op.method,
        url,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::AkSk;
    use crate::operation::{Effect, Field, Limits, Param, Type};

    const ID: Param = Param {
        field: Field {
            name: "resource_id",
            ty: Type::String,
            required: true,
            enum_values: &[],
            limits: Limits::NONE,
            secret: false,
            format: None,
        },
        location: Location::Path,
    };
    const LIMIT: Param = Param {
        field: Field {
            name: "limit",
            ty: Type::Int,
            required: false,
            enum_values: &[],
            limits: Limits::NONE,
            secret: false,
            format: None,
        },
        location: Location::Query,
    };
    const LANG: Param = Param {
        field: Field {
            name: "X-Language",
            ty: Type::String,
            required: false,
            enum_values: &[],
            limits: Limits::NONE,
            secret: false,
            format: None,
        },
        location: Location::Header,
    };

    fn config() -> Config {
        Config::builder()
            .endpoint("http://127.0.0.1:1")
            .credentials(AkSk::new("a", "b"))
            .build()
            .unwrap()
    }

    #[test]
    fn places_every_kind() {
        let op = Operation {
            params: &[ID, LIMIT, LANG],
            body_model: Some("Body"),
            ..Operation::raw(
                "x",
                Method::Post,
                "/v2/things/{resource_id}/go",
                Effect::Write,
            )
        };
        let p = serde_json::json!({"resource_id": "a/b c", "limit": 10, "X-Language": "en_US", "name": "你好", "skip": null});
        let r = build(&config(), &op, p).unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1/v2/things/a%2Fb%20c/go?limit=10");
        assert!(r.headers.contains(&("X-Language".into(), "en_US".into())));
        assert_eq!(
            String::from_utf8(r.body.clone()).unwrap(),
            r#"{"name":"你好"}"#
        );
    }

    #[test]
    fn raw_get_puts_params_in_sorted_query() {
        let op = Operation::raw("y", Method::Get, "/v2/y", Effect::Read);
        let r = build(
            &config(),
            &op,
            serde_json::json!({"b": [2, 1], "a": true, "c": "x y"}),
        )
        .unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1/v2/y?a=true&b=1&b=2&c=x%20y");
        assert!(r.body.is_empty());
    }

    #[test]
    fn money_goes_as_json_numbers() {
        let op = crate::generated::find_operation("update_customer_account_amount").unwrap();
        for (given, sent) in [
            (serde_json::json!("10.00"), "10.00"),
            (serde_json::json!(" 7 "), "7"),
            (serde_json::json!(5), "5"),
            (serde_json::json!("1.50000"), "1.50"),
            (serde_json::json!(12.5), "12.5"),
        ] {
            let p = serde_json::json!({"customer_id": "c", "amount": given});
            let r = build(&config(), op, p).unwrap();
            let body = String::from_utf8(r.body.clone()).unwrap();
            assert_eq!(body, format!(r#"{{"customer_id":"c","amount":{sent}}}"#));
        }
        // Nested decimals too (a list of models with a decimal field).
        let op = crate::generated::find_operation("list_on_demand_resource_ratings").unwrap();
        let p = serde_json::json!({"project_id": "p", "product_infos": [{"id": "1", "usage_value": "3.10"}]});
        let r = build(&config(), op, p).unwrap();
        let body = String::from_utf8(r.body.clone()).unwrap();
        assert!(body.contains(r#""usage_value":3.10"#), "{body}");
    }

    #[test]
    fn missing_path_param_is_named() {
        let op = Operation {
            params: &[ID],
            ..Operation::raw("z", Method::Delete, "/v2/z/{resource_id}", Effect::Write)
        };
        let e = build(&config(), &op, serde_json::json!({})).unwrap_err();
        assert_eq!(e.field(), Some("resource_id"));
    }
}
