//! 5-field cron expressions and the local times they name, resolved to UTC instants.
//!
//! Parsing and date matching are croner's; what croner does not decide for us, and what an
//! auditor must be able to read, is spelled out here:
//!
//! - **Fields.** Exactly five: minute, hour, day-of-month, month, day-of-week. Six- and
//!   seven-field forms (seconds, years) are rejected: backup tools schedule to the minute and a
//!   second field would silently shift every run. The nicknames `@yearly`/`@annually`,
//!   `@monthly`, `@weekly`, `@daily`/`@midnight` and `@hourly` are the 5-field expressions Vixie cron maps
//!   them to. croner's extensions are accepted (`L`, `W`, `#`, and a leading `+` on the
//!   day-of-week field to require both day fields).
//! - **Day-of-month and day-of-week** combine the Vixie way: when both fields are restricted
//!   (neither is exactly `*` or `?`), a day matches if *either* matches; `0 2 1 * 1` runs on the
//!   1st of the month *and* on every Monday. A `+` prefix on the day-of-week field
//!   (`0 2 1-7 * +1`) asks for both instead.
//! - **Daylight saving** follows Vixie cron and cronie, which is what runs on the servers whose
//!   backups we judge. A job is *fixed-time* unless its minute or hour field starts with `*`
//!   (`*/15 * * * *` and `0 * * * *` are *wildcard* jobs; `30 1 * * *` and `0,30 1-3 * * *` are
//!   fixed-time). Then:
//!   - a local time skipped by a spring-forward change runs a fixed-time job once, at the
//!     first instant after the change (cron catches up on the skipped minutes), while a wildcard
//!     job simply has no run in the skipped interval;
//!   - a local time that happens twice when clocks go back runs a fixed-time job once, at its
//!     first occurrence, and a wildcard job at both occurrences (its runs keep their spacing in
//!     elapsed time).
//!
//!   Several skipped times that catch up at the same instant are one run.

use chrono::{
    Datelike, Duration as ChronoDuration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone,
};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;

/// Why a cron expression was rejected; the message completes "expected ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CronError {
    #[error("a 5-field cron expression (minute hour day-of-month month day-of-week), but the value is empty")]
    Empty,
    #[error(
        "a 5-field cron expression (minute hour day-of-month month day-of-week), found {found} {}{}",
        if *found == 1 { "field" } else { "fields" },
        if *found == 6 || *found == 7 { " (seconds and years are not supported)" } else { "" }
    )]
    FieldCount { found: usize },
    #[error(
        "one of @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly, found `{0}`"
    )]
    UnknownNickname(String),
    #[error("{field} field {allowed}, found `{value}`")]
    Field {
        field: &'static str,
        allowed: &'static str,
        value: String,
    },
    #[error("a valid 5-field cron expression (minute hour day-of-month month day-of-week), found `{expression}` ({reason})")]
    Invalid { expression: String, reason: String },
}

const FIELDS: [(&str, &str); 5] = [
    (
        "a minute",
        "of 0-59, lists, ranges and steps (`*/15`, `0,30`)",
    ),
    ("an hour", "of 0-23, lists, ranges and steps"),
    (
        "a day-of-month",
        "of 1-31, `L` or `W` forms, lists, ranges and steps",
    ),
    ("a month", "of 1-12 or JAN-DEC, lists, ranges and steps"),
    (
        "a day-of-week",
        "of 0-7 or SUN-SAT (0 and 7 are Sunday), `L` or `#` forms, lists, ranges and steps",
    ),
];

/// A parsed, validated cron expression, ready to list the local times it names.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    expression: String,
    /// Boxed: croner's pattern is large and schedules are moved around in enums.
    cron: Box<Cron>,
    /// Matching hours and minutes in ascending order; a day's runs are their product.
    hours: Vec<u32>,
    minutes: Vec<u32>,
    fixed_time: bool,
}

/// Parses a 5-field cron expression (see the module documentation for the exact dialect).
pub fn parse_cron(expr: &str) -> Result<CronSchedule, CronError> {
    let trimmed = expr.trim();
    if trimmed.is_empty() {
        return Err(CronError::Empty);
    }
    let five = expand_nickname(trimmed)?;
    let fields: Vec<&str> = five.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(CronError::FieldCount {
            found: fields.len(),
        });
    }
    let parser = CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .dom_and_dow(false)
        .build();
    let cron = parser
        .parse(&five)
        .map_err(|error| blame_field(&parser, &fields, trimmed, &error))?;
    let hours: Vec<u32> = (0..24)
        .filter(|&h| cron.pattern.hour_match(h).unwrap_or(false))
        .collect();
    let minutes: Vec<u32> = (0..60)
        .filter(|&m| cron.pattern.minute_match(m).unwrap_or(false))
        .collect();
    if hours.is_empty() || minutes.is_empty() {
        return Err(CronError::Invalid {
            expression: trimmed.to_string(),
            reason: "it names no hour or no minute".to_string(),
        });
    }
    // Vixie cron's MIN_STAR / HR_STAR flags: the field as written starts with `*`.
    let fixed_time = !fields[0].starts_with('*') && !fields[1].starts_with('*');
    Ok(CronSchedule {
        expression: trimmed.to_string(),
        cron: Box::new(cron),
        hours,
        minutes,
        fixed_time,
    })
}

