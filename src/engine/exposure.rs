//! Exact RPO exposure over a review window, computed from recovery points.
//!
//! A recovery point is a pair (p, a): the instant the data reflects and the instant it became
//! usable. Exposure at t is `t − max{p : a ≤ t}` (unbounded when no point is available). Between
//! availability instants the newest usable p does not change, so exposure is a sawtooth: it grows
//! with slope 1 and drops only when a point newer than every earlier one becomes available. The
//! figures below are therefore computed exactly from one sweep over the points sorted by `a`,
//! segment by segment, never by sampling.
//!
//! Boundary conventions (the contract, see the README ("How `check` judges a system")):
//! - a point counts from its availability instant on (`a ≤ t`), so exposure is right-continuous:
//!   at a drop instant it already has the new, lower value;
//! - a breach is a maximal interval of the window where exposure > RPO (strict); it opens just
//!   after `p + RPO` and closes at the availability of the point that brings exposure back to at
//!   most the RPO; two breaches separated by a single compliant instant stay two breaches;
//! - the peak (and the worst exposure) is a supremum: the value just before the closing drop;
//! - a window of zero length is judged at its only instant.

use crate::evidence::Origin;
use crate::time::Timestamp;

/// One recovery point. `origin` is `None` for the virtual point at the `onboarded` instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecoveryPoint {
    /// p: the instant the data reflects.
    pub point: Timestamp,
    /// a: the instant it became usable (p ≤ a).
    pub available: Timestamp,
    pub origin: Option<Origin>,
}

impl RecoveryPoint {
    /// The point `onboarded` stands for: as if a backup existed at that instant.
    pub fn onboarded(at: Timestamp) -> Self {
        Self {
            point: at,
            available: at,
            origin: None,
        }
    }
    pub fn is_virtual(&self) -> bool {
        self.origin.is_none()
    }
}

/// What the exposure is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExposureWindow {
    /// Start of the review window W (before `onboarded` moves it).
    pub start: Timestamp,
    /// End of W: every figure is "as of" this instant.
    pub as_of: Timestamp,
    /// `onboarded` midnight, when declared.
    pub onboarded: Option<Timestamp>,
    pub rpo_nanos: i64,
}

impl ExposureWindow {
    /// The window actually judged: `onboarded` moves the start later, never past `as_of`.
    pub fn effective_start(&self) -> Timestamp {
        let start = match self.onboarded {
            Some(onboarded) => self.start.max(onboarded),
            None => self.start,
        };
        start.min(self.as_of)
    }
}

/// A maximal interval of the window during which exposure exceeded the RPO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breach {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Supremum of the exposure inside the window over the breach; `None` when no recovery point
    /// was available at some instant of it (the exposure was unbounded).
    pub peak_nanos: Option<i64>,
    /// Still in breach at `as_of` (then `end == as_of`).
    pub ongoing: bool,
    /// The newest point available when the breach started (it grew too old); `None` if none.
    pub last_point_before: Option<RecoveryPoint>,
    /// The point whose availability ended the breach; `None` while ongoing.
    pub closed_by: Option<RecoveryPoint>,
}

impl Breach {
    pub fn duration_nanos(&self) -> i64 {
        self.end.since(self.start)
    }
}

/// Every exposure figure of one system over its window.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureSummary {
    /// Start of the judged window (after `onboarded`).
    pub window_start: Timestamp,
    /// Exposure at `as_of`; `None` when unbounded.
    pub current_nanos: Option<i64>,
    /// Supremum over the window; `None` when unbounded anywhere in it.
    pub worst_nanos: Option<i64>,
    /// Length of the window where exposure ≤ RPO, and the window's length.
    pub compliant_nanos: i64,
    pub window_nanos: i64,
    pub breaches: Vec<Breach>,
    /// The newest real (not `onboarded`) point available at `as_of`.
    pub last_recovery_point: Option<RecoveryPoint>,
}

impl ExposureSummary {
    /// Share of the window with exposure ≤ RPO. A zero-length window is judged at its instant.
    pub fn attainment(&self) -> f64 {
        if self.window_nanos == 0 {
            return if self.breaches.is_empty() { 1.0 } else { 0.0 };
        }
        self.compliant_nanos as f64 / self.window_nanos as f64
    }
}

