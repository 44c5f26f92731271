//! `backup-failures`: a policy's backups keep failing.

use super::Check;
use crate::declarations::Severity;
use crate::engine::backups::{FAILURE_RATIO, LATEST_ATTEMPTS};
use crate::engine::evidence_json::attach;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use serde_json::json;

pub static CHECK: Check = check!(
    "backup-failures",
    Warning,
    Engine,
    "The latest 3 backup attempts of a policy did not succeed, or more than 10% failed in the window."
);

/// One warning per policy (failed and partial attempts both count as not succeeding).
pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    for policy in facts
        .failures
        .iter()
        .filter(|p| p.latest_all_failed() || p.too_many_failed())
    {
        let name = policy
            .policy
            .map_or("(no policy)", |sym| facts.evidence.symbols.name(sym));
        let mut reasons = Vec::new();
        if policy.latest_all_failed() {
            reasons.push(format!(
                "the latest {LATEST_ATTEMPTS} attempts did not succeed"
            ));
        }
        if policy.too_many_failed() {
            reasons.push(format!(
                "{} of {} attempts in the window did not succeed (more than {}%)",
                policy.failed_in_window,
                policy.attempts_in_window,
                FAILURE_RATIO * 100.0
            ));
        }
        let message = format!("backups of policy `{name}`: {}", reasons.join("; "));
        if let Some(f) = sink.push(&CHECK, Severity::Warning, Some(&facts.system.id), message) {
            let latest: Vec<_> = policy
                .latest
                .iter()
                .map(|(at, status, origin)| json!({ "at": at, "status": status, "origin": facts.evidence.describe(*origin) }))
                .collect();
            let evidence = json!({
                "policy": policy.policy.map(|sym| facts.evidence.symbols.name(sym)),
                "latest_attempts": latest,
                "attempts_in_window": policy.attempts_in_window,
                "failed_in_window": policy.failed_in_window,
                "failure_ratio": policy.failure_ratio(),
            });
            attach(f, evidence);
        }
    }
}
