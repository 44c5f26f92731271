//! Small, valid declarations for unit tests; tests change what they need.

use crate::declarations::{Declarations, Defaults, Pos, System};
use crate::duration::Duration;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A system with RPO 1h, RTO 4h and the default limits; tests change what they need.
pub(crate) fn system(id: &str) -> System {
    System {
        id: id.into(),
        name: None,
        tier: None,
        owner: None,
        rpo: Duration::from_secs(3_600),
        rto: Duration::from_secs(4 * 3_600),
        depends_on: Vec::new(),
        runbook: None,
        runbook_declared: None,
        runbook_required: false,
        runbook_review_max_age: Duration::from_secs(365 * 86_400),
        onboarded: None,
        backups: Vec::new(),
        restore_test_max_age: Duration::from_secs(365 * 86_400),
        warn_ratio: crate::ratio::Ratio::new(8, 10),
        pos: Pos::default(),
    }
}

pub(crate) fn declarations(systems: Vec<System>) -> Declarations {
    Declarations {
        path: PathBuf::from("drproof.yaml"),
        base_dir: PathBuf::from("."),
        organization: None,
        timezone: chrono_tz::UTC,
        defaults: Defaults::default(),
        tiers: Vec::new(),
        systems,
        checks: BTreeMap::new(),
        evidence: Vec::new(),
        waivers: Vec::new(),
    }
}
