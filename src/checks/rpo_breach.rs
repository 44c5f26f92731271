//! `rpo-breach`: at some time in the review window the exposure exceeded the RPO.

use super::Check;
use crate::declarations::Severity;
use crate::duration::human;
use crate::engine::evidence_json::{attach, breach_json};
use crate::engine::SystemFacts;
use crate::findings::Findings;
use crate::time::seconds_json;
use serde_json::json;

pub static CHECK: Check = check!(
    "rpo-breach",
    Violation,
    Engine,
    "During the review window there were periods when more data than the RPO allows would have been lost."
);

/// Violation when any breach lies in the window; the message gives count, longest and total.
pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    let breaches = &facts.exposure.breaches;
    let Some(longest) = breaches
        .iter()
        .max_by_key(|b| (b.duration_nanos(), std::cmp::Reverse(b.start)))
    else {
        return;
    };
    let total: i64 = breaches.iter().map(|b| b.duration_nanos()).sum();
    let count = breaches.len();
    let ongoing = if breaches.iter().any(|b| b.ongoing) {
        ", one still ongoing"
    } else {
        ""
    };
    let message = format!(
        "{count} breach{} of the RPO of {} in the window{ongoing}: longest {} (from {} to {}), total {}",
        if count == 1 { "" } else { "es" },
        human(facts.system.rpo.nanos()),
        human(longest.duration_nanos()),
        longest.start,
        longest.end,
        human(total),
    );
    if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
        let evidence = json!({
            "breaches": count,
            "longest_seconds": seconds_json(longest.duration_nanos()),
            "total_seconds": seconds_json(total),
            "rpo_seconds": facts.system.rpo.secs(),
            "longest": breach_json(longest, facts.evidence),
        });
        attach(f, evidence);
    }
}
