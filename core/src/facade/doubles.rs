//! Whether a JSON text's numbers read the same as doubles: no number outside a string has more
//! than 15 digits in a row or an exponent. A face that reads every number as a double
//! (JavaScript's `JSON.parse`) can then take the service's own text.
//!
//! The text is read 64 bytes at a time as bit masks (quotes, digits, `e`/`E`), so that strings,
//! most of an answer's bytes, cost a few instructions per block rather than a branch per byte or
//! a search per string: the strings' extent is the running XOR of the quote bits. A block with a
//! backslash (an escape) goes byte by byte, as does the tail.

const BLOCK: usize = 64;
/// Longer digit runs may not survive a double (2^53 has 16 digits).
const MAX_RUN: u32 = 15;

/// What a scan carries from one byte (or block) to the next.
#[derive(Default)]
struct State {
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
    /// Digits in a row outside strings, ending at the previous byte.
    run: u32,
}

/// The check (see the module).
pub(crate) fn fits_doubles(json: &[u8]) -> bool {
    let mut s = State::default();
    let mut blocks = json.chunks_exact(BLOCK);
    for block in &mut blocks {
        let block: &[u8; BLOCK] = block.try_into().expect("chunks_exact gives whole blocks");
        let m = masks(block);
        let ok = if m.backslash != 0 || s.escaped {
            bytes(&mut s, block)
        } else {
            whole(&mut s, &m)
        };
        if !ok {
            return false;
        }
    }
    bytes(&mut s, blocks.remainder()) && !s.in_string
}

/// One bit per byte of a block.
#[derive(Default)]
struct Masks {
    quote: u64,
    backslash: u64,
    digit: u64,
    e: u64,
}

/// A block without escapes.
fn whole(s: &mut State, m: &Masks) -> bool {
    // Bit i: byte i is inside a string (an opening quote counts in, a closing one out).
    let inside = prefix_xor(m.quote) ^ if s.in_string { !0 } else { 0 };
    let digits = m.digit & !inside;
    s.in_string = inside >> 63 == 1;
    if digits == 0 {
        s.run = 0;
        return true;
    }
    // An exponent: an `e` right after a digit outside strings (then outside one itself).
    let after_digit = (digits << 1) | u64::from(s.run > 0);
    if m.e & after_digit != 0 {
        return false;
    }
    // A run carried in, continued by the block's first bits.
    if s.run + digits.trailing_ones() > MAX_RUN {
        return false;
    }
    // Sixteen set bits in a row anywhere in the block.
    let mut r = digits & (digits >> 1);
    r &= r >> 2;
    r &= r >> 4;
    r &= r >> 8;
    if r != 0 {
        return false;
    }
    s.run = if digits == !0 {
        s.run + 64
    } else {
        digits.leading_ones()
    };
    true
}

/// Byte by byte: a block with an escape, and the tail.
fn bytes(s: &mut State, text: &[u8]) -> bool {
    for &c in text {
        if s.in_string {
            if s.escaped {
                s.escaped = false;
            } else if c == b'\\' {
                s.escaped = true;
            } else if c == b'"' {
                s.in_string = false;
            }
            continue;
        }
        match c {
            b'"' => {
                s.in_string = true;
                s.run = 0;
            }
            b'0'..=b'9' => {
                s.run += 1;
                if s.run > MAX_RUN {
                    return false;
                }
            }
            b'e' | b'E' if s.run > 0 => return false,
            _ => s.run = 0,
        }
    }
    true
}

/// Bit i: the XOR of bits 0..=i.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; BLOCK]) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut m = Masks::default();
    for (i, part) in block.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 target; `part` is 16 readable bytes and the
        // load has no alignment requirement.
        #[allow(unsafe_code)]
        let [quote, backslash, digit, e] = unsafe {
            let v = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
            let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
            // Signed compares: bytes from 0x80 are negative, so never digits.
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
                _mm_cmplt_epi8(v, _mm_set1_epi8(b'9' as i8 + 1)),
            );
            let e = _mm_cmpeq_epi8(
                _mm_or_si128(v, _mm_set1_epi8(0x20)),
                _mm_set1_epi8(b'e' as i8),
            );
            [eq(b'"'), eq(b'\\'), digit, e].map(|x| u64::from(_mm_movemask_epi8(x) as u16))
        };
        let at = 16 * i;
        m.quote |= quote << at;
        m.backslash |= backslash << at;
        m.digit |= digit << at;
        m.e |= e << at;
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; BLOCK]) -> Masks {
    let mut m = Masks::default();
    for (i, &c) in block.iter().enumerate() {
        m.quote |= u64::from(c == b'"') << i;
        m.backslash |= u64::from(c == b'\\') << i;
        m.digit |= u64::from(c.is_ascii_digit()) << i;
        m.e |= u64::from(c | 0x20 == b'e') << i;
    }
    m
}

#[cfg(test)]
#[path = "doubles_tests.rs"]
mod tests;
