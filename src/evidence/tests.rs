//! Tests of the evidence stage through its public entry point, on files in temporary folders.

use super::*;
use crate::declarations::{BackupPolicy, Declarations, EvidenceSource, Pos, System, Trigger};
use crate::duration::Duration;
use std::path::Path;

fn system(id: &str, policies: &[&str]) -> System {
    let mut system = crate::declarations::test_support::system(id);
    system.backups = policies
        .iter()
        .map(|p| BackupPolicy {
            id: (*p).to_owned(),
            trigger: Trigger::Every(Duration::from_secs(86_400)),
            grace: None,
            retention: None,
            offsite: false,
            pos: Pos::default(),
        })
        .collect();
    system
}

pub(super) fn source(path: &str) -> EvidenceSource {
    EvidenceSource {
        path: path.to_owned(),
        format: None,
        system: None,
        systems_by: Default::default(),
        timezone: None,
        policy: None,
        pos: Pos { line: 7, col: 5 },
    }
}

pub(super) fn declarations(dir: &Path, evidence: Vec<EvidenceSource>) -> Declarations {
    let mut decl = crate::declarations::test_support::declarations(vec![
        system("db", &["nightly", "hourly"]),
        system("web", &["daily"]),
    ]);
    decl.path = dir.join("drproof.yaml");
    decl.base_dir = dir.to_path_buf();
    decl.evidence = evidence;
    decl
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn strict() -> LoadOptions {
    LoadOptions {
        lenient: false,
        threads: 2,
    }
}

/// Loads one file named `name` with `text`, declared as the only source.
fn load_one(name: &str, text: &str, options: &LoadOptions) -> Result<Evidence, EvidenceError> {
    load_with(name, text, options, |_| {})
}

fn load_with(
    name: &str,
    text: &str,
    options: &LoadOptions,
    adjust: impl FnOnce(&mut EvidenceSource),
) -> Result<Evidence, EvidenceError> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    let mut src = source(name);
    adjust(&mut src);
    load(&declarations(dir.path(), vec![src]), &[], options)
}

fn error_of(name: &str, text: &str) -> String {
    match load_one(name, text, &strict()) {
        Ok(e) => panic!("expected an error, got {:?}", e.events),
        Err(e) => e.to_string(),
    }
}

/// An event rendered with names, for readable assertions.
fn show(ev: &Evidence, e: &Event) -> String {
    let name = |s: Option<Sym>| s.map_or("-", |s| ev.symbols.name(s));
    let time = |t: Option<crate::time::Timestamp>| t.map_or("-".to_owned(), |t| t.to_string());
    format!(
        "{} {} {} {}..{} pit={} policy={} size={} loc={} at={}",
        ev.symbols.name(e.system()),
        e.kind().as_str(),
        e.status().as_str(),
        time(e.started_at()),
        time(e.finished_at()),
        time(e.point_in_time()),
        name(e.policy()),
        e.size_bytes().map_or("-".to_owned(), |s| s.to_string()),
        name(e.location()),
        ev.describe(e.origin())
    )
}

fn shown(ev: &Evidence) -> Vec<String> {
    ev.events.iter().map(|e| show(ev, e)).collect()
}

const HEADER: &str =
    "system,kind,status,started_at,finished_at,point_in_time,policy,size_bytes,location";

