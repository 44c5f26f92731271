//! `runbook-mismatch`: the runbook's front matter names another system.

use super::Check;

pub static CHECK: Check = check!("runbook-mismatch", Violation, Design, "The runbook's front matter names another system.");
