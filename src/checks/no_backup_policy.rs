//! `no-backup-policy`: a system with an RPO declares no backups.

use super::Check;
use crate::design::DesignContext;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "no-backup-policy",
    Violation,
    Design,
    "A system with an RPO declares no backups."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in ctx.decl.systems.iter().filter(|s| s.backups.is_empty()) {
        let f = sink.push(
            &CHECK,
            CHECK.severity,
            Some(&system.id),
            format!(
                "RPO is {} but no backup policy is declared, so nothing can meet it",
                system.rpo
            ),
        );
        set(f, "rpo_seconds", system.rpo.secs());
    }
}