#[test]
fn csv_columns_in_any_order_unknown_ignored_empty_means_absent() {
    let text = "note,finished_at,status,system,started_at,kind,size_bytes,policy,point_in_time,location\n\
                hello,2026-11-02T02:14:31.5Z,success,db,2026-11-02T02:00:00Z,backup,1024,nightly,2026-11-02T01:59:00+00:00,eu-west-1\n\
                ,2026-11-03T04:00:00+02:00,failed,web,2026-11-03T03:00:00+02:00,restore_test,,,,\n";
    let ev = load_one("jobs.csv", text, &strict()).unwrap();
    assert_eq!(
        shown(&ev),
        [
            "db backup success 2026-11-02T02:00:00Z..2026-11-02T02:14:31.500Z pit=2026-11-02T01:59:00Z policy=nightly size=1024 loc=eu-west-1 at=jobs.csv:2",
            "web restore_test failed 2026-11-03T01:00:00Z..2026-11-03T02:00:00Z pit=- policy=- size=- loc=- at=jobs.csv:3",
        ]
    );
    let input = &ev.inputs[0];
    assert_eq!(
        (input.path.as_str(), input.format.as_str()),
        ("jobs.csv", "drproof-csv")
    );
    assert_eq!(
        (input.records, input.used, input.skipped),
        (Some(2), Some(2), Some(0))
    );
    assert_eq!(input.bytes, text.len() as u64);
    use sha2::Digest;
    assert_eq!(
        input.sha256,
        blocks::hex(&sha2::Sha256::digest(text.as_bytes()))
    );
}

#[test]
fn csv_error_messages_name_file_line_column_found_and_expected() {
    let cases = [
        (
            "db,backup,success,0001-01-01T00:00:00Z,2026-11-02T03:00:00Z,,,,",
            "jobs.csv:2: column started_at: expected a time between 1677-09-22 and 2262-04-11, found \"0001-01-01T00:00:00Z\"",
        ),
        (
            "db,backup,success,2026-11-02 02:00,2026-11-02T03:00:00Z,,,,",
            "jobs.csv:2: column started_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found \"2026-11-02 02:00\"",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,,,,,",
            "jobs.csv:2: column finished_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found an empty cell",
        ),
        (
            "db,full,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,,,",
            "jobs.csv:2: column kind: expected backup or restore_test, found \"full\"",
        ),
        (
            "db,backup,ok,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,,,",
            "jobs.csv:2: column status: expected success, failed or partial, found \"ok\"",
        ),
        (
            ",backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,,,",
            "jobs.csv:2: column system: expected a system id, found an empty cell",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,,12 GB,",
            "jobs.csv:2: column size_bytes: expected a whole number of bytes, found \"12 GB\"",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z",
            "jobs.csv:2: expected 9 fields as in the header, found 5",
        ),
        (
            "db,backup,success,2026-11-02T03:00:00Z,2026-11-02T02:00:00Z,,,,",
            "jobs.csv:2: finished_at (2026-11-02T02:00:00Z) is before started_at (2026-11-02T03:00:00Z)",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,2026-11-02T03:00:01Z,,,",
            "jobs.csv:2: point_in_time (2026-11-02T03:00:01Z) is after finished_at (2026-11-02T03:00:00Z)",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,\"night\"ly,,",
            "jobs.csv:2: field 7: unexpected text after a closing quote",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,nig\"ht,,",
            "jobs.csv:2: field 7: a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\"\")",
        ),
        (
            "db,backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,\"nightly,,\n",
            "jobs.csv:2: field 7: a quoted field is not closed",
        ),
    ];
    for (row, expected) in cases {
        assert_eq!(
            error_of("jobs.csv", &format!("{HEADER}\n{row}\n")),
            expected,
            "row {row}"
        );
    }
}

#[test]
fn csv_header_problems_are_input_errors() {
    assert_eq!(
        error_of("jobs.csv", "system,kind,status,started_at\ndb,backup,success,2026-11-02T02:00:00Z\n"),
        "jobs.csv:1: the header lacks the required column finished_at (found: system,kind,status,started_at)"
    );
    assert_eq!(
        error_of("jobs.csv", "system,kind\n"),
        "jobs.csv:1: the header lacks the required columns status, started_at, finished_at (found: system,kind)"
    );
    assert_eq!(
        error_of(
            "jobs.csv",
            "system,kind,status,started_at,finished_at,status\n"
        ),
        "jobs.csv:1: column status appears twice in the header"
    );
    assert_eq!(
        error_of("jobs.csv", ""),
        "jobs.csv:1: expected a header row (system,kind,status,started_at,finished_at,...), found an empty file"
    );
    // A header alone is a valid file with no records.
    let ev = load_one(
        "jobs.csv",
        "system,kind,status,started_at,finished_at\n",
        &strict(),
    )
    .unwrap();
    assert_eq!(ev.inputs[0].records, Some(0));
}

