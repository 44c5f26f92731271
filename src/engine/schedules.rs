//! Schedule adherence: were the scheduled runs of each backup policy met?
//!
//! [`schedule_adherence`] judges one policy: it delegates to [`crate::schedule`] for runs (cron in its timezone with
//! daylight saving, or `every` from its anchor), the default grace, and nearest-first matching
//! (documented in [`crate::schedule::adherence`]). Runs whose grace ends after as_of are pending.

use crate::declarations::{BackupPolicy, Trigger};
use crate::schedule::{self, Schedule};
use crate::time::Timestamp;

/// How many missed runs a finding lists.
pub const FIRST_MISSED_SHOWN: usize = 5;

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

/// Adherence of one policy, `every` or cron, through [`crate::schedule`]: runs in the system's
/// window, the declared grace or the documented default, nearest-first matching.
pub fn schedule_adherence(input: &ScheduleInput<'_>) -> Option<ScheduleResult> {
    let policy = input.policy;
    let year_start = schedule::year_start_for(input.as_of);
    let grace = match policy.grace {
        Some(g) => g.nanos(),
        None => schedule::default_grace(&policy.trigger, year_start).ok()?,
    };
    // `every` runs fall on anchor + k·interval: `onboarded` if declared, else the first
    // successful event. Without either no run can be placed, so none is expected.
    let anchor = match policy.trigger {
        Trigger::Every(_) => input.onboarded.or_else(|| input.starts.first().copied()),
        Trigger::Cron { .. } => Some(input.window_start),
    };
    let result = match anchor {
        Some(anchor) => {
            let plan = Schedule::from_trigger(&policy.trigger, anchor).ok()?;
            schedule::adherence(
                plan.runs(input.window_start, input.as_of),
                input.starts,
                grace,
                input.as_of,
            )
        }
        None => schedule::adherence(std::iter::empty(), input.starts, grace, input.as_of),
    };
    Some(ScheduleResult {
        policy: policy.id.clone(),
        grace_nanos: grace,
        expected_runs: result.expected,
        met_runs: result.met,
        missed_runs: result.missed,
        pending_runs: result.pending,
        first_missed: result
            .first_missed
            .into_iter()
            .take(FIRST_MISSED_SHOWN)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declarations::Pos;
    use crate::duration::Duration;

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
}
