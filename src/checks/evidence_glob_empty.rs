//! `evidence-glob-empty`: an evidence glob matched no file.

use super::Check;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "evidence-glob-empty",
    Warning,
    Evidence,
    "An evidence glob matched no file."
);

pub fn raise(sink: &mut Findings, pattern: &str) {
    let f = sink.push(
        &CHECK,
        CHECK.severity,
        None,
        format!("the evidence pattern `{pattern}` matched no file: no evidence was read from it"),
    );
    set(f, "pattern", pattern);
}