#[test]
fn csv_accepts_bom_crlf_quotes_and_blank_lines_keeping_line_numbers() {
    let text = "\u{FEFF}system,kind,status,started_at,finished_at,location,policy\r\n\
                \r\n\
                \"db\",backup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,\"rack 1, \"\"north\"\"\nsecond line\",nightly\r\n\
                web , backup , partial , 2026-11-02T02:00:00Z , 2026-11-02T03:00:00Z ,,\r\n\
                \r\n\r\n";
    let ev = load_one("jobs.csv", text, &strict()).unwrap();
    assert_eq!(
        shown(&ev),
        [
            "db backup success 2026-11-02T02:00:00Z..2026-11-02T03:00:00Z pit=- policy=nightly size=- loc=rack 1, \"north\"\nsecond line at=jobs.csv:3",
            "web backup partial 2026-11-02T02:00:00Z..2026-11-02T03:00:00Z pit=- policy=- size=- loc=- at=jobs.csv:5",
        ]
    );
    assert_eq!(ev.inputs[0].records, Some(2));
}

#[test]
fn local_times_need_the_source_timezone() {
    let text =
        format!("{HEADER}\ndb,backup,success,2026-07-02T02:00:00,2026-07-02T02:30:00.5,,,,\n");
    assert_eq!(
        error_of("jobs.csv", &text),
        "jobs.csv:2: column started_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found \"2026-07-02T02:00:00\""
    );
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let ev = load_with("jobs.csv", &text, &strict(), |s| s.timezone = Some(berlin)).unwrap();
    assert_eq!(
        ev.events[0].started_at().unwrap().to_string(),
        "2026-07-02T00:00:00Z"
    );
    assert_eq!(
        ev.events[0].finished_at().unwrap().to_string(),
        "2026-07-02T00:30:00.500Z"
    );
    let bad = format!("{HEADER}\ndb,backup,success,2026-07-02,2026-07-02T02:30:00,,,,\n");
    let err = load_with("jobs.csv", &bad, &strict(), |s| s.timezone = Some(berlin)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jobs.csv:2: column started_at: expected an RFC 3339 time (2026-11-02T02:00:00Z) or a local time in Europe/Berlin (2026-11-02T02:00:00), found \"2026-07-02\""
    );
    let gap = format!("{HEADER}\ndb,backup,success,2026-03-29T02:30:00,2026-03-29T04:00:00,,,,\n");
    let err = load_with("jobs.csv", &gap, &strict(), |s| s.timezone = Some(berlin)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jobs.csv:2: column started_at: the local time \"2026-03-29T02:30:00\" does not exist in Europe/Berlin (the clocks skip it)"
    );
}

#[test]
fn declared_system_and_policy_fill_records_that_do_not_name_them() {
    let text = "kind,status,started_at,finished_at,policy\nbackup,success,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,\n";
    let ev = load_with("jobs.csv", text, &strict(), |s| {
        s.system = Some("db".into());
        s.policy = Some("hourly".into());
    })
    .unwrap();
    assert_eq!(
        shown(&ev),
        ["db backup success 2026-11-02T02:00:00Z..2026-11-02T03:00:00Z pit=- policy=hourly size=- loc=- at=jobs.csv:2"]
    );
}

