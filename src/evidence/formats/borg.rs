//! `borg`: `borg list --json`, `borg info --json` and `borg create --json` outputs.
//!
//! - `borg list --json` and `borg info --json` hold an `archives` array; `borg create --json`
//!   holds the one archive it made under `archive`. All three carry `repository.location`.
//! - Each archive is one **successful backup**; a checkpoint archive (`NAME.checkpoint` or
//!   `NAME.checkpoint.N`, left by an interrupted create and listed with
//!   `--consider-checkpoints`) is a **partial** one. Failed creates leave no archive: record
//!   them with `drproof record --kind backup --partial-exit-codes 1 -- borg create ...` (Borg
//!   exits 1 for warnings such as unreadable files, 2 for errors).
//!
//! | event field | archive field |
//! | --- | --- |
//! | `started_at` | `start` (list: `start`, else `time`) |
//! | `finished_at` | `end` (info and create only; absent for list) |
//! | `point_in_time` | absent: the backup's start stands for it (files are read from `start` on) |
//! | `size_bytes` | `stats.original_size` (info and create) |
//! | `location` | `repository.location` |
//! | `policy` | the source's `policy:` |
//!
//! ## Time
//! Borg 1.x prints the **naive local time of the machine that ran the listing** (not the one
//! that made the backup), truncated to microseconds: the source must declare that machine's
//! `timezone:`, else every archive is an input error naming the file and field. In a
//! daylight-saving fold the earlier instant is taken; a time in a gap is an error. Borg 2
//! prints an offset, which is used as is (a declared `timezone` then changes nothing).
//!
//! ## Attribution
//! `system:` for the whole file, or `systems_by: { archive_prefix: { "fileshare-": file-share } }`:
//! the longest prefix of the archive name wins, `system:` is the fallback.

use super::common::{
    read_document, show, Candidate, Draft, Location, Match, ReadContext, Rec, RecordError,
};
use crate::evidence::{Kind, Status};
use serde_json::Value;
use std::io::Read;

/// The `systems_by` rules this format understands.
pub const RULES: &[&str] = &["archive_prefix"];

const EXPECTED: &str =
    "the output of `borg list --json`, `borg info --json` or `borg create --json` \
                        (an object with `archives` or `archive`)";
const NAIVE_HINT: &str = " (Borg 1.x prints the local time of the machine that ran the listing)";

pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    ctx.check_rules("borg", RULES)?;
    let doc = read_document(input, ctx.path, EXPECTED)?;
    let root = Rec::json(&doc, ctx.path, String::new(), 0);
    let repository = root.str_opt("repository.location")?;
    match (doc.get("archives"), doc.get("archive")) {
        (Some(Value::Array(archives)), _) => {
            for (i, value) in archives.iter().enumerate() {
                ctx.records += 1;
                let rec = Rec::json(value, ctx.path, format!("archives[{i}]"), i as u32);
                if let Err(e) = archive(&rec, repository, ctx) {
                    ctx.invalid(e)?;
                }
            }
            Ok(())
        }
        (None, Some(value)) => {
            ctx.records += 1;
            let rec = Rec::json(value, ctx.path, "archive".to_owned(), 0);
            match archive(&rec, repository, ctx) {
                Ok(()) => Ok(()),
                Err(e) => ctx.invalid(e),
            }
        }
        (Some(other), _) => Err(root.error("archives", show(Some(other)), "an array of archives")),
        (None, None) => Err(RecordError {
            file: ctx.path.to_owned(),
            location: Location::Json(String::new()),
            field: String::new(),
            found: "an object without `archives` or `archive`".to_owned(),
            expected: EXPECTED.to_owned(),
        }),
    }
}

fn archive(
    rec: &Rec<'_>,
    repository: Option<&str>,
    ctx: &mut ReadContext<'_>,
) -> Result<(), RecordError> {
    if !rec.value.is_object() {
        return Err(rec.error("", show(Some(rec.value)), "an archive object"));
    }
    let name = rec.str_req("name", "the archive name")?;
    let tz = ctx.source.timezone;
    let (started, started_field) = match rec.time_opt("start", tz, NAIVE_HINT)? {
        Some(t) => (Some(t), "start"),
        None => (rec.time_opt("time", tz, NAIVE_HINT)?, "time"),
    };
    if started.is_none() {
        return Err(rec.error("start", show(None), "the archive's start time"));
    }
    let finished = rec.time_opt("end", tz, NAIVE_HINT)?;
    let size = rec.u64_opt("stats.original_size")?;

    let candidates = [Candidate {
        rule: "archive_prefix",
        field: "name",
        value: name,
        how: Match::LongestPrefix,
    }];
    let Some(system) = ctx.attribute(rec, &candidates)? else {
        ctx.not_attributed(rec, &format!("archive {name}"), &candidates);
        return Ok(());
    };
    ctx.push(
        rec,
        Draft {
            system,
            kind: Kind::Backup,
            status: if is_checkpoint(name) {
                Status::Partial
            } else {
                Status::Success
            },
            started,
            started_field,
            finished,
            finished_field: "end",
            point_in_time: None,
            point_in_time_field: "start",
            size_bytes: size,
            location: repository,
        },
    )
}

