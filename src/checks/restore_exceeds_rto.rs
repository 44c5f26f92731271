//! `restore-exceeds-rto`: the latest successful restore test took longer than the RTO.

use super::Check;
use crate::declarations::Severity;
use crate::duration::human;
use crate::engine::evidence_json::{attach, test_json};
use crate::engine::restore::RestoreProblem;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use crate::time::seconds_json;
use serde_json::json;

pub static CHECK: Check = check!(
    "restore-exceeds-rto",
    Violation,
    Engine,
    "The latest successful restore test took longer than the RTO."
);

pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    for problem in &facts.restore_problems {
        let RestoreProblem::ExceedsRto {
            test,
            duration_nanos,
            rto_nanos,
        } = problem
        else {
            continue;
        };
        let message = format!(
            "the latest successful restore test ({}) took {}, longer than the RTO of {}",
            test.finished_at,
            human(*duration_nanos),
            human(*rto_nanos)
        );
        if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
            attach(
                f,
                json!({
                    "last_successful_test": test_json(test, facts.evidence),
                    "duration_seconds": seconds_json(*duration_nanos),
                    "rto_seconds": seconds_json(*rto_nanos),
                }),
            );
        }
    }
}
