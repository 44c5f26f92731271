//! Whole-engine tests, including the worked example of the README ("How `check` judges a system").

use super::*;
use crate::declarations::test_support::{declarations, system};
use crate::declarations::{BackupPolicy, Pos, SeverityOverride, Trigger, Waiver};
use crate::evidence::{InputSummary, Origin};
use crate::time::NANOS_PER_SEC;
use chrono::NaiveDate;

fn t(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

struct EvidenceBuilder {
    evidence: Evidence,
}

impl EvidenceBuilder {
    fn new() -> Self {
        let mut evidence = Evidence::default();
        evidence.inputs.push(InputSummary {
            path: "logs/jobs.csv".into(),
            full_path: "logs/jobs.csv".into(),
            format: "csv".into(),
            sha256: "0".repeat(64),
            bytes: 0,
            records: None,
            used: None,
            skipped: None,
        });
        Self { evidence }
    }
    fn add(
        mut self,
        system: &str,
        kind: Kind,
        status: Status,
        started: &str,
        finished: &str,
        policy: Option<&str>,
    ) -> Self {
        let system = self.evidence.symbols.intern(system);
        let policy = policy.map(|p| self.evidence.symbols.intern(p));
        let record = self.evidence.events.len() as u32 + 2; // line 1 is the header
        self.evidence.events.push(
            Event::new(system, kind, status, Origin { input: 0, record })
                .with_started_at(Some(t(started)))
                .with_finished_at(Some(t(finished)))
                .with_policy(policy),
        );
        self
    }
    fn build(mut self) -> Evidence {
        self.evidence
            .events
            .sort_by_key(|e| (e.system(), e.kind(), e.finished_at(), e.started_at()));
        self.evidence
    }
}

fn hourly(id: &str) -> BackupPolicy {
    BackupPolicy {
        id: id.into(),
        trigger: Trigger::Every(Duration::from_secs(3_600)),
        grace: None,
        retention: None,
        offsite: false,
        pos: Pos::default(),
    }
}

/// The worked example of the README: 3 backups, RPO 1h, a 3h window ending 02:50.
fn worked_example() -> (Declarations, Evidence) {
    let decl = declarations(vec![system("erp")]);
    let evidence = EvidenceBuilder::new()
        .add(
            "erp",
            Kind::Backup,
            Status::Success,
            "2026-11-29T23:30:00Z",
            "2026-11-29T23:40:00Z",
            Some("db-dump"),
        )
        .add(
            "erp",
            Kind::Backup,
            Status::Success,
            "2026-11-30T00:20:00Z",
            "2026-11-30T00:30:00Z",
            Some("db-dump"),
        )
        .add(
            "erp",
            Kind::Backup,
            Status::Success,
            "2026-11-30T02:00:00Z",
            "2026-11-30T02:10:00Z",
            Some("db-dump"),
        )
        .add(
            "erp",
            Kind::RestoreTest,
            Status::Success,
            "2026-11-01T09:00:00Z",
            "2026-11-01T10:30:00Z",
            None,
        )
        .build();
    (decl, evidence)
}

const S: i64 = NANOS_PER_SEC;

#[test]
fn worked_example_figures() {
    let (decl, evidence) = worked_example();
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let erp = &analysis.systems[0];
    assert_eq!(
        analysis.window,
        WindowReport {
            start: t("2026-11-29T23:50:00Z"),
            end: t("2026-11-30T02:50:00Z")
        }
    );
    assert_eq!(erp.rpo.last_recovery_point, Some(t("2026-11-30T02:00:00Z")));
    assert_eq!(erp.rpo.current_exposure_seconds, Some(50 * 60 * S));
    assert_eq!(erp.rpo.worst_exposure_seconds, Some(110 * 60 * S));
    assert_eq!(erp.rpo.attainment, 130.0 / 180.0);
    assert_eq!(erp.rpo.breaches.len(), 1);
    let breach = &erp.rpo.breaches[0];
    assert_eq!(
        (breach.start, breach.end),
        (t("2026-11-30T01:20:00Z"), t("2026-11-30T02:10:00Z"))
    );
    assert_eq!(breach.peak_exposure_seconds, Some(110 * 60 * S));
    assert!(!breach.ongoing);
    assert_eq!(
        breach
            .closed_by
            .as_ref()
            .and_then(|p| p.origin.clone())
            .as_deref(),
        Some("logs/jobs.csv:4")
    );

    assert_eq!(
        erp.rto
            .last_successful_test
            .as_ref()
            .and_then(|t| t.duration_seconds),
        Some(90 * 60 * S)
    );
    assert_eq!(erp.rto.estimated_recovery_seconds, Some(90 * 60 * S));
    assert_eq!(erp.rto.critical_path, vec!["erp".to_string()]);

    let checks: Vec<(&str, Severity)> = erp
        .findings
        .iter()
        .map(|f| (f.check.id, f.severity))
        .collect();
    assert_eq!(
        checks,
        [
            ("rpo-breach", Severity::Violation),
            ("rpo-current", Severity::Warning)
        ]
    );
    assert_eq!(erp.status, SystemStatus::Violation);
    assert_eq!(
        analysis.summary,
        Summary {
            systems: 1,
            compliant: 0,
            warning: 0,
            violation: 1,
            waived: 0
        }
    );
    let breach_message = &erp.findings[0].message;
    assert!(
        breach_message.starts_with("1 breach of the RPO of 1h in the window: longest 50m"),
        "{breach_message}"
    );
}

#[test]
fn worked_example_json_has_the_contract_shape() {
    let (decl, evidence) = worked_example();
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let report = crate::report::model::Report::new(
        decl.organization.as_deref(),
        &evidence.inputs,
        &analysis,
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["window"]["start"], "2026-11-29T23:50:00Z");
    let erp = &json["systems"][0];
    assert_eq!(erp["status"], "violation");
    assert_eq!(erp["rpo"]["target_seconds"], 3600);
    assert_eq!(erp["rpo"]["current_exposure_seconds"], 3000);
    assert_eq!(erp["rpo"]["worst_exposure_seconds"], 6600);
    assert_eq!(erp["rpo"]["breaches"][0]["start"], "2026-11-30T01:20:00Z");
    assert_eq!(erp["rpo"]["breaches"][0]["peak_exposure_seconds"], 6600);
    assert_eq!(erp["rto"]["last_test"]["status"], "success");
    assert_eq!(erp["rto"]["last_test"]["duration_seconds"], 5400);
    assert_eq!(erp["schedules"], serde_json::json!([]));
    assert_eq!(erp["findings"][0]["check"], "rpo-breach");
    assert_eq!(erp["findings"][0]["waived"], false);
    assert_eq!(
        erp["findings"][0]["evidence"]["longest"]["closed_by"]["origin"],
        "logs/jobs.csv:4"
    );
    for key in ["tool", "organization", "as_of", "inputs", "summary"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn waived_findings_stay_but_do_not_count_and_expired_waivers_warn() {
    let (mut decl, evidence) = worked_example();
    let waiver = |check: &str, expires| Waiver {
        system: "erp".into(),
        check: check.into(),
        reason: "CHG-1".into(),
        approved_by: "cio@example.com".into(),
        expires,
        pos: Pos { line: 40, col: 5 },
    };
    decl.waivers = vec![
        waiver("rpo-breach", NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
        waiver(
            "restore-test-stale",
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        ),
    ];
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let erp = &analysis.systems[0];
    let breach = erp
        .findings
        .iter()
        .find(|f| f.check.id == "rpo-breach")
        .unwrap();
    assert!(breach.waived);
    assert_eq!(
        breach.waiver.as_ref().map(|w| w.reason.as_str()),
        Some("CHG-1")
    );
    assert!(erp
        .findings
        .iter()
        .any(|f| f.check.id == "waiver-expired" && f.severity == Severity::Warning));
    assert!(
        !erp.findings
            .iter()
            .find(|f| f.check.id == "rpo-current")
            .unwrap()
            .waived
    );
    assert_eq!(erp.status, SystemStatus::Warning);
    assert_eq!(analysis.summary.waived, 1);
    assert_eq!(analysis.worst_active_severity(), Some(Severity::Warning));
}

#[test]
fn severity_overrides_apply_and_info_does_not_change_status() {
    let (mut decl, evidence) = worked_example();
    decl.checks
        .insert("rpo-breach".into(), SeverityOverride::Set(Severity::Info));
    decl.checks
        .insert("rpo-current".into(), SeverityOverride::Off);
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let erp = &analysis.systems[0];
    assert_eq!(erp.findings.len(), 1);
    assert_eq!(erp.findings[0].severity, Severity::Info);
    assert_eq!(erp.status, SystemStatus::Compliant);
}

#[test]
fn restore_and_dependency_findings() {
    let mut web = system("web");
    web.depends_on = vec!["db".into()];
    web.rto = Duration::from_secs(3_600);
    let mut db = system("db");
    db.restore_test_max_age = Duration::from_secs(30 * 86_400);
    let decl = declarations(vec![web, db, system("crm")]);
    let evidence = EvidenceBuilder::new()
        .add(
            "web",
            Kind::Backup,
            Status::Success,
            "2026-11-30T11:30:00Z",
            "2026-11-30T11:31:00Z",
            None,
        )
        .add(
            "web",
            Kind::RestoreTest,
            Status::Success,
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:40:00Z",
            None,
        )
        .add(
            "db",
            Kind::Backup,
            Status::Success,
            "2026-11-30T11:30:00Z",
            "2026-11-30T11:31:00Z",
            None,
        )
        .add(
            "db",
            Kind::RestoreTest,
            Status::Success,
            "2026-10-01T10:00:00Z",
            "2026-10-01T10:30:00Z",
            None,
        )
        .add(
            "db",
            Kind::RestoreTest,
            Status::Failed,
            "2026-11-25T10:00:00Z",
            "2026-11-25T10:05:00Z",
            None,
        )
        .add(
            "crm",
            Kind::Backup,
            Status::Success,
            "2026-11-30T11:30:00Z",
            "2026-11-30T11:31:00Z",
            None,
        )
        .build();
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T12:00:00Z"),
        Duration::from_secs(600),
        Vec::new(),
    );
    let ids = |i: usize| {
        analysis.systems[i]
            .findings
            .iter()
            .map(|f| f.check.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(0), ["dependency-chain-exceeds-rto"]);
    assert!(analysis.systems[0].findings[0].message.contains("db → web"));
    assert_eq!(
        analysis.systems[0].rto.estimated_recovery_seconds,
        Some(70 * 60 * S)
    );
    assert_eq!(analysis.systems[0].rto.critical_path, ["db", "web"]);
    assert_eq!(ids(1), ["restore-test-failed", "restore-test-stale"]);
    assert_eq!(ids(2), ["restore-test-missing"]);
    assert!(analysis.systems[2].rto.last_test.is_none());
    assert_eq!(
        analysis.summary,
        Summary {
            systems: 3,
            compliant: 0,
            warning: 0,
            violation: 3,
            waived: 0
        }
    );
}

#[test]
fn estate_wide_design_findings_are_kept_apart() {
    let (decl, evidence) = worked_example();
    let design = Finding {
        system: None,
        check: &crate::checks::no_backup_policy::CHECK,
        severity: Severity::Warning,
        message: "estate".into(),
        evidence: Default::default(),
        waiver: None,
    };
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        vec![design],
    );
    assert_eq!(analysis.findings.len(), 1);
    assert_eq!(analysis.systems[0].findings.len(), 2);
}

#[test]
fn every_schedule_through_the_engine() {
    // The worked example's backups (starts 23:30, 00:20, 02:00) against `every: 1h`, anchored at
    // the first backup: runs 00:30, 01:30, 02:30 are in the window; the default grace is 6 min.
    // 00:20 is 10 min early (outside grace), 02:00 is 30 min from both 01:30 and 02:30.
    let (mut decl, evidence) = worked_example();
    decl.systems[0].backups = vec![hourly("db-dump")];
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:50:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let schedule = &analysis.systems[0].schedules[0];
    assert_eq!(schedule.grace_seconds, 6 * 60 * S);
    assert_eq!(
        (
            schedule.expected_runs,
            schedule.met_runs,
            schedule.missed_runs,
            schedule.pending_runs
        ),
        (3, 0, 3, 0)
    );
    let missed = analysis.systems[0]
        .findings
        .iter()
        .find(|f| f.check.id == "schedule-missed")
        .unwrap();
    assert!(
        missed
            .message
            .contains("2026-11-30T00:30:00Z, 2026-11-30T01:30:00Z, 2026-11-30T02:30:00Z"),
        "{}",
        missed.message
    );

    // pending: as of 02:33 the 02:30 run's grace has not ended
    let analysis = analyze(
        &decl,
        &evidence,
        t("2026-11-30T02:33:00Z"),
        Duration::from_secs(3 * 3_600),
        Vec::new(),
    );
    let schedule = &analysis.systems[0].schedules[0];
    assert_eq!((schedule.expected_runs, schedule.pending_runs), (2, 1));
}
