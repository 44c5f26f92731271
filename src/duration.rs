//! Declared durations such as `90s`, `1h30m`, `2w`.
//!
//! The grammar is deliberately small: whole numbers, units `s m h d w`, largest unit first, each
//! unit at most once, always positive. A day is exactly 24 hours (RPOs are measured in elapsed
//! time, not calendar days) and there is no month or year unit because they have no fixed length.

use std::fmt;

/// A positive whole number of seconds, as written in the declarations file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    secs: u64,
}

/// The longest duration that fits in i64 nanoseconds, rounded down to whole weeks.
const MAX_SECS: u64 = 15_250 * 604_800;

const UNITS: [(char, u64); 5] = [
    ('w', 604_800),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// Why a duration string was rejected; the message completes "expected ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("a duration such as `15m`, `4h`, `1d` or `1h30m`, but the value is empty")]
    Empty,
    #[error("a number before `{0}`")]
    MissingNumber(char),
    #[error("a unit (s, m, h, d or w) after `{0}`")]
    MissingUnit(String),
    #[error("one of the units s, m, h, d, w, not `{0}` (months and years have no fixed length)")]
    UnknownUnit(char),
    #[error("units from largest to smallest, each at most once (`{0}` is out of order)")]
    Order(char),
    #[error("a positive duration, not zero")]
    Zero,
    #[error("a duration of at most 15250w (about 292 years)")]
    Overflow,
}

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Self { secs }
    }
    pub const fn secs(self) -> u64 {
        self.secs
    }
    /// Nanoseconds, the unit of exact arithmetic on evidence timestamps.
    pub fn nanos(self) -> i64 {
        i64::try_from(self.secs)
            .ok()
            .and_then(|s| s.checked_mul(1_000_000_000))
            .unwrap_or(i64::MAX)
    }

    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DurationError::Empty);
        }
        let mut total: u64 = 0;
        let mut number: Option<u64> = None;
        let mut digits = String::new();
        // index into UNITS of the last unit seen; the next must be strictly smaller
        let mut last_unit: Option<usize> = None;
        for c in text.chars() {
            if let Some(d) = c.to_digit(10) {
                digits.push(c);
                number = Some(
                    number
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(u64::from(d)))
                        .ok_or(DurationError::Overflow)?,
                );
                continue;
            }
            let unit_index = UNITS
                .iter()
                .position(|(u, _)| *u == c)
                .ok_or(DurationError::UnknownUnit(c))?;
            let n = number.take().ok_or(DurationError::MissingNumber(c))?;
            if last_unit.is_some_and(|last| unit_index <= last) {
                return Err(DurationError::Order(c));
            }
            last_unit = Some(unit_index);
            digits.clear();
            total = n
                .checked_mul(UNITS[unit_index].1)
                .and_then(|v| total.checked_add(v))
                .ok_or(DurationError::Overflow)?;
        }
        if number.is_some() {
            return Err(DurationError::MissingUnit(digits));
        }
        if total == 0 {
            return Err(DurationError::Zero);
        }
        // Instants are nanoseconds in an i64: longer spans could not be added to one.
        if total > MAX_SECS {
            return Err(DurationError::Overflow);
        }
        Ok(Self { secs: total })
    }
}

