//! Whether a decimal number is too large for an `f64`, decided on its
//! digits, without converting it.
//!
//! The document readers refuse a number that overflows to infinity, as
//! `serde_json` and the `toml` crate do; no document field takes a fraction,
//! so that is the only thing a float literal's value decides, and deciding it
//! on the digits keeps Rust's float parser (about 8 KB of the gzipped
//! WebAssembly package) out of the build.

use std::cmp::Ordering;

/// The digits of 2^1024 - 2^970, the smallest value that rounds to infinity
/// (it lies halfway between `f64::MAX` and 2^1024, and ties round to the even
/// neighbour, 2^1024). A test checks it against Rust's own parser.
const INFINITY_THRESHOLD: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether the decimal literal `text` (an optional sign, digits with an
/// optional `.` fraction and `e`/`E` exponent; `_` between digits is
/// ignored) rounds to infinity as an `f64`.
pub(crate) fn float_overflows(text: &str) -> bool {
    let text = text.trim_start_matches(['+', '-']);
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (
            text.get(..at).unwrap_or_default(),
            text.get(at + 1..).unwrap_or_default(),
        ),
        None => (text, ""),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int = int.bytes().filter(u8::is_ascii_digit);
    let frac = frac.bytes().filter(u8::is_ascii_digit);
    let int_digits = i64::try_from(int.clone().count()).unwrap_or(i64::MAX);
    let digits: Vec<u8> = int.chain(frac).collect();
    let Some(first) = digits.iter().position(|&d| d != b'0') else {
        return false; // zero
    };
    let significant = without_trailing_zeros(digits.get(first..).unwrap_or_default());
    // value = 0.significant × 10^magnitude
    let magnitude = int_digits
        .saturating_sub(i64::try_from(first).unwrap_or(i64::MAX))
        .saturating_add(exponent_value(exponent));
    let threshold_magnitude = i64::try_from(INFINITY_THRESHOLD.len()).unwrap_or(i64::MAX);
    match magnitude.cmp(&threshold_magnitude) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => compare_digits(significant, INFINITY_THRESHOLD) != Ordering::Less,
    }
}

/// The exponent's value, saturating (`1e99999999999999999999` is simply
/// very large).
fn exponent_value(text: &str) -> i64 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or_default()),
        Some(b'+') => (false, text.get(1..).unwrap_or_default()),
        _ => (false, text),
    };
    let magnitude = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative { -magnitude } else { magnitude }
}

/// Compares two digit strings as the fractions 0.a and 0.b.
fn compare_digits(a: &[u8], b: &[u8]) -> Ordering {
    let len = a.len().max(b.len());
    let digit = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(b'0');
    (0..len)
        .map(|i| digit(a, i).cmp(&digit(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The digits without their trailing zeros (they do not change 0.digits).
fn without_trailing_zeros(digits: &[u8]) -> &[u8] {
    let end = digits.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
    digits.get(..end).unwrap_or_default()
}

#[cfg(test)]
#[allow(
    clippy::string_slice,
    reason = "tests: the threshold's digits are ASCII"
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rust_says(text: &str) -> bool {
        text.replace('_', "").parse::<f64>().unwrap().is_infinite()
    }

    #[test]
    fn the_threshold_is_where_rust_rounds_to_infinity() {
        let t = std::str::from_utf8(INFINITY_THRESHOLD).unwrap();
        assert_eq!(t.len(), f64::MAX.to_string().len());
        assert!(rust_says(&format!("0.{t}e309")));
        // The last digit is 2: one unit less is just below the threshold,
        // and rounds down to the largest finite value.
        let below = format!("0.{}1e309", &t[..t.len() - 1]);
        assert_eq!(below.parse::<f64>().unwrap(), f64::MAX);
        assert!(!float_overflows(&below));
        assert!(float_overflows(&format!("0.{t}e309")));
    }

    #[test]
    fn named_cases() {
        let cases: &[(&str, bool)] = &[
            ("0", false),
            ("0.0", false),
            ("-0.0e999999", false),
            ("1e308", false),
            ("1e309", true),
            ("-1e309", true),
            ("+1e309", true),
            ("1.7976931348623157e308", false),
            ("1.7976931348623158e308", false),
            ("1.797693134862315807937289714053e308", false),
            ("1.7976931348623158079372897140531e308", true),
            ("1.797693134862315807937289714052e308", false),
            ("1.7976931348623159e308", true),
            (
                "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9",
                false,
            ),
            ("0.000000000000001e324", true),
            ("1e-400", false),
            ("1_000.5e3", false),
            ("1e99999999999999999999", true),
            ("1e-99999999999999999999", false),
            ("000000000000000000001e308", false),
            ("100000e304", true),
        ];
        for (text, want) in cases {
            assert_eq!(float_overflows(text), *want, "{text}");
            assert_eq!(rust_says(text), *want, "{text}: Rust's parser");
        }
    }

    proptest! {
        /// Near the threshold and anywhere else: the same answer as Rust's
        /// correctly rounded parser.
        #[test]
        fn agrees_with_rust(
            sign in "[+-]?",
            int in "[0-9]{1,3}",
            frac in "[0-9]{0,25}",
            exp in 290i32..330,
        ) {
            let text = format!("{sign}{int}.{frac}e{exp}");
            prop_assert_eq!(float_overflows(&text), rust_says(&text), "{}", text);
        }

        #[test]
        fn agrees_with_rust_at_the_threshold(cut in 1usize..309, last in 0u8..10, more in "[0-9]{0,5}") {
            let t = std::str::from_utf8(INFINITY_THRESHOLD).unwrap();
            let text = format!("0.{}{}{}e309", &t[..cut], last, more);
            prop_assert_eq!(float_overflows(&text), rust_says(&text), "{}", text);
        }
    }
}
