//! Date and time values from a face (a Python `datetime`, `date` or pandas `Timestamp`) written
//! the way the field they land in takes them: a bill month `YYYY-MM` and a day `YYYY-MM-DD` in
//! UTC+8, an instant `YYYY-MM-DDTHH:MM:SSZ` in UTC (the API description's `format`). A face marks
//! such a value with [`date_value`] and calls [`place_dates`] before the call; a string the caller
//! wrote is never touched.
//!
//! An instant with a time zone is converted (`2024-05-31T20:00:00Z` is the bill month
//! `2024-06`); a value without one is taken as written for months and days, and as UTC for
//! instants.

use serde_json::Value;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, UtcOffset};

use crate::client::operation_named;
use crate::error::{Error, Result};
use crate::generated::find_model;
use crate::operation::{DateFormat, Field, Type};

/// Marks a face's date value; never a prefix of text a caller writes (it starts with U+0001).
const TAG: &str = "\u{1}hcpartner-date:";

const CN: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// A face's date value: `iso` is `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` (no time zone) or
/// `YYYY-MM-DDTHH:MM:SSZ` (an instant, in UTC).
pub fn date_value(iso: &str) -> Value {
    Value::String(format!("{TAG}{iso}"))
}

/// What a face's date value is.
enum Given {
    Day(Date),
    Local(PrimitiveDateTime),
    Utc(PrimitiveDateTime),
}

fn given(iso: &str) -> Option<Given> {
    let day = format_description!("[year]-[month]-[day]");
    let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Some(utc) = iso.strip_suffix('Z') {
        return PrimitiveDateTime::parse(utc, local).ok().map(Given::Utc);
    }
    if iso.len() == 10 {
        return Date::parse(iso, day).ok().map(Given::Day);
    }
    PrimitiveDateTime::parse(iso, local).ok().map(Given::Local)
}

fn written(g: &Given, format: DateFormat) -> String {
    let (date, time) = match (g, format) {
        (Given::Day(d), _) => (*d, time::Time::MIDNIGHT),
        (Given::Local(t), _) => (t.date(), t.time()),
        (Given::Utc(t), DateFormat::DateTime) => (t.date(), t.time()),
        (Given::Utc(t), _) => {
            let cn = t.assume_utc().to_offset(CN);
            (cn.date(), cn.time())
        }
    };
    let (y, m, d) = (date.year(), date.month() as u8, date.day());
    match format {
        DateFormat::Month => format!("{y:04}-{m:02}"),
        DateFormat::Date => format!("{y:04}-{m:02}-{d:02}"),
        DateFormat::DateTime => format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            time.hour(),
            time.minute(),
            time.second()
        ),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(v: &mut Value, ty: Option<&Type>, field: Option<&Field>, path: &str) -> Result<()> {
    match v {
        Value::String(s) => {
            let Some(iso) = s.strip_prefix(TAG) else {
                return Ok(());
            };
            let format = field
                .and_then(|f| f.format)
                .filter(|_| ty == Some(&Type::String));
            let Some(format) = format else {
                return Err(Error::invalid_argument(
                    path,
                    "takes text, not a date or time: pass a str",
                ));
            };
            let g = given(iso).ok_or_else(|| {
                Error::invalid_argument(
                    path,
                    format!("is not a date hcpartner can write as {}", format.pattern()),
                )
            })?;
            *s = written(&g, format);
            Ok(())
        }
        Value::Array(items) => {
            let item = match ty {
                Some(Type::List(t)) => Some(*t),
                _ => None,
            };
            for (i, x) in items.iter_mut().enumerate() {
                walk(x, item, field, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Value::Object(map) => {
            let model = match ty {
                Some(Type::Model(name)) => find_model(name),
                _ => None,
            };
            for (k, x) in map.iter_mut() {
                let f = model.and_then(|m| m.fields.iter().find(|f| f.name == k));
                walk(x, f.map(|f| &f.ty), f, &join(path, k))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Writes every date value of `params` (flat, for `operation`) the way its field takes it; a
/// date value in a field that is no date fails naming it. An unknown operation is left for the
/// call to report.
pub fn place_dates(operation: &str, params: &mut Value) -> Result<()> {
    let Ok(op) = operation_named(operation) else {
        return Ok(());
    };
    let Value::Object(map) = params else {
        return Ok(());
    };
    for (k, v) in map.iter_mut() {
        let f = op
            .params
            .iter()
            .find(|p| p.field.name == k)
            .map(|p| &p.field);
        walk(v, f.map(|f| &f.ty), f, k)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn placed(op: &str, params: Value) -> Result<Value> {
        let mut p = params;
        place_dates(op, &mut p).map(|()| p)
    }

    #[test]
    fn written_as_the_field_takes_it() {
        let p = placed(
            "list_subcustomer_monthly_bills",
            json!({"cycle": date_value("2024-05-31T20:00:00Z"), "charge_mode": "1"}),
        )
        .unwrap();
        assert_eq!(
            p["cycle"], "2024-06",
            "UTC 20:00 on the 31st is June in UTC+8"
        );
        let p = placed(
            "list_subcustomer_monthly_bills",
            json!({"cycle": date_value("2024-05-31T20:00:00")}),
        )
        .unwrap();
        assert_eq!(p["cycle"], "2024-05", "no time zone: as written");
        let p = placed(
            "list_sub_customers",
            json!({"associated_on_begin": date_value("2024-05-01")}),
        )
        .unwrap();
        assert_eq!(p["associated_on_begin"], "2024-05-01T00:00:00Z");
        let p = placed(
            "list_sub_customers",
            json!({"associated_on_end": date_value("2024-05-01T08:30:00Z")}),
        )
        .unwrap();
        assert_eq!(p["associated_on_end"], "2024-05-01T08:30:00Z");
        let p = placed(
            "list_sub_customer_bill_detail",
            json!({"bill_date_begin": date_value("2024-05-01T17:00:00Z")}),
        )
        .unwrap();
        assert_eq!(p["bill_date_begin"], "2024-05-02");
        // What the caller wrote stays as it is.
        let p = placed(
            "list_subcustomer_monthly_bills",
            json!({"cycle": "2024-05-31"}),
        )
        .unwrap();
        assert_eq!(p["cycle"], "2024-05-31");
    }

    #[test]
    fn a_date_where_none_goes_names_the_field() {
        let e = placed(
            "list_sub_customers",
            json!({"account_name": date_value("2024-05-01")}),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("account_name"));
        let e = placed(
            "list_subcustomer_monthly_bills",
            json!({"cycle": date_value("yesterday")}),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("cycle"));
        assert!(e.message().contains("YYYY-MM (UTC+8)"), "{e}");
    }
}
