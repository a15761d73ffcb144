//! Checks call parameters against the operation table before anything is sent.
//!
//! The parameters are one flat JSON object: the path, query and header parameters and the body
//! model's fields side by side, by wire name. [`validate`] rejects, with an
//! [`InvalidArgument`](crate::ErrorKind::InvalidArgument) error that names the field:
//! - anything but an object, and top-level keys the operation does not know (the message lists the
//!   valid names; unknown keys inside nested models are let through, since the service may accept
//!   fields newer than this description);
//! - a missing or `null` required parameter or nested field, and an empty path parameter;
//! - a value of the wrong type: `int` is an integral JSON number, `decimal` a number or a numeric
//!   string in the strict grammar of [`crate::money`], `float` any number; lists, maps and models
//!   are checked item by item;
//! - a value outside its enum or limits (numeric bounds, compared exactly for decimals; decimal
//!   places; length bounds for strings and lists).
//!
//! - a string longer than [`MAX_STRING_CHARS`] anywhere in the parameters, nested models' unknown
//!   keys included: no parameter of the service is near that long, and a 10 MB value is a mistake
//!   to report, not a request to send.
//!
//! Field paths look like `customer_infos[2].customer_id`. Messages never contain the value of a
//! secret field (passwords, tokens, SMS codes).

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::error::{quote, Error};
use crate::money;
use crate::operation::{Field, Location, Operation, Type};

/// The longest string sent in any parameter, in characters. The longest the service documents
/// is 256; IAM tokens, the longest values a caller may pass on, are under 16 KB.
pub const MAX_STRING_CHARS: usize = 65_536;

/// Checks `params` against `op`; `Ok` means the call may be sent.
pub fn validate(op: &Operation, params: &Value) -> Result<(), Error> {
    validate_params(op, params).map_err(|e| e.with_operation(op.name))
}

fn validate_params(op: &Operation, params: &Value) -> Result<(), Error> {
    let Some(object) = params.as_object() else {
        return Err(Error::invalid_argument(
            "params",
            format!("parameters must be a JSON object, got {}", kind(params)),
        ));
    };
    for key in object.keys() {
        if key.is_empty() {
            // Named by its container: an empty field name would name nothing.
            return Err(Error::invalid_argument(
                "params",
                format!("a parameter of {} has an empty name", op.name),
            ));
        }
        if !op.params.iter().any(|p| p.field.name == key) {
            let message = if op.params.is_empty() {
                format!("unknown parameter `{key}`: {} takes no parameters", op.name)
            } else {
                let valid: Vec<&str> = op.params.iter().map(|p| p.field.name).collect();
                format!(
                    "unknown parameter `{key}`; valid parameters: {}",
                    valid.join(", ")
                )
            };
            return Err(Error::invalid_argument(key.as_str(), message));
        }
    }
    for p in op.params {
        let value = object.get(p.field.name);
        check_field(&p.field, value, p.field.name, false)?;
        if p.location == Location::Path {
            if let Some(Value::String(s)) = value {
                if s.is_empty() {
                    return Err(Error::invalid_argument(
                        p.field.name,
                        "must not be empty (it is part of the URL path)",
                    ));
                }
            }
        }
    }
    for (key, value) in object {
        check_string_sizes(value, key)?;
    }
    Ok(())
}

/// Refuses a string longer than [`MAX_STRING_CHARS`] anywhere in `v` (at `path`).
fn check_string_sizes(v: &Value, path: &str) -> Result<(), Error> {
    match too_long_below(v) {
        None => Ok(()),
        Some(rest) => Err(Error::invalid_argument(
            format!("{path}{rest}"),
            format!("is longer than {MAX_STRING_CHARS} characters"),
        )),
    }
}

