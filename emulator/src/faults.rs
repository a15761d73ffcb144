//! Fault injection and counters, driven by the admin API (`/_emulator/...`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What a fault does to the matching requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait `delay_ms`, then process normally.
    Delay,
    /// Answer `status` / `error_code` without processing.
    Fail,
    /// Close the connection without processing and without an answer.
    DropBefore,
    /// Process (apply any state change), then close the connection without an answer.
    DropAfter,
    /// Answer 429 APIGW.0308 without processing.
    Throttle,
}

fn one() -> u32 {
    1
}

/// One configured fault: applies to the next `count` requests that match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// A request path (`/v2/partners/sub-customers`), a template with `{param}`s, or `*`.
    #[serde(default)]
    pub path: Option<String>,
    /// An operation name instead of (or besides) a path.
    #[serde(default)]
    pub op: Option<String>,
    /// Only this HTTP method.
    #[serde(default)]
    pub method: Option<String>,
    pub kind: FaultKind,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_msg: Option<String>,
    #[serde(default = "one")]
    pub count: u32,
}

impl Fault {
    pub fn new(path: &str, kind: FaultKind) -> Fault {
        Fault {
            path: Some(path.to_owned()),
            op: None,
            method: None,
            kind,
            delay_ms: None,
            status: None,
            error_code: None,
            error_msg: None,
            count: 1,
        }
    }

    /// A fault for every request to operation `op`.
    pub fn for_op(op: &str, kind: FaultKind) -> Fault {
        Fault {
            path: None,
            op: Some(op.to_owned()),
            ..Fault::new("", kind)
        }
    }

    pub fn times(mut self, count: u32) -> Fault {
        self.count = count;
        self
    }
    pub fn delay_ms(mut self, ms: u64) -> Fault {
        self.delay_ms = Some(ms);
        self
    }
    pub fn status(mut self, status: u16, code: &str) -> Fault {
        self.status = Some(status);
        self.error_code = Some(code.to_owned());
        self
    }

    /// Checks the fields a kind needs.
    pub fn check(&self) -> Result<(), String> {
        if self.path.as_deref().is_none_or(str::is_empty)
            && self.op.as_deref().is_none_or(str::is_empty)
        {
            return Err("a fault needs a path (or an op name)".to_owned());
        }
        if self.count == 0 {
            return Err("count must be at least 1".to_owned());
        }
        if self.kind == FaultKind::Delay && self.delay_ms.is_none() {
            return Err("a delay fault needs delay_ms".to_owned());
        }
        if let Some(s) = self.status {
            if !(100..=599).contains(&s) {
                return Err("status must be an HTTP status code".to_owned());
            }
        }
        Ok(())
    }

    fn path_matches(&self, path: &str) -> bool {
        match self.path.as_deref() {
            None | Some("") => true,
            Some("*") => true,
            Some(p) if p.contains('{') => {
                let (t, r): (Vec<&str>, Vec<&str>) = (
                    p.trim_end_matches('/').split('/').collect(),
                    path.trim_end_matches('/').split('/').collect(),
                );
                t.len() == r.len() && t.iter().zip(&r).all(|(a, b)| a.starts_with('{') || a == b)
            }
            Some(p) => p.trim_end_matches('/') == path.trim_end_matches('/'),
        }
    }

    pub fn matches(&self, method: &str, path: &str, op: Option<&str>) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_matches(path)
            && self
                .op
                .as_deref()
                .is_none_or(|o| o.is_empty() || Some(o) == op)
    }
}

/// Takes one use of the first fault matching the request.
pub fn take(faults: &mut Vec<Fault>, method: &str, path: &str, op: Option<&str>) -> Option<Fault> {
    let idx = faults.iter().position(|f| f.matches(method, path, op))?;
    let f = faults[idx].clone();
    faults[idx].count -= 1;
    if faults[idx].count == 0 {
        faults.remove(idx);
    }
    Some(Fault { count: 1, ..f })
}

/// Counters for one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OpStats {
    /// Requests that reached the emulator for this operation.
    pub received: u64,
    /// Requests processed successfully (state changes applied, reads answered).
    pub applied: u64,
    /// Requests refused by authentication or access control.
    pub refused: u64,
    /// Requests answered with a business or parameter error.
    pub failed: u64,
    /// Requests hit by an injected fault.
    pub faulted: u64,
}

/// Counters for every operation.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub ops: BTreeMap<String, OpStats>,
    /// Requests to paths that are no operation.
    pub unknown: u64,
}

impl Stats {
    pub fn op(&mut self, name: &str) -> &mut OpStats {
        self.ops.entry(name.to_owned()).or_default()
    }

    pub fn to_json(&self) -> Value {
        let total = |f: fn(&OpStats) -> u64| self.ops.values().map(f).sum::<u64>();
        json!({
            "ops": self.ops,
            "unknown_paths": self.unknown,
            "totals": {
                "received": total(|s| s.received),
                "applied": total(|s| s.applied),
                "refused": total(|s| s.refused),
                "failed": total(|s| s.failed),
                "faulted": total(|s| s.faulted),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_and_counting() {
        let mut faults = vec![Fault::new(
            "/v2/orders/customer-orders/details/{order_id}",
            FaultKind::Fail,
        )
        .times(2)];
        assert!(take(
            &mut faults,
            "GET",
            "/v2/orders/customer-orders/details/X1",
            None
        )
        .is_some());
        assert!(take(&mut faults, "GET", "/v2/orders/customer-orders/other", None).is_none());
        assert!(take(
            &mut faults,
            "GET",
            "/v2/orders/customer-orders/details/X2",
            None
        )
        .is_some());
        assert!(faults.is_empty());
        let mut faults = vec![Fault::for_op("pay_orders", FaultKind::Throttle)];
        assert!(take(
            &mut faults,
            "POST",
            "/v3/orders/customer-orders/pay",
            Some("cancel_customer_order")
        )
        .is_none());
        assert!(take(
            &mut faults,
            "POST",
            "/v3/orders/customer-orders/pay",
            Some("pay_orders")
        )
        .is_some());
        assert!(Fault::new("/x", FaultKind::Delay).check().is_err());
    }
}
