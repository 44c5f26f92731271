//! Timestamps as evidence writes them: RFC 3339 with an offset, or (only when the source
//! declares a `timezone`) a local time without one.
//!
//! Parsing timestamps is most of the work of reading drproof's own formats, so the common
//! shape (`2026-11-02T02:00:00Z`, `…T02:00:00.123+02:00`) is parsed by hand from bytes; anything
//! else falls back to chrono, which stays the single authority on what RFC 3339 accepts (the
//! fast path only ever accepts a subset of chrono's language, with the same result, and a
//! property test holds it to that).

use crate::time::{Timestamp, NANOS_PER_SEC};
use chrono::{LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Why a timestamp was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeError {
    /// Not a time this source accepts.
    Invalid,
    /// A local time that the declared zone skips (clocks moved forward).
    Gap,
    /// A well-formed time outside what nanosecond instants hold (1677-09-21 to 2262-04-11).
    OutOfRange,
}

/// Completes "expected ..." for [`TimeError::OutOfRange`].
pub(crate) const TIME_RANGE: &str = "a time between 1677-09-22 and 2262-04-11";

/// Parses `text` as RFC 3339 with an offset, else, when `tz` is given, as a local time there.
/// An ambiguous local time (clocks moved back) is read as the earlier instant.
pub(crate) fn parse_time(text: &[u8], tz: Option<&Tz>) -> Result<Timestamp, TimeError> {
    parse_time_with(text, tz, &mut DayCache::default())
}

/// [`parse_time`] remembering the last date of the fast path in `days`.
pub(crate) fn parse_time_with(
    text: &[u8],
    tz: Option<&Tz>,
    days: &mut DayCache,
) -> Result<Timestamp, TimeError> {
    if let Some(nanos) = days.parse_rfc3339_fast(text) {
        return Ok(Timestamp::from_nanos(nanos));
    }
    let text = std::str::from_utf8(text).map_err(|_| TimeError::Invalid)?;
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Timestamp::from_datetime(&dt).ok_or(TimeError::OutOfRange);
    }
    let Some(tz) = tz else {
        return Err(TimeError::Invalid);
    };
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .map_err(|_| TimeError::Invalid)?;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => {
            Timestamp::from_datetime(&dt).ok_or(TimeError::OutOfRange)
        }
        LocalResult::None => Err(TimeError::Gap),
    }
}

/// What a timestamp field expects, for messages.
pub(crate) fn expected_time(tz: Option<&Tz>) -> String {
    match tz {
        None => "an RFC 3339 time with an offset (2026-11-02T02:00:00Z)".to_owned(),
        Some(tz) => format!(
            "an RFC 3339 time (2026-11-02T02:00:00Z) or a local time in {} (2026-11-02T02:00:00)",
            tz.name()
        ),
    }
}

