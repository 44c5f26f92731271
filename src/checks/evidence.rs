//! Turns what the evidence stage noted into findings of the `evidence-*` checks.

use super::{
    evidence_duplicate, evidence_glob_empty, evidence_invalid_record, evidence_unknown_policy,
    evidence_unknown_system,
};
use crate::declarations::Declarations;
use crate::evidence::{Evidence, EvidenceNote};
use crate::findings::{Finding, Findings};
use std::collections::BTreeMap;

pub fn findings(decl: &Declarations, evidence: &Evidence) -> Vec<Finding> {
    let mut sink = Findings::new(decl.checks.clone());
    let mut invalid: BTreeMap<u32, Vec<(&str, &str)>> = BTreeMap::new();
    let mut unknown_systems: Vec<(&str, u64)> = Vec::new();
    for note in &evidence.notes {
        match note {
            EvidenceNote::InvalidRecord {
                input,
                location,
                message,
            } => {
                invalid.entry(*input).or_default().push((location, message));
            }
            EvidenceNote::UnknownSystem { system, records } => {
                unknown_systems.push((system, *records))
            }
            EvidenceNote::Duplicate {
                system,
                records,
                first,
                duplicate,
            } => evidence_duplicate::raise(
                &mut sink,
                system,
                *records,
                &evidence.describe(*first),
                &evidence.describe(*duplicate),
            ),
            EvidenceNote::UnknownPolicy {
                system,
                policy,
                records,
            } => {
                let declared: Vec<&str> = decl
                    .system(system)
                    .map(|s| s.backups.iter().map(|b| b.id.as_str()).collect())
                    .unwrap_or_default();
                evidence_unknown_policy::raise(&mut sink, system, policy, *records, &declared);
            }
            EvidenceNote::GlobEmpty { pattern } => evidence_glob_empty::raise(&mut sink, pattern),
        }
    }
    for (input, skipped) in &invalid {
        let path = evidence
            .inputs
            .get(*input as usize)
            .map_or("?", |i| i.path.as_str());
        evidence_invalid_record::raise(&mut sink, path, skipped);
    }
    if !unknown_systems.is_empty() {
        evidence_unknown_system::raise(&mut sink, &unknown_systems);
    }
    sink.into_vec()
}
