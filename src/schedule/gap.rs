//! Design-time interval analysis: the longest gap a schedule leaves, and the default grace.
//!
//! **The analysed year** is the 366 days from `year_start` (the caller passes
//! [`year_start_for`]`(as_of)`, 1 January 00:00 UTC of the as-of year, so `validate` gives the
//! same answer all year and every daylight-saving change of that year is inside it). A gap is
//! the interval between two consecutive runs; the gaps that count are those that *overlap* the
//! analysed year, so the gap from the last run at or before `year_start` to the first run after
//! it counts, and so does the gap that straddles the year's end.
//!
//! **Look-around.** Neighbouring runs are searched at most [`LOOKAROUND_NANOS`] (366 days)
//! before and after the year. A schedule with no run that close on one side of some gap (it
//! runs less than once a year, or never) yields [`LongestGap::Unbounded`], which exceeds any
//! RPO; an unbounded stretch ranks above every finite gap.
//!
//! **Several policies.** A system's effective interval is what its policies achieve together:
//! the cron policies' runs are merged (their phases are known). The phase of an `every` policy
//! is unknown before it has run, so the union is judged at its worst phase, where an `every`
//! policy's runs fall on top of the others' and only its own interval counts: the result is the
//! shorter of the merged cron gap and the shortest `every` interval (reported as the interval
//! from `year_start`).

use super::cron::CronError;
use super::runs::{Runs, Schedule};
use crate::declarations::Trigger;
use crate::time::{Timestamp, NANOS_PER_SEC};
use chrono::{Datelike, NaiveDate};

/// Length of the analysed year: 366 days, so it always contains a whole calendar year.
pub const YEAR_NANOS: i64 = 366 * 86_400 * NANOS_PER_SEC;
/// How far before and after the analysed year neighbouring runs are searched.
pub const LOOKAROUND_NANOS: i64 = YEAR_NANOS;
/// Bounds of the default grace (issue 4): 10% of the shortest interval, within [5 min, 1 h].
pub const MIN_GRACE_NANOS: i64 = 5 * 60 * NANOS_PER_SEC;
pub const MAX_GRACE_NANOS: i64 = 60 * 60 * NANOS_PER_SEC;

/// An interval between two consecutive scheduled runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// The run that starts the gap.
    pub after: Timestamp,
    /// The next run.
    pub before: Timestamp,
}

impl Gap {
    pub fn length_nanos(&self) -> i64 {
        self.before.since(self.after)
    }
}

/// The result of [`longest_gap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongestGap {
    /// The longest gap overlapping the analysed year (the first one when several tie).
    Finite(Gap),
    /// Some stretch overlapping the year has no run within the look-around on one side:
    /// `last_run` is the run before it (if any), `next_run` the run after it (if any). Both
    /// `None` means the policies never run.
    Unbounded {
        last_run: Option<Timestamp>,
        next_run: Option<Timestamp>,
    },
}

impl LongestGap {
    /// `None` when unbounded.
    pub fn length_nanos(&self) -> Option<i64> {
        match self {
            LongestGap::Finite(gap) => Some(gap.length_nanos()),
            LongestGap::Unbounded { .. } => None,
        }
    }

    /// No run at all within the year and the look-around either side.
    pub fn never_runs(&self) -> bool {
        matches!(
            self,
            LongestGap::Unbounded {
                last_run: None,
                next_run: None
            }
        )
    }

    /// Strictly longer than `limit_nanos` (an unbounded gap exceeds every limit).
    pub fn exceeds(&self, limit_nanos: i64) -> bool {
        self.length_nanos()
            .is_none_or(|length| length > limit_nanos)
    }
}

/// 1 January 00:00 UTC of the year `as_of` falls in (UTC).
pub fn year_start_for(as_of: Timestamp) -> Timestamp {
    let year = as_of.to_datetime().year();
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|n| Timestamp::from_datetime(&n.and_utc()))
        .unwrap_or(as_of)
}