/// Computes every exposure figure exactly. Points available after `as_of` are ignored; points
/// available before the window count. O(n log n) for the sort, then one pass.
pub fn exposure(points: &[RecoveryPoint], window: &ExposureWindow) -> ExposureSummary {
    let as_of = window.as_of;
    let start = window.effective_start();
    let mut usable: Vec<RecoveryPoint> = points
        .iter()
        .copied()
        .filter(|p| p.available <= as_of)
        .collect();
    if let Some(onboarded) = window.onboarded {
        usable.push(RecoveryPoint::onboarded(onboarded.min(as_of)));
    }
    // By availability, then p: the last point of an instant is the newest one usable from then.
    usable.sort_by_key(|p| (p.available, p.point));

    let mut sweep = Sweep::new(start, window.rpo_nanos);
    let mut rest = usable.as_slice();
    // Everything available by the window start is what the window opens with.
    while let Some((first, tail)) = rest.split_first() {
        if first.available > start {
            break;
        }
        sweep.newest = newer(sweep.newest, *first);
        rest = tail;
    }
    for group in rest.chunk_by(|x, y| x.available == y.available) {
        if let Some(newest_of_instant) = group.last() {
            sweep.advance(*newest_of_instant);
        }
    }
    let last_real = usable
        .iter()
        .filter(|p| !p.is_virtual())
        .max_by_key(|p| (p.point, p.available))
        .copied();
    sweep.finish(as_of, last_real)
}

fn newer(current: Option<RecoveryPoint>, candidate: RecoveryPoint) -> Option<RecoveryPoint> {
    match current {
        Some(c) if c.point >= candidate.point => Some(c),
        _ => Some(candidate),
    }
}

/// A breach being built while sweeping.
#[derive(Debug, Clone, Copy)]
struct OpenBreach {
    start: Timestamp,
    /// End of the last bad part added (exclusive), to merge contiguous segments.
    end: Timestamp,
    peak: Option<i64>,
    last_point_before: Option<RecoveryPoint>,
    closed_by: Option<RecoveryPoint>,
}

/// State of the sweep: the segment [segment_start, next availability) has a constant newest point.
struct Sweep {
    window_start: Timestamp,
    rpo: i64,
    segment_start: Timestamp,
    newest: Option<RecoveryPoint>,
    worst: Option<i64>,
    bounded: bool,
    breached_nanos: i64,
    open: Option<OpenBreach>,
    breaches: Vec<Breach>,
}

impl Sweep {
    fn new(window_start: Timestamp, rpo: i64) -> Self {
        Self {
            window_start,
            rpo,
            segment_start: window_start,
            newest: None,
            worst: None,
            bounded: true,
            breached_nanos: 0,
            open: None,
            breaches: Vec::new(),
        }
    }

    /// A point becomes available after the window start. Only a newer p changes exposure.
    fn advance(&mut self, candidate: RecoveryPoint) {
        if self.newest.is_some_and(|n| n.point >= candidate.point) {
            return;
        }
        let at = candidate.available;
        self.close_segment(at, false, Some(candidate));
        self.newest = Some(candidate);
        self.segment_start = at;
    }

    /// Accounts for the segment [segment_start, end) (or [segment_start, end] when `closed`, the
    /// final segment ending at as_of). `closing` is the point that ends it.
    fn close_segment(&mut self, end: Timestamp, closed: bool, closing: Option<RecoveryPoint>) {
        let from = self.segment_start;
        if end <= from && !closed {
            return;
        }
        let point = self.newest.map(|n| n.point);
        let supremum = point.map(|p| end.since(p));
        match supremum {
            Some(s) => self.worst = Some(self.worst.map_or(s, |w| w.max(s))),
            None => self.bounded = false,
        }
        let Some(bad_from) = self.bad_part_start(from, end) else {
            self.flush_open();
            return;
        };
        // Positive-length part of a breach inside this segment.
        self.breached_nanos = self.breached_nanos.saturating_add(end.since(bad_from));
        let whole_segment_bad = bad_from == from && self.is_bad_at(from);
        match self.open.as_mut() {
            Some(open) if whole_segment_bad && open.end == from => {
                open.end = end;
                open.peak = open.peak.zip(supremum).map(|(a, b)| a.max(b));
                open.closed_by = closing;
            }
            _ => {
                self.flush_open();
                self.open = Some(OpenBreach {
                    start: bad_from,
                    end,
                    peak: supremum,
                    last_point_before: self.newest,
                    closed_by: closing,
                });
            }
        }
    }

