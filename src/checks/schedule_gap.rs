//! The longest gap of each system's backup schedules, shared by `schedule-exceeds-rpo` and
//! `schedule-tight`; computed once per system by `DesignContext::new`.

use crate::declarations::{System, Trigger};
use crate::design::DesignContext;
use crate::duration::human;
use crate::findings::{set, Finding};
use crate::schedule::LongestGap;

/// The combined longest gap of `system`'s policies over the year of the as-of instant;
/// `None` when it has no policies (that is `no-backup-policy`'s finding).
pub(crate) fn of<'c>(ctx: &'c DesignContext<'_>, system: &System) -> Option<&'c LongestGap> {
    ctx.schedule_gaps.get(system.id.as_str())
}

/// "72h (from 2026-01-02T02:00:00Z to 2026-01-05T02:00:00Z)", or why there is no finite gap.
/// An `every` interval has no calendar position, so it is named instead of dated.
pub(crate) fn describe(gap: &LongestGap, system: &System) -> String {
    let every = system.backups.iter().find_map(|b| match b.trigger {
        Trigger::Every(d) if Some(d.nanos()) == gap.length_nanos() => Some((b.id.as_str(), d)),
        _ => None,
    });
    if let Some((policy, interval)) = every {
        return format!(
            "{} (`every: {interval}` of policy `{policy}`)",
            human(interval.nanos())
        );
    }
    match gap {
        LongestGap::Finite(g) => format!(
            "{} (from {} to {})",
            human(g.length_nanos()),
            g.after,
            g.before
        ),
        LongestGap::Unbounded { .. } if gap.never_runs() => {
            "unbounded: the schedules never run".to_owned()
        }
        LongestGap::Unbounded { last_run, next_run } => format!(
            "unbounded: no run for over a year (last {}, next {})",
            last_run.map_or_else(|| "none".to_owned(), |t| t.to_string()),
            next_run.map_or_else(|| "none".to_owned(), |t| t.to_string())
        ),
    }
}

/// Attaches the gap's figures to a finding.
pub(crate) fn attach(finding: Option<&mut Finding>, gap: &LongestGap) {
    let Some(f) = finding else { return };
    let length = gap.length_nanos().map(crate::time::seconds_json);
    set(
        Some(&mut *f),
        "longest_interval_seconds",
        length.unwrap_or(serde_json::Value::Null),
    );
    if let LongestGap::Finite(g) = gap {
        set(Some(&mut *f), "after", g.after.to_string());
        set(Some(f), "before", g.before.to_string());
    }
}
