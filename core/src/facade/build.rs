//! Faces build their own values (Python objects, JS values) from a call's result with a
//! [`Build`], told by the response model what each number is. [`build_json`] drives it straight
//! from the JSON text (no `serde_json::Value` in between: no map per object, no boxed number per
//! field, keys not copied); [`build`] from a `Value` (pagers, answers already parsed).

use std::borrow::Cow;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::numbers::{NumberKind, Schema};

/// An object key: its text, and the model's own `&'static` spelling when the model knows the
/// field (a face may cache what it makes of it, such as an interned Python string).
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub text: &'a str,
    pub known: Option<&'static str>,
}

/// A face's value builder. Containers are built in place: `map`, `insert` per entry, `end_map`.
pub trait Build {
    type Out;
    type Map;
    type List;
    type Error;
    fn null(&mut self) -> Result<Self::Out, Self::Error>;
    fn boolean(&mut self, b: bool) -> Result<Self::Out, Self::Error>;
    fn number(&mut self, n: &Number, kind: NumberKind) -> Result<Self::Out, Self::Error>;
    fn string(&mut self, s: &str) -> Result<Self::Out, Self::Error>;
    fn list(&mut self, len_hint: usize) -> Result<Self::List, Self::Error>;
    fn push(&mut self, list: &mut Self::List, v: Self::Out) -> Result<(), Self::Error>;
    fn end_list(&mut self, list: Self::List) -> Result<Self::Out, Self::Error>;
    fn map(&mut self) -> Result<Self::Map, Self::Error>;
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Key<'_>,
        v: Self::Out,
    ) -> Result<(), Self::Error>;
    fn end_map(&mut self, map: Self::Map) -> Result<Self::Out, Self::Error>;
}

/// Builds `v` with `b`, telling it what each number is by `schema`.
pub fn build<B: Build>(schema: Schema, v: &Value, b: &mut B) -> Result<B::Out, B::Error> {
    match v {
        Value::Null => b.null(),
        Value::Bool(x) => b.boolean(*x),
        Value::Number(n) => b.number(n, schema.number_kind()),
        Value::String(s) => b.string(s),
        Value::Array(items) => {
            let inner = schema.element();
            let mut list = b.list(items.len())?;
            for x in items {
                let x = build(inner, x, b)?;
                b.push(&mut list, x)?;
            }
            b.end_list(list)
        }
        Value::Object(entries) => {
            let mut map = b.map()?;
            let mut hint = 0;
            for (k, x) in entries {
                let (field, known, next) = schema.field_at(k, hint);
                hint = next;
                let x = build(field, x, b)?;
                b.insert(&mut map, Key { text: k, known }, x)?;
            }
            b.end_map(map)
        }
    }
}

/// Why [`build_json`] failed: the face's builder, or JSON that does not parse.
#[derive(Debug)]
pub enum BuildError<E> {
    Face(E),
    Json(serde_json::Error),
}

/// serde_json (`arbitrary_precision`) hands a number to a visitor as a one-entry map under this
/// key, its digits the value: how `Value` itself keeps them exact.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Builds the JSON text `json` with `b` by `schema`; `extra` (declared response headers) become
/// string fields of the top-level object.
pub fn build_json<B: Build>(
    schema: Schema,
    json: &[u8],
    extra: &[(&'static str, String)],
    b: &mut B,
) -> Result<B::Out, BuildError<B::Error>> {
    // One UTF-8 check for the whole text (serde_json then trusts its strings).
    let text = std::str::from_utf8(json)
        .map_err(|e| BuildError::Json(serde::de::Error::custom(format!("not UTF-8: {e}"))))?;
    if text.trim().is_empty() {
        let face = |b: &mut B| {
            let mut map = b.map()?;
            add_extra(b, &mut map, extra)?;
            b.end_map(map)
        };
        return face(b).map_err(BuildError::Face);
    }
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Seed {
        schema,
        b: &mut *b,
        failed: &mut failed,
        extra: Some(extra),
    };
    let out = seed.deserialize(&mut de).and_then(|out| {
        de.end()?;
        Ok(out)
    });
    match (out, failed) {
        (_, Some(e)) => Err(BuildError::Face(e)),
        (Ok(out), None) => Ok(out),
        (Err(e), None) => Err(BuildError::Json(e)),
    }
}

fn add_extra<B: Build>(
    b: &mut B,
    map: &mut B::Map,
    extra: &[(&'static str, String)],
) -> Result<(), B::Error> {
    for (k, v) in extra {
        let v = b.string(v)?;
        b.insert(
            map,
            Key {
                text: k,
                known: Some(k),
            },
            v,
        )?;
    }
    Ok(())
}

/// One value of a [`build_json`] walk.
struct Seed<'a, B: Build> {
    schema: Schema,
    b: &'a mut B,
    /// The builder's own error, kept while serde unwinds with a placeholder.
    failed: &'a mut Option<B::Error>,
    /// Set for the top-level object only.
    extra: Option<&'a [(&'static str, String)]>,
}

impl<B: Build> Seed<'_, B> {
    fn child(&mut self, schema: Schema) -> Seed<'_, B> {
        Seed {
            schema,
            b: &mut *self.b,
            failed: &mut *self.failed,
            extra: None,
        }
    }
    /// The builder's result, or a placeholder serde error that carries it out.
    fn keep<T, E: serde::de::Error>(&mut self, r: Result<T, B::Error>) -> Result<T, E> {
        r.map_err(|e| {
            *self.failed = Some(e);
            E::custom("the face's builder failed")
        })
    }
}

