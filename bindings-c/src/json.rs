//! JSON text of a result, written straight into the C string handed out. The same bytes as
//! `serde_json::to_string` (a test holds it to that) in about half the instructions (callgrind,
//! the bench's ListSubCustomers answer: 55k instead of 101k): serde_json's writer goes through
//! `io::Write` and serializes each arbitrary-precision number as a struct. Re-writing the answer
//! is needed only when decimals go as strings: with exact numbers the service's own text is handed
//! over as it came ([`c_string`]).

use std::ffi::CString;

use serde_json::Value;

/// `v` as compact JSON text in a C string. Numbers keep their digits.
pub(crate) fn text(v: &Value) -> CString {
    let mut out = Vec::with_capacity(4096);
    write(v, &mut out);
    // JSON text has no NUL byte (a NUL in a string is written \u0000), so `new` never fails;
    // the spare byte lets it add the terminator without copying.
    out.reserve_exact(1);
    CString::new(out).unwrap_or_default()
}

/// JSON text (the service's own, or ours) in a C string: JSON has no raw NUL byte.
pub(crate) fn c_string(text: String) -> CString {
    CString::new(text).unwrap_or_default()
}

fn write(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.as_str().as_bytes()),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(x, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(k, out);
                out.push(b':');
                write(x, out);
            }
            out.push(b'}');
        }
    }
}

/// Bytes a JSON string must escape: `"`, `\` and the control characters (as serde_json does).
static ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Whether any of the 8 bytes in `w` must be escaped (the classic "has a byte less than n" /
/// "has a zero byte" tricks, exact as a yes/no): most strings of an answer (ids, dates, names)
/// have none, and are copied 8 bytes a step.
fn has_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    (control | quote | backslash) != 0
}

/// A JSON string, escaped as serde_json escapes it.
fn string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if !has_escape(w) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if !ESCAPE[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[start..i - 1]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]),
        }
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte for byte what serde_json writes, for every kind of value and every escape.
    #[test]
    fn same_text_as_serde_json() {
        let mut every_byte = String::new();
        for b in 0u8..0x80 {
            every_byte.push(char::from(b));
        }
        let cases = [
            r#"{"a":[1,-2.50,1e400,123456789012345678901234567890,0.1],"b":{"c":null,"d":true,"e":false},"":""}"#.to_owned(),
            serde_json::to_string(&every_byte).unwrap(),
            r#"["ünï 😀 全角", "\u2028\u2029", "\ud83d\ude00", [[[]]], {}]"#.to_owned(),
            std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../benches/fixtures/list_sub_customers.json"
            ))
            .unwrap(),
        ];
        // Escapes at every offset of an 8-byte step, in runs and alone.
        let mut tricky = Vec::new();
        for n in 0..20 {
            for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '~', '\u{7f}', 'é'] {
                tricky.push(format!("{}{c}{}", "a".repeat(n), "b".repeat(n % 9)));
            }
        }
        let cases = cases
            .into_iter()
            .chain([serde_json::to_string(&tricky).unwrap()]);
        for case in cases {
            let v: Value = serde_json::from_str(&case).unwrap();
            let ours = text(&v).into_string().unwrap();
            assert_eq!(ours, serde_json::to_string(&v).unwrap(), "{case}");
        }
    }
}