#[test]
fn jsonl_reads_the_same_keys_ignoring_unknown_ones() {
    let text = "\u{FEFF}{\"system\":\"db\",\"kind\":\"backup\",\"status\":\"success\",\"started_at\":\"2026-11-02T02:00:00Z\",\"finished_at\":\"2026-11-02T02:10:00Z\",\"size_bytes\":42,\"policy\":\"nightly\",\"extra\":{\"a\":[1]}}\r\n\
                \n\
                {\"location\":\"vault \\\"A\\\"\",\"system\":\"web\",\"kind\":\"restore_test\",\"status\":\"failed\",\"started_at\":\"2026-11-02T02:00:00Z\",\"finished_at\":\"2026-11-02T02:10:00Z\",\"point_in_time\":null,\"policy\":\"\"}\n";
    let ev = load_one("jobs.jsonl", text, &strict()).unwrap();
    assert_eq!(
        shown(&ev),
        [
            "db backup success 2026-11-02T02:00:00Z..2026-11-02T02:10:00Z pit=- policy=nightly size=42 loc=- at=jobs.jsonl:1",
            "web restore_test failed 2026-11-02T02:00:00Z..2026-11-02T02:10:00Z pit=- policy=- size=- loc=vault \"A\" at=jobs.jsonl:3",
        ]
    );
    assert_eq!(ev.inputs[0].format, "drproof-jsonl");
}

