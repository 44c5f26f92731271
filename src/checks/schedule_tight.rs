//! `schedule-tight`: the schedule meets the RPO only if backups finish almost instantly.

use super::Check;

pub static CHECK: Check = check!(
    "schedule-tight",
    Warning,
    Design,
    "The schedule meets the RPO only if backups finish almost instantly."
);

pub fn run(_ctx: &crate::design::DesignContext<'_>, _sink: &mut crate::findings::Findings) {}