/// `x.checkpoint` or `x.checkpoint.3`: what an interrupted `borg create` leaves behind.
fn is_checkpoint(name: &str) -> bool {
    match name.rsplit_once(".checkpoint") {
        Some((_, "")) => true,
        Some((_, rest)) => rest
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::tests_support::*;
    use super::super::common::SkipReason;
    use super::*;

    const LIST: &str = include_str!("../../../tests/fixtures/formats/borg-list.json");
    const INFO: &str = include_str!("../../../tests/fixtures/formats/borg-info-last3.json");
    const CREATE: &str = include_str!("../../../tests/fixtures/formats/borg-create-1.json");

    #[test]
    fn list_needs_the_listing_machines_timezone() {
        let err = run(read, LIST, source().system("fs")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: archives[0].start: found \"2026-11-29T19:18:09.000000\", a time without a UTC offset \
             (Borg 1.x prints the local time of the machine that ran the listing), expected a `timezone:` on this \
             evidence source (e.g. `timezone: Europe/Berlin`) to read it in"
        );
        // The sample was listed with TZ=America/New_York.
        let out = run(
            read,
            LIST,
            source().system("fs").timezone("America/New_York"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 3);
        let e = &out.events[2];
        assert_eq!(e.started_at().unwrap().to_string(), "2026-11-30T00:18:12Z");
        assert_eq!(
            (e.finished_at(), e.point_in_time(), e.size_bytes()),
            (None, None, None)
        );
        assert_eq!(out.name(e.location()), Some("/srv/demo/borg-repo"));
        assert_eq!((e.kind(), e.status()), (Kind::Backup, Status::Success));
    }

    #[test]
    fn info_gives_end_and_size_and_prefixes_attribute() {
        let src = source()
            .rule("archive_prefix", "demo-", "generic")
            .rule("archive_prefix", "demo-host-", "demo-host")
            .timezone("UTC")
            .policy("nightly");
        let out = run(read, INFO, src).unwrap();
        assert_eq!(out.events.len(), 3);
        let e = &out.events[1];
        assert_eq!(
            out.symbols.name(e.system()),
            "demo-host",
            "longest prefix wins"
        );
        assert_eq!(e.started_at().unwrap().to_string(), "2026-11-29T19:18:10Z");
        assert_eq!(e.finished_at().unwrap().to_string(), "2026-11-29T19:18:10Z");
        assert_eq!(e.size_bytes(), Some(415_038));
        assert_eq!(out.name(e.policy()), Some("nightly"));
        assert_eq!(e.origin().record, 1);
    }

    #[test]
    fn create_output_is_one_archive() {
        let out = run(
            read,
            CREATE,
            source().system("fs").timezone("Europe/Berlin"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-29T18:18:09Z"
        );
        assert_eq!(out.events[0].size_bytes(), Some(415_584));
    }

    #[test]
    fn borg2_offsets_checkpoints_and_unattributed_archives() {
        let doc = r#"{"archives":[
            {"name":"db-1","start":"2026-11-29T19:18:09.000000+01:00","time":"2026-11-29T19:18:09.000000+01:00"},
            {"name":"db-2.checkpoint","time":"2026-11-29T20:00:00.000000+01:00"},
            {"name":"other-1","start":"2026-11-29T21:00:00+01:00"}],
            "repository":{"location":"ssh://backup/./repo"}}"#;
        let out = run(read, doc, source().rule("archive_prefix", "db-", "db")).unwrap();
        assert_eq!(out.events.len(), 2);
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-29T18:18:09Z"
        );
        assert_eq!(out.events[1].status(), Status::Partial);
        assert_eq!(out.skipped[0].reason, SkipReason::NotAttributed);
        assert_eq!(out.skipped[0].location, "archives[2]");
        assert_eq!(
            out.skipped[0].message,
            "archive other-1: not attributed: no `systems_by` entry for archive_prefix `other-1`"
        );
    }

    #[test]
    fn checkpoint_names() {
        assert!(is_checkpoint("a.checkpoint"));
        assert!(is_checkpoint("a.checkpoint.12"));
        assert!(!is_checkpoint("a.checkpoints"));
        assert!(!is_checkpoint("a.checkpoint.x"));
        assert!(!is_checkpoint("nightly"));
    }

    #[test]
    fn shape_errors_name_the_path() {
        let err = run(
            read,
            r#"{"archives":[{"start":"2026-11-29T19:18:09Z"}]}"#,
            source().system("s"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: archives[0].name: found nothing (field absent), expected the archive name"
        );
        let err = run(read, r#"{"repository":{}}"#, source().system("s")).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "input.json: (document): found an object without `archives` or `archive`"
            ),
            "{err}"
        );
        let err = run(
            read,
            r#"{"archives":[{"name":"a","end":"2026-11-29T19:18:09Z"}]}"#,
            source().system("s"),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "input.json: archives[0].start: found nothing (field absent), expected the archive's start time");
    }
}
