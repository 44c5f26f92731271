//! `restore-test-missing`: the system has never been restored successfully in a test.

use super::Check;
use crate::declarations::Severity;
use crate::engine::evidence_json::{attach, test_json};
use crate::engine::restore::RestoreProblem;
use crate::engine::SystemFacts;
use crate::findings::Findings;
use serde_json::json;

pub static CHECK: Check = check!(
    "restore-test-missing",
    Violation,
    Engine,
    "There is no successful restore test for the system, so its recovery was never proven."
);

pub fn raise(sink: &mut Findings, facts: &SystemFacts<'_>) {
    if !facts.restore_problems.contains(&RestoreProblem::Missing) {
        return;
    }
    let message = match facts.restore.last {
        Some(last) => format!(
            "no successful restore test by {} (the last test, {}, was {})",
            facts.as_of,
            last.finished_at,
            last.status.as_str()
        ),
        None => format!("no restore test at all by {}", facts.as_of),
    };
    if let Some(f) = sink.push(&CHECK, Severity::Violation, Some(&facts.system.id), message) {
        attach(
            f,
            json!({ "last_test": facts.restore.last.map(|t| test_json(&t, facts.evidence)) }),
        );
    }
}
