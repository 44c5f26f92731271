//! `runbook-missing`: the tier requires a runbook and there is none.

use super::Check;
use crate::design::{DesignContext, RunbookState};
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "runbook-missing",
    Violation,
    Design,
    "The tier requires a recovery runbook and there is none."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in ctx.decl.systems.iter().filter(|s| s.runbook_required) {
        let tier = system.tier.as_deref().unwrap_or("?");
        match ctx.runbooks.get(system.id.as_str()) {
            Some(RunbookState::NotDeclared) => {
                sink.push(
                    &CHECK,
                    CHECK.severity,
                    Some(&system.id),
                    format!("tier `{tier}` requires a runbook and none is declared"),
                );
            }
            Some(RunbookState::NotFound(path)) => {
                let declared = system.runbook_declared.as_deref().unwrap_or_default();
                let f = sink.push(
                    &CHECK,
                    CHECK.severity,
                    Some(&system.id),
                    format!("tier `{tier}` requires a runbook and `{declared}` does not exist"),
                );
                set(f, "runbook", path.display().to_string());
            }
            _ => {}
        }
    }
}