/// Where below `v` its first string longer than the bound is (`""`: `v` itself). The path is
/// written only for the string found: the walk of a valid call allocates nothing.
fn too_long_below(v: &Value) -> Option<String> {
    match v {
        // Bytes first: a string of no more bytes than the bound has no more characters.
        Value::String(s) if s.len() > MAX_STRING_CHARS && s.chars().count() > MAX_STRING_CHARS => {
            Some(String::new())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| too_long_below(item).map(|rest| format!("[{i}]{rest}"))),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(k, item)| too_long_below(item).map(|rest| format!(".{k}{rest}"))),
        _ => None,
    }
}

/// Checks one field (present or not) at `path`.
fn check_field(
    field: &Field,
    value: Option<&Value>,
    path: &str,
    inside_secret: bool,
) -> Result<(), Error> {
    match value {
        None | Some(Value::Null) => {
            if field.required {
                let what = if path.contains(['.', '[']) {
                    "field"
                } else {
                    "parameter"
                };
                let message = if value.is_some() {
                    format!("required {what} must not be null")
                } else {
                    format!("missing required {what}")
                };
                Err(Error::invalid_argument(path, message))
            } else {
                Ok(())
            }
        }
        Some(v) => check_value(
            &field.ty,
            field,
            v,
            path,
            inside_secret || field.secret,
            true,
        ),
    }
}

/// Checks a value of type `ty` (the field's type, or its item type inside a list or map).
/// `whole` is false for list items and map values: length limits apply to the whole list only.
fn check_value(
    ty: &Type,
    field: &Field,
    v: &Value,
    path: &str,
    secret: bool,
    whole: bool,
) -> Result<(), Error> {
    let wrong = |expected: &str| {
        Err(Error::invalid_argument(
            path,
            format!("expected {expected}, got {}", kind(v)),
        ))
    };
    match *ty {
        Type::String => {
            let Value::String(s) = v else {
                return wrong("a string");
            };
            check_enum(field, s, path, secret)?;
            if whole {
                check_len(field, s.chars().count(), "characters", path, secret)?;
            }
        }
        Type::Int => {
            let Value::Number(n) = v else {
                return wrong("an integer");
            };
            if !(n.is_i64() || n.is_u64()) {
                return wrong("an integer");
            }
            check_number(field, &n.to_string(), n.as_f64(), path, secret)?;
        }
        Type::Float => {
            let Value::Number(n) = v else {
                return wrong("a number");
            };
            check_number(field, &n.to_string(), n.as_f64(), path, secret)?;
        }
        Type::Decimal => {
            let Some(parsed) = money::from_value(v) else {
                return wrong("a decimal number (a JSON number or a numeric string)");
            };
            let text = match v {
                Value::String(s) => s.trim().to_owned(),
                other => other.to_string(),
            };
            let d = parsed.map_err(|why| {
                let got = if secret {
                    String::new()
                } else {
                    format!(", got `{}`", quote(&text))
                };
                Error::invalid_argument(path, format!("{}{got}", why.describe()))
            })?;
            check_decimal(field, d, &text, path, secret)?;
        }
        Type::Bool => {
            if !v.is_boolean() {
                return wrong("true or false");
            }
        }
        Type::Object => {}
        Type::List(item) => {
            let Value::Array(items) = v else {
                return wrong("a list");
            };
            check_len(field, items.len(), "items", path, secret)?;
            for (i, x) in items.iter().enumerate() {
                if !x.is_null() {
                    check_value(item, field, x, &format!("{path}[{i}]"), secret, false)?;
                }
            }
        }
        Type::Map(item) => {
            let Value::Object(entries) = v else {
                return wrong("an object (a map)");
            };
            for (k, x) in entries {
                if !x.is_null() {
                    check_value(item, field, x, &format!("{path}.{k}"), secret, false)?;
                }
            }
        }
        Type::Model(name) => {
            let Value::Object(object) = v else {
                return wrong(&format!("an object ({name})"));
            };
            check_model(name, object, path, secret)?;
        }
    }
    Ok(())
}

