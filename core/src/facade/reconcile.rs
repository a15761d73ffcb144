//! Settling an unknown outcome from the service's own records, which no official SDK does. An
//! `OutcomeUnknown` of a funding, reclaim or coupon call carries a [`Ticket`] (what was asked and
//! when, by the server's clock as this client knows it); [`reconcile`] looks the call up in the
//! adjust records or the issued coupons of that window and answers applied, not applied or
//! ambiguous, with the records that decided it. Records are the service's: an answer reflects
//! them as of the lookup (a record written late makes "not applied" premature, so look again
//! after a minute before acting on it).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::operation::Operation;

mod faces;
pub use faces::reconcile_value;

/// Records are looked up this far before the call began and after it gave up: the service's
/// clock and ours may differ by this much once corrected, and a record may carry the time the
/// request was queued.
const SLACK: Duration = Duration::from_secs(300);

/// What an unknown outcome was: enough to find it in the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub operation: String,
    /// The identifying parameters (customer, amount, coupon): never a secret.
    pub params: Value,
    /// Unix seconds, server time as the client knew it, when the call began and gave up.
    pub began: i64,
    pub ended: i64,
}

/// The answer of a reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Applied,
    NotApplied,
    /// More than one record fits (the same amount moved twice in the window), or only part of a
    /// coupon batch was issued: the records say what happened, not which call did it.
    Ambiguous,
}

impl Verdict {
    /// `applied`, `not_applied` or `ambiguous`, as every face spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::NotApplied => "not_applied",
            Verdict::Ambiguous => "ambiguous",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    pub verdict: Verdict,
    pub operation: String,
    /// The operation whose records were read.
    pub looked_in: &'static str,
    /// The records that decided it.
    pub records: Vec<Value>,
}

/// The operations whose outcome can be settled, and where their records are.
const SETTLES: &[(&str, &str)] = &[
    (
        "update_customer_account_amount",
        "list_partner_adjust_records",
    ),
    ("reclaim_to_partner_account", "list_partner_adjust_records"),
    ("create_partner_coupons", "list_issued_partner_coupons"),
    ("reclaim_partner_coupons", "list_issued_partner_coupons"),
];

/// The ticket of a call of `op` with JSON body `body`, when its outcome can be settled.
pub(crate) fn ticket(
    op: &Operation,
    body: &[u8],
    began: SystemTime,
    ended: SystemTime,
) -> Option<Ticket> {
    if !settles(op) {
        return None;
    }
    let body: Value = serde_json::from_slice(body).ok()?;
    Some(ticket_of(op, &body, began, ended))
}

/// Whether an unknown outcome of `op` can be settled from records (and so gets a ticket).
pub(crate) fn settles(op: &Operation) -> bool {
    SETTLES.iter().any(|(name, _)| *name == op.name)
}

/// The ticket of a call of `op` (one that [`settles`]) with `params`: the body, or a face's flat
/// parameters, the identifying fields being body fields either way.
pub(crate) fn ticket_of(
    op: &Operation,
    params: &Value,
    began: SystemTime,
    ended: SystemTime,
) -> Ticket {
    let keep = [
        "customer_id",
        "amount",
        "customer_ids",
        "face_value",
        "quota_id",
        "coupon_id",
    ];
    let params: serde_json::Map<String, Value> = keep
        .iter()
        .filter_map(|k| params.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    let secs = |t: SystemTime| {
        t.duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    };
    Ticket {
        operation: op.name.to_owned(),
        params: Value::Object(params),
        began: secs(began),
        ended: secs(ended),
    }
}

fn utc(secs: i64) -> String {
    let at =
        time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

/// A record's amount (a number or a numeric string), by the money rules.
fn decimal(v: &Value) -> Option<Decimal> {
    crate::money::from_value(v).and_then(Result::ok)
}

fn text<'a>(v: &'a Value, field: &str) -> Result<&'a str> {
    v.get(field).and_then(Value::as_str).ok_or_else(|| {
        Error::invalid_argument(
            field,
            "the ticket does not name it (not an unknown outcome this client made)",
        )
    })
}

