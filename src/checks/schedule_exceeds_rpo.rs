//! `schedule-exceeds-rpo`: the declared schedules leave gaps longer than the RPO.

use super::{schedule_gap, Check};
use crate::design::DesignContext;
use crate::findings::Findings;

pub static CHECK: Check = check!(
    "schedule-exceeds-rpo",
    Violation,
    Design,
    "The declared backup schedule leaves gaps longer than the RPO."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        let Some(gap) = schedule_gap::of(ctx, system) else {
            continue;
        };
        if gap.exceeds(system.rpo.nanos()) {
            let f = sink.push(
                &CHECK,
                CHECK.severity,
                Some(&system.id),
                format!(
                    "the longest interval between scheduled backups is {}, longer than the RPO of {}",
                    schedule_gap::describe(gap, system),
                    system.rpo
                ),
            );
            schedule_gap::attach(f, gap);
        }
    }
}