#[test]
fn jsonl_error_messages_name_the_key() {
    let ok = r#""kind":"backup","status":"success","started_at":"2026-11-02T02:00:00Z""#;
    let cases = [
        (
            format!(r#"{{"system":"db",{ok},"finished_at":"2026-11-02 02:00"}}"#),
            "jobs.jsonl:1: key finished_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found \"2026-11-02 02:00\"",
        ),
        (
            format!(r#"{{"system":"db",{ok}}}"#),
            "jobs.jsonl:1: key finished_at: expected an RFC 3339 time with an offset (2026-11-02T02:00:00Z), found no value",
        ),
        (format!(r#"{{"system":5,{ok}}}"#), "jobs.jsonl:1: key system: expected a string, found 5"),
        (
            format!(r#"{{"system":"db",{ok},"finished_at":"2026-11-02T03:00:00Z","size_bytes":"5"}}"#),
            "jobs.jsonl:1: key size_bytes: expected a whole number of bytes, found \"5\"",
        ),
        (
            format!(r#"{{"system":"db",{ok},"finished_at":"2026-11-02T03:00:00Z","size_bytes":-1}}"#),
            "jobs.jsonl:1: key size_bytes: expected a whole number of bytes, found \"-1\"",
        ),
        (
            "[1,2]".to_owned(),
            "jobs.jsonl:1: expected a JSON object with the keys system, kind, status, started_at, finished_at, found \"[1,2]\"",
        ),
        (
            r#"{"system":"db""#.to_owned(),
            "jobs.jsonl:1: expected a JSON object on one line, found invalid JSON at column 14: EOF while parsing an object",
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(
            error_of("jobs.jsonl", &format!("{line}\n")),
            expected,
            "line {line}"
        );
    }
}

fn row(system: &str, status: &str, start: &str, policy: &str) -> String {
    format!("{system},backup,{status},2026-11-02T{start}:00Z,2026-11-02T{start}:30Z,,{policy},,\n")
}

#[test]
fn exact_duplicates_are_counted_once_and_noted() {
    let text = format!(
        "{HEADER}\n{}{}{}{}{}",
        row("db", "success", "02:00", "nightly"),
        row("db", "success", "01:00", "nightly"),
        row("db", "success", "02:00", "nightly"),
        row("db", "success", "02:00", "hourly"),
        row("db", "success", "02:00", "nightly"),
    );
    let ev = load_one("jobs.csv", &text, &strict()).unwrap();
    assert_eq!(ev.events.len(), 3);
    assert_eq!(
        ev.notes,
        [EvidenceNote::Duplicate {
            system: "db".into(),
            records: 2,
            first: Origin {
                input: 0,
                record: 2
            },
            duplicate: Origin {
                input: 0,
                record: 4
            },
        }]
    );
    assert_eq!(
        (
            ev.inputs[0].records,
            ev.inputs[0].used,
            ev.inputs[0].skipped
        ),
        (Some(5), Some(3), Some(2))
    );
    // Sorted by finished_at within the system.
    assert!(ev
        .events
        .windows(2)
        .all(|w| w[0].finished_at() <= w[1].finished_at()));
}

#[test]
fn duplicates_with_different_status_are_an_error_naming_both() {
    let text = format!(
        "{HEADER}\n{}{}",
        row("db", "success", "02:00", "nightly"),
        row("db", "failed", "02:00", "nightly")
    );
    assert_eq!(
        error_of("jobs.csv", &text),
        "jobs.csv:2 and jobs.csv:3 record the same backup of db of policy nightly (started 2026-11-02T02:00:00Z, finished 2026-11-02T02:00:30Z) with different statuses: success and failed"
    );
}

#[test]
fn undeclared_policies_are_noted_in_name_order_and_duplicates_not_counted() {
    let text = format!(
        "{HEADER}\n{}{}{}{}{}{}",
        row("web", "success", "02:00", "nightly"),
        row("db", "success", "03:00", "zeta"),
        row("db", "success", "03:00", "zeta"),
        row("db", "success", "04:00", "alpha"),
        row("db", "success", "05:00", "zeta"),
        row("db", "success", "06:00", "nightly"),
    );
    let ev = load_one("jobs.csv", &text, &strict()).unwrap();
    let unknown: Vec<(String, String, u64)> = ev
        .notes
        .iter()
        .filter_map(|n| match n {
            EvidenceNote::UnknownPolicy {
                system,
                policy,
                records,
            } => Some((system.clone(), policy.clone(), *records)),
            _ => None,
        })
        .collect();
    let owned = |s: &str, p: &str, n| (s.to_owned(), p.to_owned(), n);
    assert_eq!(
        unknown,
        [
            owned("db", "alpha", 1),
            owned("db", "zeta", 2),
            owned("web", "nightly", 1)
        ]
    );
    assert!(matches!(
        ev.notes[0],
        EvidenceNote::Duplicate { records: 1, .. }
    ));
    assert_eq!(
        (ev.inputs[0].used, ev.inputs[0].skipped),
        (Some(5), Some(1))
    );
}

#[test]
fn undeclared_systems_are_counted_and_excluded_undeclared_policies_noted() {
    let text = format!(
        "{HEADER}\n{}{}{}{}",
        row("ghost", "success", "02:00", ""),
        row("db", "success", "02:00", "weekly"),
        row("ghost", "failed", "03:00", ""),
        row("alpha", "failed", "03:00", ""),
    );
    let ev = load_one("jobs.csv", &text, &strict()).unwrap();
    assert_eq!(ev.events.len(), 1);
    assert_eq!(ev.events_of("db").len(), 1);
    assert_eq!(ev.events_of("ghost").len(), 0);
    assert_eq!(
        ev.notes,
        [
            EvidenceNote::UnknownSystem {
                system: "alpha".into(),
                records: 1
            },
            EvidenceNote::UnknownSystem {
                system: "ghost".into(),
                records: 2
            },
            EvidenceNote::UnknownPolicy {
                system: "db".into(),
                policy: "weekly".into(),
                records: 1
            },
        ]
    );
    assert_eq!(
        (
            ev.inputs[0].records,
            ev.inputs[0].used,
            ev.inputs[0].skipped
        ),
        (Some(4), Some(1), Some(3))
    );
}

#[test]
fn lenient_mode_turns_bad_records_into_notes() {
    let text = format!(
        "{HEADER}\n{}db,backup,maybe,2026-11-02T02:00:00Z,2026-11-02T03:00:00Z,,,,\n{}db,backup\n",
        row("db", "success", "02:00", "nightly"),
        row("web", "success", "02:00", "daily"),
    );
    let lenient = LoadOptions {
        lenient: true,
        threads: 2,
    };
    let ev = load_one("jobs.csv", &text, &lenient).unwrap();
    assert_eq!(ev.events.len(), 2);
    assert_eq!(
        ev.notes,
        [
            EvidenceNote::InvalidRecord {
                input: 0,
                location: "jobs.csv:3".into(),
                message: "column status: expected success, failed or partial, found \"maybe\""
                    .into(),
            },
            EvidenceNote::InvalidRecord {
                input: 0,
                location: "jobs.csv:5".into(),
                message: "expected 9 fields as in the header, found 2".into(),
            },
        ]
    );
    assert_eq!(
        (
            ev.inputs[0].records,
            ev.inputs[0].used,
            ev.inputs[0].skipped
        ),
        (Some(4), Some(2), Some(2))
    );
    // The same file is an error without --lenient, at the first bad record.
    assert_eq!(
        error_of("jobs.csv", &text),
        "jobs.csv:3: column status: expected success, failed or partial, found \"maybe\""
    );
}

#[test]
fn many_blocks_on_several_threads_read_like_one() {
    let mut text = format!("{HEADER}\n");
    for i in 0..5000u32 {
        let system = ["db", "web", "ghost"][(i % 3) as usize];
        let loc = if i % 7 == 0 { "\"x,\ny\"" } else { "eu" };
        text.push_str(&format!(
            "{system},backup,success,2026-11-02T02:{:02}:{:02}Z,2026-11-02T03:00:00Z,,nightly,{i},{loc}\n",
            (i / 60) % 60,
            i % 60
        ));
        if i % 100 == 0 {
            text.push('\n');
        }
    }
    let read = |block: usize, threads: usize| {
        let src = source("x.csv");
        let mut symbols = Symbols::default();
        let mut events = Vec::new();
        let mut notes = Vec::new();
        let mut ctx = InputContext {
            path: "x.csv",
            source: &src,
            input: 0,
            lenient: false,
            symbols: &mut symbols,
            events: &mut events,
            notes: &mut notes,
            records: 0,
            size_hint: text.len() as u64,
        };
        let digest =
            formats::drproof_csv::read_with_block_size(&mut ctx, text.as_bytes(), threads, block)
                .unwrap();
        let records = ctx.records;
        let named: Vec<(String, u32, Option<u64>, String)> = events
            .iter()
            .map(|e| {
                (
                    symbols.name(e.system()).to_owned(),
                    e.origin().record,
                    e.size_bytes(),
                    symbols.name(e.location().unwrap()).to_owned(),
                )
            })
            .collect();
        (digest, records, named)
    };
    let whole = read(1 << 30, 1);
    assert_eq!(whole.1, 5000);
    // Header, records, one blank line per 100, one more line per quoted two-line location.
    assert_eq!(whole.2[4999].1, 2 + 4999 + 50 + 715);
    for (block, threads) in [(1000, 2), (4096, 3), (777, 1)] {
        assert_eq!(
            read(block, threads),
            whole,
            "block {block}, threads {threads}"
        );
    }
}

#[test]
fn sources_resolve_globs_folders_and_files_reached_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = |s: &str, t: &str| row(s, "success", t, "nightly");
    write(d, "logs/a.csv", format!("{HEADER}\n{}", r("db", "01:00")));
    write(d, "logs/b.csv", format!("{HEADER}\n{}", r("db", "02:00")));
    write(d, "logs/notes.txt", "not evidence");
    write(d, "logs/sub/c.jsonl", "{\"system\":\"web\",\"kind\":\"backup\",\"status\":\"success\",\"started_at\":\"2026-11-02T02:00:00Z\",\"finished_at\":\"2026-11-02T02:00:00Z\"}\n");
    write(d, "other/d.csv", format!("{HEADER}\n{}", r("db", "03:00")));
    let decl = declarations(d, vec![source("logs/*.csv"), source("missing/*.csv")]);
    // --logs: the same folder again (read once), and a folder read recursively.
    let extra = [d.join("logs"), d.join("other/../other/d.csv")];
    let ev = load(&decl, &extra, &strict()).unwrap();
    let paths: Vec<&str> = ev.inputs.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "logs/a.csv",
            "logs/b.csv",
            "logs/sub/c.jsonl",
            "other/d.csv"
        ]
    );
    assert_eq!(ev.events.len(), 4);
    assert_eq!(
        ev.notes,
        [EvidenceNote::GlobEmpty {
            pattern: "missing/*.csv".into()
        }]
    );

    // A missing literal path is an input error naming where it was declared.
    let decl = declarations(d, vec![source("logs/nope.csv")]);
    let err = load(&decl, &[], &strict()).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{}:7: evidence path logs/nope.csv does not exist",
            d.join("drproof.yaml").display()
        )),
        "{err}"
    );
    let err = load(&declarations(d, vec![]), &[d.join("nope")], &strict())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "--logs {}: evidence path",
            d.join("nope").display()
        )),
        "{err}"
    );

    // A file named explicitly needs a known extension or a format.
    let decl = declarations(d, vec![source("logs/notes.txt")]);
    let err = load(&decl, &[], &strict()).unwrap_err().to_string();
    assert!(err.contains("cannot tell the evidence format of"), "{err}");
    let mut unknown = source("logs/a.csv");
    unknown.format = Some("tar".into());
    let err = load(&declarations(d, vec![unknown]), &[], &strict())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}:7: evidence format: expected one of drproof-csv, drproof-jsonl, restic, borg, pgbackrest, velero, aws-backup, found \"tar\"",
            d.join("drproof.yaml").display()
        )
    );

    // Recursive globs.
    let decl = declarations(d, vec![source("**/*.jsonl")]);
    let ev = load(&decl, &[], &strict()).unwrap();
    assert_eq!(
        ev.inputs
            .iter()
            .map(|i| i.path.as_str())
            .collect::<Vec<_>>(),
        ["logs/sub/c.jsonl"]
    );
}