/// The longest interval between consecutive runs of the union of `triggers` over the year
/// starting at `year_start` (see the module documentation). Pass one trigger for a policy's own
/// figure, all of a system's for its effective interval. No triggers: never runs.
pub fn longest_gap(triggers: &[&Trigger], year_start: Timestamp) -> Result<LongestGap, CronError> {
    let mut crons = Vec::new();
    let mut shortest_every: Option<i64> = None;
    for trigger in triggers {
        match trigger {
            Trigger::Every(interval) => {
                let nanos = interval.nanos();
                shortest_every = Some(shortest_every.map_or(nanos, |s| s.min(nanos)));
            }
            Trigger::Cron { .. } => crons.push(Schedule::from_trigger(trigger, year_start)?),
        }
    }
    let cron_gap =
        (!crons.is_empty()).then(|| union_gap(&crons, year_start, YEAR_NANOS, LOOKAROUND_NANOS));
    let every_gap = shortest_every.map(|i| Gap {
        after: year_start,
        before: year_start.saturating_add_nanos(i),
    });
    Ok(match (cron_gap, every_gap) {
        (None, None) => LongestGap::Unbounded {
            last_run: None,
            next_run: None,
        },
        (Some(cron), None) => cron,
        (None, Some(every)) => LongestGap::Finite(every),
        (Some(cron), Some(every)) => match cron.length_nanos() {
            Some(length) if length <= every.length_nanos() => cron,
            _ => LongestGap::Finite(every),
        },
    })
}

/// Longest gap of the merged runs of `schedules` overlapping `[start, start + span]`.
pub(crate) fn union_gap(
    schedules: &[Schedule],
    start: Timestamp,
    span: i64,
    lookaround: i64,
) -> LongestGap {
    let end = start.saturating_add_nanos(span);
    let mut last = schedules
        .iter()
        .filter_map(|s| s.last_run_at_or_before(start, lookaround))
        .max();
    let horizon = end.saturating_add_nanos(lookaround);
    let merged = MergedRuns::new(
        schedules
            .iter()
            .map(|s| s.runs(start.saturating_add_nanos(1), horizon))
            .collect(),
    );
    let mut longest: Option<Gap> = None;
    for run in merged {
        let Some(previous) = last else {
            return LongestGap::Unbounded {
                last_run: None,
                next_run: Some(run),
            };
        };
        let gap = Gap {
            after: previous,
            before: run,
        };
        if longest.is_none_or(|l| gap.length_nanos() > l.length_nanos()) {
            longest = Some(gap);
        }
        last = Some(run);
        if run >= end {
            break;
        }
    }
    match (last, longest) {
        (Some(run), _) if run < end => LongestGap::Unbounded {
            last_run: Some(run),
            next_run: None,
        },
        (_, Some(gap)) => LongestGap::Finite(gap),
        (last_run, None) => LongestGap::Unbounded {
            last_run,
            next_run: None,
        },
    }
}

/// Ascending, distinct union of several run streams (a handful of policies: a linear scan of
/// the heads beats a heap).
struct MergedRuns<'a> {
    heads: Vec<std::iter::Peekable<Runs<'a>>>,
}

impl<'a> MergedRuns<'a> {
    fn new(runs: Vec<Runs<'a>>) -> Self {
        Self {
            heads: runs.into_iter().map(Iterator::peekable).collect(),
        }
    }
}

impl Iterator for MergedRuns<'_> {
    type Item = Timestamp;
    fn next(&mut self) -> Option<Timestamp> {
        let next = self
            .heads
            .iter_mut()
            .filter_map(|h| h.peek().copied())
            .min()?;
        for head in &mut self.heads {
            if head.peek() == Some(&next) {
                head.next();
            }
        }
        Some(next)
    }
}

/// The shortest interval between consecutive runs in the year from `year_start`; `None` with
/// fewer than two runs. Stops early once the interval is so short that the grace is the minimum.
pub fn shortest_interval(schedule: &Schedule, year_start: Timestamp) -> Option<i64> {
    if let Schedule::Every { interval_nanos, .. } = schedule {
        return Some(*interval_nanos);
    }
    let floor = MIN_GRACE_NANOS.saturating_mul(10);
    let mut shortest: Option<i64> = None;
    let mut previous: Option<Timestamp> = None;
    for run in schedule.runs(year_start, year_start.saturating_add_nanos(YEAR_NANOS)) {
        if let Some(p) = previous {
            let interval = run.since(p);
            if shortest.is_none_or(|s| interval < s) {
                shortest = Some(interval);
                if interval <= floor {
                    break;
                }
            }
        }
        previous = Some(run);
    }
    shortest
}

