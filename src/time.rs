//! Instants, always UTC, at nanosecond precision.
//!
//! Evidence arrives with every kind of precision (Borg: seconds, restic: nanoseconds, AWS: floats
//! of seconds). Keeping an `i64` of nanoseconds since the Unix epoch makes exposure arithmetic
//! exact and cheap, and keeps the precision the evidence gave. Nothing here reads the machine's
//! local time zone.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use std::fmt;

/// Nanoseconds since 1970-01-01T00:00:00Z. Covers 1677–2262, which is plenty for backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

pub const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The calendar range drproof accepts for declared dates and `--as-of`: far inside what
/// nanosecond instants can hold (1677–2262), so that a year of schedule runs or a 292-year
/// window around any accepted instant stays representable.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;
/// Completes "expected ..." for dates outside that range.
pub const DATE_RANGE: &str = "a date between 1900-01-01 and 2199-12-31";

pub fn date_in_range(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&date))
}

impl Timestamp {
    pub const MIN: Timestamp = Timestamp(i64::MIN);
    pub const MAX: Timestamp = Timestamp(i64::MAX);

    pub const fn from_nanos(nanos: i64) -> Self {
        Self(nanos)
    }
    pub const fn nanos(self) -> i64 {
        self.0
    }
    pub const fn from_unix_seconds(secs: i64) -> Self {
        Self(secs.saturating_mul(NANOS_PER_SEC))
    }

    pub fn from_datetime<Tz: TimeZone>(dt: &DateTime<Tz>) -> Option<Self> {
        dt.timestamp_nanos_opt().map(Self)
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.0)
    }

    /// RFC 3339 with an explicit offset (`Z`, `+02:00`) and 0–9 fraction digits.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .and_then(|dt| Self::from_datetime(&dt))
    }

    /// Midnight at the start of `date` in `tz` (the first instant of that local day; on a day
    /// that starts inside a daylight-saving gap, the first valid instant after it; for a day a
    /// zone skipped entirely, such as 2011-12-30 in Pacific/Apia, the start of the next day).
    /// `None` only outside the range of nanosecond instants.
    pub fn start_of_day(date: NaiveDate, tz: &chrono_tz::Tz) -> Option<Self> {
        let mut naive = date.and_hms_opt(0, 0, 0)?;
        for _ in 0..=2 * 26 {
            if let Some(dt) = tz.from_local_datetime(&naive).earliest() {
                return Self::from_datetime(&dt);
            }
            naive += chrono::Duration::minutes(30);
        }
        None
    }

    pub fn saturating_add_nanos(self, nanos: i64) -> Self {
        Self(self.0.saturating_add(nanos))
    }
    pub fn saturating_sub_nanos(self, nanos: i64) -> Self {
        Self(self.0.saturating_sub(nanos))
    }
    /// `self - earlier` in nanoseconds.
    pub fn since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Timestamp {
    /// UTC, `Z`, with a fraction only when it is not zero (3, 6 or 9 digits as needed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            &self
                .to_datetime()
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        )
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A span in nanoseconds as a JSON number of seconds: an integer when whole, else a fraction.
pub fn seconds_json(nanos: i64) -> serde_json::Value {
    if nanos % NANOS_PER_SEC == 0 {
        serde_json::Value::from(nanos / NANOS_PER_SEC)
    } else {
        serde_json::Value::from(nanos as f64 / NANOS_PER_SEC as f64)
    }
}

/// Serde helper for `Option<i64>` nanosecond spans rendered as seconds.
pub mod seconds {
    pub fn serialize<S: serde::Serializer>(nanos: &i64, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&super::seconds_json(*nanos), s)
    }
    pub mod option {
        pub fn serialize<S: serde::Serializer>(
            nanos: &Option<i64>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match nanos {
                Some(n) => super::serialize(n, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// Parses the `--as-of` value: RFC 3339 with offset, or a bare date meaning 00:00 UTC that day.
pub fn parse_as_of(text: &str) -> Result<Timestamp, String> {
    let in_range = |ts: Timestamp| {
        if date_in_range(ts.to_datetime().date_naive()) {
            Ok(ts)
        } else {
            Err(format!(
                "expected a time between 1900-01-01 and 2199-12-31, found `{text}`"
            ))
        }
    };
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if !date_in_range(date) {
            return Err(format!("expected {DATE_RANGE}, found `{text}`"));
        }
        if let Some(ts) = date
            .and_hms_opt(0, 0, 0)
            .and_then(|n| Timestamp::from_datetime(&n.and_utc()))
        {
            return in_range(ts);
        }
    }
    if let Some(ts) = Timestamp::parse_rfc3339(text) {
        return in_range(ts);
    }
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return Err(format!(
            "expected a time between 1900-01-01 and 2199-12-31, found `{text}`"
        ));
    }
    Err(format!(
        "expected an RFC 3339 time with an offset (2026-11-30T12:00:00Z) or a date (2026-11-30), found `{text}`"
    ))
}

/// The instant the run is judged at: `--as-of` when given, else the system clock (UTC).
pub fn now() -> Timestamp {
    Timestamp::from_datetime(&Utc::now()).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_and_fractions() {
        let a = Timestamp::parse_rfc3339("2026-03-29T01:30:00+02:00").unwrap();
        assert_eq!(a.to_string(), "2026-03-28T23:30:00Z");
        let b = Timestamp::parse_rfc3339("2026-03-29T01:30:00.123456789Z").unwrap();
        assert_eq!(b.to_string(), "2026-03-29T01:30:00.123456789Z");
        let c = Timestamp::parse_rfc3339("2026-03-29T01:30:00.5Z").unwrap();
        assert_eq!(c.to_string(), "2026-03-29T01:30:00.500Z");
        assert!(Timestamp::parse_rfc3339("2026-03-29T01:30:00").is_none());
    }

    #[test]
    fn seconds_are_integers_when_whole() {
        assert_eq!(seconds_json(3_600 * NANOS_PER_SEC).to_string(), "3600");
        assert_eq!(seconds_json(1_500_000_000).to_string(), "1.5");
    }

    #[test]
    fn as_of_accepts_dates_as_utc_midnight() {
        assert_eq!(
            parse_as_of("2026-11-30").unwrap().to_string(),
            "2026-11-30T00:00:00Z"
        );
        assert!(parse_as_of("yesterday").is_err());
    }

    #[test]
    fn as_of_outside_the_supported_range_says_so() {
        assert_eq!(
            parse_as_of("2300-01-01").unwrap_err(),
            "expected a date between 1900-01-01 and 2199-12-31, found `2300-01-01`"
        );
        assert_eq!(
            parse_as_of("2262-05-01T00:00:00Z").unwrap_err(),
            "expected a time between 1900-01-01 and 2199-12-31, found `2262-05-01T00:00:00Z`"
        );
    }

    #[test]
    fn a_skipped_day_starts_with_the_next_one() {
        let apia: chrono_tz::Tz = "Pacific/Apia".parse().unwrap();
        let skipped = NaiveDate::from_ymd_opt(2011, 12, 30).unwrap();
        let next = NaiveDate::from_ymd_opt(2011, 12, 31).unwrap();
        assert_eq!(
            Timestamp::start_of_day(skipped, &apia),
            Timestamp::start_of_day(next, &apia)
        );
        assert!(Timestamp::start_of_day(skipped, &apia).is_some());
    }

    #[test]
    fn start_of_day_uses_the_declared_zone() {
        let tz: chrono_tz::Tz = "Europe/London".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(
            Timestamp::start_of_day(d, &tz).unwrap().to_string(),
            "2026-06-30T23:00:00Z"
        );
    }
}
