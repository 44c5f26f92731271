//! The compliance engine: from checked declarations and evidence, every figure of the report and
//! every engine finding, as of one instant. The semantics are documented in the README ("How `check` judges a system").
//!
//! Per system, the engine computes independent facts ([`SystemFacts`]): exact RPO exposure
//! ([`exposure`]), restore tests ([`restore`]), dependency-aware recovery estimates
//! ([`dependencies`]), schedule adherence ([`schedules`]) and backup failures ([`backups`]).
//! Each check in `crate::checks` turns facts into findings; [`waivers`] then marks the approved
//! exceptions, and the report model is assembled from facts and findings. Renderers never
//! recompute anything.

pub mod backups;
pub mod dependencies;
pub mod evidence_json;
pub mod exposure;
pub mod restore;
pub mod schedules;
pub mod waivers;

use crate::checks;
use crate::declarations::{Declarations, Severity, System};
use crate::duration::Duration;
use crate::evidence::{Event, Evidence, Kind, Status};
use crate::findings::{Finding, Findings};
use crate::report::model::{
    Analysis, BreachReport, FindingReport, RpoReport, RtoReport, ScheduleReport, Summary,
    SystemReport, SystemStatus, WindowReport,
};
use crate::time::Timestamp;
use backups::AttemptFailures;
use dependencies::RecoveryEstimate;
use exposure::{ExposureSummary, ExposureWindow, RecoveryPoint};
use restore::{RestoreHistory, RestoreProblem};
use schedules::{ScheduleInput, ScheduleResult};
use std::collections::HashMap;

/// Everything the engine established about one system; the input of every engine check.
#[derive(Debug)]
pub struct SystemFacts<'a> {
    pub system: &'a System,
    pub evidence: &'a Evidence,
    pub as_of: Timestamp,
    pub exposure: ExposureSummary,
    pub restore: RestoreHistory,
    pub restore_problems: Vec<RestoreProblem>,
    pub estimate: RecoveryEstimate,
    pub schedules: Vec<ScheduleResult>,
    pub failures: Vec<AttemptFailures>,
}

/// Analyzes the estate as of `as_of` over the review window `[as_of − window, as_of]`.
/// `design_findings` (from `validate`'s checks) and evidence findings are waived and counted
/// like the engine's own.
pub fn analyze(
    decl: &Declarations,
    evidence: &Evidence,
    as_of: Timestamp,
    window: Duration,
    design_findings: Vec<Finding>,
) -> Analysis {
    let window = WindowReport {
        start: as_of.saturating_sub_nanos(window.nanos()),
        end: as_of,
    };
    let facts = system_facts(decl, evidence, window);
    let mut findings = engine_findings(decl, &facts);
    findings.extend(design_findings);
    waivers::judge(decl, &mut findings, as_of);
    assemble(window, facts, findings)
}

/// Computes the facts of every system, in declaration order.
fn system_facts<'a>(
    decl: &'a Declarations,
    evidence: &'a Evidence,
    window: WindowReport,
) -> Vec<SystemFacts<'a>> {
    let as_of = window.end;
    let mut facts: Vec<SystemFacts<'a>> = decl
        .systems
        .iter()
        .map(|system| {
            let events = evidence.events_of(&system.id);
            let onboarded = system
                .onboarded
                .and_then(|d| Timestamp::start_of_day(d, &decl.timezone));
            let exposure_window = ExposureWindow {
                start: window.start,
                as_of,
                onboarded,
                rpo_nanos: system.rpo.nanos(),
            };
            let exposure = exposure::exposure(&recovery_points(events), &exposure_window);
            let restore = restore::restore_history(events, as_of);
            let restore_problems = restore::restore_problems(
                &restore,
                as_of,
                system.rto.nanos(),
                system.restore_test_max_age.nanos(),
            );
            let schedules = policy_adherence(system, events, evidence, &exposure, as_of, onboarded);
            let failures = backups::attempt_failures(events, exposure.window_start, as_of);
            SystemFacts {
                system,
                evidence,
                as_of,
                exposure,
                restore,
                restore_problems,
                estimate: RecoveryEstimate::NoOwnTest,
                schedules,
                failures,
            }
        })
        .collect();
    let own_test: HashMap<&str, Option<i64>> = facts
        .iter()
        .map(|f| {
            (
                f.system.id.as_str(),
                f.restore.last_successful.and_then(|t| t.duration_nanos),
            )
        })
        .collect();
    let mut estimates = dependencies::recovery_estimates(decl, &own_test);
    for f in &mut facts {
        if let Some(estimate) = estimates.remove(&f.system.id) {
            f.estimate = estimate;
        }
    }
    facts
}

/// Successful backups as recovery points (failed and partial give none).
fn recovery_points(events: &[Event]) -> Vec<RecoveryPoint> {
    events
        .iter()
        .filter(|e| e.kind() == Kind::Backup && e.status() == Status::Success)
        .map(|e| RecoveryPoint {
            point: e.recovery_point(),
            available: e.available_at(),
            origin: Some(e.origin()),
        })
        .collect()
}

/// Adherence of each declared policy; a policy that cannot be judged is left out.
fn policy_adherence(
    system: &System,
    events: &[Event],
    evidence: &Evidence,
    exposure: &ExposureSummary,
    as_of: Timestamp,
    onboarded: Option<Timestamp>,
) -> Vec<ScheduleResult> {
    system
        .backups
        .iter()
        .filter_map(|policy| {
            let sym = evidence.symbols.get(&policy.id);
            let mut starts: Vec<Timestamp> = events
                .iter()
                .filter(|e| e.kind() == Kind::Backup && e.status() == Status::Success)
                .filter(|e| sym.is_some() && e.policy() == sym && e.available_at() <= as_of)
                .map(|e| e.started_at().unwrap_or_else(|| e.available_at()))
                .collect();
            starts.sort_unstable();
            schedules::schedule_adherence(&ScheduleInput {
                policy,
                starts: &starts,
                window_start: exposure.window_start,
                as_of,
                onboarded,
            })
        })
        .collect()
}

