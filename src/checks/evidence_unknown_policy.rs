//! `evidence-unknown-policy`: evidence names a backup policy the system does not declare.

use super::Check;
use crate::findings::Findings;

pub static CHECK: Check = check!(
    "evidence-unknown-policy",
    Warning,
    Evidence,
    "Evidence names a backup policy that the system does not declare."
);

pub fn raise(sink: &mut Findings, system: &str, policy: &str, records: u64, declared: &[&str]) {
    let finding = sink.push(
        &CHECK,
        CHECK.severity,
        Some(system),
        format!(
            "{records} backup record{} name policy `{policy}`, which is not declared (declared: {}); they count as recovery points but meet no scheduled run",
            if records == 1 { "" } else { "s" },
            if declared.is_empty() { "none".to_owned() } else { declared.join(", ") }
        ),
    );
    if let Some(f) = finding {
        f.evidence.insert("policy".into(), policy.into());
        f.evidence.insert("records".into(), records.into());
    }
}
