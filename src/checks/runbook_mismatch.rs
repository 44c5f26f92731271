//! `runbook-mismatch`: the runbook says it recovers a different system.

use super::Check;
use crate::design::DesignContext;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "runbook-mismatch",
    Violation,
    Design,
    "The runbook's front matter names another system."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        let Some(rb) = ctx.runbook(&system.id) else {
            continue;
        };
        if rb.system != system.id {
            let f = sink.push(
                &CHECK,
                CHECK.severity,
                Some(&system.id),
                format!(
                    "runbook `{}` is for system `{}`, not `{}`",
                    system.runbook_declared.as_deref().unwrap_or_default(),
                    rb.system,
                    system.id
                ),
            );
            set(f, "runbook_system", rb.system.as_str());
        }
    }
}
