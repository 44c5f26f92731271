//! Backup attempt failures per policy.
//!
//! A failed attempt is any backup that did not succeed: `failed` and `partial` alike, because a
//! partial backup gives no recovery point (it cannot be relied on for a restore).

use crate::evidence::{Event, Kind, Origin, Status, Sym};
use crate::time::Timestamp;

/// How many of the latest attempts must all have failed to raise `backup-failures`.
pub const LATEST_ATTEMPTS: usize = 3;
/// Share of failed attempts in the window above which `backup-failures` is raised (strict).
pub const FAILURE_RATIO: f64 = 0.10;
const FAILURE_RATIO_NUM: usize = 1;
const FAILURE_RATIO_DEN: usize = 10;

/// Failure figures of one policy's backup attempts (events without a policy form their own
/// group, `policy: None`).
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptFailures {
    pub policy: Option<Sym>,
    /// Attempts started (else finished) in the window, and how many of those did not succeed.
    pub attempts_in_window: usize,
    pub failed_in_window: usize,
    /// The latest attempts up to as_of, newest first, at most [`LATEST_ATTEMPTS`].
    pub latest: Vec<(Timestamp, Status, Origin)>,
}

impl AttemptFailures {
    pub fn latest_all_failed(&self) -> bool {
        self.latest.len() == LATEST_ATTEMPTS
            && self.latest.iter().all(|(_, s, _)| *s != Status::Success)
    }
    pub fn failure_ratio(&self) -> Option<f64> {
        (self.attempts_in_window > 0)
            .then(|| self.failed_in_window as f64 / self.attempts_in_window as f64)
    }
    /// More than [`FAILURE_RATIO`] of the attempts, compared in integers so that exactly 10%
    /// is never "more" through rounding.
    pub fn too_many_failed(&self) -> bool {
        self.failed_in_window * FAILURE_RATIO_DEN > self.attempts_in_window * FAILURE_RATIO_NUM
    }
}

/// When an attempt happened, for ordering and window membership: its start, else its finish.
fn attempt_time(e: &Event) -> Timestamp {
    e.started_at().or(e.finished_at()).unwrap_or(Timestamp::MIN)
}

fn finished(e: &Event) -> Timestamp {
    e.finished_at().or(e.started_at()).unwrap_or(Timestamp::MIN)
}

/// Failure figures per policy for one system's events, over the window [start, as_of]. Attempts
/// finishing after as_of are ignored. One sort of the system's backups, one pass.
pub fn attempt_failures(
    events: &[Event],
    start: Timestamp,
    as_of: Timestamp,
) -> Vec<AttemptFailures> {
    let mut backups: Vec<&Event> = events
        .iter()
        .filter(|e| e.kind() == Kind::Backup && finished(e) <= as_of)
        .collect();
    backups.sort_by_key(|e| (e.policy(), attempt_time(e), finished(e)));
    backups
        .chunk_by(|x, y| x.policy() == y.policy())
        .map(|group| {
            let in_window: Vec<&&Event> =
                group.iter().filter(|e| attempt_time(e) >= start).collect();
            AttemptFailures {
                policy: group.first().and_then(|e| e.policy()),
                attempts_in_window: in_window.len(),
                failed_in_window: in_window
                    .iter()
                    .filter(|e| e.status() != Status::Success)
                    .count(),
                latest: group
                    .iter()
                    .rev()
                    .take(LATEST_ATTEMPTS)
                    .map(|e| (attempt_time(e), e.status(), e.origin()))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(at: i64, status: Status, policy: u32) -> Event {
        Event::new(
            Sym(0),
            Kind::Backup,
            status,
            Origin {
                input: 0,
                record: at as u32,
            },
        )
        .with_started_at(Some(Timestamp::from_unix_seconds(at)))
        .with_finished_at(Some(Timestamp::from_unix_seconds(at + 1)))
        .with_policy(Some(Sym(policy)))
    }

    #[test]
    fn three_latest_non_successes_are_flagged_per_policy() {
        let events = [
            backup(10, Status::Success, 1),
            backup(20, Status::Failed, 1),
            backup(30, Status::Partial, 1),
            backup(40, Status::Failed, 1),
            backup(25, Status::Failed, 2),
            backup(35, Status::Failed, 2),
            backup(45, Status::Success, 2),
        ];
        let got = attempt_failures(
            &events,
            Timestamp::from_unix_seconds(0),
            Timestamp::from_unix_seconds(100),
        );
        assert_eq!(got.len(), 2);
        assert!(got[0].latest_all_failed());
        assert!(!got[1].latest_all_failed());
        assert_eq!((got[0].attempts_in_window, got[0].failed_in_window), (4, 3));
    }

    #[test]
    fn ratio_is_strictly_above_ten_percent_and_counts_only_the_window() {
        let mut events: Vec<Event> = (0..9)
            .map(|i| backup(100 + i, Status::Success, 1))
            .collect();
        events.push(backup(5, Status::Failed, 1)); // before the window
        events.push(backup(200, Status::Failed, 1));
        let got = attempt_failures(
            &events,
            Timestamp::from_unix_seconds(50),
            Timestamp::from_unix_seconds(300),
        );
        assert_eq!(
            (got[0].attempts_in_window, got[0].failed_in_window),
            (10, 1)
        ); // exactly 10%
        assert!(!got[0].too_many_failed());
        events.push(backup(201, Status::Failed, 1));
        let got = attempt_failures(
            &events,
            Timestamp::from_unix_seconds(50),
            Timestamp::from_unix_seconds(300),
        );
        assert!(got[0].too_many_failed());
        // an attempt finishing after as_of is ignored
        let got = attempt_failures(
            &events,
            Timestamp::from_unix_seconds(50),
            Timestamp::from_unix_seconds(201),
        );
        assert_eq!(got[0].failed_in_window, 1);
    }
}