impl<'de, B: Build> DeserializeSeed<'de> for Seed<'_, B> {
    type Value = B::Out;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<B::Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, B: Build> Visitor<'de> for Seed<'_, B> {
    type Value = B::Out;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<B::Out, E> {
        let r = self.b.null();
        self.keep(r)
    }
    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<B::Out, E> {
        let r = self.b.boolean(v);
        self.keep(r)
    }
    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<B::Out, E> {
        let r = self.b.number(&Number::from(v), self.schema.number_kind());
        self.keep(r)
    }
    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<B::Out, E> {
        let r = self.b.number(&Number::from(v), self.schema.number_kind());
        self.keep(r)
    }
    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<B::Out, E> {
        let r = self.b.string(v);
        self.keep(r)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<B::Out, A::Error> {
        let inner = self.schema.element();
        let r = self.b.list(seq.size_hint().unwrap_or(0));
        let mut list = self.keep(r)?;
        while let Some(x) = seq.next_element_seed(self.child(inner))? {
            let r = self.b.push(&mut list, x);
            self.keep(r)?;
        }
        let r = self.b.end_list(list);
        self.keep(r)
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut entries: A) -> Result<B::Out, A::Error> {
        let Some(first) = entries.next_key::<Cow<'de, str>>()? else {
            let r = self.b.map();
            let mut map = self.keep(r)?;
            let r = add_extra(self.b, &mut map, self.extra.unwrap_or(&[]));
            self.keep(r)?;
            let r = self.b.end_map(map);
            return self.keep(r);
        };
        if first == NUMBER_TOKEN {
            let digits: Cow<'de, str> = entries.next_value()?;
            let n: Number = digits.parse().map_err(serde::de::Error::custom)?;
            let r = self.b.number(&n, self.schema.number_kind());
            return self.keep(r);
        }
        let r = self.b.map();
        let mut map = self.keep(r)?;
        let (mut key, mut hint) = (Some(first), 0);
        while let Some(k) = key {
            let (field, known, next) = self.schema.field_at(&k, hint);
            hint = next;
            let v = entries.next_value_seed(self.child(field))?;
            let r = self.b.insert(&mut map, Key { text: &k, known }, v);
            self.keep(r)?;
            key = entries.next_key::<Cow<'de, str>>()?;
        }
        let r = add_extra(self.b, &mut map, self.extra.unwrap_or(&[]));
        self.keep(r)?;
        let r = self.b.end_map(map);
        self.keep(r)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::generated::find_operation;

    /// Numbers as "kind:digits" strings, to compare the two walks.
    struct Tagged;
    impl Build for Tagged {
        type Out = Value;
        type Map = serde_json::Map<String, Value>;
        type List = Vec<Value>;
        type Error = String;
        fn null(&mut self) -> Result<Value, String> {
            Ok(Value::Null)
        }
        fn boolean(&mut self, b: bool) -> Result<Value, String> {
            Ok(Value::Bool(b))
        }
        fn number(&mut self, n: &Number, kind: NumberKind) -> Result<Value, String> {
            Ok(Value::String(format!("{kind:?}:{n}")))
        }
        fn string(&mut self, s: &str) -> Result<Value, String> {
            Ok(Value::String(s.to_owned()))
        }
        fn list(&mut self, n: usize) -> Result<Vec<Value>, String> {
            Ok(Vec::with_capacity(n))
        }
        fn push(&mut self, l: &mut Vec<Value>, v: Value) -> Result<(), String> {
            l.push(v);
            Ok(())
        }
        fn end_list(&mut self, l: Vec<Value>) -> Result<Value, String> {
            Ok(Value::Array(l))
        }
        fn map(&mut self) -> Result<Self::Map, String> {
            Ok(Default::default())
        }
        fn insert(&mut self, m: &mut Self::Map, k: Key<'_>, v: Value) -> Result<(), String> {
            let key = match k.known {
                Some(known) => {
                    assert_eq!(known, k.text);
                    format!("{}*", k.text) // marks keys the model knows
                }
                None => k.text.to_owned(),
            };
            m.insert(key, v);
            Ok(())
        }
        fn end_map(&mut self, m: Self::Map) -> Result<Value, String> {
            Ok(Value::Object(m))
        }
    }

    #[test]
    fn from_text_and_from_value_agree() {
        let op = find_operation("show_customer_account_balances").unwrap();
        let text = r#"{"account_balances": [{"amount": 100, "designated_amount": 1.50, "measure_id": 1, "x\"y": [1e2, -0.0, 123456789012345678901234567890]}],
                       "debt_amount": 0, "currency": "CNY", "ok": true, "none": null, "empty": {}}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        let from_value = build(Schema::response(op), &value, &mut Tagged).unwrap();
        let headers = [("X-Subject-Token", "t".to_owned())];
        let from_text =
            build_json(Schema::response(op), text.as_bytes(), &headers, &mut Tagged).unwrap();
        let mut expected = from_value.clone();
        expected["X-Subject-Token*"] = json!("t");
        assert_eq!(from_text, expected);
        let balance = &from_text["account_balances*"][0];
        assert_eq!(balance["amount*"], json!("Decimal:100"));
        assert_eq!(balance["designated_amount*"], json!("Decimal:1.50"));
        assert_eq!(balance["measure_id*"], json!("Int:1"));
        assert_eq!(
            balance["x\"y"],
            json!([
                "Unknown:1e+2",
                "Unknown:-0.0",
                "Unknown:123456789012345678901234567890"
            ])
        );
        assert_eq!(
            build_json(Schema::Any, b"  ", &headers, &mut Tagged).unwrap(),
            json!({"X-Subject-Token*": "t"})
        );
        assert!(matches!(
            build_json(Schema::Any, b"{\"a\": [1,", &[], &mut Tagged),
            Err(BuildError::Json(_))
        ));
        assert!(matches!(
            build_json(Schema::Any, b"\xff", &[], &mut Tagged),
            Err(BuildError::Json(_))
        ));
    }
}
