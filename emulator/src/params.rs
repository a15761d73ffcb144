//! A request's parameters as one flat map (path, query, header and body fields), checked with the
//! client's own rules: query text is turned into the types the operation table declares, then
//! `hcpartner::validate::validate` (required fields, types, enums, limits) and
//! `hcpartner::site::check_site` (fields of the other site) run on it, and the emulator adds the
//! two checks a server makes that the client's validator leaves open: a decimal must be a JSON
//! number (never a string), and must not have more decimal places than its `limits.scale`.
//! Every refusal is CBC.0100 naming the field. Typed getters serve the handlers.

use hcpartner::generated::find_model;
use hcpartner::operation::{Field, Location, Operation, Type};
use hcpartner::Site;
use percent_encoding::percent_decode_str;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// Flat parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    map: Map<String, Value>,
}

fn decode(s: &str) -> String {
    percent_decode_str(&s.replace('+', "%20"))
        .decode_utf8_lossy()
        .into_owned()
}

/// Query text as the type the table declares; text that is not of that type is refused.
fn coerce(ty: &Type, name: &str, text: String) -> ApiResult<Value> {
    let bad = |what: &str| ApiError::param(name, format!("must be {what}"));
    Ok(match ty {
        Type::Int => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        Type::Float | Type::Decimal => match serde_json::from_str::<Value>(text.trim()) {
            Ok(v @ Value::Number(_)) => v,
            _ => return Err(bad("a number")),
        },
        Type::Bool => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad("true or false")),
        },
        Type::List(inner) => coerce(inner, name, text)?,
        _ => Value::String(text),
    })
}

/// The client's validation error as the service's CBC.0100.
fn refusal(e: &hcpartner::Error) -> ApiError {
    ApiError::new(
        400,
        "CBC.0100",
        format!(
            "Parameter error: `{}`: {}.",
            e.field().unwrap_or("params"),
            e.message().trim_end_matches('.')
        ),
    )
}

/// Decimals are JSON numbers with at most `limits.scale` places, at any depth.
fn check_numbers(fields: &[Field], obj: &Map<String, Value>, prefix: &str) -> ApiResult<()> {
    for f in fields {
        if let Some(v) = obj.get(f.name) {
            check_number(&f.ty, f, v, &format!("{prefix}{}", f.name))?;
        }
    }
    Ok(())
}

