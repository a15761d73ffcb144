//! Plausible values for every field of a model, nested models filled, for decode tests.

use hcpartner::generated::find_model;
use hcpartner::operation::Type;
use serde_json::{json, Map, Value};

/// A plausible value for a field, from its name and type, with every nested field filled.
pub fn sample(name: &str, ty: &Type, depth: usize) -> Value {
    match ty {
        Type::String => {
            let v = if name.ends_with("_time") || name.ends_with("_on") || name.contains("time_") {
                "2024-05-06T08:05:01Z".to_owned()
            } else if name.contains("cycle") || name.contains("month") {
                "2024-05".to_owned()
            } else if name == "currency" {
                "CNY".to_owned()
            } else if name.ends_with("_id") || name == "id" {
                format!("{}-0a1b2c3d", name.trim_end_matches("_id"))
            } else {
                format!("{name} value")
            };
            Value::String(v)
        }
        Type::Int => json!(if name == "measure_id" { 1 } else { 3 }),
        // Digits that f64 would lose or reformat: trailing zeros, 19 significant digits.
        Type::Decimal => {
            let text = if name.len() % 2 == 0 {
                "12345678901234567.89"
            } else {
                "0.10"
            };
            serde_json::from_str(text).unwrap()
        }
        Type::Float => serde_json::from_str("1.5").unwrap(),
        Type::Bool => json!(true),
        Type::Object => json!({"any": [1, "x"]}),
        Type::List(item) => {
            if depth > 3 {
                json!([])
            } else {
                Value::Array(vec![sample(name, item, depth + 1)])
            }
        }
        Type::Map(item) => {
            let mut m = Map::new();
            m.insert("key".into(), sample(name, item, depth + 1));
            Value::Object(m)
        }
        Type::Model(model) => sample_model(model, depth + 1),
    }
}

pub fn sample_model(name: &str, depth: usize) -> Value {
    let model = find_model(name).unwrap_or_else(|| panic!("no model {name}"));
    let mut m = Map::new();
    for f in model.fields {
        m.insert(f.name.to_owned(), sample(f.name, &f.ty, depth));
    }
    m.insert(
        "field_added_later".into(),
        serde_json::from_str(r#"{"amount":7.000}"#).unwrap(),
    );
    Value::Object(m)
}
