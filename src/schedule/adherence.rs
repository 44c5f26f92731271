//! Schedule adherence: which scheduled runs a policy's successful events met.
//!
//! The contract (issue 4): a run at `s` is met by a successful event starting in
//! `[s − grace, s + grace]`; each event meets at most one run and each run is met at most once,
//! nearest first; a run with `s + grace > as_of` is pending (neither met nor missed);
//! `expected = met + missed`.
//!
//! **Nearest first, precisely.** Among all (run, event) pairs within grace, repeatedly take the
//! pair with the smallest distance `|s − e|`; ties go to the earlier run, then the earlier event;
//! drop pairs whose run or event is taken; repeat until no pair is left. (Only the run
//! tie-break can change which runs are met: equally near pairs that share no run or event are
//! both taken whatever their order.) Matching in time order
//! instead would differ: with runs at 0 and 6, an event at 4 and a grace of 5, a time-order
//! sweep gives the event to the run at 0, nearest first to the run at 6.
//!
//! **Cost.** The pair chosen at each step is always adjacent (a run next to an event) in the time
//! order of the points still untaken, with runs ordered before events at equal times (a point
//! between them would form a nearer or equal, higher-priority pair). So the matching runs on a
//! linked list of the points with a heap of adjacent pairs: taking a pair links its neighbours
//! and adds at most one new pair. Points more than a grace apart never interact, so the stream
//! is cut into independent stretches there and each is matched as it completes:
//! O((runs + events) log) time, memory bounded by the longest stretch.

use crate::time::Timestamp;
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How many missed runs [`Adherence::first_missed`] keeps for the `schedule-missed` message.
pub const FIRST_MISSED_LIMIT: usize = 10;

/// Met, missed and pending runs of one policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adherence {
    /// met + missed.
    pub expected: u64,
    pub met: u64,
    pub missed: u64,
    /// Runs whose grace ends after as_of.
    pub pending: u64,
    /// The earliest missed runs, at most [`FIRST_MISSED_LIMIT`].
    pub first_missed: Vec<Timestamp>,
}

impl Adherence {
    /// met / expected; `None` when nothing was expected.
    pub fn attainment(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.met as f64 / self.expected as f64)
    }
}

/// Judges `runs` (ascending; the caller streams [`super::Schedule::runs`] over
/// W = [start, as_of]) against the `started_at` instants of the policy's successful events
/// (ascending; sorted here if not). A negative grace counts as zero.
pub fn adherence(
    runs: impl IntoIterator<Item = Timestamp>,
    events: &[Timestamp],
    grace_nanos: i64,
    as_of: Timestamp,
) -> Adherence {
    let grace = grace_nanos.max(0);
    let events: Cow<'_, [Timestamp]> = if events.is_sorted() {
        Cow::Borrowed(events)
    } else {
        let mut sorted = events.to_vec();
        sorted.sort_unstable();
        Cow::Owned(sorted)
    };
    let mut matcher = Matcher {
        grace,
        as_of: as_of.nanos(),
        stretch: Stretch::default(),
        result: Adherence::default(),
    };
    let mut events = events.iter().map(|e| e.nanos()).peekable();
    let mut last_run: Option<i64> = None;
    for run in runs {
        let run = run.nanos();
        // the contract is ascending runs; a repeat is the same run
        if last_run.is_some_and(|last| run <= last) {
            continue;
        }
        last_run = Some(run);
        // events that come before the run in time order (runs first at equal times)
        while let Some(event) = events.next_if(|&e| e < run) {
            matcher.push(event, false);
        }
        matcher.push(run, true);
    }
    // events after the last run can still meet it
    if let Some(last) = last_run {
        let reach = last.saturating_add(grace);
        while let Some(event) = events.next_if(|&e| e <= reach) {
            matcher.push(event, false);
        }
    }
    matcher.finish_stretch();
    matcher.result
}

const NONE: usize = usize::MAX;

/// A candidate pair in the heap: (distance, run time, event time, left index, right index).
type Pair = Reverse<(i64, i64, i64, usize, usize)>;

/// Points of one stretch: no two consecutive points more than a grace apart.
#[derive(Debug, Default)]
struct Stretch {
    time: Vec<i64>,
    is_run: Vec<bool>,
    runs: usize,
}

struct Matcher {
    grace: i64,
    as_of: i64,
    stretch: Stretch,
    result: Adherence,
}

impl Matcher {
    fn push(&mut self, time: i64, is_run: bool) {
        if self
            .stretch
            .time
            .last()
            .is_some_and(|&last| time.saturating_sub(last) > self.grace)
        {
            self.finish_stretch();
        }
        if !is_run && self.stretch.runs == 0 {
            // Runs arrive no earlier than this event, so events of a run-less stretch more than
            // a grace before it can never meet one: drop them to bound memory.
            let stale = self
                .stretch
                .time
                .partition_point(|&e| e < time.saturating_sub(self.grace));
            self.stretch.time.drain(..stale);
            self.stretch.is_run.drain(..stale);
        }
        self.stretch.time.push(time);
        self.stretch.is_run.push(is_run);
        self.stretch.runs += usize::from(is_run);
    }

