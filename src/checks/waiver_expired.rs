//! `waiver-expired`: a waiver in the declarations is past its expiry date.

use super::Check;
use crate::declarations::{Severity, Waiver};
use crate::engine::evidence_json::attach;
use crate::findings::Findings;
use serde_json::json;

pub static CHECK: Check = check!(
    "waiver-expired",
    Warning,
    Engine,
    "A waiver has expired: it no longer waives anything and should be renewed or removed."
);

pub fn raise(sink: &mut Findings, waiver: &Waiver) {
    let message = format!(
        "the waiver of `{}` (\"{}\", approved by {}) expired on {}: the finding it covered counts again",
        waiver.check, waiver.reason, waiver.approved_by, waiver.expires
    );
    if let Some(f) = sink.push(&CHECK, Severity::Warning, Some(&waiver.system), message) {
        attach(
            f,
            json!({
                "check": waiver.check,
                "reason": waiver.reason,
                "approved_by": waiver.approved_by,
                "expires": waiver.expires,
                "line": waiver.pos.line,
            }),
        );
    }
}