fn expand_nickname(expr: &str) -> Result<String, CronError> {
    if !expr.starts_with('@') {
        return Ok(expr.to_string());
    }
    let five = match expr.to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => return Err(CronError::UnknownNickname(expr.to_string())),
    };
    Ok(five.to_string())
}

/// Finds the field croner objects to, by parsing each field alone among wildcards, so the
/// message can say which field is wrong rather than repeat croner's internal wording.
fn blame_field(
    parser: &CronParser,
    fields: &[&str],
    expression: &str,
    error: &croner::errors::CronError,
) -> CronError {
    for (index, value) in fields.iter().enumerate() {
        let mut probe = ["*"; 5];
        probe[index] = value;
        if parser.parse(&probe.join(" ")).is_err() {
            let (field, allowed) = FIELDS[index];
            return CronError::Field {
                field,
                allowed,
                value: (*value).to_string(),
            };
        }
    }
    CronError::Invalid {
        expression: expression.to_string(),
        reason: error.to_string(),
    }
}

impl CronSchedule {
    /// The expression as written (trimmed).
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Fixed-time (neither minute nor hour starts with `*`) or wildcard, which decides the
    /// daylight-saving behaviour.
    pub fn is_fixed_time(&self) -> bool {
        self.fixed_time
    }

    /// Whether the expression names any minute of this local date.
    pub fn matches_date(&self, date: NaiveDate) -> bool {
        let pattern = &self.cron.pattern;
        pattern.month_match(date.month()).unwrap_or(false)
            && pattern
                .day_match(date.year(), date.month(), date.day())
                .unwrap_or(false)
    }

