//! `schedule-tight`: the schedule meets the RPO only if backups finish almost instantly.

use super::{schedule_gap, Check};
use crate::design::DesignContext;
use crate::findings::Findings;

pub static CHECK: Check = check!(
    "schedule-tight",
    Warning,
    Design,
    "The schedule meets the RPO only if backups finish almost instantly."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        let Some(gap) = schedule_gap::of(ctx, system) else {
            continue;
        };
        let rpo = system.rpo.nanos();
        let Some(length) = gap.length_nanos() else {
            continue;
        };
        // Exposure at the next availability is the interval plus that backup's duration.
        if length <= rpo && system.warn_ratio.exceeded_by(length, rpo) {
            let f = sink.push(
                &CHECK,
                CHECK.severity,
                Some(&system.id),
                format!(
                    "the longest interval between scheduled backups is {}, above {} of the RPO of {}: a backup taking longer than {} breaches it",
                    schedule_gap::describe(gap, system),
                    system.warn_ratio,
                    system.rpo,
                    crate::duration::human(rpo - length)
                ),
            );
            schedule_gap::attach(f, gap);
        }
    }
}
