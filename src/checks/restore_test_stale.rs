//! `restore-test-stale`: the latest successful restore test is older than allowed.

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
    "restore-test-stale",
    Violation,
    Engine,
    "The latest successful restore test is older than restore_test_max_age."
);

pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    for problem in &facts.restore_problems {
        let RestoreProblem::Stale {
            test,
            age_nanos,
            max_age_nanos,
        } = problem
        else {
            continue;
        };
        let message = format!(
            "the latest successful restore test finished {} ago ({}), longer than the allowed {}",
            human(*age_nanos),
            test.finished_at,
            human(*max_age_nanos)
        );
        if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
            attach(
                f,
                json!({
                    "last_successful_test": test_json(test, facts.evidence),
                    "age_seconds": seconds_json(*age_nanos),
                    "max_age_seconds": seconds_json(*max_age_nanos),
                }),
            );
        }
    }
}
