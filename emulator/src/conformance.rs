//! Holds the emulator to the API description: a response body must fit the operation's response
//! model from `core/api` (through the client's generated model table): no field the model lacks,
//! every value of its declared type (a decimal is a JSON number, an int an integral one), and
//! every field the model marks required present. The server checks every answer it gives with
//! [`check`] and answers 500 EMULATOR.0500 instead of a body that does not fit, so a test that
//! reaches a non-conforming handler fails; tests can also check what they received.

use hcpartner::generated::find_model;
use hcpartner::operation::{Operation, Type};
use serde_json::{Map, Value};

/// Every way `body` departs from `op`'s response model, as `path: problem` lines (empty when it
/// conforms). Fields the client copies from response headers (`X-Subject-Token`) may be present.
pub fn check(op: &Operation, body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match (find_model(op.response_model), body) {
        (None, _) => problems.push(format!("{}: no response model", op.response_model)),
        (Some(m), Value::Object(obj)) => {
            let mut obj = obj.clone();
            for h in op.response_headers {
                obj.remove(*h);
            }
            check_object(m.name, &obj, "", &mut problems);
        }
        (Some(m), Value::Null) if m.fields.is_empty() => {}
        (Some(_), other) => problems.push(format!("body: expected an object, got {other}")),
    }
    problems
}

fn check_object(model: &str, obj: &Map<String, Value>, prefix: &str, out: &mut Vec<String>) {
    let Some(m) = find_model(model) else {
        out.push(format!("{prefix}: unknown model {model}"));
        return;
    };
    for key in obj.keys() {
        if !m.fields.iter().any(|f| f.name == key) {
            out.push(format!("{prefix}{key}: not a field of {model}"));
        }
    }
    for f in m.fields {
        let path = format!("{prefix}{}", f.name);
        match obj.get(f.name) {
            None | Some(Value::Null) if f.required => out.push(format!("{path}: required")),
            None | Some(Value::Null) => {}
            Some(v) => check_value(&f.ty, v, &path, out),
        }
    }
}

fn check_value(ty: &Type, v: &Value, path: &str, out: &mut Vec<String>) {
    let ok = match (ty, v) {
        (_, Value::Null) => true,
        (Type::String, Value::String(_)) | (Type::Bool, Value::Bool(_)) | (Type::Object, _) => true,
        (Type::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Type::Float | Type::Decimal, Value::Number(_)) => true,
        (Type::List(inner), Value::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                check_value(inner, x, &format!("{path}[{i}]"), out);
            }
            true
        }
        (Type::Map(inner), Value::Object(m)) => {
            for (k, x) in m {
                check_value(inner, x, &format!("{path}.{k}"), out);
            }
            true
        }
        (Type::Model(name), Value::Object(m)) => {
            check_object(name, m, &format!("{path}."), out);
            true
        }
        _ => false,
    };
    if !ok {
        out.push(format!("{path}: expected {ty:?}, got {v}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcpartner::generated::find_operation;
    use serde_json::json;

    #[test]
    fn finds_unknown_fields_wrong_types_and_missing_required_ones() {
        let op = find_operation("list_sub_customer_budget").unwrap();
        let good = json!({"currency": "USD", "budget_infos": [{"customer_id": "c", "budget_amount": 1.5}]});
        assert!(check(op, &good).is_empty());
        let bad = json!({
            "currency": 5,
            "extra": 1,
            "budget_infos": [{"customer_id": "c", "budget_amount": "1.50", "other": true}],
        });
        let p = check(op, &bad);
        assert!(
            p.iter().any(|l| l.starts_with("currency: expected")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l == "extra: not a field of ListSubCustomerBudgetResponse"),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("budget_infos[0].budget_amount: expected Decimal")),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("budget_infos[0].other: not a field")),
            "{p:?}"
        );
        let op = find_operation("create_temporary_access_key_by_token").unwrap();
        let p = check(op, &json!({"credential": {"access": "a"}}));
        assert!(
            p.iter().any(|l| l == "credential.secret: required"),
            "{p:?}"
        );
        let op = find_operation("keystone_create_user_token_by_password").unwrap();
        assert!(!check(op, &json!({"X-Subject-Token": "t"}))
            .iter()
            .any(|l| l.contains("X-Subject-Token")));
    }
}
