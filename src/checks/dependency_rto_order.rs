//! `dependency-rto-order`: a system promises to be back sooner than something it needs.

use super::Check;
use crate::design::DesignContext;
use crate::findings::{set, Findings};

pub static CHECK: Check = check!(
    "dependency-rto-order",
    Warning,
    Design,
    "A system's RTO is shorter than the RTO of something it depends on."
);

pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    for system in &ctx.decl.systems {
        for dep in system.depends_on.iter().filter_map(|d| ctx.decl.system(d)) {
            if system.rto < dep.rto {
                let f = sink.push(
                    &CHECK,
                    CHECK.severity,
                    Some(&system.id),
                    format!(
                        "RTO {} is shorter than the RTO {} of its dependency `{}`; it cannot be back before `{}` is",
                        system.rto, dep.rto, dep.id, dep.id
                    ),
                );
                set(f, "dependency", dep.id.as_str());
            }
        }
    }
}
