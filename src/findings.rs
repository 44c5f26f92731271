//! Findings: what checks produce, collected in a [`Findings`] sink that applies the user's
//! severity overrides in one place so no check has to know about them.

use crate::checks::Check;
use crate::declarations::{Severity, SeverityOverride};
use std::collections::BTreeMap;

/// A waiver that matched a finding.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AppliedWaiver {
    pub reason: String,
    pub approved_by: String,
    pub expires: chrono::NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// `None` for findings about the estate as a whole (evidence problems, for instance).
    pub system: Option<String>,
    pub check: &'static Check,
    pub severity: Severity,
    pub message: String,
    /// Structured facts behind the message (figures, times, evidence locations).
    pub evidence: serde_json::Map<String, serde_json::Value>,
    pub waiver: Option<AppliedWaiver>,
}

impl Finding {
    /// Whether this finding counts toward the exit code and the system's status.
    pub fn is_active(&self) -> bool {
        self.waiver.is_none()
    }
}

/// Collects findings, applying `checks:` overrides (`off` drops, a severity replaces).
#[derive(Debug, Default)]
pub struct Findings {
    overrides: BTreeMap<String, SeverityOverride>,
    items: Vec<Finding>,
}

impl Findings {
    pub fn new(overrides: BTreeMap<String, SeverityOverride>) -> Self {
        Self {
            overrides,
            items: Vec::new(),
        }
    }

    /// Records a finding at `severity` (the check's own level for this instance) unless the
    /// user switched the check off. Returns the finding so callers can attach evidence.
    pub fn push(
        &mut self,
        check: &'static Check,
        severity: Severity,
        system: Option<&str>,
        message: impl Into<String>,
    ) -> Option<&mut Finding> {
        let severity = match self.overrides.get(check.id) {
            Some(SeverityOverride::Off) => return None,
            Some(SeverityOverride::Set(s)) => *s,
            None => severity,
        };
        self.items.push(Finding {
            system: system.map(str::to_owned),
            check,
            severity,
            message: message.into(),
            evidence: serde_json::Map::new(),
            waiver: None,
        });
        self.items.last_mut()
    }

    pub fn items(&self) -> &[Finding] {
        &self.items
    }
    pub fn items_mut(&mut self) -> &mut [Finding] {
        &mut self.items
    }
    pub fn into_vec(self) -> Vec<Finding> {
        self.items
    }

    /// Sorts findings into the order every renderer shows: by system (`system_order`: 0 for
    /// estate-wide findings, then declaration order), severity (worst first), check id, message.
    pub fn sort_by_key_order(&mut self, system_order: &dyn Fn(Option<&str>) -> usize) {
        self.items.sort_by_cached_key(|f| {
            (
                system_order(f.system.as_deref()),
                std::cmp::Reverse(f.severity),
                f.check.id,
                f.message.clone(),
            )
        });
    }
}

/// Helper to attach evidence fields fluently: `if let Some(f) = sink.push(..) { with(f, ..) }`.
pub fn set(finding: Option<&mut Finding>, key: &str, value: impl Into<serde_json::Value>) {
    if let Some(f) = finding {
        f.evidence.insert(key.to_owned(), value.into());
    }
}
