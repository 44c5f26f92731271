//! Schedule adherence: were the scheduled runs of each backup policy met?
//!
//! The engine asks an adherence function for each policy (see [`AdherenceFn`]). The default,
//! [`schedule_adherence`], handles `every` policies fully; cron policies are produced by the
//! schedule module, which plugs into [`crate::engine::analyze_with`].
//!
//! Matching (the contract): a run at s is met by a successful event of that policy starting in
//! [s − grace, s + grace]; each event meets at most one run, its nearest one (on an exact tie,
//! the earlier run unless that one is already met). Runs whose grace ends after as_of are pending.
//! [`match_runs`] does this in one merge of the sorted runs and event starts: O(runs + events).

use crate::declarations::{BackupPolicy, Trigger};
use crate::time::Timestamp;

/// How many missed runs a finding lists.
pub const FIRST_MISSED_SHOWN: usize = 5;
const MIN_DEFAULT_GRACE_NANOS: i64 = 5 * 60 * 1_000_000_000;
const MAX_DEFAULT_GRACE_NANOS: i64 = 3_600 * 1_000_000_000;

/// Adherence of one policy over the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScheduleResult {
    pub policy: String,
    pub grace_nanos: i64,
    /// met + missed.
    pub expected_runs: u64,
    pub met_runs: u64,
    pub missed_runs: u64,
    /// Runs in the window whose grace ends after as_of.
    pub pending_runs: u64,
    /// The earliest missed runs, at most [`FIRST_MISSED_SHOWN`].
    pub first_missed: Vec<Timestamp>,
}

impl ScheduleResult {
    /// met / expected; `None` when nothing was expected.
    pub fn attainment(&self) -> Option<f64> {
        (self.expected_runs > 0).then(|| self.met_runs as f64 / self.expected_runs as f64)
    }
}

/// What an adherence function needs about one policy.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleInput<'a> {
    pub policy: &'a BackupPolicy,
    /// Start instants of the policy's successful backups finished by as_of, sorted ascending.
    pub starts: &'a [Timestamp],
    /// Start of the system's window (after `onboarded`) and its end.
    pub window_start: Timestamp,
    pub as_of: Timestamp,
    /// `onboarded` midnight, the anchor of `every` runs when declared.
    pub onboarded: Option<Timestamp>,
}