fn check_model(
    name: &str,
    object: &Map<String, Value>,
    path: &str,
    secret: bool,
) -> Result<(), Error> {
    // A model missing from the table is a generator bug; the service will judge the value.
    let Some(model) = crate::generated::find_model(name) else {
        return Ok(());
    };
    for f in model.fields {
        check_field(f, object.get(f.name), &format!("{path}.{}", f.name), secret)?;
    }
    Ok(())
}

fn check_enum(field: &Field, text: &str, path: &str, secret: bool) -> Result<(), Error> {
    if field.enum_values.is_empty() || field.enum_values.contains(&text) {
        return Ok(());
    }
    let allowed: Vec<String> = field.enum_values.iter().map(|v| format!("`{v}`")).collect();
    let mut message = format!("must be one of {}", allowed.join(", "));
    if !secret {
        message.push_str(&format!("; got `{}`", quote(text)));
    }
    Err(Error::invalid_argument(path, message))
}

fn check_number(
    field: &Field,
    text: &str,
    value: Option<f64>,
    path: &str,
    secret: bool,
) -> Result<(), Error> {
    check_enum(field, text, path, secret)?;
    let Some(value) = value else { return Ok(()) };
    let got = if secret {
        String::new()
    } else {
        format!("; got {}", quote(text))
    };
    if let Some(min) = field.limits.min {
        if value < min {
            return Err(Error::invalid_argument(
                path,
                format!("must be at least {min}{got}"),
            ));
        }
    }
    if let Some(max) = field.limits.max {
        if value > max {
            return Err(Error::invalid_argument(
                path,
                format!("must be at most {max}{got}"),
            ));
        }
    }
    Ok(())
}

/// Limits of a decimal, compared exactly (never through f64), and its decimal places.
fn check_decimal(
    field: &Field,
    d: Decimal,
    text: &str,
    path: &str,
    secret: bool,
) -> Result<(), Error> {
    check_enum(field, text, path, secret)?;
    let got = if secret {
        String::new()
    } else {
        format!("; got {}", quote(text))
    };
    if let Some(min) = field.limits.min.and_then(money::limit) {
        if d < min {
            return Err(Error::invalid_argument(
                path,
                format!("must be at least {min}{got}"),
            ));
        }
    }
    if let Some(max) = field.limits.max.and_then(money::limit) {
        if d > max {
            return Err(Error::invalid_argument(
                path,
                format!("must be at most {max}{got}"),
            ));
        }
    }
    if let Some(scale) = field.limits.scale {
        if money::significant_scale(d) > scale {
            return Err(Error::invalid_argument(
                path,
                format!("must have at most {scale} decimal places{got}"),
            ));
        }
    }
    Ok(())
}

fn check_len(field: &Field, len: usize, unit: &str, path: &str, secret: bool) -> Result<(), Error> {
    let got = if secret {
        String::new()
    } else {
        format!("; got {len}")
    };
    if let Some(min) = field.limits.min_len {
        if len < min as usize {
            return Err(Error::invalid_argument(
                path,
                format!("must have at least {min} {unit}{got}"),
            ));
        }
    }
    if let Some(max) = field.limits.max_len {
        if len > max as usize {
            return Err(Error::invalid_argument(
                path,
                format!("must have at most {max} {unit}{got}"),
            ));
        }
    }
    Ok(())
}

