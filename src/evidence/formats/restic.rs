//! `restic`: `restic snapshots --json` listings and `restic backup --json` streams.
//!
//! The reader tells the two apart by the first character: a listing is a JSON array (`[`, or
//! `null` for an empty repository in some versions), a stream is JSON Lines (`{`).
//!
//! ## `restic snapshots --json`
//! Each snapshot is one **successful backup** (`kind: backup`, `status: success`): a listing only
//! shows what exists, so failed runs leave no trace in it and partial runs (exit code 3, "at
//! least one source file could not be read") look exactly like good ones. Failure evidence
//! comes from the run itself: wrap it in `drproof record --kind backup --partial-exit-codes 3`.
//!
//! | event field | snapshot field |
//! | --- | --- |
//! | `point_in_time` | `time`: the backup's start, with the backing-up host's offset, 0–9 fraction digits |
//! | `started_at` | `summary.backup_start` (restic 0.17+), else `time` |
//! | `finished_at` | `summary.backup_end` (restic 0.17+), else absent |
//! | `size_bytes` | `summary.total_bytes_processed` (0.17+), else absent |
//! | `location` | none in the listing; the caller's location (repository) when given |
//! | `policy` | the source's `policy:` |
//!
//! ## `restic backup --json` stream
//! Status lines, then one `summary` line per run; a file may hold several runs appended one
//! after another. Only restic 0.17+ puts times in the summary (`backup_start`, `backup_end`);
//! an older summary has no time at all, so it is an input error that says to wrap the run in
//! `drproof record` instead (which also captures the exit code a stream cannot show). A run is
//! `partial` when its lines include restic's error reports, i.e. stderr was captured too
//! (`>> run.jsonl 2>&1`): `message_type: error`, a status line with `error_count` > 0, or the
//! text line `Warning: at least one source file could not be read` (which restic prints just
//! after the summary of the run it concerns). A run that ends in errors
//! without a summary (`exit_error`, `Fatal: …`) carries no time and is an input error pointing
//! to `drproof record`; a trailing run with neither summary nor error is still running:
//! ignored and counted as in progress.
//!
//! ## Attribution
//! `system:` for the whole file, or `systems_by:` with rules `tag` (any of the snapshot's
//! tags), `host` (`hostname`) and `path` (any backed-up path equal to the key or under it; the
//! longest key wins). All matches of a snapshot must name the same system; `system:` is the
//! fallback when no rule matches. A stream carries no host, tag or path: only `system:` applies.

use super::common::{
    read_document, show, Candidate, Draft, Location, Match, ReadContext, Rec, RecordError,
    SkipReason,
};
use crate::evidence::{Kind, Status};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

/// The `systems_by` rules this format understands.
pub const RULES: &[&str] = &["tag", "host", "path"];

const EXPECTED_LISTING: &str = "the output of `restic snapshots --json` (an array of snapshots)";

pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    ctx.check_rules("restic", RULES)?;
    let mut reader = BufReader::new(input);
    let first = loop {
        let buf = reader.fill_buf().map_err(|e| io_error(ctx, &e))?;
        let body = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
        match body.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(body[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    match first {
        Some(b'{') => read_stream(&mut reader, ctx),
        _ => read_listing(&mut reader, ctx),
    }
}

fn io_error(ctx: &ReadContext<'_>, e: &std::io::Error) -> RecordError {
    RecordError {
        file: ctx.path.to_owned(),
        location: Location::Json(String::new()),
        field: String::new(),
        found: format!("a read error ({e})"),
        expected: EXPECTED_LISTING.to_owned(),
    }
}

fn read_listing(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    let doc = read_document(input, ctx.path, EXPECTED_LISTING)?;
    let snapshots = match &doc {
        Value::Array(items) => items.as_slice(),
        Value::Null => &[],
        other => {
            return Err(RecordError {
                file: ctx.path.to_owned(),
                location: Location::Json(String::new()),
                field: String::new(),
                found: show(Some(other)),
                expected: EXPECTED_LISTING.to_owned(),
            })
        }
    };
    for (i, value) in snapshots.iter().enumerate() {
        ctx.records += 1;
        let rec = Rec::json(value, ctx.path, format!("[{i}]"), i as u32);
        if let Err(e) = snapshot(&rec, ctx) {
            ctx.invalid(e)?;
        }
    }
    Ok(())
}

fn snapshot(rec: &Rec<'_>, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    if !rec.value.is_object() {
        return Err(rec.error("", show(Some(rec.value)), "a snapshot object"));
    }
    let expected_time = "the snapshot time, e.g. \"2026-11-29T19:17:55.764404917-05:00\"";
    let time = rec
        .time_opt("time", ctx.source.timezone, "")?
        .ok_or_else(|| rec.error("time", show(None), expected_time))?;
    let started = rec.time_opt("summary.backup_start", ctx.source.timezone, "")?;
    let finished = rec.time_opt("summary.backup_end", ctx.source.timezone, "")?;
    let size = rec.u64_opt("summary.total_bytes_processed")?;
    let host = rec.str_opt("hostname")?;
    let tags = rec.str_list("tags")?;
    let paths = rec.str_list("paths")?;

    let mut candidates: Vec<Candidate<'_>> = Vec::with_capacity(tags.len() + paths.len() + 1);
    candidates.extend(tags.iter().map(|t| Candidate {
        rule: "tag",
        field: "tags",
        value: t,
        how: Match::Exact,
    }));
    candidates.extend(host.map(|h| Candidate {
        rule: "host",
        field: "hostname",
        value: h,
        how: Match::Exact,
    }));
    candidates.extend(paths.iter().map(|p| Candidate {
        rule: "path",
        field: "paths",
        value: p,
        how: Match::PathOrParent,
    }));
    let Some(system) = ctx.attribute(rec, &candidates)? else {
        let id = rec
            .str_opt("short_id")
            .ok()
            .flatten()
            .or_else(|| rec.str_opt("id").ok().flatten())
            .unwrap_or("?");
        ctx.not_attributed(rec, &format!("snapshot {id}"), &candidates);
        return Ok(());
    };
    ctx.push(
        rec,
        Draft {
            system,
            kind: Kind::Backup,
            status: Status::Success,
            started: started.or(Some(time)),
            started_field: if started.is_some() {
                "summary.backup_start"
            } else {
                "time"
            },
            finished,
            finished_field: "summary.backup_end",
            point_in_time: Some(time),
            point_in_time_field: "time",
            size_bytes: size,
            location: None,
        },
    )
}

/// One run of a `restic backup --json` stream while it is being read.
#[derive(Default)]
struct Run {
    first_line: u64,
    errors: u64,
    fatal: Option<String>,
}

fn read_stream(reader: &mut dyn BufRead, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    let mut line = String::new();
    let mut number = 0u64;
    let mut run: Option<Run> = None;
    // restic prints "Warning: at least one source file could not be read" after the summary of
    // the run it concerns: a warning while no run is open belongs to the last event added.
    let mut last_event: Option<usize> = None;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| io_error(ctx, &e))?;
        if n == 0 {
            break;
        }
        number += 1;
        let text = line.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        if run.is_none() && text.starts_with("Warning:") {
            if let Some(event) = last_event.and_then(|i| ctx.events.get_mut(i)) {
                *event = event.with_status(Status::Partial);
                continue;
            }
        }
        let current = run.get_or_insert_with(|| Run {
            first_line: number,
            ..Run::default()
        });
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(_) if text.starts_with("Warning:") => {
                current.errors += 1;
                continue;
            }
            Err(_) if text.starts_with("Fatal:") => {
                current.fatal = Some(text.to_owned());
                continue;
            }
            Err(e) => {
                ctx.records += 1;
                let err = RecordError {
                    file: ctx.path.to_owned(),
                    location: Location::Line(number),
                    field: String::new(),
                    found: format!(
                        "{} (invalid JSON: {e})",
                        show(Some(&Value::String(text.to_owned())))
                    ),
                    expected: "a `restic backup --json` message".to_owned(),
                };
                ctx.invalid(err)?;
                continue;
            }
        };
        let rec = Rec::line(&value, ctx.path, number);
        match rec.str_opt("message_type") {
            Ok(Some("summary")) => {
                ctx.records += 1;
                let errors = current.errors;
                run = None;
                let before = ctx.events.len();
                if let Err(e) = summary(&rec, errors, ctx) {
                    ctx.invalid(e)?;
                }
                last_event = (ctx.events.len() > before).then_some(before);
            }
            Ok(Some("status" | "verbose_status")) => {
                if rec
                    .u64_opt("error_count")
                    .ok()
                    .flatten()
                    .is_some_and(|n| n > 0)
                {
                    current.errors += 1;
                }
            }
            Ok(Some("error")) => current.errors += 1,
            Ok(Some("exit_error")) => {
                current.fatal = Some(
                    rec.str_opt("message")
                        .ok()
                        .flatten()
                        .unwrap_or("exit_error")
                        .to_owned(),
                );
            }
            Ok(_) | Err(_) => {
                ctx.records += 1;
                let err = rec.error(
                    "message_type",
                    show(rec.get("message_type")),
                    "one of status, verbose_status, error, exit_error, summary",
                );
                ctx.invalid(err)?;
            }
        }
    }
    if let Some(open) = run {
        ctx.records += 1;
        let location = format!("line {}", open.first_line);
        if open.errors > 0 || open.fatal.is_some() {
            let why = open
                .fatal
                .unwrap_or_else(|| format!("{} error report(s)", open.errors));
            let err = RecordError {
                file: ctx.path.to_owned(),
                location: Location::Line(open.first_line),
                field: String::new(),
                found: format!("a run that failed without a summary ({why}), and the stream carries no time for it"),
                expected: "a summary line; record failed runs with `drproof record --kind backup -- restic backup ...`"
                    .to_owned(),
            };
            ctx.invalid(err)?;
        } else {
            ctx.skip(
                location,
                SkipReason::InProgress,
                "a restic backup run without a summary yet (still running or interrupted)"
                    .to_owned(),
            );
        }
    }
    Ok(())
}

