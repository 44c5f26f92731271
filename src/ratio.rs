//! Shares such as `warn_ratio: 0.8`, kept as the exact decimal the user wrote.
//!
//! "Warn above 57% of the RPO" must be exact at the boundary (the README promises strict
//! comparisons); `0.57 * 3600e9` in floating point lands below the true product, so the ratio is
//! stored as a fraction with a power-of-ten denominator and compared in integers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    num: u64,
    den: u64,
}

impl Ratio {
    /// `num / den`; `den` must not be zero.
    pub const fn new(num: u64, den: u64) -> Self {
        Self { num, den }
    }

    /// A plain decimal (`0.8`, `1`, `0.125`) greater than 0 and at most 1, with at most 9
    /// fraction digits.
    pub fn parse(text: &str) -> Option<Self> {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 9 {
            return None;
        }
        let den = 10u64.pow(frac.len() as u32);
        let num = whole
            .parse::<u64>()
            .ok()?
            .checked_mul(den)?
            .checked_add(if frac.is_empty() {
                0
            } else {
                frac.parse::<u64>().ok()?
            })?;
        (num > 0 && num <= den).then_some(Self { num, den })
    }

    /// Whether `value` is strictly above this share of `of` (both in the same unit).
    pub fn exceeded_by(self, value: i64, of: i64) -> bool {
        i128::from(value) * i128::from(self.den) > i128::from(self.num) * i128::from(of)
    }

    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl fmt::Display for Ratio {
    /// As a percentage: `80%`, `57%`, `12.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = format!("{:.7}", self.as_f64() * 100.0);
        let percent = percent.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{percent}%")
    }
}

impl serde::Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_decimals_in_range() {
        assert_eq!(Ratio::parse("0.8"), Some(Ratio::new(8, 10)));
        assert_eq!(Ratio::parse("1"), Some(Ratio::new(1, 1)));
        assert_eq!(Ratio::parse("1.0"), Some(Ratio::new(10, 10)));
        for bad in [
            "0",
            "0.0",
            "1.01",
            "2",
            "-0.5",
            ".5",
            "5.",
            "0.5e1",
            "abc",
            "0.1234567891",
        ] {
            assert_eq!(Ratio::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparison_is_exact_at_the_boundary() {
        let r = Ratio::parse("0.57").unwrap();
        let hour = 3_600_000_000_000;
        assert!(
            !r.exceeded_by(2_052_000_000_000, hour),
            "34m12s is exactly 57% of 1h"
        );
        assert!(r.exceeded_by(2_052_000_000_001, hour));
        assert_eq!(r.to_string(), "57%");
        assert_eq!(Ratio::parse("0.125").unwrap().to_string(), "12.5%");
    }
}
