//! The scheduled runs of one backup policy, streamed in time order.

use super::cron::{earliest_instant_of_date, parse_cron, CronError, CronSchedule};
use crate::declarations::Trigger;
use crate::time::Timestamp;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use std::collections::VecDeque;

/// A policy's trigger made ready to list runs.
#[derive(Debug, Clone)]
pub enum Schedule {
    /// Cron in a named zone (daylight saving per [`super::cron`]).
    Cron { cron: CronSchedule, timezone: Tz },
    /// `every`: runs at `anchor + k·interval` for k = 0, 1, 2, ...; nothing before the anchor.
    Every {
        interval_nanos: i64,
        anchor: Timestamp,
    },
}

impl Schedule {
    /// `anchor` is used by `every` triggers only (the engine passes `onboarded` midnight, else the
    /// policy's first successful event; design-time analysis passes the analysed year's start).
    pub fn from_trigger(trigger: &Trigger, anchor: Timestamp) -> Result<Self, CronError> {
        Ok(match trigger {
            Trigger::Every(interval) => Schedule::Every {
                interval_nanos: interval.nanos().max(1),
                anchor,
            },
            Trigger::Cron {
                expression,
                timezone,
            } => Schedule::Cron {
                cron: parse_cron(expression)?,
                timezone: *timezone,
            },
        })
    }

    /// The runs `s` with `from <= s <= to`, ascending and distinct, computed lazily: a 1-minute
    /// schedule over 90 days never holds more than about two days of runs in memory.
    pub fn runs(&self, from: Timestamp, to: Timestamp) -> Runs<'_> {
        let inner = match self {
            Schedule::Every {
                interval_nanos,
                anchor,
            } => {
                let step = (*interval_nanos).max(1);
                let k = if from <= *anchor {
                    0
                } else {
                    div_ceil(from.since(*anchor), step)
                };
                let next = anchor.nanos().checked_add(k.saturating_mul(step));
                RunsInner::Every {
                    next,
                    step,
                    to: to.nanos(),
                }
            }
            Schedule::Cron { cron, timezone } => {
                // Start two local days early: a run named on an earlier date can land on or
                // after `from` when clocks go back or a skipped time catches up.
                let first_date = from
                    .to_datetime()
                    .with_timezone(timezone)
                    .date_naive()
                    .checked_sub_days(Days::new(2));
                RunsInner::Cron(CronRuns {
                    cron,
                    timezone: *timezone,
                    next_date: first_date,
                    from: from.nanos(),
                    to: to.nanos(),
                    ready: VecDeque::new(),
                    day: Vec::new(),
                    last_emitted: None,
                })
            }
        };
        Runs { inner }
    }

    /// The latest run at or before `at`, looking back at most `lookback_nanos`.
    pub fn last_run_at_or_before(&self, at: Timestamp, lookback_nanos: i64) -> Option<Timestamp> {
        let limit = at.saturating_sub_nanos(lookback_nanos);
        if let Schedule::Every {
            interval_nanos,
            anchor,
        } = self
        {
            if at < *anchor {
                return None;
            }
            let k = at.since(*anchor) / (*interval_nanos).max(1);
            let run = anchor.saturating_add_nanos(k.saturating_mul(*interval_nanos));
            return (run >= limit).then_some(run);
        }
        // Widening windows backwards: cheap for dense schedules, bounded for sparse ones.
        let mut end = at;
        let mut width: i64 = 86_400 * crate::time::NANOS_PER_SEC;
        while end >= limit {
            let start = end.saturating_sub_nanos(width).max(limit);
            if let Some(run) = self.runs(start, end).last() {
                return Some(run);
            }
            if start <= limit {
                break;
            }
            end = start.saturating_sub_nanos(1);
            width = width.saturating_mul(2);
        }
        None
    }

    /// The first run strictly after `after`, looking ahead at most `lookahead_nanos`.
    pub fn first_run_after(&self, after: Timestamp, lookahead_nanos: i64) -> Option<Timestamp> {
        self.runs(
            after.saturating_add_nanos(1),
            after.saturating_add_nanos(lookahead_nanos),
        )
        .next()
    }
}

fn div_ceil(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

/// Iterator over scheduled runs; see [`Schedule::runs`].
#[derive(Debug)]
pub struct Runs<'a> {
    inner: RunsInner<'a>,
}

#[derive(Debug)]
enum RunsInner<'a> {
    Every {
        next: Option<i64>,
        step: i64,
        to: i64,
    },
    Cron(CronRuns<'a>),
}

impl Iterator for Runs<'_> {
    type Item = Timestamp;

    fn next(&mut self) -> Option<Timestamp> {
        match &mut self.inner {
            RunsInner::Every { next, step, to } => {
                let current = (*next).filter(|n| n <= to)?;
                *next = current.checked_add(*step);
                Some(Timestamp::from_nanos(current))
            }
            RunsInner::Cron(cron) => cron.next_run().map(Timestamp::from_nanos),
        }
    }
}

