//! The checked, resolved declarations: what every later stage reads.
//!
//! These types are produced by [`super::load`] after every rule has been enforced, so consumers
//! never re-validate: RPO/RTO are already resolved from the tier, timezones parsed, paths
//! resolved against the declarations file's folder. The JSON Schema of the *file* is generated
//! from [`super::schema`] types that mirror these.

use crate::duration::Duration;
use crate::ratio::Ratio;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// 1-based line and column in the declarations file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Declarations {
    /// The declarations file as given on the command line.
    pub path: PathBuf,
    /// Folder that relative paths inside the file are resolved against.
    pub base_dir: PathBuf,
    pub organization: Option<String>,
    /// Default timezone of schedules and of `onboarded` dates; UTC when absent.
    pub timezone: Tz,
    pub defaults: Defaults,
    pub tiers: Vec<Tier>,
    pub systems: Vec<System>,
    /// Severity overrides by check id (`checks:`), already checked against the registry.
    pub checks: BTreeMap<String, SeverityOverride>,
    pub evidence: Vec<EvidenceSource>,
    pub waivers: Vec<Waiver>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub window: Duration,
    pub warn_ratio: Ratio,
    pub restore_test_max_age: Duration,
    pub runbook_review_max_age: Duration,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(30 * 86_400),
            warn_ratio: Ratio::new(8, 10),
            restore_test_max_age: Duration::from_secs(365 * 86_400),
            runbook_review_max_age: Duration::from_secs(365 * 86_400),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub id: String,
    pub rpo: Option<Duration>,
    pub rto: Option<Duration>,
    pub restore_test_max_age: Option<Duration>,
    pub runbook_required: bool,
    pub runbook_review_max_age: Option<Duration>,
    pub warn_ratio: Option<Ratio>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct System {
    pub id: String,
    pub name: Option<String>,
    pub tier: Option<String>,
    pub owner: Option<String>,
    /// Resolved: the system's own value, else its tier's.
    pub rpo: Duration,
    pub rto: Duration,
    pub depends_on: Vec<String>,
    /// Resolved against the declarations folder; existence is a check, not a load error.
    pub runbook: Option<PathBuf>,
    /// `runbook` exactly as written, for messages.
    pub runbook_declared: Option<String>,
    pub runbook_required: bool,
    pub runbook_review_max_age: Duration,
    pub onboarded: Option<NaiveDate>,
    pub backups: Vec<BackupPolicy>,
    /// Resolved: system, else tier, else defaults, else 365d.
    pub restore_test_max_age: Duration,
    /// Resolved: system's `warn_ratio`, else defaults.
    pub warn_ratio: Ratio,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct BackupPolicy {
    pub id: String,
    pub trigger: Trigger,
    /// As declared; the engine applies the documented default when absent.
    pub grace: Option<Duration>,
    pub retention: Option<Duration>,
    pub offsite: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Trigger {
    /// `every: 1m`: runs on a fixed interval.
    Every(Duration),
    /// `schedule: "0 2 * * *"` in a timezone (the policy's, else the file's).
    Cron { expression: String, timezone: Tz },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Violation => "violation",
        }
    }
}

/// What `checks: { id: ... }` may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityOverride {
    Set(Severity),
    Off,
}

#[derive(Debug, Clone)]
pub struct EvidenceSource {
    /// Path or glob as written, relative to `base_dir` unless absolute.
    pub path: String,
    /// `None`: chosen by extension (`.csv`, `.jsonl`).
    pub format: Option<String>,
    /// Every record of the source belongs to this system.
    pub system: Option<String>,
    /// Attribution rule: rule name (`tag`, `host`, `stanza`, `resource_arn`, ...) → value → system.
    pub systems_by: BTreeMap<String, BTreeMap<String, String>>,
    /// Timezone of timestamps without an offset (Borg 1.x listings).
    pub timezone: Option<Tz>,
    /// Policy id given to every record of the source, when the tool does not name one.
    pub policy: Option<String>,
    /// Kind given to records of formats that do not say (`restic backup --json` is a backup).
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Waiver {
    pub system: String,
    pub check: String,
    pub reason: String,
    pub approved_by: String,
    /// Last day the waiver applies (inclusive, in the declarations' timezone).
    pub expires: NaiveDate,
    pub pos: Pos,
}

impl Declarations {
    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.id == id)
    }
    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }
}
