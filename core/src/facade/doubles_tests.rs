use super::*;

/// The byte-by-byte reading the blocks must agree with: a string runs from a quote to the next
/// quote that no backslash escapes.
fn reference(json: &[u8]) -> bool {
    let mut s = State::default();
    bytes(&mut s, json) && !s.in_string
}

/// `text` placed so that byte `at` of it falls on the first byte of the second block.
fn across(text: &str, at: usize) -> Vec<u8> {
    let mut v = vec![b' '; BLOCK - at];
    v.extend_from_slice(text.as_bytes());
    v.resize(v.len() + 2 * BLOCK, b' ');
    v
}

#[test]
fn a_realistic_answer_fits() {
    let body = include_bytes!("../../../benches/fixtures/list_sub_customers.json");
    assert!(fits_doubles(body));
    assert!(reference(body));
}

#[test]
fn long_runs_and_exponents_outside_strings_do_not_fit() {
    for (text, fits) in [
        (r#"{"count": 123456789012345}"#, true),
        (r#"{"count": 1234567890123456}"#, false),
        (r#"{"count": 1e3}"#, false),
        (r#"{"count": 1E3}"#, false),
        (r#"{"count": 1.5, "n": -0}"#, true),
        (r#"{"id": "1234567890123456789e5"}"#, true),
        (r#"{"id": "a\"1234567890123456789e5\"b"}"#, true),
        (r#"{"id": "\\", "count": 1e2}"#, false),
        (r#"{"id": "unterminated}"#, false),
    ] {
        for at in [0, 1, 5, 10, 15, 16, 17, 20, 30, 63] {
            let v = across(text, at.min(text.len()));
            assert_eq!(fits_doubles(&v), fits, "{text} at {at}");
            assert_eq!(reference(&v), fits, "{text} at {at} (reference)");
        }
    }
}

#[test]
fn a_run_across_a_block_boundary_counts_whole() {
    // 16 digits: the first k in one block, the rest in the next.
    for k in 1..16 {
        let v = across("[1234567890123456]", 1 + k);
        assert!(!fits_doubles(&v), "split after {k}");
    }
    for k in 1..15 {
        assert!(
            fits_doubles(&across("[123456789012345]", 1 + k)),
            "split after {k}"
        );
    }
    // The digit ends one block, the exponent starts the next.
    assert!(!fits_doubles(&across("[7e1]", 2)));
    // A string across the boundary, with a long run and an escaped quote on the edge.
    assert!(fits_doubles(&across(r#"["12345678901234567890\"e"]"#, 22)));
    assert!(fits_doubles(&across(r#"["12345678901234567890\"e"]"#, 23)));
}

#[test]
fn blocks_agree_with_bytes_on_generated_texts() {
    const ALPHABET: &[u8] = b"\"\\0123456789eE.-:,{}[] a\xc3";
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut fits, mut cases) = (0, 0);
    for _ in 0..20_000 {
        let len = (next() % 400) as usize;
        // Some texts mostly digits (long runs), some mostly quotes and letters.
        let digits = next() % 3 == 0;
        let text: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if digits && r % 4 != 0 {
                    b'0' + (r >> 8) as u8 % 10
                } else {
                    ALPHABET[(r >> 8) as usize % ALPHABET.len()]
                }
            })
            .collect();
        let want = reference(&text);
        assert_eq!(
            fits_doubles(&text),
            want,
            "{:?}",
            String::from_utf8_lossy(&text)
        );
        fits += usize::from(want);
        cases += 1;
    }
    // Both outcomes were exercised, not one.
    assert!(
        fits > cases / 20 && fits < cases - cases / 20,
        "{fits} of {cases}"
    );
}
