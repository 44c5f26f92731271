//! `runbook-exceeds-rto`: the runbook's step estimates add up to more than the RTO.

use super::Check;

pub static CHECK: Check = check!("runbook-exceeds-rto", Violation, Design, "The runbook's step estimates add up to more than the RTO.");
