//! `evidence-duplicate`: the same event was read more than once and counted once.

use super::Check;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "evidence-duplicate",
    Info,
    Evidence,
    "Identical evidence records were read more than once and counted once."
);

pub fn raise(sink: &mut Findings, system: &str, records: u64, first: &str, duplicate: &str) {
    let f = sink.push(
        &CHECK,
        CHECK.severity,
        Some(system),
        format!(
            "{records} duplicate record{} counted once (first: {duplicate} repeats {first})",
            if records == 1 { "" } else { "s" }
        ),
    );
    set(f, "records", records);
}
