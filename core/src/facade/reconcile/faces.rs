//! What the faces need around [`reconcile`](super::reconcile): a ticket read back from a face's
//! value (a caller may have stored it, so every wrong field is named), and tickets and answers
//! built or shaped with their numbers by the models they come from: an amount stays money, a
//! record's fields keep the types of the records' own operation.

use serde_json::{Map, Value};

use super::{not_reconcilable, reconcile_ticket, Reconciliation, Ticket};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::facade::build::{build, Build, Key};
use crate::facade::numbers::{shape, Numbers, Schema};
use crate::generated::{find_model, find_operation};
use crate::validate::kind;

const FIELDS: &str = "a ticket has operation, params, began and ended";

/// [`reconcile_ticket`] from what a face holds: its error's ticket (`None` or null: the error
/// had none, so it is not an unknown outcome that can be settled). `what` names the value in
/// errors (`ticket`, `ticket_json`).
pub async fn reconcile_value(
    client: &Client,
    ticket: Option<Value>,
    what: &str,
) -> Result<Reconciliation> {
    match ticket {
        None | Some(Value::Null) => Err(not_reconcilable()),
        Some(v) => reconcile_ticket(client, &Ticket::from_value(v, what)?).await,
    }
}

/// Builds an object of `fields` in this order.
fn object<B: Build>(b: &mut B, fields: Vec<(&'static str, B::Out)>) -> Result<B::Out, B::Error> {
    let mut map = b.map()?;
    for (name, v) in fields {
        let key = Key {
            text: name,
            known: Some(name),
        };
        b.insert(&mut map, key, v)?;
    }
    b.end_map(map)
}

impl Ticket {
    /// A ticket a face kept, checked field by field (`what.operation`, …).
    pub fn from_value(v: Value, what: &str) -> Result<Ticket> {
        let bad = |k: &str, m: &str| Error::invalid_argument(format!("{what}.{k}"), m);
        let Value::Object(mut m) = v else {
            let why = format!(
                "must be an OutcomeUnknown's ticket (an object), not {}",
                kind(&v)
            );
            return Err(Error::invalid_argument(what, why));
        };
        let operation = match m.remove("operation") {
            Some(Value::String(s)) => s,
            _ => return Err(bad("operation", "must be the operation's name (a string)")),
        };
        let params = match m.remove("params") {
            Some(p @ Value::Object(_)) => p,
            _ => return Err(bad("params", "must be an object")),
        };
        let mut secs = |k: &str| match m.remove(k).as_ref().and_then(Value::as_i64) {
            Some(s) => Ok(s),
            None => Err(bad(k, "must be an integer (Unix seconds)")),
        };
        let (began, ended) = (secs("began")?, secs("ended")?);
        if let Some(k) = m.keys().next() {
            return Err(bad(k, &format!("unknown field ({FIELDS})")));
        }
        Ok(Ticket {
            operation,
            params,
            began,
            ended,
        })
    }

    /// The schema of the params: the body of the ticket's operation (amounts are money).
    pub fn params_schema(&self) -> Schema {
        find_operation(&self.operation)
            .and_then(|op| op.body_model)
            .and_then(find_model)
            .map_or(Schema::Any, Schema::Model)
    }

    /// The ticket with the numbers of its params as `numbers` says (Node: amounts as strings).
    pub fn shaped(mut self, numbers: Numbers) -> Ticket {
        self.params = shape(self.params_schema(), self.params, numbers);
        self
    }

    /// The ticket as a face's value, its amounts money.
    pub fn build<B: Build>(&self, b: &mut B) -> Result<B::Out, B::Error> {
        let fields = vec![
            ("operation", b.string(&self.operation)?),
            ("params", build(self.params_schema(), &self.params, b)?),
            ("began", build(Schema::Any, &Value::from(self.began), b)?),
            ("ended", build(Schema::Any, &Value::from(self.ended), b)?),
        ];
        object(b, fields)
    }
}

impl Reconciliation {
    /// The schema of the records: the list of items of [`Reconciliation::looked_in`].
    pub fn records_schema(&self) -> Schema {
        match find_operation(self.looked_in) {
            Some(op) => match op.pagination {
                Some(pg) => Schema::response(op).field(pg.items_field),
                None => Schema::Any,
            },
            None => Schema::Any,
        }
    }

    /// The answer as a face's value: `verdict`, `operation`, `looked_in`, `records`.
    pub fn build<B: Build>(&self, b: &mut B) -> Result<B::Out, B::Error> {
        let item = self.records_schema().element();
        let mut records = b.list(self.records.len())?;
        for r in &self.records {
            let r = build(item, r, b)?;
            b.push(&mut records, r)?;
        }
        let fields = vec![
            ("verdict", b.string(self.verdict.as_str())?),
            ("operation", b.string(&self.operation)?),
            ("looked_in", b.string(self.looked_in)?),
            ("records", b.end_list(records)?),
        ];
        object(b, fields)
    }

    /// The answer as JSON, its records' numbers as `numbers` says.
    pub fn into_value(self, numbers: Numbers) -> Value {
        let records = shape(self.records_schema(), Value::Array(self.records), numbers);
        let mut m = Map::new();
        m.insert("verdict".into(), self.verdict.as_str().into());
        m.insert("operation".into(), self.operation.into());
        m.insert("looked_in".into(), self.looked_in.into());
        m.insert("records".into(), records);
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Parsed from text: `json!` would make the amount an f64 (12.3).
    fn ticket() -> Value {
        serde_json::from_str(
            r#"{"operation": "update_customer_account_amount",
                "params": {"customer_id": "c", "amount": 12.30}, "began": 10, "ended": 12}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_ticket_reads_back_and_names_what_is_wrong() {
        let t = Ticket::from_value(ticket(), "ticket").unwrap();
        assert_eq!(
            (t.operation.as_str(), t.began, t.ended),
            ("update_customer_account_amount", 10, 12)
        );
        let field = |v: Value| {
            Ticket::from_value(v, "ticket")
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(field(json!("x")).as_deref(), Some("ticket"));
        let mut v = ticket();
        v["began"] = json!("10");
        assert_eq!(field(v).as_deref(), Some("ticket.began"));
        let mut v = ticket();
        v["params"] = json!([]);
        assert_eq!(field(v).as_deref(), Some("ticket.params"));
        let mut v = ticket();
        v["extra"] = json!(1);
        assert_eq!(field(v).as_deref(), Some("ticket.extra"));
        let mut v = ticket();
        v.as_object_mut().unwrap().remove("operation");
        assert_eq!(field(v).as_deref(), Some("ticket.operation"));
    }

    #[test]
    fn amounts_are_money_by_the_operation_s_body() {
        let t = Ticket::from_value(ticket(), "ticket").unwrap();
        let shaped = t.shaped(Numbers::Strings);
        assert_eq!(shaped.params["amount"], json!("12.30"));
        let r = Reconciliation {
            verdict: super::super::Verdict::Applied,
            operation: "create_partner_coupons".into(),
            looked_in: "list_issued_partner_coupons",
            records: vec![json!({"coupon_id": "k", "face_value": 3, "status": 2})],
        };
        let v = r.into_value(Numbers::Strings);
        assert_eq!(
            v["records"][0],
            json!({"coupon_id": "k", "face_value": "3", "status": 2})
        );
        assert_eq!(
            (v["verdict"].as_str(), v["looked_in"].as_str()),
            (Some("applied"), Some("list_issued_partner_coupons"))
        );
    }
}
