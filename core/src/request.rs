//! Placing flat params on the wire: path segments, query pairs, headers and the JSON body, as the
//! operation's description says.

use percent_encoding::utf8_percent_encode;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::operation::{Location, Method, Operation, Service};
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

fn location_of(op: &Operation, name: &str) -> Location {
    if let Some(p) = op.params.iter().find(|p| p.field.name == name) {
        return p.location;
    }
    // Undeclared (raw operations): query for bodiless methods, body otherwise.
    match op.method {
        Method::Get | Method::Delete => Location::Query,
        _ => Location::Body,
    }
}

/// Builds the unsigned request for `op` with flat `params` (already validated).
pub(crate) fn build(config: &Config, op: &Operation, params: &Value) -> Result<Outgoing> {
    let empty = Map::new();
    let obj = match params {
        Value::Object(m) => m,
        Value::Null => &empty,
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
        match location_of(op, name) {
            Location::Path => {
                let text = scalar_text(name, value)?;
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
            Location::Query => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        query.push((name.clone(), scalar_text(&format!("{name}[{i}]"), item)?));
                    }
                }
                v => query.push((name.clone(), scalar_text(name, v)?)),
            },
            Location::Header => headers.push((name.clone(), scalar_text(name, value)?)),
            Location::Body => {
                body.insert(name.clone(), value.clone());
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
        let r = build(&config(), &op, &p).unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1/v2/things/a%2Fb%20c/go?limit=10");
        assert!(r.headers.contains(&("X-Language".into(), "en_US".into())));
        assert_eq!(String::from_utf8(r.body).unwrap(), r#"{"name":"你好"}"#);
    }

    #[test]
    fn raw_get_puts_params_in_sorted_query() {
        let op = Operation::raw("y", Method::Get, "/v2/y", Effect::Read);
        let r = build(
            &config(),
            &op,
            &serde_json::json!({"b": [2, 1], "a": true, "c": "x y"}),
        )
        .unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1/v2/y?a=true&b=1&b=2&c=x%20y");
        assert!(r.body.is_empty());
    }

    #[test]
    fn missing_path_param_is_named() {
        let op = Operation {
            params: &[ID],
            ..Operation::raw("z", Method::Delete, "/v2/z/{resource_id}", Effect::Write)
        };
        let e = build(&config(), &op, &serde_json::json!({})).unwrap_err();
        assert_eq!(e.field(), Some("resource_id"));
    }
}