#[test]
fn the_published_schema_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/evidence-event.schema.json");
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&jsonl_schema()).unwrap()
    );
    if std::env::var_os("DRPROOF_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "docs/evidence-event.schema.json is stale: run with DRPROOF_UPDATE_SCHEMA=1"
    );
}

mod roundtrip {
    use super::*;
    use crate::time::Timestamp;
    use proptest::prelude::*;

    /// (system, kind, finished, started, policy, line, status, point in time, size, location)
    type ModelRow<'a> = (
        String,
        Kind,
        i64,
        i64,
        Option<&'a str>,
        u32,
        Status,
        Option<i64>,
        Option<u64>,
        Option<String>,
    );

    #[derive(Debug, Clone)]
    struct Rec {
        system: &'static str,
        kind: Kind,
        status: Status,
        start: i64,
        duration: i64,
        pit_before_end: Option<i64>,
        policy: Option<&'static str>,
        size: Option<u64>,
        location: Option<String>,
    }

    fn rec() -> impl Strategy<Value = Rec> {
        (
            prop_oneof![Just("db"), Just("web")],
            prop_oneof![Just(Kind::Backup), Just(Kind::RestoreTest)],
            prop_oneof![
                Just(Status::Success),
                Just(Status::Failed),
                Just(Status::Partial)
            ],
            0i64..4_000_000_000_000_000_000,
            0i64..100_000_000_000_000,
            proptest::option::of(0i64..100_000_000_000_000),
            proptest::option::of(prop_oneof![Just("nightly"), Just("hourly")]),
            proptest::option::of(any::<u64>()),
            proptest::option::of("[a-z ,\"\n-]{1,8}"),
        )
            .prop_map(
                |(
                    system,
                    kind,
                    status,
                    start,
                    duration,
                    pit_before_end,
                    policy,
                    size,
                    location,
                )| Rec {
                    system,
                    kind,
                    status,
                    start,
                    duration,
                    pit_before_end,
                    policy,
                    size,
                    location: location.filter(|l| {
                        !l.trim_matches([' ', '\t']).is_empty() && l.trim_matches([' ', '\t']) == l
                    }),
                },
            )
    }

    /// RFC 3339 in a random offset and precision.
    fn time(nanos: i64, offset_minutes: i32, digits: usize) -> String {
        let t = Timestamp::from_nanos(nanos).to_datetime();
        let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
        let local = t.with_timezone(&offset);
        let frac = format!("{:09}", local.timestamp_subsec_nanos());
        let text = local.format("%Y-%m-%dT%H:%M:%S").to_string();
        let zone = if offset_minutes == 0 {
            "Z".to_owned()
        } else {
            local.format("%:z").to_string()
        };
        if digits == 0 {
            format!("{text}{zone}")
        } else {
            format!("{text}.{}{zone}", &frac[..digits])
        }
    }

    fn csv_cell(text: &str) -> String {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn csv_written_from_events_reads_back_identical(
            recs in proptest::collection::vec(rec(), 0..40),
            offset in -14i32 * 60..14 * 60,
            crlf in any::<bool>(),
            reverse_columns in any::<bool>(),
        ) {
            let mut columns = HEADER.split(',').collect::<Vec<_>>();
            if reverse_columns { columns.reverse(); }
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = columns.join(",") + eol;
            // Nanosecond times printed with 9 digits so the text keeps every nanosecond.
            for r in &recs {
                let end = r.start + r.duration;
                let cell = |c: &str| match c {
                    "system" => r.system.to_owned(),
                    "kind" => r.kind.as_str().to_owned(),
                    "status" => r.status.as_str().to_owned(),
                    "started_at" => time(r.start, offset, 9),
                    "finished_at" => time(end, 0, 9),
                    "point_in_time" => r.pit_before_end.map_or(String::new(), |p| time(end - p, offset, 9)),
                    "policy" => r.policy.unwrap_or("").to_owned(),
                    "size_bytes" => r.size.map_or(String::new(), |s| s.to_string()),
                    "location" => r.location.as_deref().map_or(String::new(), csv_cell),
                    _ => unreachable!(),
                };
                text += &(columns.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + eol);
            }
            let ev = load_one("jobs.csv", &text, &strict()).unwrap();
            // Brute-force model: the records, minus exact duplicates, in the documented order.
            let mut model: Vec<ModelRow<'_>> = recs
                .iter()
                .enumerate()
                .map(|(i, r)| (
                    r.system.to_owned(), r.kind, r.start + r.duration, r.start, r.policy, i as u32 + 2, r.status,
                    r.pit_before_end.map(|p| r.start + r.duration - p), r.size, r.location.clone(),
                ))
                .collect();
            let system_order = |s: &str| if s == "db" { 0 } else { 1 };
            let policy_order = |p: Option<&str>| p.map_or(u32::MAX, |p| ev.symbols.get(p).unwrap().0);
            model.sort_by_key(|m| (system_order(&m.0), m.1, m.2, m.3, policy_order(m.4), m.5));
            let mut kept: Vec<_> = Vec::new();
            let mut conflict = false;
            for m in model {
                if let Some(last) = kept.last() {
                    let last: &ModelRow<'_> = last;
                    if (&last.0, last.1, last.2, last.3, last.4) == (&m.0, m.1, m.2, m.3, m.4) {
                        conflict |= last.6 != m.6;
                        continue;
                    }
                }
                kept.push(m);
            }
            prop_assume!(!conflict);
            let got: Vec<_> = ev.events.iter().map(|e| (
                ev.symbols.name(e.system()).to_owned(), e.kind(), e.finished_at().unwrap().nanos(), e.started_at().unwrap().nanos(),
                e.policy().map(|p| ev.symbols.name(p)), e.origin().record, e.status(),
                e.point_in_time().map(Timestamp::nanos), e.size_bytes(), e.location().map(|l| ev.symbols.name(l).to_owned()),
            )).collect();
            prop_assert_eq!(got.len(), kept.len());
            for (g, k) in got.iter().zip(&kept) {
                prop_assert_eq!((&g.0, g.1, g.2, g.3, g.4, g.6, g.7, g.8, &g.9), (&k.0, k.1, k.2, k.3, k.4, k.6, k.7, k.8, &k.9));
            }
        }
    }
}
