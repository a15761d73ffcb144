//! A request's parameters as one flat map (path, query and body fields), validated against the
//! generated operation and model tables of `hcpartner` (the same facts the client validates
//! with, but checked here for whatever client sent the request), with typed getters that answer
//! CBC.0100 naming the field.

use hcpartner::generated::find_model;
use hcpartner::operation::{Field, Location, Operation, Type};
use percent_encoding::percent_decode_str;
use rust_decimal::Decimal;
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

fn type_ok(ty: &Type, v: &Value, path: &str) -> ApiResult<()> {
    if v.is_null() {
        return Ok(());
    }
    let bad = |what: &str| Err(ApiError::param(path, format!("must be {what}")));
    match ty {
        Type::List(inner) => {
            let Value::Array(items) = v else {
                return bad("a list");
            };
            for (i, item) in items.iter().enumerate() {
                type_ok(inner, item, &format!("{path}[{i}]"))?;
            }
        }
        Type::Map(inner) => {
            let Value::Object(obj) = v else {
                return bad("an object");
            };
            for (k, item) in obj {
                type_ok(inner, item, &format!("{path}.{k}"))?;
            }
        }
        Type::String => {
            if !v.is_string() {
                return bad("a string");
            }
        }
        Type::Int => {
            if !(v.is_i64() || v.is_u64()) {
                return bad("an integer");
            }
        }
        Type::Decimal | Type::Float => {
            let ok = v.is_number()
                || v.as_str()
                    .is_some_and(|s| s.trim().parse::<Decimal>().is_ok());
            if !ok {
                return bad("a number");
            }
        }
        Type::Bool => {
            if !v.is_boolean() {
                return bad("a boolean");
            }
        }
        Type::Object => {}
        Type::Model(model) => {
            if let Some(m) = find_model(model) {
                let Value::Object(obj) = v else {
                    return bad("an object");
                };
                check_fields(m.fields, obj, &format!("{path}."))?;
            }
        }
    }
    Ok(())
}

fn check_fields(fields: &[Field], obj: &Map<String, Value>, prefix: &str) -> ApiResult<()> {
    for f in fields {
        let name = format!("{prefix}{}", f.name);
        match obj.get(f.name) {
            None | Some(Value::Null) if f.required => {
                return Err(ApiError::param(&name, "is required"))
            }
            Some(Value::String(s)) if f.required && s.is_empty() && f.ty == Type::String => {
                return Err(ApiError::param(&name, "must not be empty"))
            }
            Some(v) => type_ok(&f.ty, v, &name)?,
            None => {}
        }
    }
    Ok(())
}

/// The fields of the operation's JSON body model, when it takes one.
fn body_fields(op: &Operation) -> Option<&'static [Field]> {
    op.body_model.and_then(find_model).map(|m| m.fields)
}

impl Params {
    /// Collects and validates the parameters of a request for `op`.
    pub fn build(
        op: &Operation,
        path_params: &[(&str, String)],
        query: Option<&str>,
        body: &[u8],
    ) -> ApiResult<Params> {
        let mut map = Map::new();
        for (k, v) in path_params {
            map.insert((*k).to_owned(), Value::String(v.clone()));
        }
        let query_params = || {
            op.params
                .iter()
                .filter(|p| p.location == Location::Query)
                .map(|p| &p.field)
        };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            let spec = query_params().find(|q| q.name == k);
            let is_list = spec.is_some_and(|s| matches!(s.ty, Type::List(_)));
            if is_list {
                match map.entry(k).or_insert_with(|| Value::Array(Vec::new())) {
                    Value::Array(a) => a.push(Value::String(v)),
                    other => *other = Value::Array(vec![Value::String(v)]),
                }
            } else {
                map.insert(k, Value::String(v));
            }
        }
        for q in query_params() {
            let v = map.get(q.name);
            if q.required && v.is_none_or(|v| v.as_str() == Some("")) {
                return Err(ApiError::param(q.name, "is required"));
            }
            if let Some(Value::String(s)) = v {
                let ok = match q.ty {
                    Type::Int => s.parse::<i64>().is_ok(),
                    Type::Bool => s == "true" || s == "false",
                    _ => true,
                };
                if !ok {
                    return Err(ApiError::param(
                        q.name,
                        format!(
                            "must be {}",
                            if q.ty == Type::Int {
                                "an integer"
                            } else {
                                "true or false"
                            }
                        ),
                    ));
                }
            }
        }
        if !body.iter().all(u8::is_ascii_whitespace) {
            let parsed: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::param("body", format!("is not valid JSON ({e})")))?;
            let Value::Object(obj) = parsed else {
                return Err(ApiError::param("body", "must be a JSON object"));
            };
            if let Some(fields) = body_fields(op) {
                check_fields(fields, &obj, "")?;
            }
            for (k, v) in obj {
                map.insert(k, v);
            }
        } else if let Some(fields) = body_fields(op) {
            check_fields(fields, &Map::new(), "")?;
        }
        Ok(Params { map })
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

    /// A money amount: present, > 0, at most two decimal places.
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

/// Applies the operation's offset/limit to the item list of `response`, and sets its total.
/// Marker paging is left to the handler.
pub fn paginate(op: &Operation, p: &Params, response: &mut Value) -> ApiResult<()> {
    let Some(spec) = op.pagination.filter(|s| s.next_marker_field.is_none()) else {
        return Ok(());
    };
    let offset = p.int(spec.offset_param)?.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::param(spec.offset_param, "must be 0 or greater"));
    }
    let max = i64::from(spec.max_limit.unwrap_or(1000));
    let limit = p.int(spec.limit_param)?.unwrap_or(10);
    if !(1..=max).contains(&limit) {
        return Err(ApiError::param(
            spec.limit_param,
            format!("must be between 1 and {max}"),
        ));
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcpartner::generated::find_operation;
    use serde_json::json;

    #[test]
    fn builds_and_validates() {
        let op = find_operation("list_partner_coupons_record").unwrap();
        let p = Params::build(
            op,
            &[],
            Some("operation_types=1&operation_types=2&customer_id=a%20b&limit=5"),
            b"",
        )
        .unwrap();
        assert_eq!(
            p.str_list("operation_types").unwrap().unwrap(),
            vec!["1", "2"]
        );
        assert_eq!(p.str("customer_id").unwrap().as_deref(), Some("a b"));
        assert_eq!(p.int("limit").unwrap(), Some(5));
        let e = Params::build(op, &[], Some("limit=x"), b"").unwrap_err();
        assert!(e.msg.contains("`limit`"), "{e}");

        let op = find_operation("create_sub_customer").unwrap();
        let e = Params::build(op, &[], None, br#"{"xaccount_type":"t"}"#).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "CBC.0100"));
        assert!(e.msg.contains("`xaccount_id`"), "{e}");
        let e =
            Params::build(op, &[], None, br#"{"xaccount_type":"t","xaccount_id":5}"#).unwrap_err();
        assert!(e.msg.contains("must be a string"), "{e}");

        let op = find_operation("update_customer_account_amount").unwrap();
        for (body, ok) in [
            (r#"{"customer_id":"c","amount":10.5}"#, true),
            (r#"{"customer_id":"c","amount":"1.005"}"#, false),
            (r#"{"customer_id":"c","amount":0}"#, false),
        ] {
            let p = Params::build(op, &[], None, body.as_bytes()).unwrap();
            assert_eq!(p.amount("amount").is_ok(), ok, "{body}");
        }
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
}