    /// Where the part of the segment with exposure > RPO starts, if it has one.
    /// On the final, closed segment `end` is as_of itself, which the same rule covers: the part
    /// (p + rpo, as_of] is non-empty exactly when p + rpo < as_of.
    fn bad_part_start(&self, from: Timestamp, end: Timestamp) -> Option<Timestamp> {
        let Some(newest) = self.newest else {
            return Some(from);
        };
        // exposure(t) > rpo  ⇔  t > p + rpo
        let threshold = newest.point.saturating_add_nanos(self.rpo);
        if threshold < from {
            Some(from)
        } else if threshold < end {
            Some(threshold)
        } else {
            None
        }
    }

    fn is_bad_at(&self, t: Timestamp) -> bool {
        match self.newest {
            None => true,
            Some(n) => t.since(n.point) > self.rpo,
        }
    }

    fn flush_open(&mut self) {
        if let Some(open) = self.open.take() {
            self.breaches.push(Breach {
                start: open.start,
                end: open.end,
                peak_nanos: open.peak,
                ongoing: false,
                last_point_before: open.last_point_before,
                closed_by: open.closed_by,
            });
        }
    }

    fn finish(mut self, as_of: Timestamp, last_real: Option<RecoveryPoint>) -> ExposureSummary {
        self.close_segment(as_of, true, None);
        let still_bad = self.is_bad_at(as_of);
        if let Some(open) = self.open.take() {
            let ongoing = still_bad && open.end == as_of;
            self.breaches.push(Breach {
                start: open.start,
                end: open.end,
                peak_nanos: open.peak,
                ongoing,
                last_point_before: open.last_point_before,
                closed_by: if ongoing { None } else { open.closed_by },
            });
        }
        let window_nanos = as_of.since(self.window_start);
        ExposureSummary {
            window_start: self.window_start,
            current_nanos: self.newest.map(|n| as_of.since(n.point)),
            worst_nanos: if self.bounded { self.worst } else { None },
            compliant_nanos: window_nanos - self.breached_nanos,
            window_nanos,
            breaches: self.breaches,
            last_recovery_point: last_real,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::NANOS_PER_SEC;
    use proptest::prelude::*;

    const HALF: i64 = NANOS_PER_SEC / 2;

    fn ts(secs: i64) -> Timestamp {
        Timestamp::from_unix_seconds(secs)
    }

    fn point(p: i64, a: i64, record: u32) -> RecoveryPoint {
        RecoveryPoint {
            point: ts(p),
            available: ts(a),
            origin: Some(Origin { input: 0, record }),
        }
    }

    fn window(start: i64, as_of: i64, onboarded: Option<i64>, rpo: i64) -> ExposureWindow {
        ExposureWindow {
            start: ts(start),
            as_of: ts(as_of),
            onboarded: onboarded.map(ts),
            rpo_nanos: rpo * NANOS_PER_SEC,
        }
    }

    // ---- brute force model: exposure sampled on the half-second grid (units of 0.5 s) ----
    //
    // With integer-second inputs, exposure is linear on each open unit interval and only jumps
    // at integers, so sampling every integer (the jump values) and every half-integer (the
    // inside of each unit interval) sees every breach, every compliant instant and, through the
    // left limits, every supremum. Everything below follows the definitions directly.

    /// (start, end, peak) in half seconds, ongoing, p of the point before, p of the closing point.
    type ModelBreach = (i64, i64, Option<i64>, bool, Option<i64>, Option<i64>);

    struct Model {
        /// (p, a) in seconds, already filtered to a ≤ as_of, virtual point included.
        points: Vec<(i64, i64)>,
        real: Vec<(i64, i64)>,
        start: i64,
        as_of: i64,
        rpo: i64,
    }

    impl Model {
        fn new(
            pts: &[(i64, i64)],
            start: i64,
            as_of: i64,
            onboarded: Option<i64>,
            rpo: i64,
        ) -> Self {
            let real: Vec<_> = pts.iter().copied().filter(|&(_, a)| a <= as_of).collect();
            let mut points = real.clone();
            let mut start = start;
            if let Some(o) = onboarded {
                points.push((o.min(as_of), o.min(as_of)));
                start = start.max(o);
            }
            Self {
                points,
                real,
                start: start.min(as_of),
                as_of,
                rpo,
            }
        }
        /// Newest p with 2a ≤ t2 (or < t2 for the left limit), in half units.
        fn newest(&self, t2: i64, strict: bool) -> Option<i64> {
            self.points
                .iter()
                .filter(|&&(_, a)| if strict { 2 * a < t2 } else { 2 * a <= t2 })
                .map(|&(p, _)| 2 * p)
                .max()
        }
        fn exposure(&self, t2: i64) -> Option<i64> {
            self.newest(t2, false).map(|p2| t2 - p2)
        }
        fn left_exposure(&self, t2: i64) -> Option<i64> {
            self.newest(t2, true).map(|p2| t2 - p2)
        }
        fn bad(&self, t2: i64) -> bool {
            self.exposure(t2).is_none_or(|e| e > 2 * self.rpo)
        }
        fn samples(&self) -> std::ops::RangeInclusive<i64> {
            2 * self.start..=2 * self.as_of
        }
        fn worst(&self) -> Option<i64> {
            let mut worst = i64::MIN;
            for t2 in self.samples() {
                worst = worst.max(self.exposure(t2)?);
                if t2 > 2 * self.start {
                    worst = worst.max(self.left_exposure(t2)?);
                }
            }
            Some(worst)
        }
        fn compliant_seconds(&self) -> i64 {
            (self.start..self.as_of)
                .filter(|k| !self.bad(2 * k + 1))
                .count() as i64
        }
        /// (start2, end2, peak2, ongoing, p of point before, p of closing point)
        fn breaches(&self) -> Vec<ModelBreach> {
            let samples: Vec<i64> = self.samples().collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < samples.len() {
                if !self.bad(samples[i]) {
                    i += 1;
                    continue;
                }
                let first = samples[i];
                let mut j = i;
                while j + 1 < samples.len() && self.bad(samples[j + 1]) {
                    j += 1;
                }
                let last = samples[j];
                let start2 = if first == 2 * self.start {
                    first
                } else {
                    first - 1
                };
                let ongoing = last == 2 * self.as_of;
                let end2 = if ongoing { last } else { last + 1 };
                let mut peak = Some(i64::MIN);
                // supremum of a right-continuous sawtooth: values and left limits
                for &t2 in &samples[i..=j] {
                    peak = peak.zip(self.exposure(t2)).map(|(a, b)| a.max(b));
                    if t2 > 2 * self.start {
                        peak = peak.zip(self.left_exposure(t2)).map(|(a, b)| a.max(b));
                    }
                }
                if !ongoing {
                    peak = peak.zip(self.left_exposure(end2)).map(|(a, b)| a.max(b));
                }
                let before = self.newest(start2, false).map(|p2| p2 / 2);
                let closing = if ongoing {
                    None
                } else {
                    self.newest(end2, false).map(|p2| p2 / 2)
                };
                out.push((start2, end2, peak, ongoing, before, closing));
                i = j + 1;
            }
            out
        }
        fn last_recovery_point(&self) -> Option<i64> {
            self.real.iter().map(|&(p, _)| p).max()
        }
    }

    fn check_against_model(
        pts: &[(i64, i64)],
        start: i64,
        as_of: i64,
        onboarded: Option<i64>,
        rpo: i64,
    ) {
        let points: Vec<RecoveryPoint> = pts
            .iter()
            .enumerate()
            .map(|(i, &(p, a))| point(p, a, i as u32))
            .collect();
        let got = exposure(&points, &window(start, as_of, onboarded, rpo));
        let model = Model::new(pts, start, as_of, onboarded, rpo);

        assert_eq!(got.window_start, ts(model.start), "window start");
        assert_eq!(
            got.current_nanos,
            model.exposure(2 * as_of).map(|e| e * HALF),
            "current exposure"
        );
        assert_eq!(
            got.worst_nanos,
            model.worst().map(|e| e * HALF),
            "worst exposure"
        );
        assert_eq!(
            got.window_nanos,
            (as_of - model.start) * NANOS_PER_SEC,
            "window length"
        );
        assert_eq!(
            got.compliant_nanos,
            model.compliant_seconds() * NANOS_PER_SEC,
            "compliant time"
        );
        if model.start == as_of {
            let expected = if model.bad(2 * as_of) { 0.0 } else { 1.0 };
            assert_eq!(
                got.attainment(),
                expected,
                "attainment of a zero-length window"
            );
        }
        let got_breaches: Vec<_> = got
            .breaches
            .iter()
            .map(|b| {
                (
                    b.start.nanos() / HALF,
                    b.end.nanos() / HALF,
                    b.peak_nanos.map(|p| p / HALF),
                    b.ongoing,
                    b.last_point_before.map(|p| p.point.nanos() / NANOS_PER_SEC),
                    b.closed_by.map(|p| p.point.nanos() / NANOS_PER_SEC),
                )
            })
            .collect();
        assert_eq!(got_breaches, model.breaches(), "breaches");
        assert_eq!(
            got.last_recovery_point.map(|p| p.point),
            model.last_recovery_point().map(ts),
            "last recovery point"
        );
    }

    fn arb_points() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::collection::vec((0i64..40, 0i64..12).prop_map(|(a, lag)| (a - lag, a)), 0..7)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn exact_figures_match_the_sampled_model(
            pts in arb_points(),
            start in 0i64..40,
            len in 0i64..30,
            onboarded in prop::option::of(0i64..60),
            rpo in 1i64..10,
        ) {
            check_against_model(&pts, start, start + len, onboarded, rpo);
        }
    }

    #[test]
    fn sawtooth_with_one_breach_closed_by_a_backup() {
        // points: p=0 a=1, p=10 a=12; rpo 5; window [2, 20]
        let pts = [point(0, 1, 1), point(10, 12, 2)];
        let got = exposure(&pts, &window(2, 20, None, 5));
        assert_eq!(got.current_nanos, Some(10 * NANOS_PER_SEC));
        assert_eq!(got.worst_nanos, Some(12 * NANOS_PER_SEC));
        assert_eq!(got.breaches.len(), 2);
        let first = got.breaches[0];
        assert_eq!(
            (first.start, first.end, first.peak_nanos),
            (ts(5), ts(12), Some(12 * NANOS_PER_SEC))
        );
        assert!(!first.ongoing);
        assert_eq!(first.closed_by.map(|p| p.point), Some(ts(10)));
        let second = got.breaches[1];
        assert_eq!(
            (second.start, second.end, second.ongoing),
            (ts(15), ts(20), true)
        );
        assert_eq!(got.compliant_nanos, (18 - 7 - 5) * NANOS_PER_SEC);
    }

    #[test]
    fn no_point_at_all_is_unbounded_everywhere() {
        let got = exposure(&[], &window(0, 10, None, 5));
        assert_eq!((got.current_nanos, got.worst_nanos), (None, None));
        assert_eq!(got.breaches.len(), 1);
        assert_eq!(got.breaches[0].peak_nanos, None);
        assert!(got.breaches[0].ongoing);
        assert_eq!(got.attainment(), 0.0);
    }

    #[test]
    fn exposure_equal_to_the_rpo_is_compliant() {
        let got = exposure(&[point(0, 0, 1)], &window(0, 5, None, 5));
        assert_eq!(got.current_nanos, Some(5 * NANOS_PER_SEC));
        assert!(got.breaches.is_empty());
        assert_eq!(got.attainment(), 1.0);
    }

    #[test]
    fn onboarded_acts_as_a_recovery_point_and_moves_the_start() {
        let got = exposure(&[], &window(0, 10, Some(4), 5));
        assert_eq!(got.window_start, ts(4));
        assert_eq!(got.current_nanos, Some(6 * NANOS_PER_SEC));
        assert_eq!(got.last_recovery_point, None);
        assert_eq!(got.breaches.len(), 1);
        assert_eq!(
            (got.breaches[0].start, got.breaches[0].end),
            (ts(9), ts(10))
        );
    }

    #[test]
    fn points_available_after_as_of_are_ignored() {
        let got = exposure(&[point(0, 0, 1), point(8, 11, 2)], &window(0, 10, None, 20));
        assert_eq!(got.last_recovery_point.map(|p| p.point), Some(ts(0)));
        assert_eq!(got.current_nanos, Some(10 * NANOS_PER_SEC));
    }

    #[test]
    fn nanosecond_precision_is_kept() {
        let p = RecoveryPoint {
            point: Timestamp::from_nanos(1),
            available: Timestamp::from_nanos(3),
            origin: None,
        };
        let w = ExposureWindow {
            start: Timestamp::from_nanos(0),
            as_of: Timestamp::from_nanos(10),
            onboarded: None,
            rpo_nanos: 4,
        };
        let got = exposure(
            &[RecoveryPoint {
                origin: Some(Origin {
                    input: 0,
                    record: 0,
                }),
                ..p
            }],
            &w,
        );
        assert_eq!(got.current_nanos, Some(9));
        assert_eq!(got.breaches.len(), 2);
        assert_eq!(got.breaches[1].start, Timestamp::from_nanos(5));
        assert_eq!(got.compliant_nanos, 2);
    }
}
