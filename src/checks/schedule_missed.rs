//! `schedule-missed`: scheduled backup runs of a policy had no successful backup within grace.

use super::Check;
use crate::declarations::Severity;
use crate::duration::human;
use crate::engine::evidence_json::attach;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use crate::time::seconds_json;
use serde_json::json;

pub static CHECK: Check = check!(
    "schedule-missed",
    Warning,
    Engine,
    "Scheduled backup runs in the window were not met by a successful backup within their grace."
);

/// One warning per policy with missed runs, listing the first ones.
pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    for schedule in facts.schedules.iter().filter(|s| s.missed_runs > 0) {
        let first: Vec<String> = schedule
            .first_missed
            .iter()
            .map(ToString::to_string)
            .collect();
        let more = schedule.missed_runs.saturating_sub(first.len() as u64);
        let message = format!(
            "policy `{}` missed {} of {} scheduled runs (grace {}): {}{}",
            schedule.policy,
            schedule.missed_runs,
            schedule.expected_runs,
            human(schedule.grace_nanos),
            first.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        );
        if let Some(f) = sink.push(&CHECK, Severity::Warning, Some(&facts.system.id), message) {
            let evidence = json!({
                "policy": schedule.policy,
                "expected_runs": schedule.expected_runs,
                "met_runs": schedule.met_runs,
                "missed_runs": schedule.missed_runs,
                "grace_seconds": seconds_json(schedule.grace_nanos),
                "first_missed": schedule.first_missed,
            });
            attach(f, evidence);
        }
    }
}
