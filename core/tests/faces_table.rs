//! core/api/faces.json (from which codegen writes every face's options, credentials and error
//! classes) says exactly what the facade accepts and reports: the same option names, the same
//! credential kinds and fields, the same error kinds and codes.

use std::collections::BTreeSet;

use hcpartner::facade::{CallOptions, ClientOptions, CredentialsSpec};
use hcpartner::{Error, ErrorKind};
use serde_json::{json, Map, Value};

fn faces() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/api/faces.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The names serde lists after "expected one of" in an unknown-field or unknown-variant error.
fn expected(message: &str) -> BTreeSet<String> {
    let list = match (
        message.split_once("expected one of "),
        message.split_once("expected `"),
    ) {
        (Some((_, list)), _) => list.to_owned(),
        (None, Some((_, one))) => format!("`{one}"),
        (None, None) => return BTreeSet::new(), // "there are no fields"
    };
    list.replace(" or ", ", ")
        .split(", ")
        .map(|n| {
            n.trim_matches(|c: char| c == '`' || c.is_whitespace())
                .to_owned()
        })
        .map(|n| n.split('`').next().unwrap_or_default().to_owned())
        .collect()
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        match (c, up) {
            ('_', _) => up = true,
            (c, true) => {
                out.push(c.to_ascii_uppercase());
                up = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// `listed` (what serde accepts) is `table` plus only the camelCase spelling of its names.
fn same_names(listed: BTreeSet<String>, table: BTreeSet<String>, what: &str) {
    let camels: BTreeSet<String> = table.iter().map(|n| camel(n)).collect();
    let extra: BTreeSet<&String> = listed
        .iter()
        .filter(|n| !table.contains(*n) && !camels.contains(*n))
        .collect();
    let missing: BTreeSet<&String> = table.iter().filter(|n| !listed.contains(*n)).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what}: not in faces.json {extra:?}; not accepted by the facade {missing:?}"
    );
}

fn sample(ty: &str, item: &Value) -> Value {
    if item["name"]
        .as_str()
        .is_some_and(|n| n.ends_with("endpoint") || n == "proxy")
    {
        return json!("http://127.0.0.1:9");
    }
    if let Some(first) = item["values"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    match ty {
        "string" | "secret" | "path" => json!("x"),
        "int" | "integer" => json!(2),
        "number" | "seconds" => json!(1.5),
        "bool" => json!(true),
        "map<number>" => json!({"list_sub_customers": 3}),
        "map<string>" => json!({"X-Trace": "t"}),
        "credentials" => json!({"type": "token", "token": "t"}),
        // A call's `retry` takes the client's retry fields.
        "object" if item["fields"].is_null() => json!({"max_attempts": 1}),
        "object" => {
            let fields = item["fields"].as_array().unwrap();
            Value::Object(
                fields
                    .iter()
                    .map(|f| {
                        let name = f["name"].as_str().unwrap().to_owned();
                        (name, sample(f["type"].as_str().unwrap(), f))
                    })
                    .collect(),
            )
        }
        other => panic!("faces.json type {other}"),
    }
}

#[test]
fn error_kinds_and_report_fields() {
    let f = faces();
    let table: Vec<(String, u32)> = f["error_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_owned(),
                k["code"].as_u64().unwrap() as u32,
            )
        })
        .collect();
    let core: Vec<(String, u32)> = ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.code()))
        .collect();
    assert_eq!(table, core);
    let report = serde_json::to_value(Error::invalid_argument("f", "m").report()).unwrap();
    let mut keys: BTreeSet<String> = report.as_object().unwrap().keys().cloned().collect();
    assert!(
        keys.remove("display"),
        "the rendered text goes as the exception's message"
    );
    assert_eq!(keys, names(&f["report_fields"]));
}

/// The reconcile ticket and answer every face types are the facade's, key for key.
#[test]
fn ticket_and_reconciliation_fields() {
    use hcpartner::facade::reconcile::{Reconciliation, Ticket, Verdict};
    let f = faces();
    let ticket = Ticket {
        operation: "update_customer_account_amount".into(),
        params: json!({"customer_id": "c", "amount": 1}),
        began: 1,
        ended: 2,
    };
    let keys = |v: Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(serde_json::to_value(&ticket).unwrap()),
        names(&f["ticket_fields"])
    );
    let answer = Reconciliation {
        verdict: Verdict::Applied,
        operation: ticket.operation.clone(),
        looked_in: "list_partner_adjust_records",
        records: vec![],
    };
    let shaped = answer
        .clone()
        .into_value(hcpartner::facade::Numbers::Strings);
    assert_eq!(
        keys(serde_json::to_value(&answer).unwrap()),
        names(&f["reconciliation_fields"])
    );
    assert_eq!(keys(shaped), names(&f["reconciliation_fields"]));
    let verdict = &f["reconciliation_fields"][0];
    assert_eq!(verdict["name"], "verdict");
    let spelled: Vec<Value> = [Verdict::Applied, Verdict::NotApplied, Verdict::Ambiguous]
        .iter()
        .map(|v| {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
            Value::from(v.as_str())
        })
        .collect();
    assert_eq!(verdict["values"].as_array().unwrap(), &spelled);
}