fn digits<const N: usize>(b: &[u8], at: usize) -> Option<i64> {
    let mut v = 0i64;
    for &c in b.get(at..at + N)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The last date (`YYYY-MM-DD`) the fast path accepted and its day number: evidence comes
/// roughly in time order, so most timestamps repeat the previous one's date, and its
/// validation and calendar arithmetic can be skipped.
#[derive(Default)]
pub(crate) struct DayCache {
    /// The date's 10 bytes as two words (0 when empty: digits are never zero bytes).
    date: (u64, u16),
    days: i64,
}

impl DayCache {
    /// The days since the epoch of the date that starts `b` (already checked to be at least
    /// 20 bytes with `-` at 4 and 7), validated.
    fn days(&mut self, b: &[u8]) -> Option<i64> {
        let word = u64::from_le_bytes(b.get(..8)?.try_into().ok()?);
        let tail = u16::from_le_bytes(b.get(8..10)?.try_into().ok()?);
        if self.date == (word, tail) {
            return Some(self.days);
        }
        let (y, mo, d) = (digits::<4>(b, 0)?, digits::<2>(b, 5)?, digits::<2>(b, 8)?);
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
            return None;
        }
        self.date = (word, tail);
        self.days = days_from_civil(y, mo, d);
        Some(self.days)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` in nanoseconds since the epoch, or `None`
    /// for anything else (which chrono then judges).
    fn parse_rfc3339_fast(&mut self, b: &[u8]) -> Option<i64> {
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let days = self.days(b)?;
        let (h, mi, s) = (
            digits::<2>(b, 11)?,
            digits::<2>(b, 14)?,
            digits::<2>(b, 17)?,
        );
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        let mut at = 19;
        let mut frac = 0i64;
        if b[at] == b'.' {
            at += 1;
            let start = at;
            while at < b.len() && b[at].is_ascii_digit() {
                at += 1;
            }
            let n = at - start;
            if n == 0 || n > 9 {
                return None;
            }
            for &c in &b[start..at] {
                frac = frac * 10 + i64::from(c - b'0');
            }
            frac *= 10i64.pow(9 - n as u32);
        }
        let offset = match b.get(at..)? {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (oh, om) = (digits::<2>(b, at + 1)?, digits::<2>(b, at + 4)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return None,
        };
        let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset;
        secs.checked_mul(NANOS_PER_SEC)?.checked_add(frac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_rfc3339_fast(b: &[u8]) -> Option<i64> {
        DayCache::default().parse_rfc3339_fast(b)
    }

    fn chrono_nanos(text: &str) -> Option<i64> {
        Timestamp::parse_rfc3339(text).map(Timestamp::nanos)
    }

    #[test]
    fn fast_path_matches_chrono_on_common_shapes() {
        for text in [
            "2026-11-02T02:00:00Z",
            "2026-11-02T02:00:00.5+02:00",
            "2026-11-02T02:00:00.123456789-09:30",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00+00:00",
            "2262-04-11T23:47:16Z",
        ] {
            assert_eq!(
                parse_rfc3339_fast(text.as_bytes()),
                chrono_nanos(text),
                "{text}"
            );
            assert!(parse_rfc3339_fast(text.as_bytes()).is_some(), "{text}");
        }
    }

    #[test]
    fn fast_path_leaves_the_rest_to_chrono() {
        for text in [
            "2026-11-02 02:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-11-02T02:00:60Z",
            "2026-11-02T02:00:00",
        ] {
            assert_eq!(parse_rfc3339_fast(text.as_bytes()), None, "{text}");
        }
        // chrono still accepts the space separator that RFC 3339 allows.
        assert_eq!(
            parse_time(b"2026-11-02 02:00:00Z", None).map(|t| t.to_string()),
            Ok("2026-11-02T02:00:00Z".to_owned())
        );
    }

    #[test]
    fn local_times_need_a_declared_zone() {
        assert_eq!(
            parse_time(b"2026-11-02T02:00:00", None),
            Err(TimeError::Invalid)
        );
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let t = parse_time(b"2026-07-02T02:00:00.25", Some(&berlin)).unwrap();
        assert_eq!(t.to_string(), "2026-07-02T00:00:00.250Z");
        // 02:30 on the last Sunday of March does not exist in Berlin.
        assert_eq!(
            parse_time(b"2026-03-29T02:30:00", Some(&berlin)),
            Err(TimeError::Gap)
        );
        // 02:30 on the last Sunday of October happens twice: the earlier one (CEST) is taken.
        let t = parse_time(b"2026-10-25 02:30:00", Some(&berlin)).unwrap();
        assert_eq!(t.to_string(), "2026-10-25T00:30:00Z");
        // A time with an offset keeps its offset even when a zone is declared.
        let t = parse_time(b"2026-07-02T02:00:00Z", Some(&berlin)).unwrap();
        assert_eq!(t.to_string(), "2026-07-02T02:00:00Z");
    }

    proptest! {
        /// A cache carried from time to time (valid and invalid dates, shared dates with
        /// invalid times) never changes a result.
        #[test]
        fn the_day_cache_never_changes_a_result(
            texts in proptest::collection::vec(
                (prop_oneof![Just("2026-11-02"), Just("2026-11-03"), Just("2026-02-29"), Just("2024-02-29"), Just("2026-13-01")],
                 prop_oneof![Just("T02:00:00Z"), Just("T25:00:00Z"), Just("T02:00:00.5+02:00"), Just(" 02:00:00Z"), Just("T02:00:00")])
                    .prop_map(|(d, t)| format!("{d}{t}")),
                0..30,
            ),
        ) {
            let mut days = DayCache::default();
            for text in &texts {
                prop_assert_eq!(
                    parse_time_with(text.as_bytes(), None, &mut days),
                    parse_time(text.as_bytes(), None),
                    "{}", text
                );
            }
        }

        #[test]
        fn fast_path_agrees_with_chrono(
            y in 1677i64..2263, mo in 0i64..14, d in 0i64..33, h in 0i64..25, mi in 0i64..61, s in 0i64..61,
            frac in proptest::option::of("[0-9]{1,10}"),
            offset in prop_oneof![Just("Z".to_owned()), (0i64..25, 0i64..61, any::<bool>()).prop_map(|(h, m, neg)| format!("{}{h:02}:{m:02}", if neg {'-'} else {'+'}))],
        ) {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{offset}");
            if let Some(fast) = parse_rfc3339_fast(text.as_bytes()) {
                prop_assert_eq!(Some(fast), chrono_nanos(&text), "{}", text);
            }
        }
    }
}