fn summary(rec: &Rec<'_>, errors: u64, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    let no_times = "an RFC 3339 time (restic 0.17+ prints backup_start/backup_end; for older restic wrap the backup in \
                    `drproof record --kind backup --partial-exit-codes 3`)";
    let started = rec
        .time_opt("backup_start", ctx.source.timezone, "")?
        .ok_or_else(|| rec.error("backup_start", show(None), no_times))?;
    let finished = rec
        .time_opt("backup_end", ctx.source.timezone, "")?
        .ok_or_else(|| rec.error("backup_end", show(None), no_times))?;
    let size = rec.u64_opt("total_bytes_processed")?;
    let Some(system) = ctx.attribute(rec, &[])? else {
        let id = rec.str_opt("snapshot_id").ok().flatten().unwrap_or("?");
        ctx.not_attributed(rec, &format!("backup run of snapshot {id}"), &[]);
        return Ok(());
    };
    ctx.push(
        rec,
        Draft {
            system,
            kind: Kind::Backup,
            status: if errors > 0 {
                Status::Partial
            } else {
                Status::Success
            },
            started: Some(started),
            started_field: "backup_start",
            finished: Some(finished),
            finished_field: "backup_end",
            point_in_time: Some(started),
            point_in_time_field: "backup_start",
            size_bytes: size,
            location: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::common::tests_support::*;
    use super::*;

    const LISTING: &str = include_str!("../../../tests/fixtures/formats/restic-snapshots.json");

    #[test]
    fn snapshots_are_successful_backups_at_their_start_time() {
        let out = run(read, LISTING, source().system("file-share")).unwrap();
        assert_eq!(out.events.len(), 3);
        let e = &out.events[0];
        assert_eq!(out.symbols.name(e.system()), "file-share");
        assert_eq!((e.kind(), e.status()), (Kind::Backup, Status::Success));
        assert_eq!(
            e.point_in_time().unwrap().to_string(),
            "2026-11-30T00:17:55.764404917Z"
        );
        assert_eq!(e.started_at(), e.point_in_time());
        assert_eq!(e.finished_at(), None);
        assert_eq!(e.origin().record, 0);
        assert_eq!(out.records, 3);
    }

    #[test]
    fn rules_by_tag_host_and_path_must_agree() {
        let out = run(
            read,
            LISTING,
            source().rule("host", "demo-host", "file-share"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 3);
        let out = run(
            read,
            LISTING,
            source()
                .rule("path", "/srv", "file-share")
                .rule("tag", "nightly", "file-share"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 3);
        let err = run(
            read,
            LISTING,
            source()
                .rule("path", "/srv/demo", "file-share")
                .rule("tag", "nightly", "wiki"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: [0].paths: found path `/srv/demo/data` → file-share, while tag `nightly` → wiki, \
             expected `systems_by` rules that send each record to one system"
        );
    }

    #[test]
    fn unmatched_snapshots_are_counted_as_not_attributed() {
        let out = run(
            read,
            LISTING,
            source().rule("host", "other-host", "file-share"),
        )
        .unwrap();
        assert!(out.events.is_empty());
        assert_eq!(out.skipped.len(), 3);
        assert_eq!(out.skipped[0].reason, SkipReason::NotAttributed);
        assert_eq!(out.skipped[0].location, "[0]");
        assert_eq!(
            out.skipped[0].message,
            "snapshot c96be57e: not attributed: no `systems_by` entry for host `demo-host`"
        );
    }

    #[test]
    fn unknown_rules_and_missing_attribution_are_declaration_errors() {
        let err = run(read, LISTING, source().rule("stanza", "x", "y")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: evidence source declared at line 7, systems_by: found rule `stanza`, \
             expected one of the restic rules: tag, host, path"
        );
        let err = run(read, LISTING, source()).unwrap_err();
        assert!(
            err.to_string()
                .contains("found neither `system:` nor `systems_by:`"),
            "{err}"
        );
    }

    #[test]
    fn summary_of_restic_017_gives_start_end_and_size() {
        let doc = r#"[{"time":"2026-11-29T19:17:55.5+01:00","hostname":"h","paths":["/d"],"id":"abc",
            "summary":{"backup_start":"2026-11-29T19:17:55.5+01:00","backup_end":"2026-11-29T19:19:00+01:00","total_bytes_processed":42}}]"#;
        let out = run(read, doc, source().system("s")).unwrap();
        let e = &out.events[0];
        assert_eq!(
            e.started_at().unwrap().to_string(),
            "2026-11-29T18:17:55.500Z"
        );
        assert_eq!(e.finished_at().unwrap().to_string(), "2026-11-29T18:19:00Z");
        assert_eq!(e.size_bytes(), Some(42));
    }

    #[test]
    fn bad_time_is_an_error_with_its_json_path_or_skipped_when_lenient() {
        let doc =
            r#"[{"time":"2026-11-29T19:17:55","id":"a"},{"time":"2026-11-29T19:17:56Z","id":"b"}]"#;
        let err = run(read, doc, source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: [0].time: found \"2026-11-29T19:17:55\", a time without a UTC offset, \
             expected a `timezone:` on this evidence source (e.g. `timezone: Europe/Berlin`) to read it in"
        );
        let out = run_lenient(read, doc, source().system("s")).unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.skipped[0].location, "[0].time");
        assert_eq!(out.skipped[0].reason, SkipReason::Invalid);
        let err = run(read, r#"[{"id":"a"}]"#, source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: [0].time: found nothing (field absent), expected the snapshot time, e.g. \"2026-11-29T19:17:55.764404917-05:00\""
        );
        let err = run(read, "[{\"time\": 5", source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: line 1, column 11: found invalid JSON (EOF while parsing an object), \
             expected the output of `restic snapshots --json` (an array of snapshots)"
        );
    }

    #[test]
    fn backup_stream_of_restic_014_has_no_times() {
        let doc = include_str!("../../../tests/fixtures/formats/restic-backup-1.jsonl");
        let err = run(read, doc, source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: line 2, field backup_start: found nothing (field absent), expected an RFC 3339 time \
             (restic 0.17+ prints backup_start/backup_end; for older restic wrap the backup in \
             `drproof record --kind backup --partial-exit-codes 3`)"
        );
    }

    #[test]
    fn backup_stream_runs_are_success_partial_or_in_progress() {
        let summary = |day: u32, id: &str| {
            format!(
                "{{\"message_type\":\"summary\",\"backup_start\":\"2026-11-{day}T10:00:00+01:00\",\
                 \"backup_end\":\"2026-11-{day}T10:01:00+01:00\",\"snapshot_id\":\"{id}\",\"total_bytes_processed\":9}}"
            )
        };
        let doc = format!(
            "\u{feff}{{\"message_type\":\"status\",\"percent_done\":0}}\r\n{}\r\n\
             {{\"message_type\":\"error\",\"error\":{{}},\"during\":\"archival\",\"item\":\"/x\"}}\n{}\n\
             Warning: at least one source file could not be read\n\n\
             {{\"message_type\":\"status\",\"percent_done\":0.5}}\n{}\n\
             Warning: at least one source file could not be read\n\
             {{\"message_type\":\"status\",\"percent_done\":0.5}}\n",
            summary(27, "a"),
            summary(28, "b"),
            summary(29, "c")
        );
        let out = run(read, &doc, source().system("s")).unwrap();
        let statuses: Vec<Status> = out.events.iter().map(|e| e.status()).collect();
        assert_eq!(
            statuses,
            [Status::Success, Status::Partial, Status::Partial]
        );
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-27T09:00:00Z"
        );
        assert_eq!(
            out.events[0].finished_at().unwrap().to_string(),
            "2026-11-27T09:01:00Z"
        );
        assert_eq!(out.events[0].size_bytes(), Some(9));
        assert_eq!(out.events[0].origin().record, 2);
        assert_eq!(out.events[2].origin().record, 8);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::InProgress);
        assert_eq!(out.skipped[0].location, "line 10");
        assert_eq!(out.records, 4);
    }

    #[test]
    fn run_with_errors_and_no_summary_is_an_error() {
        let doc = "{\"message_type\":\"status\"}\n{\"message_type\":\"error\",\"error\":{},\"item\":\"/x\"}\n";
        let err = run(read, doc, source().system("s")).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "input.json: line 1: found a run that failed without a summary (1 error report(s))"
            ),
            "{err}"
        );
        let out = run_lenient(read, doc, source().system("s")).unwrap();
        assert_eq!((out.events.len(), out.skipped.len()), (0, 1));
    }

    #[test]
    fn fatal_run_without_summary_is_an_error_pointing_to_record() {
        let doc = "{\"message_type\":\"exit_error\",\"code\":1,\"message\":\"Fatal: repository does not exist\"}\n";
        let err = run(read, doc, source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: line 1: found a run that failed without a summary (Fatal: repository does not exist), \
             and the stream carries no time for it, expected a summary line; record failed runs with \
             `drproof record --kind backup -- restic backup ...`"
        );
    }
}
