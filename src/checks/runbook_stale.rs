//! `runbook-stale`: the runbook was last reviewed too long ago.

use super::Check;
use crate::design::DesignContext;
use crate::findings::{set, Findings};
use crate::time::Timestamp;

pub static CHECK: Check = check!(
    "runbook-stale",
    Warning,
    Design,
    "The runbook has not been reviewed within the review period."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        let Some(rb) = ctx.runbook(&system.id) else {
            continue;
        };
        // A review on a date counts until the end of that day in the declarations' timezone.
        let Some(reviewed) = rb
            .last_reviewed
            .succ_opt()
            .and_then(|d| Timestamp::start_of_day(d, &ctx.decl.timezone))
        else {
            continue;
        };
        let age = ctx.as_of.since(reviewed);
        if age > system.runbook_review_max_age.nanos() {
            let f = sink.push(
                &CHECK,
                CHECK.severity,
                Some(&system.id),
                format!(
                    "runbook last reviewed {} ({} days ago), longer ago than the review period of {}",
                    rb.last_reviewed,
                    ctx.as_of.since(reviewed) / crate::time::NANOS_PER_SEC / 86_400 + 1,
                    system.runbook_review_max_age
                ),
            );
            set(f, "last_reviewed", rb.last_reviewed.to_string());
        }
    }
}
