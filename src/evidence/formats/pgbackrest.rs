//! `pgbackrest`: `pgbackrest info --output=json`.
//!
//! The output is an array of stanzas; each stanza's `backup` array lists the backups that
//! exist in its repositories. Each backup is one backup event:
//!
//! | event field | backup field |
//! | --- | --- |
//! | `status` | `error: true` → `partial` (pgBackRest found page checksum errors), else `success` |
//! | `started_at` | `timestamp.start` (integer Unix seconds) |
//! | `finished_at` | `timestamp.stop` |
//! | `point_in_time` | `timestamp.stop`: the backup is consistent as of its stop (the WAL up to `archive.stop` is replayed) |
//! | `size_bytes` | `info.size` (the database size) |
//! | `location` | `repo1`, `repo2`, … from `database.repo-key` |
//! | `policy` | the source's `policy:` (full, diff and incr backups all count for it) |
//!
//! `label` is local wall-clock time and is never read for times. A failed backup (exit code 56
//! and others) never appears in `info`: record it with
//! `drproof record --kind backup -- pgbackrest --stanza=... backup`. The stanza's WAL archive
//! (`archive[]`) and `status` are not events and are not read.
//!
//! ## Attribution
//! `system:` for the whole file, or `systems_by: { stanza: { main: payments-db } }` matching the
//! stanza `name`; `system:` is the fallback.

use super::common::{
    read_document, show, Candidate, Draft, Location, Match, ReadContext, Rec, RecordError,
};
use crate::evidence::{Kind, Status};
use serde_json::Value;
use std::io::Read;

/// The `systems_by` rules this format understands.
pub const RULES: &[&str] = &["stanza"];

const EXPECTED: &str = "the output of `pgbackrest info --output=json` (an array of stanzas)";

pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    ctx.check_rules("pgbackrest", RULES)?;
    let doc = read_document(input, ctx.path, EXPECTED)?;
    let Value::Array(stanzas) = &doc else {
        return Err(RecordError {
            file: ctx.path.to_owned(),
            location: Location::Json(String::new()),
            field: String::new(),
            found: show(Some(&doc)),
            expected: EXPECTED.to_owned(),
        });
    };
    let mut ordinal = 0u32;
    for (s, stanza_value) in stanzas.iter().enumerate() {
        let stanza = Rec::json(stanza_value, ctx.path, format!("[{s}]"), ordinal);
        let name = stanza.str_req("name", "the stanza name")?;
        let backups = match stanza.get("backup") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(b)) => b.as_slice(),
            Some(other) => {
                return Err(stanza.error("backup", show(Some(other)), "an array of backups"))
            }
        };
        for (b, value) in backups.iter().enumerate() {
            ctx.records += 1;
            let rec = Rec::json(value, ctx.path, format!("[{s}].backup[{b}]"), ordinal);
            ordinal = ordinal.saturating_add(1);
            if let Err(e) = backup(&rec, name, ctx) {
                ctx.invalid(e)?;
            }
        }
    }
    Ok(())
}

fn backup(rec: &Rec<'_>, stanza: &str, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    if !rec.value.is_object() {
        return Err(rec.error("", show(Some(rec.value)), "a backup object"));
    }
    let start = rec.epoch_secs_opt("timestamp.start")?;
    let stop = rec.epoch_secs_opt("timestamp.stop")?.ok_or_else(|| {
        rec.error(
            "timestamp.stop",
            show(None),
            "whole Unix seconds such as 1795997905",
        )
    })?;
    let error = rec.bool_opt("error")?.unwrap_or(false);
    let size = rec.u64_opt("info.size")?;
    let repo = match rec.get("database.repo-key") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(other) => {
            return Err(rec.error(
                "database.repo-key",
                show(Some(other)),
                "a repository number",
            ))
        }
    };
    let candidates = [Candidate {
        rule: "stanza",
        field: "name",
        value: stanza,
        how: Match::Exact,
    }];
    let Some(system) = ctx.attribute(rec, &candidates)? else {
        let label = rec.str_opt("label").ok().flatten().unwrap_or("?");
        ctx.not_attributed(
            rec,
            &format!("backup {label} of stanza {stanza}"),
            &candidates,
        );
        return Ok(());
    };
    let location = repo.map(|k| format!("repo{k}"));
    ctx.push(
        rec,
        Draft {
            system,
            kind: Kind::Backup,
            status: if error {
                Status::Partial
            } else {
                Status::Success
            },
            started: start,
            started_field: "timestamp.start",
            finished: Some(stop),
            finished_field: "timestamp.stop",
            point_in_time: Some(stop),
            point_in_time_field: "timestamp.stop",
            size_bytes: size,
            location: location.as_deref(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::common::tests_support::*;
    use super::super::common::SkipReason;
    use super::*;

    const INFO: &str = include_str!("../../../tests/fixtures/formats/pgbackrest-info.json");

    #[test]
    fn backups_are_consistent_as_of_their_stop() {
        let out = run(
            read,
            INFO,
            source()
                .rule("stanza", "demo", "payments-db")
                .policy("pitr"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 3);
        let full = &out.events[0];
        assert_eq!(out.symbols.name(full.system()), "payments-db");
        assert_eq!(
            full.started_at().unwrap().to_string(),
            "2026-11-30T00:18:21Z"
        );
        assert_eq!(
            full.finished_at().unwrap().to_string(),
            "2026-11-30T00:18:25Z"
        );
        assert_eq!(full.point_in_time(), full.finished_at());
        assert_eq!(full.size_bytes(), Some(22_992_600));
        assert_eq!(out.name(full.location()), Some("repo1"));
        assert_eq!(out.name(full.policy()), Some("pitr"));
        assert_eq!(out.events[2].origin().record, 2);
        assert!(out.events.iter().all(|e| e.status() == Status::Success));
    }

    #[test]
    fn error_flag_is_partial_and_other_stanzas_are_not_attributed() {
        let doc = r#"[{"name":"a","backup":[{"error":true,"timestamp":{"start":100,"stop":160},"label":"L1"}]},
                      {"name":"b","backup":[{"timestamp":{"start":200,"stop":260},"label":"L2"}]},
                      {"name":"c","status":{"code":2,"message":"no valid backups"}}]"#;
        let out = run(read, doc, source().rule("stanza", "a", "db")).unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events[0].status(), Status::Partial);
        assert_eq!(out.skipped[0].reason, SkipReason::NotAttributed);
        assert_eq!(out.skipped[0].location, "[1].backup[0]");
        assert_eq!(
            out.skipped[0].message,
            "backup L2 of stanza b: not attributed: no `systems_by` entry for stanza `b`"
        );
        assert_eq!(out.records, 2);
    }

    #[test]
    fn bad_timestamps_name_their_path() {
        let doc =
            r#"[{"name":"a","backup":[{"timestamp":{"start":100,"stop":"20261129-191821F"}}]}]"#;
        let err = run(read, doc, source().system("db")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: [0].backup[0].timestamp.stop: found \"20261129-191821F\", expected whole Unix seconds such as 1795997905"
        );
        let doc = r#"[{"name":"a","backup":[{"timestamp":{"start":300,"stop":200}}]}]"#;
        let err = run(read, doc, source().system("db")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: [0].backup[0].timestamp.stop: found 1970-01-01T00:03:20Z, before the start \
             1970-01-01T00:05:00Z (timestamp.start), expected an end at or after the start"
        );
        let err = run(read, r#"{"name":"a"}"#, source().system("db")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: (document): found {\"name\":\"a\"}, expected the output of `pgbackrest info --output=json` (an array of stanzas)"
        );
    }
}
