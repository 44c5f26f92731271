//! `drproof check` through the real binary: the example estate, the JSON contract, exit codes,
//! and the CI moment: a fresh RPO breach turns the exit code to 1.

mod common;
use common::*;
use std::path::Path;

const ACME_AS_OF: &str = "2026-11-27T09:00:00Z";

fn acme(args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "check",
        "--config",
        "examples/acme/drproof.yaml",
        "--as-of",
        ACME_AS_OF,
    ];
    all.extend_from_slice(args);
    drproof_in(&repo(""), &all)
}

#[test]
fn acme_table_tells_the_story_of_the_example() {
    let out = acme(&[]);
    assert_eq!(
        code(&out),
        1,
        "the example has deliberate violations\n{}",
        stderr(&out)
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn acme_json_report_matches_the_contract_schema() {
    let out = acme(&["--format", "json"]);
    assert_eq!(code(&out), 1);
    let report = report(&out);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo("tests/fixtures/contract/report-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report violates the contract:\n{}",
        errors.join("\n")
    );
    let summary = &report["summary"];
    assert_eq!(
        (
            summary["systems"].as_u64(),
            summary["compliant"].as_u64(),
            summary["warning"].as_u64(),
            summary["violation"].as_u64(),
            summary["waived"].as_u64()
        ),
        (Some(12), Some(6), Some(1), Some(5), Some(1))
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn acme_message_queue_breach_figures() {
    let out = acme(&["--format", "json"]);
    let report = report(&out);
    let mq = items(&report, "systems", |s| s["id"] == "message-queue")[0];
    let breach = &mq["rpo"]["breaches"][0];
    assert_eq!(breach["start"], "2026-11-19T09:30:18Z");
    assert_eq!(breach["end"], "2026-11-19T18:05:48Z");
    assert_eq!(breach["peak_exposure_seconds"], 34530);
    assert_eq!(mq["rpo"]["breaches"].as_array().unwrap().len(), 1);
}

#[test]
fn output_is_byte_identical_whatever_the_machine_time_zone() {
    let a = acme(&["--format", "json"]);
    let b = std::process::Command::new(env!("CARGO_BIN_EXE_drproof"))
        .args([
            "check",
            "--config",
            "examples/acme/drproof.yaml",
            "--as-of",
            ACME_AS_OF,
            "--format",
            "json",
        ])
        .current_dir(repo(""))
        .env("TZ", "America/Los_Angeles")
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
    let c = acme(&[]);
    let d = acme(&[]);
    assert_eq!(c.stdout, d.stdout);
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(code(&acme(&["--fail-on", "violation"])), 1);
    assert_eq!(code(&acme(&["--fail-on", "warning"])), 1);
    assert_eq!(code(&acme(&["--fail-on", "never"])), 0);
}

/// A one-system estate with hourly backups and a 2h RPO, evidence in a CSV we control.
fn estate(dir: &Path, rows: &[(&str, &str, &str)]) {
    std::fs::write(
        dir.join("drproof.yaml"),
        "version: 1\nsystems:\n  - id: db\n    rpo: 2h\n    rto: 1h\n    backups:\n      - { id: hourly, every: 1h }\nevidence:\n  - path: logs/*.csv\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let mut csv = String::from("system,kind,status,started_at,finished_at,policy\n");
    for (kind, start, end) in rows {
        csv.push_str(&format!("db,{kind},success,{start},{end},hourly\n"));
    }
    std::fs::write(dir.join("logs/jobs.csv"), csv).unwrap();
}

fn rpo_only(dir: &Path, as_of: &str) -> i32 {
    // Restore tests and schedules are other checks: look at the RPO alone.
    std::fs::write(
        dir.join("drproof.yaml"),
        std::fs::read_to_string(dir.join("drproof.yaml")).unwrap().replace(
            "evidence:",
            "checks: { restore-test-missing: off, schedule-missed: off, backup-failures: off }\nevidence:",
        ),
    )
    .unwrap();
    let out = drproof_in(dir, &["check", "--as-of", as_of, "--window", "2h"]);
    assert_ne!(code(&out), 2, "{}", stderr(&out));
    code(&out)
}

#[test]
fn a_fresh_rpo_breach_turns_ci_red() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = [
        ("backup", "2026-11-30T06:00:00Z", "2026-11-30T06:05:00Z"),
        ("backup", "2026-11-30T07:00:00Z", "2026-11-30T07:05:00Z"),
        ("backup", "2026-11-30T08:00:00Z", "2026-11-30T08:05:00Z"),
    ];
    estate(tmp.path(), &rows);
    // 10:00 exactly: the newest point (08:00) is exactly 2h old: compliant (strict comparison).
    assert_eq!(rpo_only(tmp.path(), "2026-11-30T10:00:00Z"), 0);
    estate(tmp.path(), &rows);
    // One second later the recovery point is too old: CI goes red.
    assert_eq!(rpo_only(tmp.path(), "2026-11-30T10:00:01Z"), 1);
    // The next backup lands: green again.
    let mut more = rows.to_vec();
    more.push(("backup", "2026-11-30T09:55:00Z", "2026-11-30T09:59:00Z"));
    estate(tmp.path(), &more);
    assert_eq!(rpo_only(tmp.path(), "2026-11-30T10:00:01Z"), 0);
}

#[test]
fn bad_evidence_is_exit_2_with_file_line_and_column_and_lenient_turns_it_into_a_finding() {
    let tmp = tempfile::tempdir().unwrap();
    estate(
        tmp.path(),
        &[("backup", "2026-11-30T06:00:00Z", "2026-11-30T06:05:00Z")],
    );
    let csv = tmp.path().join("logs/jobs.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("db,backup,success,2026-11-30 07:00,2026-11-30T07:05:00Z,hourly\n");
    std::fs::write(&csv, text).unwrap();
    let out = drproof_in(tmp.path(), &["check", "--as-of", "2026-11-30T08:00:00Z"]);
    assert_eq!(code(&out), 2);
    insta::assert_snapshot!(stderr(&out), @r#"error: logs/jobs.csv:3: column started_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found "2026-11-30 07:00""#);
    let out = drproof_in(
        tmp.path(),
        &[
            "check",
            "--as-of",
            "2026-11-30T08:00:00Z",
            "--lenient",
            "-f",
            "json",
        ],
    );
    assert_ne!(code(&out), 2, "{}", stderr(&out));
    let report = report(&out);
    let finding = items(&report, "findings", |f| {
        f["check"] == "evidence-invalid-record"
    })[0];
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("logs/jobs.csv:3"),
        "{finding}"
    );
    let input = items(&report, "inputs", |i| i["path"] == "logs/jobs.csv")[0];
    assert_eq!(
        (
            input["records"].as_u64(),
            input["used"].as_u64(),
            input["skipped"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
}

#[test]
fn logs_on_the_command_line_are_read_once_and_globs_that_match_nothing_warn() {
    let tmp = tempfile::tempdir().unwrap();
    estate(
        tmp.path(),
        &[("backup", "2026-11-30T06:00:00Z", "2026-11-30T06:05:00Z")],
    );
    let out = drproof_in(
        tmp.path(),
        &[
            "check",
            "--as-of",
            "2026-11-30T07:00:00Z",
            "--logs",
            "logs",
            "--logs",
            "logs/jobs.csv",
            "--logs",
            "missing/*.csv",
            "-f",
            "json",
        ],
    );
    assert_ne!(code(&out), 2, "{}", stderr(&out));
    let report = report(&out);
    let csv_inputs = items(&report, "inputs", |i| i["format"] == "drproof-csv").len();
    assert_eq!(csv_inputs, 1, "a file reached three ways is read once");
    assert!(!items(&report, "findings", |f| f["check"] == "evidence-glob-empty").is_empty());
    let missing = drproof_in(
        tmp.path(),
        &[
            "check",
            "--as-of",
            "2026-11-30T07:00:00Z",
            "--logs",
            "nope.csv",
        ],
    );
    assert_eq!(code(&missing), 2);
}

#[test]
fn record_appends_evidence_that_check_reads() {
    let tmp = tempfile::tempdir().unwrap();
    estate(
        tmp.path(),
        &[("backup", "2026-11-30T06:00:00Z", "2026-11-30T06:05:00Z")],
    );
    let log = "logs/restores.jsonl";
    let ok = drproof_in(
        tmp.path(),
        &[
            "record",
            "--system",
            "db",
            "--kind",
            "restore_test",
            "--log",
            log,
            "--",
            "true",
        ],
    );
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    let failed = drproof_in(
        tmp.path(),
        &[
            "record",
            "--system",
            "db",
            "--kind",
            "restore_test",
            "--log",
            log,
            "--",
            "sh",
            "-c",
            "exit 7",
        ],
    );
    assert_eq!(
        code(&failed),
        7,
        "the command's exit code is passed through"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(tmp.path().join(log))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["status"].as_str(), lines[1]["status"].as_str()),
        (Some("success"), Some("failed"))
    );
    let out = drproof_in(tmp.path(), &["check", "--logs", log, "-f", "json"]);
    let report = report(&out);
    let last = &report["systems"][0]["rto"]["last_test"];
    assert_eq!(last["status"], "failed");
    assert!(report["systems"][0]["rto"]["last_successful_test"].is_object());
}

#[test]
fn bad_window_is_a_usage_error() {
    let out = acme(&["--window", "1M"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--window"), "{}", stderr(&out));
}

#[test]
fn a_reader_that_goes_away_keeps_the_verdict() {
    // `drproof check | head -1`: the pipe closes early; the exit code must still be the verdict.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drproof"))
        .args([
            "check",
            "--config",
            "examples/acme/drproof.yaml",
            "--as-of",
            ACME_AS_OF,
            "-f",
            "json",
        ])
        .current_dir(repo(""))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