/// What a JSON value is, for messages: "a string", "a list", …
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::generated::find_operation;
    use crate::operation::{Audience, Effect, Limits, Method, Param, Service};
    use crate::ErrorKind;

    fn op(name: &str) -> &'static Operation {
        find_operation(name).unwrap_or_else(|| panic!("no operation {name}"))
    }

    /// The error's field path and message.
    fn err(op: &Operation, params: Value) -> (String, String) {
        let e = validate(op, &params).expect_err("expected a validation error");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(e.operation(), Some(op.name));
        (
            e.field().unwrap_or_default().to_owned(),
            e.message().to_owned(),
        )
    }

    const fn f(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            required: false,
            enum_values: &[],
            limits: Limits::NONE,
            secret: false,
            format: None,
        }
    }

    /// Types the real table does not use at the top level.
    static SYNTHETIC: Operation = Operation {
        params: &[
            Param {
                field: f("ratio", Type::Float),
                location: Location::Body,
            },
            Param {
                field: f("flag", Type::Bool),
                location: Location::Body,
            },
            Param {
                field: f("any", Type::Object),
                location: Location::Body,
            },
            Param {
                field: f("labels", Type::Map(&Type::Int)),
                location: Location::Body,
            },
            Param {
                field: Field {
                    limits: Limits {
                        min: Some(0.5),
                        max: Some(2.0),
                        ..Limits::NONE
                    },
                    ..f("score", Type::Float)
                },
                location: Location::Body,
            },
            Param {
                field: Field {
                    limits: Limits {
                        min_len: Some(1),
                        max_len: Some(2),
                        ..Limits::NONE
                    },
                    ..f("ids", Type::List(&Type::String))
                },
                location: Location::Query,
            },
        ],
        service: Service::Bss,
        category: "test",
        audience: Audience::Both,
        ..Operation::raw("synthetic", Method::Post, "/synthetic", Effect::Read)
    };

    #[test]
    fn accepts_valid_params() {
        let ok = [
            (
                "list_sub_customers",
                json!({"offset": 0, "limit": 100, "association_type": "2", "account_name": "abc"}),
            ),
            ("list_sub_customers", json!({})),
            (
                "update_customer_account_amount",
                json!({"customer_id": "c1", "amount": 12.5}),
            ),
            (
                "update_customer_account_amount",
                json!({"customer_id": "c1", "amount": "0.01"}),
            ),
            (
                "list_customers_balances_detail",
                json!({"customer_infos": [{"customer_id": "a"}, {"customer_id": "b", "new": 1}]}),
            ),
            (
                "list_partner_coupons_record",
                json!({"operation_types": ["1", "2"], "limit": 10}),
            ),
            (
                "show_customer_order_details",
                json!({"order_id": "CS1", "X-Language": "en_US"}),
            ),
            (
                "list_sub_customer_coupons",
                json!({"coupon_type": 4, "status": 2}),
            ),
        ];
        for (name, params) in ok {
            validate(op(name), &params).unwrap_or_else(|e| panic!("{name} {params}: {e}"));
        }
        let synthetic = json!({"ratio": 1, "flag": true, "any": [1, "x"], "labels": {"a": 1}, "score": 2.0, "ids": ["x"]});
        validate(&SYNTHETIC, &synthetic).unwrap();
    }

    #[test]
    fn params_must_be_an_object() {
        let (field, message) = err(op("list_sub_customers"), json!([1]));
        assert_eq!(field, "params");
        assert!(message.contains("JSON object"), "{message}");
        err(op("list_sub_customers"), Value::Null);
    }

    #[test]
    fn unknown_top_level_key_lists_the_valid_names() {
        let (field, message) = err(op("list_sub_customers"), json!({"limt": 10}));
        assert_eq!(field, "limt");
        assert!(
            message.contains("valid parameters: account_name, customer, offset, limit"),
            "{message}"
        );
        let (_, message) = err(op("show_real_name_auth_status"), json!({"x": 1}));
        assert!(message.contains("takes no parameters"), "{message}");
    }

    #[test]
    fn unknown_nested_keys_are_allowed() {
        let params = json!({"customer_infos": [{"customer_id": "a", "future_field": {"x": 1}}]});
        validate(op("list_customers_balances_detail"), &params).unwrap();
    }

    #[test]
    fn required_params_and_nested_fields() {
        assert_eq!(
            err(op("update_customer_account_amount"), json!({"amount": 1})).0,
            "customer_id"
        );
        let (field, message) = err(
            op("update_customer_account_amount"),
            json!({"customer_id": null, "amount": 1}),
        );
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("customer_id", "required parameter must not be null")
        );
        let (field, message) = err(
            op("list_customers_balances_detail"),
            json!({"customer_infos": [{"customer_id": "a"}, {}, {}]}),
        );
        assert_eq!(field, "customer_infos[1].customer_id");
        assert_eq!(message, "missing required field");
    }

    #[test]
    fn path_params_must_not_be_empty() {
        let (field, message) = err(op("show_customer_order_details"), json!({"order_id": ""}));
        assert_eq!(field, "order_id");
        assert!(message.contains("URL path"), "{message}");
    }

    #[test]
    fn types_are_checked() {
        let o = op("list_sub_customers");
        assert_eq!(
            err(o, json!({"limit": "10"})),
            ("limit".into(), "expected an integer, got a string".into())
        );
        assert_eq!(
            err(o, json!({"limit": 10.5})).1,
            "expected an integer, got a number"
        );
        assert_eq!(
            err(o, json!({"account_name": 5})).1,
            "expected a string, got a number"
        );
        let amount = op("update_customer_account_amount");
        assert!(err(amount, json!({"customer_id": "c", "amount": true}))
            .1
            .starts_with("expected a decimal"));
        assert_eq!(
            err(amount, json!({"customer_id": "c", "amount": "12,5"})).1,
            "expected a decimal number, got `12,5`"
        );
        let list = op("list_partner_coupons_record");
        assert_eq!(
            err(list, json!({"operation_types": "1"})).1,
            "expected a list, got a string"
        );
        assert_eq!(
            err(list, json!({"operation_types": ["1", 2]})).0,
            "operation_types[1]"
        );
        let nested = op("list_customers_balances_detail");
        assert_eq!(
            err(nested, json!({"customer_infos": [5]})).1,
            "expected an object (CustomerInfoV2), got a number"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"flag": "true"})).1,
            "expected true or false, got a string"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"ratio": "1"})).1,
            "expected a number, got a string"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"labels": []})).1,
            "expected an object (a map), got a list"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"labels": {"a": 1, "b": "x"}})).0,
            "labels.b"
        );
    }

    #[test]
    fn enums_are_checked() {
        let (field, message) = err(op("list_sub_customers"), json!({"association_type": "3"}));
        assert_eq!(field, "association_type");
        assert_eq!(message, "must be one of `1`, `2`; got `3`");
        let (field, message) = err(
            op("list_cities"),
            json!({"province_code": "p", "X-Language": "fr_FR"}),
        );
        assert_eq!(field, "X-Language");
        assert!(message.contains("`zh_CN`, `en_US`"), "{message}");
        let token = op("keystone_create_agency_token");
        let params = json!({"auth": {
            "identity": {"methods": ["password"], "assume_role": {"agency_name": "a", "domain_id": "d"}},
            "scope": {"domain": {"id": "d"}}
        }});
        let (field, message) = err(token, params);
        assert_eq!(field, "auth.identity.methods[0]");
        assert_eq!(message, "must be one of `assume_role`; got `password`");
        let rating = op("list_on_demand_resource_ratings");
        let (field, _) = err(
            rating,
            json!({"project_id": "p", "product_infos": [], "inquiry_precision": 2}),
        );
        assert_eq!(field, "inquiry_precision");
    }

    #[test]
    fn no_string_is_longer_than_the_bound_anywhere() {
        let amount = op("update_customer_account_amount");
        let huge = "x".repeat(MAX_STRING_CHARS + 1);
        let (field, message) = err(amount, json!({"customer_id": huge, "amount": 1}));
        assert_eq!(field, "customer_id");
        assert_eq!(message, "is longer than 65536 characters");
        let detail = op("list_customers_balances_detail");
        let nested = json!({"customer_infos": [{"customer_id": "c", "note": {"x": [huge]}}]});
        assert_eq!(err(detail, nested).0, "customer_infos[0].note.x[0]");
        // Characters, not bytes: 65,536 three-byte characters are let through.
        let wide = "\u{4e2d}".repeat(MAX_STRING_CHARS);
        assert!(validate(amount, &json!({"customer_id": wide, "amount": 1})).is_ok());
    }

    #[test]
    fn limits_are_checked() {
        let o = op("list_sub_customers");
        assert_eq!(
            err(o, json!({"limit": 101})).1,
            "must be at most 100; got 101"
        );
        assert_eq!(err(o, json!({"limit": 0})).1, "must be at least 1; got 0");
        assert_eq!(err(o, json!({"offset": -1})).0, "offset");
        assert_eq!(
            err(o, json!({"account_name": "x".repeat(65)})).1,
            "must have at most 64 characters; got 65"
        );
        let amount = op("update_customer_account_amount");
        assert_eq!(
            err(amount, json!({"customer_id": "c", "amount": 0})).1,
            "must be at least 0.01; got 0"
        );
        assert_eq!(
            err(amount, json!({"customer_id": "c", "amount": "-5.00"})).1,
            "must be at least 0.01; got -5.00"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"score": 2.5})).1,
            "must be at most 2; got 2.5"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"ids": []})).1,
            "must have at least 1 items; got 0"
        );
        assert_eq!(
            err(&SYNTHETIC, json!({"ids": ["a", "b", "c"]})).1,
            "must have at most 2 items; got 3"
        );
        let coupons = op("list_sub_customer_coupons");
        assert_eq!(err(coupons, json!({"status": 6})).0, "status");
    }

    #[test]
    fn decimals_are_strict_exact_and_scaled() {
        let amount = op("update_customer_account_amount");
        let msg = |v: Value| err(amount, json!({"customer_id": "c", "amount": v})).1;
        for bad in [
            "1_5", "1.0_5", "1._5", "10_", "1__0", "NaN", "Infinity", "0x10",
        ] {
            assert!(
                msg(json!(bad)).starts_with("expected a decimal number"),
                "{bad}"
            );
        }
        assert!(msg(json!("1e30")).contains("out of range"));
        // 2 places at most, checked on the exact value: float noise and half-cents are refused.
        assert_eq!(
            msg(json!(0.30000000000000004)),
            "must have at most 2 decimal places; got 0.30000000000000004"
        );
        assert!(msg(json!("1.005")).contains("at most 2 decimal places"));
        // Just under the minimum with many digits: an f64 comparison would let it through.
        assert!(msg(json!("0.00999999999999999999")).starts_with("must be at least 0.01"));
        for ok in ["0.01", "10.00", "1.50000", " 7 ", "+5", "1E+2", ".5"] {
            validate(amount, &json!({"customer_id": "c", "amount": ok}))
                .unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn long_values_are_quoted_short() {
        let o = op("list_sub_customers");
        let (_, message) = err(o, json!({"association_type": "x".repeat(100_000)}));
        assert!(message.len() < 200, "{} chars", message.len());
    }

    #[test]
    fn secret_values_never_appear_in_errors() {
        let password = "s3cr3t!";
        let (field, message) = err(
            op("create_sub_customer"),
            json!({"xaccount_id": "x", "xaccount_type": "t", "password": password}),
        );
        assert_eq!(field, "password");
        assert_eq!(message, "must have at least 8 characters");
        let token = op("keystone_create_user_token_by_password");
        let params = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": "u", "password": 12345678, "domain": {"name": "d"}}}},
            "scope": {"domain": {"name": "d"}}
        }});
        let e = validate(token, &params).unwrap_err();
        assert_eq!(e.field(), Some("auth.identity.password.user.password"));
        assert!(
            !e.to_string().contains("12345678") && !format!("{e:?}").contains("12345678"),
            "{e}"
        );
        let header = op("keystone_validate_token");
        let e = validate(header, &json!({"X-Subject-Token": ["tok-secret"]})).unwrap_err();
        assert!(!e.to_string().contains("tok-secret"), "{e}");
    }

    #[test]
    fn camel_case_names_find_the_same_operation() {
        assert!(std::ptr::eq(
            op("listSubCustomers"),
            op("list_sub_customers")
        ));
        assert!(find_operation("no_such_op").is_none());
    }
}