fn check_number(ty: &Type, f: &Field, v: &Value, path: &str) -> ApiResult<()> {
    match (ty, v) {
        (Type::Decimal, Value::String(_)) => {
            Err(ApiError::param(path, "must be a JSON number, not a string"))
        }
        (Type::Decimal, Value::Number(n)) => {
            let places = n
                .to_string()
                .parse::<Decimal>()
                .map_or(0, |d| d.normalize().scale());
            match f.limits.scale {
                Some(max) if places > max => Err(ApiError::param(
                    path,
                    format!("must have at most {max} decimal places"),
                )),
                _ => Ok(()),
            }
        }
        (Type::List(inner), Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| check_number(inner, f, x, &format!("{path}[{i}]"))),
        (Type::Map(inner), Value::Object(m)) => m
            .iter()
            .try_for_each(|(k, x)| check_number(inner, f, x, &format!("{path}.{k}"))),
        (Type::Model(name), Value::Object(m)) => match find_model(name) {
            Some(model) => check_numbers(model.fields, m, &format!("{path}.")),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Checks flat params the way this emulator's site and the client's rules do.
pub fn check(op: &Operation, value: &Value, site: Site) -> ApiResult<()> {
    hcpartner::validate::validate(op, value).map_err(|e| refusal(&e))?;
    let fields: Vec<Field> = op.params.iter().map(|p| p.field).collect();
    if let Value::Object(obj) = value {
        check_numbers(&fields, obj, "")?;
    }
    hcpartner::site::check_site(op, value, site).map_err(|e| refusal(&e))
}

impl Params {
    /// Collects and checks the parameters of a request for `op` (see [`check`]).
    pub fn build(
        op: &Operation,
        path_params: &[(&str, String)],
        query: Option<&str>,
        headers: &[(String, String)],
        body: &[u8],
        site: Site,
    ) -> ApiResult<Params> {
        let mut map = Map::new();
        for (k, v) in path_params {
            map.insert((*k).to_owned(), Value::String(v.clone()));
        }
        let spec = |name: &str, loc: Location| {
            op.params
                .iter()
                .find(|p| p.location == loc && p.field.name == name)
                .map(|p| p.field)
        };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            let field = spec(&k, Location::Query);
            let value = match &field {
                Some(f) => coerce(&f.ty, &k, v)?,
                None => Value::String(v),
            };
            if field.is_some_and(|f| matches!(f.ty, Type::List(_))) {
                match map.entry(k).or_insert_with(|| Value::Array(Vec::new())) {
                    Value::Array(a) => a.push(value),
                    other => *other = Value::Array(vec![value]),
                }
            } else {
                map.insert(k, value);
            }
        }
        for p in op.params.iter().filter(|p| p.location == Location::Header) {
            if let Some((_, v)) = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(p.field.name))
            {
                map.insert(p.field.name.to_owned(), Value::String(v.clone()));
            }
        }
        if !body.iter().all(u8::is_ascii_whitespace) {
            let parsed: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::param("body", format!("is not valid JSON ({e})")))?;
            let Value::Object(obj) = parsed else {
                return Err(ApiError::param("body", "must be a JSON object"));
            };
            for (k, v) in obj {
                map.insert(k, v);
            }
        }
        check(op, &Value::Object(map.clone()), site)?;
        Ok(Params { map })
    }

    /// The parameters as the generated request struct of the operation (its fields were
    /// checked against the same table, so this fails only on a handler bug).
    pub fn req<T: DeserializeOwned>(&self) -> ApiResult<T> {
        serde_json::from_value(Value::Object(self.map.clone()))
            .map_err(|e| ApiError::param("body", format!("does not fit the request model ({e})")))
    }

    /// Parameters from a JSON object (tests, IAM bodies).
    pub fn from_value(v: Value) -> Params {
        match v {
            Value::Object(map) => Params { map },
            _ => Params::default(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// An optional string; empty strings read as absent.
    pub fn str(&self, name: &str) -> ApiResult<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(ApiError::param(name, "must be a string")),
        }
    }

    /// A required, non-empty string.
    pub fn req_str(&self, name: &str) -> ApiResult<String> {
        self.str(name)?
            .ok_or_else(|| ApiError::param(name, "is required"))
    }

    /// An optional integer (JSON number or numeric query text).
    pub fn int(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::param(name, "must be an integer")),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .parse()
                .map(Some)
                .map_err(|_| ApiError::param(name, "must be an integer")),
            Some(_) => Err(ApiError::param(name, "must be an integer")),
        }
    }

    /// An optional exact decimal (JSON number or numeric string).
    pub fn decimal(&self, name: &str) -> ApiResult<Option<Decimal>> {
        let text = match self.get(name) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(_) => return Err(ApiError::param(name, "must be a number")),
        };
        let parsed = text
            .parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text));
        parsed
            .map(Some)
            .map_err(|_| ApiError::param(name, "must be a decimal number"))
    }

    /// A required decimal whose limits the operation table carries (checked before the handler).
    pub fn req_decimal(&self, name: &str) -> ApiResult<Decimal> {
        self.decimal(name)?
            .ok_or_else(|| ApiError::param(name, "is required"))
    }

    /// A money amount the API types as text (enterprise transfers): present, > 0, at most two
    /// decimal places. Decimal-typed amounts get these limits from the table instead.
    pub fn amount(&self, name: &str) -> ApiResult<Decimal> {
        let d = self
            .decimal(name)?
            .ok_or_else(|| ApiError::param(name, "is required"))?;
        if d <= Decimal::ZERO {
            return Err(ApiError::param(name, "must be greater than 0"));
        }
        if d.normalize().scale() > 2 {
            return Err(ApiError::param(name, "must have at most 2 decimal places"));
        }
        Ok(d)
    }

    pub fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s == "true" || s == "false" => Ok(Some(s == "true")),
            Some(_) => Err(ApiError::param(name, "must be true or false")),
        }
    }

    /// An optional list of strings.
    pub fn str_list(&self, name: &str) -> ApiResult<Option<Vec<String>>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| ApiError::param(&format!("{name}[{i}]"), "must be a string"))
                })
                .collect::<ApiResult<Vec<_>>>()
                .map(Some),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(_) => Err(ApiError::param(name, "must be a list of strings")),
        }
    }

    /// A required, non-empty list of strings.
    pub fn req_str_list(&self, name: &str) -> ApiResult<Vec<String>> {
        match self.str_list(name)? {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::param(name, "is required and must not be empty")),
        }
    }

    /// The list of objects in `name` (empty when absent).
    pub fn objects(&self, name: &str) -> ApiResult<Vec<Map<String, Value>>> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_object().cloned().ok_or_else(|| {
                        ApiError::param(&format!("{name}[{i}]"), "must be an object")
                    })
                })
                .collect(),
            Some(_) => Err(ApiError::param(name, "must be a list")),
        }
    }
}

