//! The design-time stage: everything that can be judged from the declarations (and the
//! runbooks they point to) before any evidence is read. Used by `validate` and `check`.

use crate::checks;
use crate::declarations::Declarations;
use crate::findings::Findings;
use crate::runbook::{self, Runbook, RunbookError};
use crate::schedule::{longest_gap, year_start_for, LongestGap};
use crate::time::Timestamp;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What is known about a system's runbook.
#[derive(Debug, Clone)]
pub enum RunbookState {
    NotDeclared,
    NotFound(PathBuf),
    Loaded(Runbook),
}

/// Inputs every design-time check reads.
pub struct DesignContext<'a> {
    pub decl: &'a Declarations,
    pub as_of: Timestamp,
    /// By system id.
    pub runbooks: BTreeMap<&'a str, RunbookState>,
    /// The combined longest gap of each system's backup schedules, by system id, computed once
    /// for the checks that need it (absent for systems without backups).
    pub schedule_gaps: BTreeMap<&'a str, LongestGap>,
}

impl<'a> DesignContext<'a> {
    /// Loads the runbooks the declarations point to. A runbook that exists but is malformed
    /// is an input error; one that does not exist is the `runbook-missing` finding.
    pub fn new(decl: &'a Declarations, as_of: Timestamp) -> Result<Self, Vec<RunbookError>> {
        let mut runbooks = BTreeMap::new();
        let mut errors = Vec::new();
        for system in &decl.systems {
            let state = match &system.runbook {
                None => RunbookState::NotDeclared,
                Some(path) if !path.is_file() => RunbookState::NotFound(path.clone()),
                Some(path) => match runbook::load(path) {
                    Ok(rb) => RunbookState::Loaded(rb),
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                },
            };
            runbooks.insert(system.id.as_str(), state);
        }
        let year_start = year_start_for(as_of);
        let schedule_gaps = decl
            .systems
            .iter()
            .filter(|s| !s.backups.is_empty())
            .filter_map(|s| {
                let triggers: Vec<_> = s.backups.iter().map(|b| &b.trigger).collect();
                // Cron expressions were validated when the declarations were loaded.
                longest_gap(&triggers, year_start)
                    .ok()
                    .map(|g| (s.id.as_str(), g))
            })
            .collect();
        if errors.is_empty() {
            Ok(Self {
                decl,
                as_of,
                runbooks,
                schedule_gaps,
            })
        } else {
            Err(errors)
        }
    }

    pub fn runbook(&self, system: &str) -> Option<&Runbook> {
        match self.runbooks.get(system) {
            Some(RunbookState::Loaded(rb)) => Some(rb),
            _ => None,
        }
    }
}

/// Runs every design-time check.
pub fn run(ctx: &DesignContext<'_>, sink: &mut Findings) {
    checks::schedule_exceeds_rpo::run(ctx, sink);
    checks::schedule_tight::run(ctx, sink);
    checks::no_backup_policy::run(ctx, sink);
    checks::dependency_rto_order::run(ctx, sink);
    checks::runbook_missing::run(ctx, sink);
    checks::runbook_stale::run(ctx, sink);
    checks::runbook_exceeds_rto::run(ctx, sink);
    checks::runbook_mismatch::run(ctx, sink);
}
