//! `evidence-unknown-system`: evidence names systems the declarations do not have.

use super::Check;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "evidence-unknown-system",
    Warning,
    Evidence,
    "Evidence names systems that are not declared; their records were not used."
);

pub fn raise(sink: &mut Findings, systems: &[(&str, u64)]) {
    let total: u64 = systems.iter().map(|(_, n)| n).sum();
    let names: Vec<String> = systems
        .iter()
        .map(|(s, n)| format!("`{s}` ({n})"))
        .collect();
    let f = sink.push(
        &CHECK,
        CHECK.severity,
        None,
        format!(
            "{total} record{} name{} systems that are not declared and were not used: {}",
            if total == 1 { "" } else { "s" },
            if total == 1 { "s" } else { "" },
            names.join(", ")
        ),
    );
    let map: serde_json::Map<String, serde_json::Value> = systems
        .iter()
        .map(|(s, n)| ((*s).to_owned(), (*n).into()))
        .collect();
    set(f, "records_by_system", map);
}
