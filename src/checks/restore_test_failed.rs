//! `restore-test-failed`: the most recent restore test did not succeed.

use super::Check;
use crate::declarations::Severity;
use crate::engine::evidence_json::{attach, test_json};
use crate::engine::restore::RestoreProblem;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use serde_json::json;

pub static CHECK: Check = check!(
    "restore-test-failed",
    Violation,
    Engine,
    "The most recent restore test failed or was only partial."
);

pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    for problem in &facts.restore_problems {
        let RestoreProblem::LastFailed(test) = problem else {
            continue;
        };
        let message = format!(
            "the last restore test ({}, {}) did not succeed: {}",
            test.finished_at,
            facts.evidence.describe(test.origin),
            test.status.as_str()
        );
        if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
            attach(
                f,
                json!({
                    "last_test": test_json(test, facts.evidence),
                    "last_successful_test": facts.restore.last_successful.map(|t| test_json(&t, facts.evidence)),
                }),
            );
        }
    }
}
