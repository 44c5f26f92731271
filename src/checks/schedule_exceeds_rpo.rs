//! `schedule-exceeds-rpo`: the declared backup schedule leaves gaps longer than the RPO.

use super::Check;

pub static CHECK: Check = check!(
    "schedule-exceeds-rpo",
    Violation,
    Design,
    "The declared backup schedule leaves gaps longer than the RPO."
);

pub fn run(_ctx: &crate::design::DesignContext<'_>, _sink: &mut crate::findings::Findings) {}
