//! `dependency-chain-exceeds-rto`: recovering the system after what it depends on takes longer
//! than its RTO.

use super::Check;
use crate::declarations::Severity;
use crate::duration::human;
use crate::engine::evidence_json::attach;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use crate::time::seconds_json;
use serde_json::json;

pub static CHECK: Check = check!(
    "dependency-chain-exceeds-rto",
    Violation,
    Engine,
    "The estimated recovery time including dependencies (tested restore durations along the critical path) exceeds the RTO."
);

/// Raised only when the critical path includes a dependency: a system whose own test alone is
/// too slow is `restore-exceeds-rto`, not this.
pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    let Some(total) = facts.estimate.total_nanos() else {
        return;
    };
    let path = facts.estimate.critical_path();
    let rto = facts.system.rto.nanos();
    if total <= rto || path.len() < 2 {
        return;
    }
    let message = format!(
        "estimated recovery including dependencies is {}, longer than the RTO of {} (critical path: {})",
        human(total),
        human(rto),
        path.join(" → ")
    );
    if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
        attach(
            f,
            json!({
                "estimated_recovery_seconds": seconds_json(total),
                "rto_seconds": facts.system.rto.secs(),
                "critical_path": path,
            }),
        );
    }
}
