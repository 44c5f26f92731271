//! One declarations file per input-error rule (tests/data/invalid/), run through the real
//! binary: each must exit 2 and print exactly the snapshotted messages.

mod common;
use common::*;

fn check(name: &str) {
    let dir = data("invalid");
    let file = format!("{name}.yaml");
    let out = drproof_in(
        &dir,
        &[
            "validate",
            "--config",
            &file,
            "--as-of",
            "2026-11-30T00:00:00Z",
        ],
    );
    assert_eq!(
        code(&out),
        2,
        "{name}: expected exit 2, stderr:\n{}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&out),
        "",
        "{name}: nothing on stdout when the input is bad"
    );
    insta::assert_snapshot!(name, stderr(&out));
}

macro_rules! cases {
    ($($test:ident => $file:literal),* $(,)?) => {
        $( #[test] fn $test() { check($file); } )*

        #[test]
        fn every_invalid_file_has_a_case() {
            let mut files: Vec<String> = std::fs::read_dir(data("invalid")).unwrap()
                .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let mut listed = vec![$($file.to_string()),*];
            listed.sort();
            assert_eq!(files, listed);
        }
    };
}

cases! {
    yaml_syntax => "yaml-syntax",
    unknown_key_suggests_the_right_one => "unknown-key",
    wrong_types => "wrong-type",
    bad_durations => "bad-duration",
    invalid_cron => "invalid-cron",
    unknown_timezone => "unknown-timezone",
    schedule_and_every_exclusive => "schedule-and-every",
    duplicate_system_ids => "duplicate-system",
    duplicate_backup_ids => "duplicate-backup",
    unknown_tier => "unknown-tier",
    unknown_dependency => "unknown-dependency",
    dependency_cycles_are_named => "dependency-cycle",
    rpo_from_neither_system_nor_tier => "missing-rpo",
    ids_are_restricted => "bad-id",
    unknown_check_in_waivers_and_overrides => "unknown-waiver-check",
    evidence_source_names_unknown_things => "unknown-evidence-system",
    only_version_1 => "wrong-version",
    empty_file => "empty",
    dates_outside_1900_to_2199 => "date-out-of-range",
    one_yaml_document_only => "two-documents",
    durations_fit_in_nanoseconds => "duration-too-long",
}

#[test]
fn missing_file_is_an_input_error() {
    let out = drproof_in(&data("invalid"), &["validate", "--config", "nope.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("error: cannot read declarations file nope.yaml: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_as_of_is_a_usage_error() {
    let out = drproof_in(
        &repo("docs/starter"),
        &["validate", "--config", "drproof.yaml", "--as-of", "soon"],
    );
    assert_eq!(code(&out), 2);
    insta::assert_snapshot!(stderr(&out), @"error: --as-of: expected an RFC 3339 time with an offset (2026-11-30T12:00:00Z) or a date (2026-11-30), found `soon`");
}
