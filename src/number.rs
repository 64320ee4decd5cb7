//! JSON number literals to `f64`, correctly rounded, as `JSON.parse` reads them.
//!
//! Time claims are nearly always integers of ten digits, which the exact fast path below handles.
//! Anything else goes to the platform's own correctly rounded parser: JavaScript's `Number` in the
//! browser, `str::parse` natively. Rust's parser alone is about 11 KB of tables and code in the wasm
//! module, a third of the budget, for literals no issuer writes.

use crate::ascii;

/// The value of `literal`, which must match the JSON number grammar (RFC 8259, section 6).
pub fn parse(literal: &str) -> f64 {
    exact(literal).unwrap_or_else(|| platform_parse(literal))
}

/// Clinger's fast path: when the significant digits fit in 53 bits and the power of ten is at most
/// 10^22 (both exactly representable), one IEEE multiplication or division is correctly rounded.
fn exact(literal: &str) -> Option<f64> {
    let (negative, unsigned) = match ascii::strip_prefix(literal, b'-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa_text, exponent) =
        match ascii::split_once(unsigned, |byte| byte == b'e' || byte == b'E') {
            Some((mantissa, exponent)) => (mantissa, parse_exponent(exponent)?),
            None => (unsigned, 0),
        };
    let (integer, fraction) =
        ascii::split_once(mantissa_text, |byte| byte == b'.').unwrap_or((mantissa_text, ""));
    let mut mantissa: u64 = 0;
    for digit in integer.bytes().chain(fraction.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(u64::from(digit_value(digit)?))?;
    }
    if mantissa > 1 << 53 {
        return None;
    }
    let power = exponent.checked_sub(i32::try_from(fraction.len()).ok()?)?;
    let scale = POWERS_OF_TEN.get(usize::try_from(power.unsigned_abs()).ok()?)?;
    // Exact: `mantissa` is at most 2^53.
    let mantissa = mantissa as f64;
    let magnitude = if power < 0 {
        mantissa / scale
    } else {
        mantissa * scale
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The exponent after `e`, if it is small enough to matter to the fast path.
fn parse_exponent(text: &str) -> Option<i32> {
    let (negative, digits) = match ascii::strip_prefix(text, b'-') {
        Some(digits) => (true, digits),
        None => (false, ascii::strip_prefix(text, b'+').unwrap_or(text)),
    };
    if digits.len() > 4 {
        return None;
    }
    let mut value: i32 = 0;
    for digit in digits.bytes() {
        value = value * 10 + i32::from(digit_value(digit)?);
    }
    Some(if negative { -value } else { value })
}

/// The value of an ASCII digit; `None` for anything else, which the grammar has already excluded.
fn digit_value(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

/// 10^0 to 10^22, every power of ten that an `f64` holds exactly.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

// In the browser the facade lends JavaScript's parser: the one place the core calls out, because a
// correctly rounded parser of its own would weigh more than every rule of the store together.
#[cfg(target_arch = "wasm32")]
use crate::wasm::parse_float as platform_parse;

#[cfg(not(target_arch = "wasm32"))]
fn platform_parse(literal: &str) -> f64 {
    literal.parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_rusts_parser() {
        for literal in [
            "0",
            "-0",
            "1516239022",
            "1516239022.5",
            "-1516239022.125",
            "1.5e9",
            "15E8",
            "1e22",
            "9007199254740992",
            "0.1",
            "123456789012345e-7",
            "1e-22",
            "4.35e+2",
        ] {
            let expected: f64 = literal.parse().unwrap();
            let fast = exact(literal).unwrap_or_else(|| panic!("{literal} left the fast path"));
            assert_eq!(fast.to_bits(), expected.to_bits(), "{literal}");
        }
    }

    #[test]
    fn leaves_the_fast_path_when_it_could_round_twice() {
        for literal in [
            "9007199254740993",
            "0.30000000000000004",
            "1e23",
            "1e-23",
            "12345678901234567890",
            "1e99999",
            "0.000000000000000000000000001",
        ] {
            assert_eq!(exact(literal), None, "{literal}");
            assert_eq!(
                parse(literal).to_bits(),
                literal.parse::<f64>().unwrap().to_bits()
            );
        }
    }

    #[test]
    fn a_non_digit_is_never_read_as_one() {
        for literal in ["1x", "1e1x", "x"] {
            assert_eq!(exact(literal), None, "{literal}");
        }
    }
}