impl fmt::Display for Duration {
    /// The canonical compact form (`1h30m`), which [`Duration::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.secs;
        if rest == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in UNITS {
            // Weeks only when they divide evenly: `180d` reads better than `25w5d`.
            if unit == 'w' && !rest.is_multiple_of(size) {
                continue;
            }
            if rest >= size {
                write!(f, "{}{}", rest / size, unit)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

/// Human form of a span in nanoseconds for tables and messages: `4h 12m`, `3d 2h`, `45s`, `0.25s`.
///
/// Shows the two most significant units, which is what a reader of a risk report needs; exact
/// values are in the JSON report.
pub fn human(nanos: i64) -> String {
    let negative = nanos < 0;
    let nanos = nanos.unsigned_abs();
    let secs = nanos / 1_000_000_000;
    let sign = if negative { "-" } else { "" };
    if secs == 0 {
        let frac = nanos as f64 / 1e9;
        return if nanos == 0 {
            "0s".into()
        } else {
            format!("{sign}{frac:.3}s")
        };
    }
    let units = [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)];
    let mut parts = Vec::with_capacity(2);
    let mut rest = secs;
    for (name, size) in units {
        if rest >= size || (!parts.is_empty() && parts.len() < 2) {
            let n = rest / size;
            rest %= size;
            if n > 0 {
                parts.push(format!("{n}{name}"));
            } else if !parts.is_empty() {
                // a zero unit right after the leading one ends the precision we show
                break;
            }
        }
        if parts.len() == 2 {
            break;
        }
    }
    format!("{sign}{}", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit_and_combinations() {
        assert_eq!(Duration::parse("90s").unwrap().secs(), 90);
        assert_eq!(Duration::parse("15m").unwrap().secs(), 900);
        assert_eq!(Duration::parse("4h").unwrap().secs(), 14_400);
        assert_eq!(Duration::parse("1d").unwrap().secs(), 86_400);
        assert_eq!(Duration::parse("2w").unwrap().secs(), 1_209_600);
        assert_eq!(Duration::parse("1h30m").unwrap().secs(), 5_400);
        assert_eq!(
            Duration::parse("1w2d3h4m5s").unwrap().secs(),
            604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5
        );
    }

    #[test]
    fn rejects_what_the_grammar_forbids() {
        assert_eq!(Duration::parse(""), Err(DurationError::Empty));
        assert_eq!(
            Duration::parse("15"),
            Err(DurationError::MissingUnit("15".into()))
        );
        assert_eq!(Duration::parse("h"), Err(DurationError::MissingNumber('h')));
        assert_eq!(Duration::parse("1M"), Err(DurationError::UnknownUnit('M')));
        assert_eq!(Duration::parse("1y"), Err(DurationError::UnknownUnit('y')));
        assert_eq!(Duration::parse("30m1h"), Err(DurationError::Order('h')));
        assert_eq!(Duration::parse("1h1h"), Err(DurationError::Order('h')));
        assert_eq!(Duration::parse("0s"), Err(DurationError::Zero));
        assert_eq!(Duration::parse("-5m"), Err(DurationError::UnknownUnit('-')));
        assert_eq!(
            Duration::parse("1.5h"),
            Err(DurationError::UnknownUnit('.'))
        );
        assert_eq!(
            Duration::parse("1h 30m"),
            Err(DurationError::UnknownUnit(' '))
        );
        assert_eq!(
            Duration::parse("99999999999999999999s"),
            Err(DurationError::Overflow)
        );
        assert_eq!(Duration::parse("15251w"), Err(DurationError::Overflow));
        assert!(Duration::parse("15250w").is_ok());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "90s", "1m30s", "15m", "1h30m", "1d", "2w", "1w3d", "25w5d", "1d1s",
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(Duration::parse(&d.to_string()).unwrap(), d, "{text}");
        }
        assert_eq!(Duration::from_secs(90).to_string(), "1m30s");
        assert_eq!(Duration::parse("180d").unwrap().to_string(), "180d");
        assert_eq!(Duration::parse("14d").unwrap().to_string(), "2w");
    }

    #[test]
    fn human_shows_two_leading_units() {
        const S: i64 = 1_000_000_000;
        assert_eq!(human(0), "0s");
        assert_eq!(human(45 * S), "45s");
        assert_eq!(human((4 * 3600 + 12 * 60 + 7) * S), "4h 12m");
        assert_eq!(human((3 * 86_400 + 2 * 3600) * S), "3d 2h");
        assert_eq!(human(3 * 86_400 * S), "3d");
        assert_eq!(human((86_400 + 30) * S), "1d");
        assert_eq!(human(S / 4), "0.250s");
        assert_eq!(human(-90 * S), "-1m 30s");
    }
}
