//! `runbook-exceeds-rto`: following the runbook as written takes longer than the RTO.

use super::Check;
use crate::design::DesignContext;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "runbook-exceeds-rto",
    Violation,
    Design,
    "The runbook's step estimates add up to more than the RTO."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        let Some(rb) = ctx.runbook(&system.id) else {
            continue;
        };
        let total = rb.total_estimate();
        if total > system.rto {
            let f = sink.push(
                &CHECK,
                CHECK.severity,
                Some(&system.id),
                format!(
                    "the runbook's {} steps are estimated at {} in total, longer than the RTO of {}",
                    rb.steps.len(),
                    total,
                    system.rto
                ),
            );
            set(f, "estimate_seconds", total.secs());
        }
    }
}