/// Computes one policy's adherence; `None` when it cannot (the policy is then left out).
pub type AdherenceFn = dyn Fn(&ScheduleInput<'_>) -> Option<ScheduleResult>;

/// The documented default grace: 10% of the shortest interval, clamped to [5 min, 1 h].
pub fn default_grace(shortest_interval_nanos: i64) -> i64 {
    (shortest_interval_nanos / 10).clamp(MIN_DEFAULT_GRACE_NANOS, MAX_DEFAULT_GRACE_NANOS)
}

/// Adherence of `every` policies. Cron policies return `None`: the schedule module computes
/// them (TODO(lead): plug `crate::schedule` in through `analyze_with`).
pub fn schedule_adherence(input: &ScheduleInput<'_>) -> Option<ScheduleResult> {
    let Trigger::Every(interval) = &input.policy.trigger else {
        return None;
    };
    let interval = interval.nanos().max(1);
    let grace = input
        .policy
        .grace
        .map_or_else(|| default_grace(interval), |g| g.nanos());
    let anchor = input.onboarded.or_else(|| input.starts.first().copied());
    let counted = input.window_start..=input.as_of;
    let mut result = match anchor {
        Some(anchor) => {
            let runs = every_runs(anchor, interval, input.window_start, input.as_of);
            match_runs(runs, input.starts, grace, counted, input.as_of)
        }
        // No anchor: no run can be placed, so none is expected.
        None => match_runs(
            std::iter::empty(),
            input.starts,
            grace,
            counted,
            input.as_of,
        ),
    };
    result.policy = input.policy.id.clone();
    Some(result)
}

/// Runs anchor + k·interval (k ≥ 0) from one interval before `from` to one after `to`: the runs
/// just outside the window are context for nearest-run matching, not counted.
fn every_runs(
    anchor: Timestamp,
    interval: i64,
    from: Timestamp,
    to: Timestamp,
) -> impl Iterator<Item = Timestamp> {
    let before = from.since(anchor).saturating_sub(interval).max(0);
    let first_k = before / interval + i64::from(before % interval != 0);
    let last = to.saturating_add_nanos(interval);
    (first_k..)
        .map(move |k| {
            k.checked_mul(interval)
                .map(|offset| anchor.saturating_add_nanos(offset))
        })
        .take_while(move |run| run.is_some_and(|r| r <= last))
        .flatten()
}

/// Tally of the runs being matched.
#[derive(Debug, Default)]
struct Tally {
    result: ScheduleResult,
}

impl Tally {
    fn record(
        &mut self,
        run: Timestamp,
        met: bool,
        counted: &std::ops::RangeInclusive<Timestamp>,
        as_of: Timestamp,
    ) {
        if !counted.contains(&run) {
            return;
        }
        let r = &mut self.result;
        if run.saturating_add_nanos(r.grace_nanos) > as_of {
            r.pending_runs += 1;
        } else if met {
            r.met_runs += 1;
            r.expected_runs += 1;
        } else {
            r.missed_runs += 1;
            r.expected_runs += 1;
            if r.first_missed.len() < FIRST_MISSED_SHOWN {
                r.first_missed.push(run);
            }
        }
    }
}

/// Matches sorted `runs` with sorted event `starts`: each event goes to its nearest run and
/// meets it when within `grace`. Only runs in `counted` are tallied (the others are context).
/// One merge pass: O(runs + events).
pub fn match_runs(
    runs: impl Iterator<Item = Timestamp>,
    starts: &[Timestamp],
    grace: i64,
    counted: std::ops::RangeInclusive<Timestamp>,
    as_of: Timestamp,
) -> ScheduleResult {
    let mut tally = Tally {
        result: ScheduleResult {
            grace_nanos: grace,
            ..ScheduleResult::default()
        },
    };
    let within = |a: Timestamp, b: Timestamp| a.since(b).unsigned_abs() <= grace.unsigned_abs();
    let mut previous: Option<(Timestamp, bool)> = None;
    let mut next_event = 0;
    for run in runs {
        let mut run_met = false;
        while let Some(&start) = starts.get(next_event).filter(|&&s| s < run) {
            next_event += 1;
            match previous.as_mut() {
                Some((prev, prev_met)) => {
                    let to_prev = start.since(*prev);
                    let to_run = run.since(start);
                    if to_prev < to_run || (to_prev == to_run && !*prev_met) {
                        *prev_met |= within(start, *prev);
                    } else {
                        run_met |= within(start, run);
                    }
                }
                None => run_met |= within(start, run),
            }
        }
        if let Some((prev, prev_met)) = previous {
            tally.record(prev, prev_met, &counted, as_of);
        }
        previous = Some((run, run_met));
    }
    if let Some((last, mut last_met)) = previous {
        last_met |= starts[next_event..].iter().any(|&s| within(s, last));
        tally.record(last, last_met, &counted, as_of);
    }
    tally.result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declarations::Pos;
    use crate::duration::Duration;
    use proptest::prelude::*;

    const M: i64 = 60 * 1_000_000_000;

    fn ts_min(minutes: i64) -> Timestamp {
        Timestamp::from_nanos(minutes * M)
    }

    fn every(minutes: u64, grace_minutes: Option<u64>) -> BackupPolicy {
        BackupPolicy {
            id: "p".into(),
            trigger: Trigger::Every(Duration::from_secs(minutes * 60)),
            grace: grace_minutes.map(|g| Duration::from_secs(g * 60)),
            retention: None,
            offsite: false,
            pos: Pos::default(),
        }
    }

    #[test]
    fn default_grace_is_ten_percent_clamped() {
        assert_eq!(default_grace(30 * M), 5 * M);
        assert_eq!(default_grace(60 * M), 6 * M);
        assert_eq!(default_grace(120 * M), 12 * M);
        assert_eq!(default_grace(24 * 60 * M), 60 * M);
    }

    #[test]
    fn every_runs_from_the_first_event_with_grace_edges_and_pending() {
        // hourly from minute 0, default grace 6 min... 10% of 60 = 6 min
        let policy = every(60, None);
        let starts = [ts_min(0), ts_min(66), ts_min(174), ts_min(175)];
        let input = ScheduleInput {
            policy: &policy,
            starts: &starts,
            window_start: ts_min(0),
            as_of: ts_min(242),
            onboarded: None,
        };
        let got = schedule_adherence(&input).unwrap();
        // runs 0 (met), 60 (66 is exactly at grace: met), 120 (missed), 180 (174 at -6: met; 175 nearer, same run),
        // 240 pending (grace ends 246 > 242)
        assert_eq!(
            (
                got.met_runs,
                got.missed_runs,
                got.pending_runs,
                got.expected_runs
            ),
            (3, 1, 1, 4)
        );
        assert_eq!(got.first_missed, vec![ts_min(120)]);
        assert_eq!(got.attainment(), Some(0.75));
    }

    #[test]
    fn an_event_just_outside_grace_meets_nothing() {
        let policy = every(60, None);
        let starts = [ts_min(0), ts_min(67)];
        let input = ScheduleInput {
            policy: &policy,
            starts: &starts,
            window_start: ts_min(0),
            as_of: ts_min(100),
            onboarded: None,
        };
        let got = schedule_adherence(&input).unwrap();
        assert_eq!((got.met_runs, got.missed_runs), (1, 1));
    }

    #[test]
    fn onboarded_anchors_every_and_nothing_expected_without_anchor() {
        let policy = every(60, Some(10));
        let input = ScheduleInput {
            policy: &policy,
            starts: &[],
            window_start: ts_min(30),
            as_of: ts_min(200),
            onboarded: Some(ts_min(30)),
        };
        let got = schedule_adherence(&input).unwrap();
        // runs 30, 90, 150 missed; 210 is after as_of
        assert_eq!((got.missed_runs, got.pending_runs), (3, 0));
        let input = ScheduleInput {
            onboarded: None,
            ..input
        };
        assert_eq!(schedule_adherence(&input).unwrap().attainment(), None);
    }

    #[test]
    fn one_event_meets_one_run_only() {
        // grace as large as the interval: the event at 30 is within grace of runs 0 and 60 but meets only 0 (tie → earlier)
        let runs = [ts_min(0), ts_min(60)];
        let got = match_runs(
            runs.into_iter(),
            &[ts_min(30)],
            60 * M,
            ts_min(0)..=ts_min(1000),
            ts_min(1000),
        );
        assert_eq!((got.met_runs, got.missed_runs), (1, 1));
        // two events at the tie point: the second goes to the later run
        let got = match_runs(
            runs.into_iter(),
            &[ts_min(30), ts_min(30)],
            60 * M,
            ts_min(0)..=ts_min(1000),
            ts_min(1000),
        );
        assert_eq!((got.met_runs, got.missed_runs), (2, 0));
    }

    /// Brute force: every event to its nearest run (tie: earlier unless met), quadratic.
    fn brute(runs: &[i64], starts: &[i64], grace: i64) -> Vec<bool> {
        let mut met = vec![false; runs.len()];
        for &e in starts {
            let best = runs
                .iter()
                .enumerate()
                .min_by_key(|&(i, &r)| ((e - r).abs(), i))
                .map(|(i, _)| i);
            let Some(mut i) = best else { continue };
            // tie with the next run: the earlier one unless it is already met
            if i + 1 < runs.len() && (e - runs[i]).abs() == (runs[i + 1] - e).abs() && met[i] {
                i += 1;
            }
            if (e - runs[i]).abs() <= grace {
                met[i] = true;
            }
        }
        met
    }

    proptest! {
        #[test]
        fn merge_matching_equals_quadratic_model(
            run_set in prop::collection::btree_set(0i64..100, 0..12),
            mut starts in prop::collection::vec(0i64..110, 0..12),
            grace in 0i64..30,
        ) {
            starts.sort_unstable();
            let runs: Vec<i64> = run_set.into_iter().collect();
            let as_of = 1_000;
            let got = match_runs(runs.iter().map(|&r| ts_min(r)), &starts.iter().map(|&s| ts_min(s)).collect::<Vec<_>>(), grace * M, ts_min(0)..=ts_min(as_of), ts_min(as_of));
            let met = brute(&runs, &starts, grace);
            prop_assert_eq!(got.met_runs, met.iter().filter(|m| **m).count() as u64);
            let missed: Vec<Timestamp> = runs.iter().zip(&met).filter(|(_, m)| !**m).map(|(r, _)| ts_min(*r)).take(FIRST_MISSED_SHOWN).collect();
            prop_assert_eq!(got.first_missed, missed);
        }
    }
}
