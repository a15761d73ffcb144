//! The number policy on the way back: a response is shaped by its response model, not by how the
//! server happened to print a number. A `decimal` field is money whether it reads `100` or
//! `100.50`; an `int` is an integer however large. Faces build their own values with a
//! [`Build`](super::Build) (Python: `int`, `Decimal`, `float`), or take JSON with [`shape`]
//! (decimals as strings where the face has no exact number type: Node, C callers who ask).
//!
//! On the way out the core does the same by the same description: decimals always go on the wire
//! as JSON numbers (`request.rs`).

use serde_json::{Map, Number, Value};

use crate::generated::find_model;
use crate::operation::{Model, Operation, Type};

/// What the API description says a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Int,
    /// Money and other exact decimals.
    Decimal,
    Float,
    /// A field the description does not know (kept verbatim).
    Unknown,
}

/// Where a value sits in the description.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    Any,
    Type(&'static Type),
    Model(&'static Model),
}

impl Schema {
    /// The whole answer of `op`.
    pub fn response(op: &Operation) -> Schema {
        find_model(op.response_model).map_or(Schema::Any, Schema::Model)
    }

    /// One item of a paginated answer of `op` (what `paginate` yields).
    pub fn item(op: &Operation) -> Schema {
        let Some(pg) = op.pagination else {
            return Schema::Any;
        };
        Schema::response(op).field(pg.items_field).element()
    }

    fn resolve(ty: &'static Type) -> Schema {
        match ty {
            Type::Model(name) => find_model(name).map_or(Schema::Any, Schema::Model),
            t => Schema::Type(t),
        }
    }

    /// The schema of `key` inside an object.
    pub fn field(self, key: &str) -> Schema {
        self.field_at(key, 0).0
    }

    /// [`Schema::field`], looking first at field number `hint` of a model (keys mostly arrive
    /// in the model's order, so the next field is usually the one): the schema, the model's own
    /// `&'static` name for the key when it knows it, and the hint for the next key.
    pub fn field_at(self, key: &str, hint: usize) -> (Schema, Option<&'static str>, usize) {
        match self {
            Schema::Model(m) => {
                let at = match m.fields.get(hint) {
                    Some(f) if f.name == key => Some(hint),
                    _ => m.fields.iter().position(|f| f.name == key),
                };
                match at {
                    Some(i) => (
                        Schema::resolve(&m.fields[i].ty),
                        Some(m.fields[i].name),
                        i + 1,
                    ),
                    None => (Schema::Any, None, hint),
                }
            }
            Schema::Type(Type::Map(t)) => (Schema::resolve(t), None, 0),
            _ => (Schema::Any, None, 0),
        }
    }

    /// The schema of a list's items.
    pub fn element(self) -> Schema {
        match self {
            Schema::Type(Type::List(t)) => Schema::resolve(t),
            _ => Schema::Any,
        }
    }

    /// Whether a `decimal` or `float` field can occur in this value, at any depth: a face that
    /// parses JSON its own way (numbers by how they are written) must correct only those.
    pub fn has_typed_numbers(self) -> bool {
        fn in_type(ty: &'static Type, seen: &mut Vec<&'static str>) -> bool {
            match ty {
                Type::Decimal | Type::Float => true,
                Type::List(t) | Type::Map(t) => in_type(t, seen),
                Type::Model(name) => find_model(name).is_some_and(|m| in_model(m, seen)),
                _ => false,
            }
        }
        fn in_model(m: &'static Model, seen: &mut Vec<&'static str>) -> bool {
            if seen.contains(&m.name) {
                return false;
            }
            seen.push(m.name);
            m.fields.iter().any(|f| in_type(&f.ty, seen))
        }
        type Cache = std::sync::Mutex<std::collections::HashMap<&'static str, bool>>;
        static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
        match self {
            Schema::Any => false,
            Schema::Type(t) => in_type(t, &mut Vec::new()),
            Schema::Model(m) => {
                let mut cache = CACHE
                    .get_or_init(Default::default)
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                *cache
                    .entry(m.name)
                    .or_insert_with(|| in_model(m, &mut Vec::new()))
            }
        }
    }

    pub fn number_kind(self) -> NumberKind {
        match self {
            Schema::Type(Type::Int) => NumberKind::Int,
            Schema::Type(Type::Decimal) => NumberKind::Decimal,
            Schema::Type(Type::Float) => NumberKind::Float,
            _ => NumberKind::Unknown,
        }
    }
}

/// How JSON faces want numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbers {
    /// As JSON numbers with their exact digits (C, which reads JSON text).
    #[default]
    Exact,
    /// Decimals as strings (`"100.50"`, `"100"`), integers beyond ±2^53 as strings: what
    /// JavaScript can hold without rounding.
    Strings,
}