/// The shared list helper: a paginated read's handler answers every matching item in the
/// operation's items field, and this cuts the page. Offset paging: `offset`/`limit` (0-based,
/// default limit 10, at most the table's `max_limit` or 1000) and the total in its field. Marker
/// paging: the marker is the position of the next item as text, and `page_info.next_marker` (the
/// table's `next_marker_field`) is set while items remain. With `Value::Null` it only checks the
/// paging params.
pub fn paginate(op: &Operation, p: &Params, response: &mut Value) -> ApiResult<()> {
    let Some(spec) = op.pagination else {
        return Ok(());
    };
    let max = i64::from(spec.max_limit.unwrap_or(1000));
    let default = if spec.next_marker_field.is_some() {
        max
    } else {
        10
    };
    let limit = p.int(spec.limit_param)?.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(ApiError::param(
            spec.limit_param,
            format!("must be between 1 and {max}"),
        ));
    }
    let offset = match spec.next_marker_field {
        Some(_) => match p.str(spec.offset_param)? {
            None => 0,
            Some(m) => m.parse::<i64>().ok().filter(|m| *m >= 0).ok_or_else(|| {
                ApiError::param(spec.offset_param, "is not a marker this API returned")
            })?,
        },
        None => p.int(spec.offset_param)?.unwrap_or(0),
    };
    if offset < 0 {
        return Err(ApiError::param(spec.offset_param, "must be 0 or greater"));
    }
    let Value::Object(obj) = response else {
        return Ok(());
    };
    let mut total = 0usize;
    if let Some(Value::Array(items)) = obj.get_mut(spec.items_field) {
        total = items.len();
        let page: Vec<Value> = items
            .drain(..)
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        *items = page;
    }
    if let Some(t) = spec.total_field {
        obj.insert(t.to_owned(), Value::from(total));
    }
    if let Some(path) = spec.next_marker_field {
        let next = offset + limit;
        if (next as usize) < total {
            set_path(obj, path, Value::String(next.to_string()));
        }
    }
    Ok(())
}