/// Runs every engine check on every system's facts, applying `checks:` overrides.
fn engine_findings(decl: &Declarations, facts: &[SystemFacts<'_>]) -> Vec<Finding> {
    let mut sink = Findings::new(decl.checks.clone());
    for f in facts {
        checks::rpo_current::raise(&mut sink, f);
        checks::rpo_breach::raise(&mut sink, f);
        checks::schedule_missed::raise(&mut sink, f);
        checks::backup_failures::raise(&mut sink, f);
        checks::restore_test_missing::raise(&mut sink, f);
        checks::restore_test_failed::raise(&mut sink, f);
        checks::restore_test_stale::raise(&mut sink, f);
        checks::restore_exceeds_rto::raise(&mut sink, f);
        checks::dependency_chain_exceeds_rto::raise(&mut sink, f);
    }
    sink.into_vec()
}

/// Builds the report model: findings to their systems, statuses, summary.
fn assemble(window: WindowReport, facts: Vec<SystemFacts<'_>>, findings: Vec<Finding>) -> Analysis {
    let waived = findings.iter().filter(|f| !f.is_active()).count();
    let mut by_system: HashMap<String, Vec<FindingReport>> = HashMap::new();
    let mut estate = Vec::new();
    for finding in findings {
        match finding
            .system
            .clone()
            .filter(|id| facts.iter().any(|f| &f.system.id == id))
        {
            Some(id) => by_system.entry(id).or_default().push(finding.into()),
            None => estate.push(finding.into()),
        }
    }
    sort_findings(&mut estate);
    let systems: Vec<SystemReport> = facts
        .into_iter()
        .map(|f| {
            let mut findings = by_system.remove(&f.system.id).unwrap_or_default();
            sort_findings(&mut findings);
            system_report(f, findings)
        })
        .collect();
    let count = |status| systems.iter().filter(|s| s.status == status).count();
    let summary = Summary {
        systems: systems.len(),
        compliant: count(SystemStatus::Compliant),
        warning: count(SystemStatus::Warning),
        violation: count(SystemStatus::Violation),
        waived,
    };
    Analysis {
        as_of: window.end,
        window,
        summary,
        systems,
        findings: estate,
    }
}

/// Worst first, then by check id and message, so reports are stable.
fn sort_findings(findings: &mut [FindingReport]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.check.id.cmp(b.check.id))
            .then(a.message.cmp(&b.message))
    });
}

/// The worst severity among unwaived findings; info findings do not change the status.
pub fn status_of(findings: &[FindingReport]) -> SystemStatus {
    match findings
        .iter()
        .filter(|f| !f.waived)
        .map(|f| f.severity)
        .max()
    {
        Some(Severity::Violation) => SystemStatus::Violation,
        Some(Severity::Warning) => SystemStatus::Warning,
        Some(Severity::Info) | None => SystemStatus::Compliant,
    }
}

fn system_report(facts: SystemFacts<'_>, findings: Vec<FindingReport>) -> SystemReport {
    let SystemFacts {
        system,
        evidence,
        exposure,
        restore,
        estimate,
        schedules,
        ..
    } = facts;
    let rpo = RpoReport {
        target_seconds: system.rpo,
        window_start: exposure.window_start,
        last_recovery_point: exposure.last_recovery_point.map(|p| p.point),
        current_exposure_seconds: exposure.current_nanos,
        worst_exposure_seconds: exposure.worst_nanos,
        attainment: exposure.attainment(),
        breaches: exposure
            .breaches
            .iter()
            .map(|b| BreachReport {
                start: b.start,
                end: b.end,
                peak_exposure_seconds: b.peak_nanos,
                duration_seconds: b.duration_nanos(),
                ongoing: b.ongoing,
                last_point_before: b
                    .last_point_before
                    .map(|p| evidence_json::point_report(p, evidence)),
                closed_by: b
                    .closed_by
                    .map(|p| evidence_json::point_report(p, evidence)),
            })
            .collect(),
    };
    let rto = RtoReport {
        target_seconds: system.rto,
        last_test: restore
            .last
            .map(|t| evidence_json::test_report(&t, evidence)),
        last_successful_test: restore
            .last_successful
            .map(|t| evidence_json::test_report(&t, evidence)),
        estimated_recovery_seconds: estimate.total_nanos(),
        critical_path: estimate.critical_path().to_vec(),
        dependencies_without_test: estimate.lacking().to_vec(),
    };
    let schedules = schedules
        .into_iter()
        .map(|s| ScheduleReport {
            attainment: s.attainment(),
            policy: s.policy,
            expected_runs: s.expected_runs,
            met_runs: s.met_runs,
            missed_runs: s.missed_runs,
            pending_runs: s.pending_runs,
            grace_seconds: s.grace_nanos,
            first_missed: s.first_missed,
        })
        .collect();
    SystemReport {
        id: system.id.clone(),
        name: system.name.clone(),
        tier: system.tier.clone(),
        owner: system.owner.clone(),
        status: status_of(&findings),
        rpo,
        rto,
        schedules,
        findings,
    }
}

#[cfg(test)]
mod tests;
