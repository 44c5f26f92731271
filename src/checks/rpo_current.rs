//! `rpo-current`: the data that would be lost by a disaster right now exceeds (or nears) the RPO.

use super::Check;
use crate::declarations::Severity;
use crate::duration::human;
use crate::engine::evidence_json::point_json;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use crate::time::seconds_json;
use serde_json::json;

pub static CHECK: Check = check!(
    "rpo-current",
    Violation,
    Engine,
    "The current exposure (time since the newest usable recovery point) exceeds the RPO, or nears it."
);

/// Violation when current exposure > RPO or unbounded; warning when > warn_ratio × RPO.
pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    let rpo = facts.system.rpo.nanos();
    let exposure = &facts.exposure;
    let (severity, message) = match exposure.current_nanos {
        None => (
            Severity::Violation,
            format!(
                "no recovery point is available as of {}: the exposure is unbounded (RPO {})",
                facts.as_of,
                human(rpo)
            ),
        ),
        Some(current) if current > rpo => (
            Severity::Violation,
            format!(
                "current exposure {} exceeds the RPO of {}",
                human(current),
                human(rpo)
            ),
        ),
        Some(current) if facts.system.warn_ratio.exceeded_by(current, rpo) => (
            Severity::Warning,
            format!(
                "current exposure {} is above {} of the RPO of {}",
                human(current),
                facts.system.warn_ratio,
                human(rpo)
            ),
        ),
        Some(_) => return,
    };
    let finding = sink.push(&CHECK, severity, Some(&facts.system.id), message);
    if let Some(f) = finding {
        let evidence = json!({
            "as_of": facts.as_of,
            "current_exposure_seconds": exposure.current_nanos.map(seconds_json),
            "rpo_seconds": facts.system.rpo.secs(),
            "warn_ratio": facts.system.warn_ratio,
            "last_recovery_point": exposure.last_recovery_point.map(|p| point_json(p, facts.evidence)),
        });
        crate::engine::evidence_json::attach(f, evidence);
    }
}