    /// Appends the UTC instants (nanoseconds) of the runs the expression names on local `date`
    /// in `tz`, applying the daylight-saving rules of the module documentation. The output is
    /// not necessarily sorted or free of duplicates (both occurrences of an ambiguous local
    /// time, catch-ups that land on one instant); [`super::Runs`] sorts and merges them.
    pub(crate) fn push_runs_on(&self, date: NaiveDate, tz: &Tz, out: &mut Vec<i64>) {
        if !self.matches_date(date) {
            return;
        }
        for &hour in &self.hours {
            for &minute in &self.minutes {
                let Some(time) = NaiveTime::from_hms_opt(hour, minute, 0) else {
                    continue;
                };
                let local = date.and_time(time);
                match tz.from_local_datetime(&local) {
                    LocalResult::Single(dt) => push_nanos(out, dt.timestamp()),
                    LocalResult::Ambiguous(first, second) => {
                        push_nanos(out, first.timestamp());
                        if !self.fixed_time {
                            push_nanos(out, second.timestamp());
                        }
                    }
                    LocalResult::None => {
                        if self.fixed_time {
                            if let Some(secs) = first_instant_after_local(&local, tz) {
                                push_nanos(out, secs);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn push_nanos(out: &mut Vec<i64>, secs: i64) {
    if let Some(nanos) = secs.checked_mul(crate::time::NANOS_PER_SEC) {
        out.push(nanos);
    }
}

/// The first instant (Unix seconds) whose local wall-clock time in `tz` is later than `local`:
/// for a local time inside a spring-forward gap, the instant of the change.
///
/// Offsets lie within ±26 h, so the answer lies within 26 h of `local` read as UTC. The search
/// is a binary search on whole seconds (transitions are whole seconds); it assumes no fall-back
/// lies within a day of the spring-forward being resolved, true of real zones, and even if one
/// did it would return an instant where local time passes `local`, never panic.
fn first_instant_after_local(local: &NaiveDateTime, tz: &Tz) -> Option<i64> {
    let naive_secs = local.and_utc().timestamp();
    let local_at = |secs: i64| -> Option<i64> {
        let utc = chrono::DateTime::from_timestamp(secs, 0)?;
        let offset = tz
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc();
        Some(secs + i64::from(offset))
    };
    const SPAN: i64 = 26 * 3_600;
    let (mut lo, mut hi) = (naive_secs - SPAN, naive_secs + SPAN);
    // invariant: local(lo) <= local, local(hi) > local
    if local_at(lo)? > naive_secs || local_at(hi)? <= naive_secs {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if local_at(mid)? > naive_secs {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// `(midnight of date) as if UTC − 26 h`, in nanoseconds: no run named on `date` or later can
/// fall before it, whatever the zone's offset or daylight-saving change.
pub(crate) fn earliest_instant_of_date(date: NaiveDate) -> Option<i64> {
    let midnight = date.and_time(NaiveTime::MIN).and_utc() - ChronoDuration::hours(26);
    midnight.timestamp_nanos_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_five_fields_names_and_nicknames() {
        for expr in [
            "0 2 * * *",
            "*/15 * * * *",
            "0 2 * * 1-5",
            "0 2 * * MON-FRI",
            "30 1 1,15 JAN-MAR *",
            "@daily",
            " 0 0 L * * ",
        ] {
            assert!(parse_cron(expr).is_ok(), "{expr}");
        }
        assert_eq!(parse_cron("@hourly").unwrap().expression(), "@hourly");
    }

    #[test]
    fn rejects_seconds_years_and_wrong_counts_with_expected_text() {
        let six = parse_cron("0 0 2 * * *").unwrap_err();
        assert_eq!(six, CronError::FieldCount { found: 6 });
        assert_eq!(
            six.to_string(),
            "a 5-field cron expression (minute hour day-of-month month day-of-week), found 6 fields (seconds and years are not supported)"
        );
        assert_eq!(
            parse_cron("0 0 2 * * * 2026").unwrap_err(),
            CronError::FieldCount { found: 7 }
        );
        assert_eq!(
            parse_cron("0 2 *").unwrap_err().to_string(),
            "a 5-field cron expression (minute hour day-of-month month day-of-week), found 3 fields"
        );
        assert_eq!(parse_cron("  ").unwrap_err(), CronError::Empty);
        assert_eq!(
            parse_cron("@reboot").unwrap_err(),
            CronError::UnknownNickname("@reboot".into())
        );
    }

    #[test]
    fn names_the_offending_field() {
        let err = parse_cron("61 2 * * *").unwrap_err();
        assert!(
            matches!(err, CronError::Field { field: "a minute", ref value, .. } if value == "61"),
            "{err:?}"
        );
        assert!(
            err.to_string().starts_with("a minute field of 0-59"),
            "{err}"
        );
        let err = parse_cron("0 24 * * *").unwrap_err();
        assert!(
            matches!(
                err,
                CronError::Field {
                    field: "an hour",
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse_cron("0 2 * 13 *").unwrap_err();
        assert!(
            matches!(
                err,
                CronError::Field {
                    field: "a month",
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse_cron("0 2 * * funday").unwrap_err();
        assert!(
            matches!(
                err,
                CronError::Field {
                    field: "a day-of-week",
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse_cron("0 2 x * *").unwrap_err();
        assert!(
            matches!(
                err,
                CronError::Field {
                    field: "a day-of-month",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn odd_inputs_are_errors_not_panics() {
        for expr in [
            "*/0 * * * *",
            "5-1 * * * *",
            "0 2 * * 8",
            "0 2 0 * *",
            "0 2 * 0 *",
            "- - - - -",
            "0 2 * * 1#9",
            "0 2 32W * *",
            "@",
            "0 0 * * MON-",
        ] {
            let result = parse_cron(expr);
            assert!(result.is_err(), "{expr} -> {result:?}");
            assert!(!result.unwrap_err().to_string().is_empty());
        }
        // valid but never fires: accepted here, reported by the gap analysis as never running
        assert!(parse_cron("0 0 30 2 *").is_ok());
    }

    #[test]
    fn day_fields_combine_with_or_unless_plus() {
        let either = parse_cron("0 2 1 * 1").unwrap();
        let first_of_june_2026_monday = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(); // a Monday
        let sunday_first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(); // a Sunday
        let plain_monday = NaiveDate::from_ymd_opt(2026, 6, 8).unwrap();
        let plain_tuesday = NaiveDate::from_ymd_opt(2026, 6, 9).unwrap();
        assert!(either.matches_date(first_of_june_2026_monday));
        assert!(either.matches_date(sunday_first));
        assert!(either.matches_date(plain_monday));
        assert!(!either.matches_date(plain_tuesday));
        let both = parse_cron("0 2 1 * +1").unwrap();
        assert!(both.matches_date(first_of_june_2026_monday));
        assert!(!both.matches_date(sunday_first));
        assert!(!both.matches_date(plain_monday));
        // a restricted day-of-week with `*` day-of-month is the weekday alone
        let weekdays = parse_cron("0 2 * * 1-5").unwrap();
        assert!(weekdays.matches_date(plain_tuesday));
        assert!(!weekdays.matches_date(sunday_first));
    }

    #[test]
    fn classifies_fixed_time_like_vixie() {
        assert!(parse_cron("30 1 * * *").unwrap().is_fixed_time());
        assert!(parse_cron("0,30 1-3 * * *").unwrap().is_fixed_time());
        assert!(!parse_cron("*/15 * * * *").unwrap().is_fixed_time());
        assert!(!parse_cron("0 * * * *").unwrap().is_fixed_time());
        assert!(!parse_cron("@hourly").unwrap().is_fixed_time());
        assert!(parse_cron("@daily").unwrap().is_fixed_time());
    }

    #[test]
    fn gap_resolution_finds_the_change_instant() {
        let london: Tz = "Europe/London".parse().unwrap();
        let local = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        let secs = first_instant_after_local(&local, &london).unwrap();
        assert_eq!(
            crate::time::Timestamp::from_unix_seconds(secs).to_string(),
            "2026-03-29T01:00:00Z"
        );
    }
}
