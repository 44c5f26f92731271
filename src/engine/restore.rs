//! Restore tests: which test is "the last one", which is the last successful one, and what
//! each says about the RTO.

use crate::evidence::{Event, Kind, Origin, Status};
use crate::time::Timestamp;

/// A restore test as the report shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreTest {
    pub started_at: Option<Timestamp>,
    /// `finished_at`, else `started_at` for a source that records only the start.
    pub finished_at: Timestamp,
    pub status: Status,
    /// `finished_at − started_at`; `None` when the source did not record both.
    pub duration_nanos: Option<i64>,
    pub origin: Origin,
}

impl RestoreTest {
    fn from_event(event: &Event) -> Option<Self> {
        let finished_at = event.finished_at().or(event.started_at())?;
        let duration_nanos = event
            .started_at()
            .zip(event.finished_at())
            .map(|(s, f)| f.since(s));
        Some(Self {
            started_at: event.started_at(),
            finished_at,
            status: event.status(),
            duration_nanos,
            origin: event.origin(),
        })
    }
    pub fn succeeded(&self) -> bool {
        self.status == Status::Success
    }
    /// Order of "latest": by finish, ties by start.
    fn recency(&self) -> (Timestamp, Option<Timestamp>) {
        (self.finished_at, self.started_at)
    }
}

/// The two tests the RTO findings are about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreHistory {
    /// The latest restore test finished by as_of, whatever its status.
    pub last: Option<RestoreTest>,
    /// The latest successful one (`partial` is not a success).
    pub last_successful: Option<RestoreTest>,
}

/// Finds the last and last successful restore tests among `events` (one system's), ignoring
/// tests that finished after `as_of`.
pub fn restore_history(events: &[Event], as_of: Timestamp) -> RestoreHistory {
    let mut history = RestoreHistory::default();
    let tests = events
        .iter()
        .filter(|e| e.kind() == Kind::RestoreTest)
        .filter_map(RestoreTest::from_event)
        .filter(|t| t.finished_at <= as_of);
    for test in tests {
        history.last = Some(latest(history.last, test));
        if test.succeeded() {
            history.last_successful = Some(latest(history.last_successful, test));
        }
    }
    history
}

fn latest(current: Option<RestoreTest>, candidate: RestoreTest) -> RestoreTest {
    match current {
        Some(c) if c.recency() >= candidate.recency() => c,
        _ => candidate,
    }
}

/// The restore-test facts that are violations, each independent of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreProblem {
    /// No successful test ever (finished by as_of).
    Missing,
    /// The last test did not succeed.
    LastFailed(RestoreTest),
    /// The latest successful test finished strictly longer than `max_age` before as_of.
    Stale {
        test: RestoreTest,
        age_nanos: i64,
        max_age_nanos: i64,
    },
    /// The latest successful test took strictly longer than the RTO.
    ExceedsRto {
        test: RestoreTest,
        duration_nanos: i64,
        rto_nanos: i64,
    },
}