    fn finish_stretch(&mut self) {
        let stretch = std::mem::take(&mut self.stretch);
        if stretch.runs > 0 {
            let met = match_nearest_first(&stretch.time, &stretch.is_run, self.grace);
            for (index, &time) in stretch.time.iter().enumerate() {
                if !stretch.is_run[index] {
                    continue;
                }
                if time.saturating_add(self.grace) > self.as_of {
                    self.result.pending += 1;
                } else if met[index] {
                    self.result.met += 1;
                } else {
                    self.result.missed += 1;
                    if self.result.first_missed.len() < FIRST_MISSED_LIMIT {
                        self.result.first_missed.push(Timestamp::from_nanos(time));
                    }
                }
            }
            self.result.expected = self.result.met + self.result.missed;
        }
        // reuse the allocations for the next stretch
        self.stretch = Stretch {
            time: stretch.time,
            is_run: stretch.is_run,
            runs: 0,
        };
        self.stretch.time.clear();
        self.stretch.is_run.clear();
    }
}

/// Nearest-first matching of one stretch (points in time order, runs before events at equal
/// times); returns, per point, whether it was taken.
fn match_nearest_first(time: &[i64], is_run: &[bool], grace: i64) -> Vec<bool> {
    let n = time.len();
    let mut prev: Vec<usize> = (0..n).map(|i| i.checked_sub(1).unwrap_or(NONE)).collect();
    let mut next: Vec<usize> = (0..n)
        .map(|i| if i + 1 < n { i + 1 } else { NONE })
        .collect();
    let mut taken = vec![false; n];
    // (distance, run time, event time, left, right), smallest first
    let mut heap = BinaryHeap::new();
    let candidate = |left: usize, right: usize| -> Option<Pair> {
        if is_run[left] == is_run[right] {
            return None;
        }
        let distance = time[right].saturating_sub(time[left]);
        if distance > grace {
            return None;
        }
        let (run, event) = if is_run[left] {
            (time[left], time[right])
        } else {
            (time[right], time[left])
        };
        Some(Reverse((distance, run, event, left, right)))
    };
    for left in 0..n.saturating_sub(1) {
        heap.extend(candidate(left, left + 1));
    }
    while let Some(Reverse((_, _, _, left, right))) = heap.pop() {
        if taken[left] || taken[right] || next[left] != right {
            continue;
        }
        taken[left] = true;
        taken[right] = true;
        let (before, after) = (prev[left], next[right]);
        if before != NONE {
            next[before] = after;
        }
        if after != NONE {
            prev[after] = before;
        }
        if before != NONE && after != NONE {
            heap.extend(candidate(before, after));
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const S: i64 = crate::time::NANOS_PER_SEC;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_nanos(secs * S)
    }

    fn ts(list: &[i64]) -> Vec<Timestamp> {
        list.iter().map(|&s| t(s)).collect()
    }

    #[test]
    fn nearest_first_beats_time_order() {
        let result = adherence(ts(&[0, 6]), &ts(&[4]), 5 * S, t(1_000));
        assert_eq!(result.met, 1);
        assert_eq!(result.first_missed, ts(&[0]));
    }

    #[test]
    fn ties_go_to_the_earlier_run() {
        let result = adherence(ts(&[0, 10]), &ts(&[5]), 5 * S, t(1_000));
        assert_eq!(result.first_missed, ts(&[10]));
    }

    #[test]
    fn grace_edges_are_inclusive_to_the_nanosecond() {
        let run = 1_000 * S;
        let grace = 300 * S;
        let as_of = t(10_000);
        let judge = |event: i64| {
            adherence(
                [Timestamp::from_nanos(run)],
                &[Timestamp::from_nanos(event)],
                grace,
                as_of,
            )
            .met
        };
        assert_eq!(judge(run - grace), 1);
        assert_eq!(judge(run + grace), 1);
        assert_eq!(judge(run - grace - 1), 0);
        assert_eq!(judge(run + grace + 1), 0);
    }

    #[test]
    fn pending_when_grace_ends_after_as_of() {
        let grace = 300 * S;
        let run = t(1_000);
        let at_edge = adherence([run], &[], grace, run.saturating_add_nanos(grace));
        assert_eq!(
            (at_edge.missed, at_edge.pending, at_edge.expected),
            (1, 0, 1)
        );
        let just_before = adherence([run], &[], grace, run.saturating_add_nanos(grace - 1));
        assert_eq!(
            (
                just_before.missed,
                just_before.pending,
                just_before.expected
            ),
            (0, 1, 0)
        );
        assert_eq!(just_before.attainment(), None);
        // a pending run that an event already meets is still pending
        let met_but_pending = adherence([run], &[run], grace, run);
        assert_eq!((met_but_pending.met, met_but_pending.pending), (0, 1));
    }

    #[test]
    fn each_event_meets_one_run() {
        // a minute schedule with a 5 minute grace and one event: one run met, the rest missed
        let runs: Vec<Timestamp> = (0..10).map(|m| t(m * 60)).collect();
        let result = adherence(runs, &ts(&[270]), 300 * S, t(100_000));
        assert_eq!((result.met, result.missed, result.expected), (1, 9, 10));
        assert_eq!(result.first_missed.len(), 9);
        // 270 is 30 s from both 240 and 300: the earlier run takes it
        assert!(!result.first_missed.contains(&t(240)));
        assert!(result.first_missed.contains(&t(300)));
        assert_eq!(result.attainment(), Some(0.1));
    }

    #[test]
    fn a_run_moved_by_spring_forward_is_judged_at_its_real_instant() {
        use crate::declarations::Trigger;
        let trigger = Trigger::Cron {
            expression: "30 1 * * *".into(),
            timezone: "Europe/London".parse().unwrap(),
        };
        let schedule = super::super::Schedule::from_trigger(&trigger, t(0)).unwrap();
        let from = Timestamp::parse_rfc3339("2026-03-28T00:00:00Z").unwrap();
        let as_of = Timestamp::parse_rfc3339("2026-03-31T00:00:00Z").unwrap();
        // 01:30 GMT, then the catch-up at the change (01:00Z), then 01:30 BST (00:30Z)
        let events: Vec<Timestamp> = [
            "2026-03-28T01:31:00Z",
            "2026-03-29T01:04:00Z",
            "2026-03-30T01:31:00Z",
        ]
        .iter()
        .map(|e| Timestamp::parse_rfc3339(e).unwrap())
        .collect();
        let result = adherence(schedule.runs(from, as_of), &events, 300 * S, as_of);
        assert_eq!((result.met, result.missed), (2, 1));
        assert_eq!(result.first_missed[0].to_string(), "2026-03-30T00:30:00Z");
    }

    #[test]
    fn first_missed_is_capped_and_in_order() {
        let runs: Vec<Timestamp> = (0..50).map(|h| t(h * 3_600)).collect();
        let result = adherence(runs.clone(), &[], 300 * S, t(1_000_000));
        assert_eq!(result.missed, 50);
        assert_eq!(result.first_missed, runs[..FIRST_MISSED_LIMIT].to_vec());
    }

    #[test]
    fn unsorted_events_are_sorted_and_duplicates_count_once_each() {
        let result = adherence(ts(&[0, 60]), &ts(&[61, 1]), 30 * S, t(10_000));
        assert_eq!(result.met, 2);
        let result = adherence(ts(&[0, 60]), &ts(&[30, 30]), 30 * S, t(10_000));
        assert_eq!(result.met, 2);
    }

    #[test]
    fn minute_schedule_over_ninety_days_is_fast_enough_and_exact() {
        let runs = (0..129_600i64).map(|m| t(m * 60));
        // every run's event 10 s late except every 100th run, which has none
        let events: Vec<Timestamp> = (0..129_600i64)
            .filter(|m| m % 100 != 0)
            .map(|m| t(m * 60 + 10))
            .collect();
        let result = adherence(runs, &events, 300 * S, t(129_600 * 60 + 1_000));
        assert_eq!(result.expected, 129_600);
        // nearest first: each event sits 10 s after its own run and 50 s before the next one
        assert_eq!(result.missed, 1_296);
        assert_eq!(result.first_missed[0], t(0));
    }

    /// The contract's definition, literally: all pairs within grace, nearest first.
    fn brute(runs: &[i64], events: &[i64], grace: i64, as_of: i64) -> Adherence {
        let mut pairs = Vec::new();
        for (ri, &r) in runs.iter().enumerate() {
            for (ei, &e) in events.iter().enumerate() {
                if (r - e).abs() <= grace {
                    pairs.push(((r - e).abs(), r, e, ri, ei));
                }
            }
        }
        pairs.sort();
        let mut run_met = vec![false; runs.len()];
        let mut event_used = vec![false; events.len()];
        for (_, _, _, ri, ei) in pairs {
            if !run_met[ri] && !event_used[ei] {
                run_met[ri] = true;
                event_used[ei] = true;
            }
        }
        let mut result = Adherence::default();
        for (ri, &r) in runs.iter().enumerate() {
            if r + grace > as_of {
                result.pending += 1;
            } else if run_met[ri] {
                result.met += 1;
            } else {
                result.missed += 1;
                if result.first_missed.len() < FIRST_MISSED_LIMIT {
                    result.first_missed.push(Timestamp::from_nanos(r));
                }
            }
        }
        result.expected = result.met + result.missed;
        result
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn matches_the_brute_force_definition(
            run_set in proptest::collection::btree_set(0i64..120, 0..25),
            mut events in proptest::collection::vec(0i64..130, 0..25),
            grace in 0i64..15,
            as_of in 0i64..140,
        ) {
            events.sort_unstable();
            let runs: Vec<i64> = run_set.into_iter().collect();
            let ours = adherence(
                runs.iter().map(|&r| Timestamp::from_nanos(r)),
                &events.iter().map(|&e| Timestamp::from_nanos(e)).collect::<Vec<_>>(),
                grace,
                Timestamp::from_nanos(as_of),
            );
            prop_assert_eq!(ours, brute(&runs, &events, grace, as_of));
        }
    }
}
