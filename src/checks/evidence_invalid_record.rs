//! `evidence-invalid-record`: `--lenient` skipped malformed evidence records.

use super::Check;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "evidence-invalid-record",
    Warning,
    Evidence,
    "Malformed evidence records were skipped (--lenient)."
);

/// One finding per input, listing every skipped location (the message shows the first ten).
pub fn raise(sink: &mut Findings, input: &str, skipped: &[(&str, &str)]) {
    const SHOWN: usize = 10;
    let mut message = format!(
        "{} malformed record{} skipped in {input}: ",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" }
    );
    let shown: Vec<String> = skipped
        .iter()
        .take(SHOWN)
        .map(|(at, why)| format!("{at}: {why}"))
        .collect();
    message.push_str(&shown.join("; "));
    if skipped.len() > SHOWN {
        message.push_str(&format!(
            "; and {} more (see the JSON report)",
            skipped.len() - SHOWN
        ));
    }
    let f = sink.push(&CHECK, CHECK.severity, None, message);
    let list: Vec<_> = skipped
        .iter()
        .map(|(at, why)| serde_json::json!({ "location": at, "message": why }))
        .collect();
    set(f, "skipped", list);
}
