//! Exact decimals for money: one strict parser for every face's input, exact comparison with
//! the description's limits, and the JSON number that goes on the wire.
//!
//! A decimal arrives as a JSON number (already exact text, serde_json keeps its digits) or as a
//! string ("10.00", from Python's `Decimal`, a JS string, C JSON). Strings follow Python's
//! `Decimal` grammar without its extensions that invite mistakes: optional sign, digits with at
//! most one point, optional exponent, surrounding ASCII spaces allowed; no underscores, no
//! NaN/Infinity, no hex, no other digits than 0-9.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Number, Value};

/// Why a text is not a decimal amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a number at all (letters, underscores, two points, empty, NaN, Infinity).
    NotANumber,
    /// A number outside what 96-bit decimals hold (about ±7.9e28, 28 decimal places).
    OutOfRange,
}

impl Refusal {
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::NotANumber => "expected a decimal number",
            Refusal::OutOfRange => "is out of range for a decimal amount (at most 28 digits)",
        }
    }
}

/// Whether `text` is `[+-]digits[.digits][(e|E)[+-]digits]` with at least one digit in the
/// mantissa (".5" and "5." are numbers, as for Python's Decimal).
fn well_formed(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// Parses a decimal strictly (see the module doc). Keeps the scale as written: "10.00" has 2.
pub fn parse(text: &str) -> Result<Decimal, Refusal> {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if !well_formed(t) {
        return Err(Refusal::NotANumber);
    }
    let plain = t.strip_prefix('+').unwrap_or(t);
    if plain.contains(['e', 'E']) {
        return Decimal::from_scientific(plain).map_err(|_| Refusal::OutOfRange);
    }
    // "5." and ".5": rust_decimal wants digits on both sides of the point.
    let fixed;
    let plain = if plain.ends_with('.') {
        fixed = format!("{plain}0");
        fixed.as_str()
    } else if let Some(rest) = plain.strip_prefix('.') {
        fixed = format!("0.{rest}");
        fixed.as_str()
    } else if let Some(rest) = plain.strip_prefix("-.") {
        fixed = format!("-0.{rest}");
        fixed.as_str()
    } else {
        plain
    };
    Decimal::from_str(plain).map_err(|_| Refusal::OutOfRange)
}

/// The decimal of a JSON value given for a `decimal` field: a number or a numeric string.
pub fn from_value(v: &Value) -> Option<Result<Decimal, Refusal>> {
    match v {
        Value::Number(n) => Some(parse(&n.to_string())),
        Value::String(s) => Some(parse(s)),
        _ => None,
    }
}

/// Digits after the point once trailing zeros are dropped: 1.50 has 1, 1.005 has 3.
pub fn significant_scale(d: Decimal) -> u32 {
    d.normalize().scale()
}

/// The JSON number sent for `d`. With `scale`, a value written with more places than allowed
/// but equal to one with fewer ("1.50000" for 2 places) goes as "1.50", since services that
/// count written places would refuse it; callers check [`significant_scale`] first.
pub fn to_wire(d: Decimal, scale: Option<u32>) -> Value {
    let d = match scale {
        Some(s) if d.scale() > s && significant_scale(d) <= s => {
            let mut r = d.normalize();
            r.rescale(s);
            r
        }
        _ => d,
    };
    // serde_json (arbitrary_precision) keeps the digits of a Number parsed from text.
    Number::from_str(&d.to_string())
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// A limit of the description (written in core/api as a short decimal such as 0.01) as the
/// exact decimal its author wrote: f64's shortest round-trip text, parsed.
pub fn limit(bound: f64) -> Option<Decimal> {
    parse(&format!("{bound}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_is_strict() {
        for ok in [
            "1", "10.00", " 1.00 ", "+5", "-5", ".5", "5.", "1e2", "1E+2", "00012.30", "1.50000",
        ] {
            assert!(parse(ok).is_ok(), "{ok:?} should parse");
        }
        for bad in [
            "1_5", "1.0_5", "1._5", "1_.5", "10_", "1__0", "", " ", ".", "+", "-", "1.2.3", "1,5",
            "0x10", "NaN", "nan", "Infinity", "-inf", "1e", "e5", "٣", "1 0", "1e2.5", "--1",
        ] {
            assert_eq!(
                parse(bad),
                Err(Refusal::NotANumber),
                "{bad:?} should be refused"
            );
        }
        assert_eq!(parse("1e30"), Err(Refusal::OutOfRange));
        assert_eq!(parse(&"9".repeat(40)), Err(Refusal::OutOfRange));
    }

    #[test]
    fn scale_and_values() {
        assert_eq!(parse("10.00").unwrap().to_string(), "10.00");
        assert_eq!(parse("5.").unwrap().to_string(), "5.0");
        assert_eq!(parse(".5").unwrap().to_string(), "0.5");
        assert_eq!(parse("-.5").unwrap().to_string(), "-0.5");
        assert_eq!(parse("1E+2").unwrap(), Decimal::from(100));
        assert_eq!(significant_scale(parse("1.50").unwrap()), 1);
        assert_eq!(significant_scale(parse("1.005").unwrap()), 3);
        assert_eq!(significant_scale(parse("0.30000000000000004").unwrap()), 17);
    }

    #[test]
    fn wire_numbers_keep_digits() {
        assert_eq!(
            to_wire(parse("10.00").unwrap(), Some(2)).to_string(),
            "10.00"
        );
        assert_eq!(
            to_wire(parse("1.50000").unwrap(), Some(2)).to_string(),
            "1.50"
        );
        assert_eq!(to_wire(parse("100").unwrap(), Some(2)).to_string(), "100");
        assert_eq!(to_wire(parse("0.1").unwrap(), None).to_string(), "0.1");
        assert_eq!(limit(0.01).unwrap().to_string(), "0.01");
        assert_eq!(limit(100.0).unwrap(), Decimal::from(100));
    }
}