#[test]
fn options_are_exactly_the_table() {
    let f = faces();
    let options = f["options"].as_array().unwrap();
    let mut all = Map::new();
    for o in options {
        let name = o["name"].as_str().unwrap();
        all.insert(name.to_owned(), sample(o["type"].as_str().unwrap(), o));
        if let Some(fields) = o["fields"].as_array() {
            let e = ClientOptions::from_value(json!({name: {"zzz": 1}}), "t").unwrap_err();
            same_names(expected(e.message()), names(&o["fields"]), name);
            assert!(!fields.is_empty());
        }
    }
    ClientOptions::from_value(Value::Object(all), "t")
        .and_then(ClientOptions::into_config)
        .unwrap_or_else(|e| panic!("every option of the table with a sample value: {e}"));
    let e = ClientOptions::from_value(json!({"zzz": 1}), "t").unwrap_err();
    same_names(expected(e.message()), names(&f["options"]), "options");
}

#[test]
fn call_options_are_exactly_the_table() {
    let f = faces();
    let mut all = Map::new();
    for o in f["call_options"].as_array().unwrap() {
        let name = o["name"].as_str().unwrap();
        all.insert(name.to_owned(), sample(o["type"].as_str().unwrap(), o));
    }
    let per = CallOptions::from_value(Value::Object(all), "t")
        .and_then(|o| o.into_per_call(&Default::default()))
        .unwrap_or_else(|e| panic!("every call option of the table with a sample value: {e}"));
    assert!(!per.is_empty());
    let e = CallOptions::from_value(json!({"zzz": 1}), "t").unwrap_err();
    same_names(
        expected(e.message()),
        names(&f["call_options"]),
        "call_options",
    );
}

#[test]
fn credentials_are_exactly_the_table() {
    let f = faces();
    let kinds = f["credentials"].as_array().unwrap();
    let tags: BTreeSet<String> = kinds
        .iter()
        .map(|c| c["type"].as_str().unwrap().to_owned())
        .collect();
    let e = serde_json::from_value::<CredentialsSpec>(json!({"type": "zzz"})).unwrap_err();
    assert_eq!(expected(&e.to_string()), tags);
    for c in kinds {
        let tag = c["type"].as_str().unwrap();
        let mut spec = Map::new();
        spec.insert("type".into(), json!(tag));
        for field in c["fields"].as_array().unwrap() {
            let ty = field["type"].as_str().unwrap();
            spec.insert(field["name"].as_str().unwrap().into(), sample(ty, field));
        }
        if tag == "assume_role" {
            spec.remove("customer_name"); // exactly one of id and name
        }
        let parsed: CredentialsSpec = serde_json::from_value(Value::Object(spec.clone()))
            .unwrap_or_else(|e| panic!("{tag}: {e}"));
        parsed.into_auth().unwrap_or_else(|e| panic!("{tag}: {e}"));
        spec.insert("zzz".into(), json!(1));
        let e = serde_json::from_value::<CredentialsSpec>(Value::Object(spec)).unwrap_err();
        assert!(e.to_string().contains("unknown field `zzz`"), "{tag}: {e}");
        same_names(expected(&e.to_string()), names(&c["fields"]), tag);
    }
}

#[test]
fn docs_name_every_option_credential_and_code() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/options.md"))
        .unwrap();
    let f = faces();
    for o in f["options"].as_array().unwrap() {
        let name = o["name"].as_str().unwrap();
        match o["fields"].as_array() {
            Some(fields) => {
                for field in fields {
                    let dotted = format!("`{name}.{}`", field["name"].as_str().unwrap());
                    assert!(docs.contains(&dotted), "docs/options.md lacks {dotted}");
                }
            }
            None => assert!(
                docs.contains(&format!("`{name}`")),
                "docs/options.md lacks {name}"
            ),
        }
    }
    for o in f["call_options"].as_array().unwrap() {
        let name = format!("`{}`", o["name"].as_str().unwrap());
        assert!(
            docs.contains(&name),
            "docs/options.md lacks call option {name}"
        );
    }
    for c in f["credentials"].as_array().unwrap() {
        let tag = format!("`{}`", c["type"].as_str().unwrap());
        assert!(
            docs.contains(&tag),
            "docs/options.md lacks credential {tag}"
        );
    }
    for k in f["error_kinds"].as_array().unwrap() {
        let row = format!("| {} | {} |", k["code"], k["kind"].as_str().unwrap());
        assert!(docs.contains(&row), "docs/options.md lacks {row}");
    }
}
