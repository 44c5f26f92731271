//! `runbook-missing`: the tier requires a recovery runbook and there is none.

use super::Check;

pub static CHECK: Check = check!("runbook-missing", Violation, Design, "The tier requires a recovery runbook and there is none.");
