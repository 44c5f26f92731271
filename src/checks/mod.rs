//! The check registry: every finding drproof can raise, as data.
//!
//! Each check lives in its own file named after its id (`schedule-exceeds-rpo` →
//! `schedule_exceeds_rpo.rs`) with a [`Check`] constant and one function that produces its
//! findings. The explanation shown by `drproof explain ID` is `docs/checks/ID.md`, so the
//! documentation and the binary can never disagree.

use crate::declarations::Severity;

/// When a check runs: on the declarations alone, while reading evidence, or in the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Design,
    Evidence,
    Engine,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Design => "design",
            Stage::Evidence => "evidence",
            Stage::Engine => "engine",
        }
    }
}

/// A check's identity and documentation.
#[derive(Debug)]
pub struct Check {
    /// Stable kebab-case id, part of the report contract.
    pub id: &'static str,
    /// Severity before the user's `checks:` overrides. Checks with two levels (warning, then
    /// violation) name the higher one here.
    pub severity: Severity,
    pub stage: Stage,
    /// One line for listings.
    pub summary: &'static str,
    /// What it means, why an auditor cares, how to fix it (Markdown).
    pub explain: &'static str,
}

macro_rules! check {
    ($id:literal, $severity:ident, $stage:ident, $summary:literal) => {
        $crate::checks::Check {
            id: $id,
            severity: $crate::declarations::Severity::$severity,
            stage: $crate::checks::Stage::$stage,
            summary: $summary,
            explain: include_str!(concat!("../../docs/checks/", $id, ".md")),
        }
    };
}

pub mod backup_failures;
pub mod dependency_chain_exceeds_rto;
pub mod dependency_rto_order;
pub mod evidence;
pub mod evidence_duplicate;
pub mod evidence_glob_empty;
pub mod evidence_invalid_record;
pub mod evidence_unknown_policy;
pub mod evidence_unknown_system;
pub mod no_backup_policy;
pub mod restore_exceeds_rto;
pub mod restore_test_failed;
pub mod restore_test_missing;
pub mod restore_test_stale;
pub mod rpo_breach;
pub mod rpo_current;
pub mod runbook_exceeds_rto;
pub mod runbook_mismatch;
pub mod runbook_missing;
pub mod runbook_stale;
pub mod schedule_exceeds_rpo;
mod schedule_gap;
pub mod schedule_missed;
pub mod schedule_tight;
pub mod waiver_expired;

/// Every check, in the order `drproof explain` lists them.
pub static ALL: &[&Check] = &[
    &schedule_exceeds_rpo::CHECK,
    &schedule_tight::CHECK,
    &no_backup_policy::CHECK,
    &dependency_rto_order::CHECK,
    &runbook_missing::CHECK,
    &runbook_stale::CHECK,
    &runbook_exceeds_rto::CHECK,
    &runbook_mismatch::CHECK,
    &rpo_current::CHECK,
    &rpo_breach::CHECK,
    &schedule_missed::CHECK,
    &backup_failures::CHECK,
    &restore_test_missing::CHECK,
    &restore_test_failed::CHECK,
    &restore_test_stale::CHECK,
    &restore_exceeds_rto::CHECK,
    &dependency_chain_exceeds_rto::CHECK,
    &waiver_expired::CHECK,
    &evidence_invalid_record::CHECK,
    &evidence_unknown_system::CHECK,
    &evidence_unknown_policy::CHECK,
    &evidence_duplicate::CHECK,
    &evidence_glob_empty::CHECK,
];

pub fn find(id: &str) -> Option<&'static Check> {
    ALL.iter().copied().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for c in ALL {
            assert!(seen.insert(c.id), "duplicate check id {}", c.id);
            assert!(
                c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.id
            );
            assert!(
                c.explain.starts_with(&format!("# {}", c.id)),
                "docs/checks/{}.md must start with its id",
                c.id
            );
            assert!(
                c.explain.contains("## Why it matters"),
                "{} lacks 'Why it matters'",
                c.id
            );
            assert!(
                c.explain.contains("## How to fix"),
                "{} lacks 'How to fix'",
                c.id
            );
        }
    }
}
