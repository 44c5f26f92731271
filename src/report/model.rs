//! Report-model types, serialized exactly as `docs`'s report schema v1 (`drproof check --format
//! json`): times RFC 3339 UTC, durations in seconds (fractional only when needed), `null` where a
//! figure is unknown, never a made-up number. Fields beyond the pinned ones are additions the
//! schema allows (`window_start`, `ongoing`, `grace_seconds`, ...).

use crate::checks::Check;
use crate::declarations::Severity;
use crate::duration::Duration;
use crate::evidence::{InputSummary, Status};
use crate::findings::AppliedWaiver;
use crate::time::{seconds, Timestamp};
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// Everything the engine concluded about the estate as of one instant.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub as_of: Timestamp,
    pub window: WindowReport,
    pub summary: Summary,
    pub systems: Vec<SystemReport>,
    /// Findings about the estate as a whole (no system).
    pub findings: Vec<FindingReport>,
}

impl Analysis {
    /// The worst severity among findings that count (unwaived), estate-wide ones included:
    /// what `--fail-on` compares against.
    pub fn worst_active_severity(&self) -> Option<Severity> {
        self.systems
            .iter()
            .flat_map(|s| s.findings.iter())
            .chain(self.findings.iter())
            .filter(|f| !f.waived)
            .map(|f| f.severity)
            .max()
    }
}

/// The full JSON report: the analysis plus where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub organization: Option<&'a str>,
    pub as_of: Timestamp,
    pub window: WindowReport,
    pub inputs: &'a [InputSummary],
    pub summary: Summary,
    pub systems: &'a [SystemReport],
    pub findings: &'a [FindingReport],
}

impl<'a> Report<'a> {
    pub fn new(
        organization: Option<&'a str>,
        inputs: &'a [InputSummary],
        analysis: &'a Analysis,
    ) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            organization,
            as_of: analysis.as_of,
            window: analysis.window,
            inputs,
            summary: analysis.summary,
            systems: &analysis.systems,
            findings: &analysis.findings,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Self {
            name: "drproof",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WindowReport {
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub systems: usize,
    pub compliant: usize,
    pub warning: usize,
    pub violation: usize,
    /// Waived findings (not systems).
    pub waived: usize,
}

/// A system's overall result: the worst severity among its unwaived findings (info excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemStatus {
    Compliant,
    Warning,
    Violation,
}

impl SystemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SystemStatus::Compliant => "compliant",
            SystemStatus::Warning => "warning",
            SystemStatus::Violation => "violation",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemReport {
    pub id: String,
    pub name: Option<String>,
    pub tier: Option<String>,
    pub owner: Option<String>,
    pub status: SystemStatus,
    pub rpo: RpoReport,
    pub rto: RtoReport,
    pub schedules: Vec<ScheduleReport>,
    pub findings: Vec<FindingReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RpoReport {
    #[serde(serialize_with = "duration_seconds")]
    pub target_seconds: Duration,
    /// Start of this system's window: the review window's, or `onboarded` when later.
    pub window_start: Timestamp,
    pub last_recovery_point: Option<Timestamp>,
    #[serde(with = "seconds::option")]
    pub current_exposure_seconds: Option<i64>,
    #[serde(with = "seconds::option")]
    pub worst_exposure_seconds: Option<i64>,
    pub attainment: f64,
    pub breaches: Vec<BreachReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreachReport {
    pub start: Timestamp,
    pub end: Timestamp,
    /// `null` when no recovery point existed during part of the breach (unbounded exposure).
    #[serde(with = "seconds::option")]
    pub peak_exposure_seconds: Option<i64>,
    #[serde(with = "seconds")]
    pub duration_seconds: i64,
    pub ongoing: bool,
    /// The newest point available when the breach started (it grew older than the RPO).
    pub last_point_before: Option<PointReport>,
    /// The point whose availability ended the breach.
    pub closed_by: Option<PointReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointReport {
    pub point_in_time: Timestamp,
    pub available_at: Timestamp,
    /// `file:line` of the event; `null` for the virtual point at `onboarded`.
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RtoReport {
    #[serde(serialize_with = "duration_seconds")]
    pub target_seconds: Duration,
    pub last_test: Option<TestReport>,
    pub last_successful_test: Option<TestReport>,
    #[serde(with = "seconds::option")]
    pub estimated_recovery_seconds: Option<i64>,
    /// Recovery order of the chain behind the estimate: deepest dependency first, this system
    /// last. Empty when there is no estimate.
    pub critical_path: Vec<String>,
    /// When the estimate is null because of dependencies: the ones without a successful test.
    pub dependencies_without_test: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    pub started_at: Option<Timestamp>,
    pub finished_at: Timestamp,
    pub status: Status,
    #[serde(with = "seconds::option")]
    pub duration_seconds: Option<i64>,
    pub origin: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleReport {
    pub policy: String,
    pub expected_runs: u64,
    pub met_runs: u64,
    pub missed_runs: u64,
    pub pending_runs: u64,
    pub attainment: Option<f64>,
    #[serde(with = "seconds")]
    pub grace_seconds: i64,
    pub first_missed: Vec<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingReport {
    #[serde(serialize_with = "check_id")]
    pub check: &'static Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub severity: Severity,
    pub message: String,
    pub waived: bool,
    /// Reason, approver and expiry of the waiver that applies.
    pub waiver: Option<AppliedWaiver>,
    pub evidence: serde_json::Map<String, serde_json::Value>,
}

impl From<crate::findings::Finding> for FindingReport {
    fn from(f: crate::findings::Finding) -> Self {
        Self {
            check: f.check,
            system: f.system,
            severity: f.severity,
            message: f.message,
            waived: f.waiver.is_some(),
            waiver: f.waiver,
            evidence: f.evidence,
        }
    }
}

fn check_id<S: serde::Serializer>(check: &&'static Check, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(check.id)
}

fn duration_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.secs())
}
