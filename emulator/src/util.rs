//! Small helpers: times in the service's formats, exact money in JSON, ids.

use std::time::{Duration, SystemTime};

use rust_decimal::Decimal;
use serde_json::Value;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Seconds since the epoch (negative before it).
pub fn epoch(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

pub fn from_epoch(s: i64) -> SystemTime {
    if s >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(s as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(s.unsigned_abs())
    }
}

fn odt(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `yyyy-MM-dd'T'HH:mm:ss'Z'` (UTC), the BSS timestamp format.
pub fn utc(secs: i64) -> String {
    odt(secs)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
}

/// `2024-01-01T00:00:00.000000Z`, the IAM token time format.
pub fn iam_time(secs: i64) -> String {
    odt(secs)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].000000Z"
        ))
        .unwrap_or_default()
}

/// Parses a BSS UTC timestamp (`2019-05-06T08:05:01Z`).
pub fn parse_utc(s: &str) -> Option<i64> {
    time::PrimitiveDateTime::parse(
        s,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
    .ok()
    .map(|t| t.assume_utc().unix_timestamp())
}

const CN: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The bill cycle (`YYYY-MM`, cut in UTC+8) `months_back` months before the one containing `secs`.
pub fn bill_cycle(secs: i64, months_back: u32) -> String {
    let t = odt(secs).to_offset(CN);
    let mut y = t.year();
    let mut m = t.month() as i32 - months_back as i32;
    while m < 1 {
        m += 12;
        y -= 1;
    }
    format!("{y:04}-{m:02}")
}

/// Is `s` a valid `YYYY-MM`?
pub fn is_cycle(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && s[..4].parse::<u32>().is_ok()
        && matches!(s[5..].parse::<u32>(), Ok(1..=12))
}

/// The day (`YYYY-MM-DD`, UTC+8) of `secs`.
pub fn cn_day(secs: i64) -> String {
    let t = odt(secs).to_offset(CN);
    format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
}

/// An exact decimal as a JSON number (never through f64).
pub fn money(d: Decimal) -> Value {
    serde_json::from_str(&d.to_string()).unwrap_or(Value::Null)
}

/// Money with exactly two decimals.
pub fn money2(d: Decimal) -> Value {
    let mut d = d.round_dp(2);
    d.rescale(2);
    money(d)
}

/// A random hex id of `n` bytes.
pub fn hex_id(n: usize) -> String {
    let bytes: Vec<u8> = (0..n).map(|_| rand::random::<u8>()).collect();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            parse_utc("2019-05-06T08:05:01Z").map(utc).as_deref(),
            Some("2019-05-06T08:05:01Z")
        );
        // 2024-01-31T20:00Z is already February 1st in UTC+8.
        let t = parse_utc("2024-01-31T20:00:00Z").unwrap();
        assert_eq!(bill_cycle(t, 0), "2024-02");
        assert_eq!(bill_cycle(t, 2), "2023-12");
        assert!(is_cycle("2024-02") && !is_cycle("2024-13") && !is_cycle("2024-2"));
        assert_eq!(money2("12.5".parse().unwrap()).to_string(), "12.50");
        assert_eq!(money("0.000123".parse().unwrap()).to_string(), "0.000123");
    }
}