/// The ticket's amount `field` (a ticket can come from a caller: none matches no record).
fn money(v: &Value, field: &str) -> Result<Decimal> {
    v.get(field).and_then(decimal).ok_or_else(|| {
        Error::invalid_argument(
            field,
            "the ticket holds no amount here (a number or a numeric string)",
        )
    })
}

/// Every record `op` lists for `params`.
async fn all(client: &Client, op: &str, mut params: Value) -> Result<Vec<Value>> {
    params["limit"] = json!(100);
    let mut items = client.paginate(op, params)?;
    let mut out = Vec::new();
    while let Some(item) = items.next().await {
        out.push(item?);
    }
    Ok(out)
}

/// What reconciling an error without a ticket is.
fn not_reconcilable() -> Error {
    Error::invalid_argument(
        "error",
        "only an OutcomeUnknown of a funding, reclaim or coupon call can be reconciled",
    )
}

/// Looks the call of `error`'s ticket up in the service's records.
pub async fn reconcile(client: &Client, error: &Error) -> Result<Reconciliation> {
    let ticket = error.ticket().ok_or_else(not_reconcilable)?;
    reconcile_ticket(client, ticket).await
}

/// [`reconcile`] from a ticket a face kept (its error report's `ticket` field).
pub async fn reconcile_ticket(client: &Client, t: &Ticket) -> Result<Reconciliation> {
    let looked_in = SETTLES
        .iter()
        .find(|(name, _)| *name == t.operation)
        .map(|(_, records)| *records)
        .ok_or_else(|| {
            Error::invalid_argument("operation", format!("{} cannot be reconciled", t.operation))
        })?;
    let slack = SLACK.as_secs() as i64;
    let (from, to) = (utc(t.began - slack), utc(t.ended + slack));
    let p = &t.params;
    let (verdict, records) = match t.operation.as_str() {
        "update_customer_account_amount" | "reclaim_to_partner_account" => {
            let kind = if t.operation == "reclaim_to_partner_account" {
                "2"
            } else {
                "1"
            };
            let amount = Some(money(p, "amount")?);
            let query = json!({"customer_id": text(p, "customer_id")?, "operation_type": kind,
                "operation_time_begin": from, "operation_time_end": to});
            let found: Vec<Value> = all(client, looked_in, query)
                .await?
                .into_iter()
                .filter(|r| r.get("amount").and_then(decimal) == amount)
                .collect();
            (by_count(found.len()), found)
        }
        "create_partner_coupons" => {
            let face = Some(money(p, "face_value")?);
            let customers: Vec<&str> = match p.get("customer_ids") {
                Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_str).collect(),
                _ => {
                    return Err(Error::invalid_argument(
                        "customer_ids",
                        "the ticket does not name them",
                    ))
                }
            };
            let (mut found, mut counts) = (Vec::new(), Vec::new());
            for customer in &customers {
                let query = json!({"customer_id": customer, "create_time_begin": from, "create_time_end": to});
                let mine: Vec<Value> = all(client, looked_in, query)
                    .await?
                    .into_iter()
                    .filter(|c| c.get("face_value").and_then(decimal) == face)
                    .collect();
                counts.push(mine.len());
                found.extend(mine);
            }
            // One coupon per customer: issued to all, to none, or the records cannot tell.
            let verdict = if counts.iter().all(|n| *n == 1) {
                Verdict::Applied
            } else if counts.iter().all(|n| *n == 0) {
                Verdict::NotApplied
            } else {
                Verdict::Ambiguous
            };
            (verdict, found)
        }
        _ => {
            let found = all(
                client,
                looked_in,
                json!({"coupon_id": text(p, "coupon_id")?}),
            )
            .await?;
            // 5: reclaimed. The coupon is back whoever took it; any other status: it was not.
            let verdict = match found
                .first()
                .and_then(|c| c.get("status"))
                .and_then(Value::as_i64)
            {
                Some(5) => Verdict::Applied,
                Some(_) => Verdict::NotApplied,
                None => Verdict::Ambiguous,
            };
            (verdict, found)
        }
    };
    Ok(Reconciliation {
        verdict,
        operation: t.operation.clone(),
        looked_in,
        records,
    })
}

fn by_count(n: usize) -> Verdict {
    match n {
        0 => Verdict::NotApplied,
        1 => Verdict::Applied,
        _ => Verdict::Ambiguous,
    }
}
