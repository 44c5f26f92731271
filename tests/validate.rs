//! `drproof validate` on good files: findings, formats, severity overrides and exit codes.

mod common;
use common::*;

const AS_OF: &str = "2026-11-30T00:00:00Z";

#[test]
fn design_checks_table() {
    let out = drproof_in(
        &data("design"),
        &["validate", "--config", "drproof.yaml", "--as-of", AS_OF],
    );
    assert_eq!(code(&out), 1, "violations fail by default");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn design_checks_json() {
    let out = drproof_in(
        &data("design"),
        &[
            "validate",
            "--config",
            "drproof.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    for f in report["findings"].as_array().unwrap() {
        for key in ["system", "check", "severity", "message"] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn fail_on_controls_the_exit_code() {
    let dir = data("design");
    let run = |fail_on: &str| {
        code(&drproof_in(
            &dir,
            &[
                "validate",
                "-c",
                "drproof.yaml",
                "--as-of",
                AS_OF,
                "--fail-on",
                fail_on,
            ],
        ))
    };
    assert_eq!(run("violation"), 1);
    assert_eq!(run("warning"), 1);
    assert_eq!(run("never"), 0);
}

#[test]
fn as_of_moves_runbook_staleness() {
    // network's runbook was reviewed on 2026-01-10 with a 180-day review period.
    let dir = data("design");
    let stale = |as_of: &str| {
        let out = drproof_in(
            &dir,
            &[
                "validate",
                "-c",
                "drproof.yaml",
                "--as-of",
                as_of,
                "-f",
                "json",
            ],
        );
        stdout(&out).contains("runbook-stale")
    };
    assert!(
        !stale("2026-07-10T01:00:00+01:00"),
        "exactly 180 days after the end of the review day is still fresh"
    );
    assert!(
        stale("2026-07-10T01:00:01+01:00"),
        "one second later it is stale"
    );
}

#[test]
fn starter_from_init_validates_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = drproof_in(tmp.path(), &["init", "estate"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = drproof_in(&tmp.path().join("estate"), &["validate", "--as-of", AS_OF]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let again = drproof_in(tmp.path(), &["init", "estate"]);
    assert_eq!(code(&again), 2, "init never overwrites");
    assert!(stderr(&again).contains("already exists"));
}

#[test]
fn same_inputs_give_byte_identical_output() {
    let dir = data("design");
    let a = drproof_in(
        &dir,
        &[
            "validate",
            "-c",
            "drproof.yaml",
            "--as-of",
            AS_OF,
            "-f",
            "json",
        ],
    );
    let b = drproof_in(
        &dir,
        &[
            "validate",
            "-c",
            "drproof.yaml",
            "--as-of",
            AS_OF,
            "-f",
            "json",
        ],
    );
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn explain_lists_and_explains_every_check() {
    let out = drproof_in(&repo(""), &["explain"]);
    assert_eq!(code(&out), 0);
    let listing = stdout(&out);
    for id in ["schedule-exceeds-rpo", "runbook-stale", "no-backup-policy"] {
        assert!(listing.contains(id), "{listing}");
        let one = drproof_in(&repo(""), &["explain", id]);
        assert_eq!(code(&one), 0);
        assert!(stdout(&one).starts_with(&format!("# {id}\n")));
        assert!(stdout(&one).contains("## How to fix"));
    }
    let bad = drproof_in(&repo(""), &["explain", "rpo-breech"]);
    assert_eq!(code(&bad), 2);
}

#[test]
fn schema_is_json_schema_of_the_declarations() {
    let out = drproof_in(&repo(""), &["schema"]);
    assert_eq!(code(&out), 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["properties"]["systems"].is_object());
}

#[test]
fn completions_for_bash() {
    let out = drproof_in(&repo(""), &["completions", "bash"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("drproof"));
}

#[test]
fn help_has_examples_and_exit_codes() {
    let out = drproof_in(&repo(""), &["--help"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!(stdout(&out));
}