/// Generates a local day at a time and releases runs once no later day can precede them.
#[derive(Debug)]
struct CronRuns<'a> {
    cron: &'a CronSchedule,
    timezone: Tz,
    /// Next local date to generate; `None` once the calendar is exhausted.
    next_date: Option<NaiveDate>,
    from: i64,
    to: i64,
    /// Sorted runs waiting for the watermark.
    ready: VecDeque<i64>,
    /// Reused buffer for one day's runs.
    day: Vec<i64>,
    last_emitted: Option<i64>,
}

impl CronRuns<'_> {
    fn next_run(&mut self) -> Option<i64> {
        loop {
            // Every run of a date not yet generated is at or after this watermark.
            let watermark = self.next_date.and_then(earliest_instant_of_date);
            // Past `to`, or past the last date a nanosecond instant can hold: no more runs.
            if watermark.is_none_or(|w| w > self.to) {
                self.next_date = None;
            }
            let releasable =
                |run: i64| watermark.is_none_or(|w| run < w) || self.next_date.is_none();
            if let Some(&run) = self.ready.front() {
                if releasable(run) {
                    self.ready.pop_front();
                    if run > self.to {
                        self.ready.clear();
                        self.next_date = None;
                        return None;
                    }
                    if run < self.from || self.last_emitted == Some(run) {
                        continue;
                    }
                    self.last_emitted = Some(run);
                    return Some(run);
                }
            }
            let date = self.next_date?;
            self.generate(date);
            self.next_date = date.succ_opt();
        }
    }

    fn generate(&mut self, date: NaiveDate) {
        self.day.clear();
        self.cron.push_runs_on(date, &self.timezone, &mut self.day);
        if self.day.is_empty() {
            return;
        }
        self.day.sort_unstable();
        self.day.dedup();
        let in_order = self
            .ready
            .back()
            .is_none_or(|&last| self.day.first().is_some_and(|&first| first >= last));
        if in_order {
            self.ready.extend(self.day.iter().copied());
        } else {
            // A fall-back that straddles midnight: rare, so a sorted insert is fine.
            for &run in &self.day {
                let at = self.ready.partition_point(|&r| r < run);
                self.ready.insert(at, run);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duration::Duration;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn cron(expr: &str, tz: &str) -> Schedule {
        Schedule::from_trigger(
            &Trigger::Cron {
                expression: expr.into(),
                timezone: tz.parse().unwrap(),
            },
            Timestamp::from_nanos(0),
        )
        .unwrap()
    }

    fn list(schedule: &Schedule, from: &str, to: &str) -> Vec<String> {
        schedule
            .runs(ts(from), ts(to))
            .map(|t| t.to_string())
            .collect()
    }

    #[test]
    fn daily_in_utc_and_window_is_closed() {
        let s = cron("0 2 * * *", "UTC");
        assert_eq!(
            list(&s, "2026-01-01T02:00:00Z", "2026-01-03T02:00:00Z"),
            [
                "2026-01-01T02:00:00Z",
                "2026-01-02T02:00:00Z",
                "2026-01-03T02:00:00Z"
            ]
        );
        assert_eq!(
            list(&s, "2026-01-01T02:00:00.000000001Z", "2026-01-03T01:59:59Z"),
            ["2026-01-02T02:00:00Z"]
        );
    }

    #[test]
    fn london_spring_forward_fixed_time_runs_at_the_change() {
        // 2026-03-29 01:00 GMT -> 02:00 BST: 01:30 local does not exist.
        let s = cron("30 1 * * *", "Europe/London");
        assert_eq!(
            list(&s, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"),
            [
                "2026-03-28T01:30:00Z",
                "2026-03-29T01:00:00Z",
                "2026-03-30T00:30:00Z"
            ]
        );
        // two skipped fixed times catch up as one run
        let s = cron("0,30 1 * * *", "Europe/London");
        assert_eq!(
            list(&s, "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"),
            ["2026-03-29T01:00:00Z"]
        );
    }

    #[test]
    fn london_spring_forward_wildcard_skips_the_gap() {
        let s = cron("*/30 * * * *", "Europe/London");
        assert_eq!(
            list(&s, "2026-03-29T00:00:00Z", "2026-03-29T01:30:00Z"),
            [
                "2026-03-29T00:00:00Z",
                "2026-03-29T00:30:00Z",
                "2026-03-29T01:00:00Z",
                "2026-03-29T01:30:00Z"
            ]
        );
        // local 00:00, 00:30 GMT, then 02:00, 02:30 BST: 01:00 and 01:30 local never happen,
        // and the elapsed spacing stays 30 minutes.
    }

    #[test]
    fn london_fall_back_fixed_runs_once_wildcard_twice() {
        // 2026-10-25 02:00 BST -> 01:00 GMT: 01:xx local happens twice (00:xx Z and 01:xx Z).
        let s = cron("30 1 * * *", "Europe/London");
        assert_eq!(
            list(&s, "2026-10-24T00:00:00Z", "2026-10-26T23:00:00Z"),
            [
                "2026-10-24T00:30:00Z",
                "2026-10-25T00:30:00Z",
                "2026-10-26T01:30:00Z"
            ]
        );
        let s = cron("30 * * * *", "Europe/London");
        assert_eq!(
            list(&s, "2026-10-24T23:00:00Z", "2026-10-25T02:00:00Z"),
            [
                "2026-10-24T23:30:00Z",
                "2026-10-25T00:30:00Z",
                "2026-10-25T01:30:00Z"
            ]
        );
    }

    #[test]
    fn new_york_both_changes() {
        // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
        let s = cron("30 2 * * *", "America/New_York");
        assert_eq!(
            list(&s, "2026-03-07T00:00:00Z", "2026-03-09T23:00:00Z"),
            [
                "2026-03-07T07:30:00Z",
                "2026-03-08T07:00:00Z",
                "2026-03-09T06:30:00Z"
            ]
        );
        let s = cron("30 1 * * *", "America/New_York");
        assert_eq!(
            list(&s, "2026-10-31T00:00:00Z", "2026-11-02T23:00:00Z"),
            [
                "2026-10-31T05:30:00Z",
                "2026-11-01T05:30:00Z",
                "2026-11-02T06:30:00Z"
            ]
        );
        let s = cron("*/20 1 * * *", "America/New_York");
        assert_eq!(
            list(&s, "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"),
            [
                "2026-11-01T05:00:00Z",
                "2026-11-01T05:20:00Z",
                "2026-11-01T05:40:00Z",
                "2026-11-01T06:00:00Z",
                "2026-11-01T06:20:00Z",
                "2026-11-01T06:40:00Z"
            ]
        );
    }

    #[test]
    fn leap_day_only_in_leap_years() {
        let s = cron("0 0 29 2 *", "UTC");
        assert_eq!(
            list(&s, "2025-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
            ["2028-02-29T00:00:00Z"]
        );
        let last_day = cron("0 0 L 2 *", "UTC");
        assert_eq!(
            list(&last_day, "2027-01-01T00:00:00Z", "2028-12-31T00:00:00Z"),
            ["2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z"]
        );
    }

    #[test]
    fn every_is_anchored_and_starts_at_the_anchor() {
        let anchor = ts("2026-01-01T00:00:10Z");
        let s = Schedule::from_trigger(&Trigger::Every(Duration::from_secs(60)), anchor).unwrap();
        assert_eq!(
            list(&s, "2025-12-31T00:00:00Z", "2026-01-01T00:02:10Z"),
            [
                "2026-01-01T00:00:10Z",
                "2026-01-01T00:01:10Z",
                "2026-01-01T00:02:10Z"
            ]
        );
        assert_eq!(
            list(&s, "2026-01-01T00:00:11Z", "2026-01-01T00:01:10Z"),
            ["2026-01-01T00:01:10Z"]
        );
        assert_eq!(
            s.last_run_at_or_before(ts("2026-01-01T00:01:09Z"), i64::MAX),
            Some(anchor)
        );
        assert_eq!(
            s.last_run_at_or_before(ts("2026-01-01T00:00:09Z"), i64::MAX),
            None
        );
    }

    #[test]
    fn neighbours_of_an_instant() {
        let s = cron("0 2 * * 1-5", "UTC");
        // 2026-11-28 is a Saturday
        let at = ts("2026-11-28T12:00:00Z");
        assert_eq!(
            s.last_run_at_or_before(at, i64::MAX).unwrap().to_string(),
            "2026-11-27T02:00:00Z"
        );
        assert_eq!(
            s.first_run_after(at, i64::MAX).unwrap().to_string(),
            "2026-11-30T02:00:00Z"
        );
        let never = cron("0 0 30 2 *", "UTC");
        assert_eq!(
            never.last_run_at_or_before(at, 400 * 86_400 * crate::time::NANOS_PER_SEC),
            None
        );
    }

    #[test]
    fn a_minute_schedule_over_ninety_days_has_one_run_per_minute() {
        let s = cron("* * * * *", "Europe/London");
        let from = ts("2026-01-01T00:00:00Z");
        let to = from.saturating_add_nanos(90 * 86_400 * crate::time::NANOS_PER_SEC - 1);
        let mut count = 0u64;
        let mut previous = None;
        for run in s.runs(from, to) {
            if let Some(p) = previous {
                assert_eq!(run.since(p), 60 * crate::time::NANOS_PER_SEC);
            }
            previous = Some(run);
            count += 1;
        }
        // the skipped local hour costs no elapsed minute: still one run per UTC minute
        assert_eq!(count, 90 * 1440);
    }
}