/// Largest integer a JavaScript number holds exactly.
const JS_SAFE: u64 = (1 << 53) - 1;

fn is_js_safe(n: &Number) -> bool {
    n.as_i64().is_some_and(|i| i.unsigned_abs() <= JS_SAFE)
        || n.as_u64().is_some_and(|u| u <= JS_SAFE)
}

/// `v` with its numbers as `numbers` says, by `schema`.
pub fn shape(schema: Schema, v: Value, numbers: Numbers) -> Value {
    if numbers == Numbers::Exact {
        return v;
    }
    match v {
        Value::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || !n.to_string().contains(['.', 'e', 'E']);
            let as_text = match schema.number_kind() {
                NumberKind::Decimal => true,
                _ => integral && !is_js_safe(&n),
            };
            if as_text {
                Value::String(canonical_decimal(&n))
            } else {
                Value::Number(n)
            }
        }
        Value::Array(items) => {
            let inner = schema.element();
            Value::Array(
                items
                    .into_iter()
                    .map(|x| shape(inner, x, numbers))
                    .collect(),
            )
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, x)| {
                    let x = shape(schema.field(&k), x, numbers);
                    (k, x)
                })
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

/// The text of a JSON number as a plain decimal (`1e2` becomes `100`), digits kept.
pub fn canonical_decimal(n: &Number) -> String {
    let text = n.to_string();
    if !text.contains(['e', 'E']) {
        return text;
    }
    crate::money::parse(&text).map_or(text, |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::generated::find_operation;

    #[test]
    fn response_model_decides() {
        let op = find_operation("show_customer_account_balances").unwrap();
        let v = json!({"account_balances": [{"amount": 100, "designated_amount": 1.5, "measure_id": 1}],
                       "debt_amount": 0, "measure_id": 1, "currency": "CNY", "unknown_big": 123456789012345678901234567890u128});
        let s = shape(Schema::response(op), v, Numbers::Strings);
        assert_eq!(s["account_balances"][0]["amount"], json!("100"));
        assert_eq!(s["account_balances"][0]["designated_amount"], json!("1.5"));
        assert_eq!(s["account_balances"][0]["measure_id"], json!(1));
        assert_eq!(s["debt_amount"], json!("0"));
        assert_eq!(s["unknown_big"], json!("123456789012345678901234567890"));
        assert_eq!(
            shape(Schema::Any, json!({"x": 2.5}), Numbers::Strings),
            json!({"x": 2.5})
        );
    }

    #[test]
    fn which_answers_carry_typed_numbers() {
        let money = find_operation("show_customer_account_balances").unwrap();
        assert!(Schema::response(money).has_typed_numbers());
        let customers = find_operation("list_sub_customers").unwrap();
        assert!(!Schema::response(customers).has_typed_numbers());
        assert!(!Schema::Any.has_typed_numbers());
    }

    #[test]
    fn items_of_a_page() {
        let op = find_operation("list_sub_customers").unwrap();
        let item = Schema::item(op);
        assert!(
            matches!(item, Schema::Model(m) if m.name == "CustomerInformation"),
            "{item:?}"
        );
    }
}
