//! `runbook-stale`: the runbook has not been reviewed recently.

use super::Check;

pub static CHECK: Check = check!("runbook-stale", Warning, Design, "The runbook has not been reviewed recently.");