/// Sets a dotted path (`page_info.next_marker`), creating the objects on the way.
fn set_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = obj
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = child {
                set_path(m, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcpartner::generated::find_operation;
    use serde_json::json;

    fn build(name: &str, query: Option<&str>, body: &str, site: Site) -> ApiResult<Params> {
        let op = find_operation(name).unwrap();
        Params::build(op, &[], query, &[], body.as_bytes(), site)
    }

    #[test]
    fn builds_and_validates_with_the_clients_rules() {
        let p = build(
            "list_partner_coupons_record",
            Some("operation_types=1&operation_types=2&customer_id=a%20b&limit=5"),
            "",
            Site::Cn,
        )
        .unwrap();
        assert_eq!(
            p.str_list("operation_types").unwrap().unwrap(),
            vec!["1", "2"]
        );
        assert_eq!(p.str("customer_id").unwrap().as_deref(), Some("a b"));
        assert_eq!(p.int("limit").unwrap(), Some(5));
        let e = build("list_partner_coupons_record", Some("limit=x"), "", Site::Cn).unwrap_err();
        assert!(e.msg.contains("`limit`"), "{e}");

        let e = build(
            "create_sub_customer",
            None,
            r#"{"xaccount_type":"t"}"#,
            Site::Cn,
        )
        .unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "CBC.0100"));
        assert!(e.msg.contains("`xaccount_id`"), "{e}");
        let e = build(
            "create_sub_customer",
            None,
            r#"{"xaccount_type":"t","xaccount_id":5}"#,
            Site::Cn,
        )
        .unwrap_err();
        assert!(e.msg.contains("expected a string"), "{e}");
        let e = build("list_sub_customers", None, r#"{"nonsense":1}"#, Site::Cn).unwrap_err();
        assert!(e.msg.contains("`nonsense`"), "{e}");
    }

    #[test]
    fn decimals_are_numbers_within_their_scale() {
        let op = "update_customer_account_amount";
        build(op, None, r#"{"customer_id":"c","amount":10.5}"#, Site::Cn).unwrap();
        for (body, why) in [
            (r#"{"customer_id":"c","amount":"10.50"}"#, "not a string"),
            (
                r#"{"customer_id":"c","amount":1.005}"#,
                "at most 2 decimal places",
            ),
            (r#"{"customer_id":"c","amount":0}"#, "at least 0.01"),
        ] {
            let e = build(op, None, body, Site::Cn).unwrap_err();
            assert_eq!(e.code, "CBC.0100");
            assert!(
                e.msg.contains("`amount`") && e.msg.contains(why),
                "{body}: {e}"
            );
        }
    }

    #[test]
    fn fields_of_the_other_site_are_refused() {
        let body =
            r#"{"xaccount_id":"x","xaccount_type":"t","cooperation_type":"1","domain_area":"SG"}"#;
        let e = build("create_sub_customer", None, body, Site::Intl).unwrap_err();
        assert!(e.msg.contains("`cooperation_type`"), "{e}");
        let e = build(
            "create_sub_customer",
            None,
            r#"{"xaccount_id":"x","xaccount_type":"t"}"#,
            Site::Intl,
        )
        .unwrap_err();
        assert!(e.msg.contains("`domain_area`"), "{e}");
    }

    #[test]
    fn pages() {
        let op = find_operation("list_sub_customers").unwrap();
        let p = Params::from_value(json!({"offset": 1, "limit": 2}));
        let mut v = json!({"customer_infos": [1, 2, 3, 4]});
        paginate(op, &p, &mut v).unwrap();
        assert_eq!(v, json!({"customer_infos": [2, 3], "count": 4}));
        let p = Params::from_value(json!({"limit": 101}));
        assert!(paginate(op, &p, &mut v)
            .unwrap_err()
            .msg
            .contains("`limit`"));
    }

    #[test]
    fn pages_by_marker() {
        let op = find_operation("list_resource_specs").unwrap();
        let p = Params::from_value(json!({"limit": 2}));
        let mut v = json!({"cloud_service_basics": [1, 2, 3]});
        paginate(op, &p, &mut v).unwrap();
        assert_eq!(
            v,
            json!({"cloud_service_basics": [1, 2], "page_info": {"next_marker": "2"}})
        );
        let p = Params::from_value(json!({"limit": 2, "marker": "2"}));
        let mut v = json!({"cloud_service_basics": [1, 2, 3]});
        paginate(op, &p, &mut v).unwrap();
        assert_eq!(v, json!({"cloud_service_basics": [3]}));
        let p = Params::from_value(json!({"marker": "zz"}));
        assert!(paginate(op, &p, &mut Value::Null).is_err());
    }
}
