//! `dependency-rto-order`: a system's RTO is shorter than the RTO of something it depends on.

use super::Check;

pub static CHECK: Check = check!("dependency-rto-order", Warning, Design, "A system's RTO is shorter than the RTO of something it depends on.");