/// The grace a policy gets when it declares none: 10% of its shortest interval between
/// consecutive runs (over the year from `year_start`), clamped to [5 min, 1 h]. A cron that runs
/// less than twice in that year gets the maximum (its interval is at least that long anyway).
pub fn default_grace(trigger: &Trigger, year_start: Timestamp) -> Result<i64, CronError> {
    let schedule = Schedule::from_trigger(trigger, year_start)?;
    Ok(grace_for_interval(shortest_interval(&schedule, year_start)))
}

fn grace_for_interval(shortest: Option<i64>) -> i64 {
    shortest.map_or(MAX_GRACE_NANOS, |s| {
        (s / 10).clamp(MIN_GRACE_NANOS, MAX_GRACE_NANOS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::Duration;
    use proptest::prelude::*;

    const H: i64 = 3_600 * NANOS_PER_SEC;
    const D: i64 = 24 * H;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn cron(expr: &str, tz: &str) -> Trigger {
        Trigger::Cron {
            expression: expr.into(),
            timezone: tz.parse().unwrap(),
        }
    }

    fn finite(result: LongestGap) -> Gap {
        match result {
            LongestGap::Finite(gap) => gap,
            other => panic!("expected a finite gap, got {other:?}"),
        }
    }

    fn y2026() -> Timestamp {
        ts("2026-01-01T00:00:00Z")
    }

    #[test]
    fn weekdays_leave_the_weekend() {
        let gap = finite(longest_gap(&[&cron("0 2 * * 1-5", "UTC")], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), 72 * H);
        // the first Friday-to-Monday stretch of 2026 (2026-01-02 is a Friday)
        assert_eq!(gap.after.to_string(), "2026-01-02T02:00:00Z");
        assert_eq!(gap.before.to_string(), "2026-01-05T02:00:00Z");
    }

    #[test]
    fn daily_in_london_is_25h_across_autumn() {
        let gap = finite(longest_gap(&[&cron("0 2 * * *", "Europe/London")], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), 25 * H);
        assert_eq!(gap.after.to_string(), "2026-10-24T01:00:00Z");
        assert_eq!(gap.before.to_string(), "2026-10-25T02:00:00Z");
        let schedule =
            Schedule::from_trigger(&cron("0 2 * * *", "Europe/London"), y2026()).unwrap();
        assert_eq!(shortest_interval(&schedule, y2026()), Some(23 * H));
    }

    #[test]
    fn daily_in_new_york_is_25h_and_23h() {
        let gap = finite(longest_gap(&[&cron("30 2 * * *", "America/New_York")], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), 25 * H);
        assert_eq!(gap.before.to_string(), "2026-11-01T07:30:00Z");
        let schedule =
            Schedule::from_trigger(&cron("30 2 * * *", "America/New_York"), y2026()).unwrap();
        // 02:30 on 2026-03-08 does not exist: it runs at 03:00 EDT (07:00Z), 23.5 h after the
        // previous day's 02:30 EST and 23.5 h before the next day's 02:30 EDT
        assert_eq!(
            shortest_interval(&schedule, y2026()),
            Some(23 * H + 30 * 60 * NANOS_PER_SEC)
        );
    }

    #[test]
    fn hourly_wildcard_keeps_its_spacing_across_both_changes() {
        let gap = finite(longest_gap(&[&cron("0 * * * *", "Europe/London")], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), H);
        let fixed_hours =
            finite(longest_gap(&[&cron("0 0-23 * * *", "Europe/London")], y2026()).unwrap());
        // fixed-time in Vixie's sense: 01:00 runs once when it happens twice, a 2 h gap
        assert_eq!(fixed_hours.length_nanos(), 2 * H);
        assert_eq!(fixed_hours.after.to_string(), "2026-10-25T00:00:00Z");
    }

    #[test]
    fn every_is_its_interval() {
        let one_minute = Trigger::Every(Duration::from_secs(60));
        let gap = finite(longest_gap(&[&one_minute], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), 60 * NANOS_PER_SEC);
        assert_eq!(gap.after, y2026());
    }

    #[test]
    fn yearly_is_a_year_and_leap_years_count() {
        let yearly = cron("0 0 1 1 *", "UTC");
        assert_eq!(
            finite(longest_gap(&[&yearly], y2026()).unwrap()).length_nanos(),
            365 * D
        );
        let in_2028 = finite(longest_gap(&[&yearly], ts("2028-01-01T00:00:00Z")).unwrap());
        assert_eq!(in_2028.length_nanos(), 366 * D);
        // starting mid-year still sees the gap across the start
        let mid = finite(longest_gap(&[&yearly], ts("2026-06-01T00:00:00Z")).unwrap());
        assert_eq!(mid.after.to_string(), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn never_and_rarely() {
        let never = longest_gap(&[&cron("0 0 30 2 *", "UTC")], y2026()).unwrap();
        assert!(never.never_runs());
        assert!(never.exceeds(i64::MAX));
        let leap_day = longest_gap(&[&cron("0 0 29 2 *", "UTC")], y2026()).unwrap();
        assert_eq!(
            leap_day,
            LongestGap::Unbounded {
                last_run: None,
                next_run: None
            }
        );
        let leap_day =
            longest_gap(&[&cron("0 0 29 2 *", "UTC")], ts("2028-01-01T00:00:00Z")).unwrap();
        assert_eq!(
            leap_day,
            LongestGap::Unbounded {
                last_run: None,
                next_run: Some(ts("2028-02-29T00:00:00Z"))
            }
        );
        assert!(longest_gap(&[], y2026()).unwrap().never_runs());
    }

    #[test]
    fn union_of_policies() {
        let weekdays = cron("0 2 * * 1-5", "UTC");
        let weekends = cron("0 14 * * 0,6", "UTC");
        let gap = finite(longest_gap(&[&weekdays, &weekends], y2026()).unwrap());
        // Fri 02:00 -> Sat 14:00
        assert_eq!(gap.length_nanos(), 36 * H);
        let six_hourly = Trigger::Every(Duration::from_secs(6 * 3_600));
        let gap = finite(longest_gap(&[&weekdays, &six_hourly], y2026()).unwrap());
        assert_eq!(gap.length_nanos(), 6 * H);
        let daily = cron("0 2 * * *", "UTC");
        let weekly = Trigger::Every(Duration::from_secs(7 * 86_400));
        assert_eq!(
            finite(longest_gap(&[&daily, &weekly], y2026()).unwrap()).length_nanos(),
            D
        );
        let never = cron("0 0 30 2 *", "UTC");
        assert_eq!(
            finite(longest_gap(&[&never, &weekly], y2026()).unwrap()).length_nanos(),
            7 * D
        );
    }

    #[test]
    fn exceeds_is_strict() {
        let gap = longest_gap(&[&cron("0 2 * * 1-5", "UTC")], y2026()).unwrap();
        assert!(gap.exceeds(24 * H));
        assert!(!gap.exceeds(72 * H));
        assert!(gap.exceeds(72 * H - 1));
    }

    #[test]
    fn default_grace_clamps() {
        let g = |t: &Trigger| default_grace(t, y2026()).unwrap();
        assert_eq!(g(&Trigger::Every(Duration::from_secs(60))), MIN_GRACE_NANOS);
        assert_eq!(
            g(&Trigger::Every(Duration::from_secs(7_200))),
            12 * 60 * NANOS_PER_SEC
        );
        assert_eq!(
            g(&Trigger::Every(Duration::from_secs(3_000))),
            MIN_GRACE_NANOS
        );
        assert_eq!(
            g(&Trigger::Every(Duration::from_secs(36_000))),
            MAX_GRACE_NANOS
        );
        assert_eq!(g(&cron("0 */4 * * *", "UTC")), 24 * 60 * NANOS_PER_SEC);
        assert_eq!(g(&cron("0 2 * * *", "Europe/London")), MAX_GRACE_NANOS);
        assert_eq!(g(&cron("* * * * *", "Europe/London")), MIN_GRACE_NANOS);
        // the shortest interval, not the typical one: 02:00 and 02:30 half an hour apart
        assert_eq!(g(&cron("0,30 2 * * *", "UTC")), MIN_GRACE_NANOS);
        assert_eq!(g(&cron("0 2,5 * * *", "UTC")), 18 * 60 * NANOS_PER_SEC);
        assert_eq!(g(&cron("0 0 30 2 *", "UTC")), MAX_GRACE_NANOS);
        assert!(default_grace(&cron("0 0 0 2 * *", "UTC"), y2026()).is_err());
    }

    #[test]
    fn year_start_is_january_first_utc() {
        assert_eq!(year_start_for(ts("2026-11-30T12:00:00+05:00")), y2026());
        assert_eq!(year_start_for(ts("2027-01-01T00:30:00+01:00")), y2026());
    }

    // ---- brute force: enumerate every minute in UTC with croner's own matcher ----

    fn brute_runs(expr: &str, from_min: i64, to_min: i64) -> Vec<i64> {
        let cron: croner::Cron = expr.parse().unwrap();
        (from_min..=to_min)
            .filter(|&m| {
                let dt = chrono::DateTime::from_timestamp(m * 60, 0).unwrap();
                cron.is_time_matching(&dt).unwrap()
            })
            .map(|m| m * 60 * NANOS_PER_SEC)
            .collect()
    }

    fn brute_gap(runs: &[i64], start: i64, end: i64, lookaround: i64) -> LongestGap {
        let runs: Vec<i64> = runs
            .iter()
            .copied()
            .filter(|&r| r >= start - lookaround && r <= end + lookaround)
            .collect();
        let t = Timestamp::from_nanos;
        // the last run at or before start, then everything after
        let first = runs.iter().rposition(|&r| r <= start);
        let Some(first) = first else {
            return LongestGap::Unbounded {
                last_run: None,
                next_run: runs.iter().find(|&&r| r > start).map(|&r| t(r)),
            };
        };
        let mut best: Option<(i64, i64)> = None;
        for pair in runs[first..].windows(2) {
            if pair[0] < end && best.is_none_or(|(a, b)| pair[1] - pair[0] > b - a) {
                best = Some((pair[0], pair[1]));
            }
        }
        let last_relevant = runs[first..].iter().copied().find(|&r| r >= end);
        match (last_relevant, best) {
            (None, _) => LongestGap::Unbounded {
                last_run: runs.last().map(|&r| t(r)),
                next_run: None,
            },
            (Some(_), Some((a, b))) => LongestGap::Finite(Gap {
                after: t(a),
                before: t(b),
            }),
            (Some(_), None) => unreachable!(),
        }
    }

    fn field(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(options)
    }

    fn expression() -> impl Strategy<Value = String> {
        (
            field(&["0", "*/15", "5,35", "*/7", "59", "0-10/5"]),
            field(&["2", "*/6", "1-3", "*", "0,12", "23"]),
            field(&["*", "1", "1,15", "10-20", "*/9", "L"]),
            field(&["*", "*", "*", "1-6", "2"]),
            field(&["*", "1-5", "0", "6", "3", "5L"]),
        )
            .prop_map(|(a, b, c, d, e)| format!("{a} {b} {c} {d} {e}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn runs_match_a_minute_by_minute_scan(expr in expression(), day in 0i64..4_000) {
            let start_min = 20_000 * 1440 + day * 1440 + 7; // somewhere in 2024-2035
            let span_min = 9 * 1440;
            let schedule = Schedule::from_trigger(&cron(&expr, "UTC"), y2026()).unwrap();
            let from = Timestamp::from_nanos(start_min * 60 * NANOS_PER_SEC);
            let to = Timestamp::from_nanos((start_min + span_min) * 60 * NANOS_PER_SEC);
            let ours: Vec<i64> = schedule.runs(from, to).map(Timestamp::nanos).collect();
            prop_assert_eq!(ours, brute_runs(&expr, start_min, start_min + span_min));
        }

        #[test]
        fn union_gap_matches_brute_force(a in expression(), b in expression(), two in any::<bool>(), day in 0i64..4_000) {
            let start_min = 20_000 * 1440 + day * 1440 + 13;
            let (span, look) = (10 * 1440, 6 * 1440);
            let exprs: Vec<&String> = if two { vec![&a, &b] } else { vec![&a] };
            let schedules: Vec<Schedule> = exprs.iter().map(|e| Schedule::from_trigger(&cron(e, "UTC"), y2026()).unwrap()).collect();
            let mut runs: Vec<i64> = exprs.iter().flat_map(|e| brute_runs(e, start_min - look, start_min + span + look)).collect();
            runs.sort_unstable();
            runs.dedup();
            let minute = 60 * NANOS_PER_SEC;
            let start = start_min * minute;
            let ours = union_gap(&schedules, Timestamp::from_nanos(start), span * minute, look * minute);
            prop_assert_eq!(ours, brute_gap(&runs, start, start + span * minute, look * minute));
        }
    }
}