/// Judges a system's restore history against its RTO and maximum test age.
pub fn restore_problems(
    history: &RestoreHistory,
    as_of: Timestamp,
    rto_nanos: i64,
    max_age_nanos: i64,
) -> Vec<RestoreProblem> {
    let mut problems = Vec::new();
    if let Some(last) = history.last.filter(|t| !t.succeeded()) {
        problems.push(RestoreProblem::LastFailed(last));
    }
    let Some(good) = history.last_successful else {
        problems.insert(0, RestoreProblem::Missing);
        return problems;
    };
    let age_nanos = as_of.since(good.finished_at);
    if age_nanos > max_age_nanos {
        problems.push(RestoreProblem::Stale {
            test: good,
            age_nanos,
            max_age_nanos,
        });
    }
    if let Some(duration_nanos) = good.duration_nanos.filter(|&d| d > rto_nanos) {
        problems.push(RestoreProblem::ExceedsRto {
            test: good,
            duration_nanos,
            rto_nanos,
        });
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::evidence::Sym;

    pub(crate) fn restore_event(started: i64, finished: i64, status: Status, record: u32) -> Event {
        Event::new(
            Sym(0),
            Kind::RestoreTest,
            status,
            Origin { input: 0, record },
        )
        .with_started_at(Some(Timestamp::from_unix_seconds(started)))
        .with_finished_at(Some(Timestamp::from_unix_seconds(finished)))
    }

    const S: i64 = 1_000_000_000;

    #[test]
    fn last_test_is_latest_finished_ties_by_start_and_ignores_the_future() {
        let events = [
            restore_event(0, 100, Status::Success, 1),
            restore_event(50, 200, Status::Failed, 2),
            restore_event(60, 200, Status::Partial, 3),
            restore_event(300, 400, Status::Success, 4),
        ];
        let h = restore_history(&events, Timestamp::from_unix_seconds(399));
        assert_eq!(h.last.map(|t| t.origin.record), Some(3));
        assert_eq!(h.last_successful.map(|t| t.origin.record), Some(1));
        assert_eq!(
            h.last_successful.and_then(|t| t.duration_nanos),
            Some(100 * S)
        );
    }

    #[test]
    fn missing_and_failed_can_both_fire() {
        let events = [restore_event(0, 10, Status::Partial, 1)];
        let h = restore_history(&events, Timestamp::from_unix_seconds(100));
        let problems = restore_problems(&h, Timestamp::from_unix_seconds(100), 3600 * S, 3600 * S);
        assert!(matches!(
            problems[..],
            [RestoreProblem::Missing, RestoreProblem::LastFailed(_)]
        ));
    }

    #[test]
    fn stale_and_rto_comparisons_are_strict() {
        let events = [restore_event(0, 10, Status::Success, 1)];
        let h = restore_history(&events, Timestamp::from_unix_seconds(20));
        // age 10 = max age, duration 10 = rto: compliant
        assert!(restore_problems(&h, Timestamp::from_unix_seconds(20), 10 * S, 10 * S).is_empty());
        let problems = restore_problems(&h, Timestamp::from_unix_seconds(21), 9 * S, 10 * S);
        assert!(matches!(
            problems[..],
            [
                RestoreProblem::Stale { .. },
                RestoreProblem::ExceedsRto { .. }
            ]
        ));
    }

    mod brute_force {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            #[test]
            fn last_and_last_successful_match_the_definition(
                tests in proptest::collection::vec((0i64..50, 0i64..20, 0u8..3), 0..12),
                as_of in 0i64..80,
            ) {
                let status = |s: u8| [Status::Success, Status::Failed, Status::Partial][s as usize];
                let events: Vec<Event> = tests
                    .iter()
                    .enumerate()
                    .map(|(i, &(start, took, s))| restore_event(start, start + took, status(s), i as u32))
                    .collect();
                let as_of = Timestamp::from_unix_seconds(as_of);
                let got = restore_history(&events, as_of);
                // The definition: the latest by finish, ties by start, among tests finished by as_of.
                let key = |&(start, took, _): &(i64, i64, u8)| (start + took, start);
                let done: Vec<_> = tests.iter().filter(|t| Timestamp::from_unix_seconds(key(t).0) <= as_of).collect();
                let last = done.iter().map(|t| key(t)).max();
                let last_ok = done.iter().filter(|t| t.2 == 0).map(|t| key(t)).max();
                let shown = |t: Option<RestoreTest>| t.map(|t| (t.finished_at.nanos() / 1_000_000_000, t.started_at.unwrap().nanos() / 1_000_000_000));
                prop_assert_eq!(shown(got.last), last);
                prop_assert_eq!(shown(got.last_successful), last_ok);
                prop_assert!(got.last_successful.is_none_or(|t| t.succeeded()));
                if let Some(t) = got.last_successful {
                    prop_assert_eq!(t.duration_nanos, Some(t.finished_at.since(t.started_at.unwrap())));
                }
            }
        }
    }
}
