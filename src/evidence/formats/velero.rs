//! `velero`: Velero `Backup` and `Restore` objects.
//!
//! Accepted documents: a list (`kubectl get backups.velero.io -o json`, `kind: BackupList` /
//! `RestoreList`, or a mixed `kind: List` from `kubectl get backups,restores -o json`), and the
//! bare object that `velero backup get NAME -o json` / `velero restore get NAME -o json` prints
//! (`kind: Backup` / `Restore`). A `Backup` is a backup event, a `Restore` a **restore test**.
//!
//! | `status.phase` | event |
//! | --- | --- |
//! | `Completed` | `success` |
//! | `PartiallyFailed` | `partial` |
//! | `Failed`, `FailedValidation` | `failed` |
//! | `New`, `InProgress`, `WaitingForPluginOperations`, `WaitingForPluginOperationsPartiallyFailed`, `Finalizing`, `FinalizingPartiallyFailed`, `Deleting`, empty | ignored, counted as in progress |
//!
//! | event field | object field |
//! | --- | --- |
//! | `started_at` | `status.startTimestamp`, else `metadata.creationTimestamp` (a `FailedValidation` object never starts) |
//! | `finished_at` | `status.completionTimestamp` |
//! | `point_in_time` | absent: a backup's start stands for it (Velero reads resources from the start on) |
//! | `location` | Backup: `spec.storageLocation` (the backup storage location); Restore: none |
//! | `policy` | the source's `policy:` |
//!
//! ## Attribution
//! `system:` for the whole file, or `systems_by:` with
//! - `schedule`: a Backup's label `velero.io/schedule-name` (Velero sets it on every backup a
//!   schedule makes); a Restore's `spec.scheduleName`, else the schedule its `spec.backupName`
//!   came from (Velero names scheduled backups `SCHEDULE-YYYYMMDDHHMMSS`);
//! - `label:KEY`: the object's `metadata.labels[KEY]`, e.g. `label:app`.
//!
//! All matches must name the same system; `system:` is the fallback.

use super::common::{
    key_path, read_document, show, Candidate, Draft, Location, Match, ReadContext, Rec,
    RecordError, SkipReason,
};
use crate::evidence::{Kind, Status};
use serde_json::Value;
use std::io::Read;

/// The `systems_by` rules this format understands (`label:*` stands for `label:KEY`).
pub const RULES: &[&str] = &["schedule", "label:*"];

const EXPECTED: &str =
    "Velero Backup or Restore objects (`kind` Backup, Restore, BackupList, RestoreList or List)";

const IN_PROGRESS: &[&str] = &[
    "",
    "New",
    "InProgress",
    "WaitingForPluginOperations",
    "WaitingForPluginOperationsPartiallyFailed",
    "Finalizing",
    "FinalizingPartiallyFailed",
    "Deleting",
];

pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    ctx.check_rules("velero", RULES)?;
    let doc = read_document(input, ctx.path, EXPECTED)?;
    let root = Rec::json(&doc, ctx.path, String::new(), 0);
    let kind = root.str_opt("kind")?;
    match (kind, doc.get("items")) {
        (Some("Backup" | "Restore"), _) => {
            ctx.records += 1;
            match object(&root, kind, ctx) {
                Ok(()) => Ok(()),
                Err(e) => ctx.invalid(e),
            }
        }
        (_, Some(Value::Array(items)))
            if matches!(kind, None | Some("BackupList" | "RestoreList" | "List")) =>
        {
            let default_kind = kind
                .and_then(|k| k.strip_suffix("List"))
                .filter(|k| !k.is_empty());
            for (i, value) in items.iter().enumerate() {
                ctx.records += 1;
                let rec = Rec::json(value, ctx.path, format!("items[{i}]"), i as u32);
                if let Err(e) = object(&rec, default_kind, ctx) {
                    ctx.invalid(e)?;
                }
            }
            Ok(())
        }
        _ => Err(RecordError {
            file: ctx.path.to_owned(),
            location: Location::Json(String::new()),
            field: "kind".to_owned(),
            found: show(doc.get("kind")),
            expected: EXPECTED.to_owned(),
        }),
    }
}

fn object(
    rec: &Rec<'_>,
    default_kind: Option<&str>,
    ctx: &mut ReadContext<'_>,
) -> Result<(), RecordError> {
    if !rec.value.is_object() {
        return Err(rec.error(
            "",
            show(Some(rec.value)),
            "a Velero Backup or Restore object",
        ));
    }
    let kind = match rec.str_opt("kind")?.or(default_kind) {
        Some("Backup") => Kind::Backup,
        Some("Restore") => Kind::RestoreTest,
        _ => return Err(rec.error("kind", show(rec.get("kind")), "Backup or Restore")),
    };
    let name = rec.str_opt("metadata.name")?.unwrap_or("?");
    let phase = rec.str_opt("status.phase")?.unwrap_or("");
    let status = match phase {
        "Completed" => Status::Success,
        "PartiallyFailed" => Status::Partial,
        "Failed" | "FailedValidation" => Status::Failed,
        p if IN_PROGRESS.contains(&p) => {
            let shown = if p.is_empty() { "no phase yet" } else { p };
            ctx.skip(
                rec.location_string(),
                SkipReason::InProgress,
                format!("{} {name}: {shown}", kind_name(kind)),
            );
            return Ok(());
        }
        _ => return Err(rec.error(
            "status.phase",
            show(rec.get("status.phase")),
            "one of Completed, PartiallyFailed, Failed, FailedValidation, or an in-progress phase \
                 (New, InProgress, WaitingForPluginOperations, Finalizing, ...)",
        )),
    };
    let tz = ctx.source.timezone;
    let (started, started_field) = match rec.time_opt("status.startTimestamp", tz, "")? {
        Some(t) => (Some(t), "status.startTimestamp"),
        None => (
            rec.time_opt("metadata.creationTimestamp", tz, "")?,
            "metadata.creationTimestamp",
        ),
    };
    let finished = rec.time_opt("status.completionTimestamp", tz, "")?;
    let storage = match kind {
        Kind::Backup => rec.str_opt("spec.storageLocation")?,
        Kind::RestoreTest => None,
    };

    let labels = match rec.get("metadata.labels") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(map),
        Some(other) => {
            return Err(rec.error("metadata.labels", show(Some(other)), "an object of labels"))
        }
    };
    let label = |key: &str| -> Result<Option<&str>, RecordError> {
        match labels.and_then(|l| l.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(rec.error(
                &key_path("metadata.labels", key),
                show(Some(other)),
                "a string",
            )),
        }
    };
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let schedule = match kind {
        Kind::Backup => label("velero.io/schedule-name")?.map(|s| (s, "metadata.labels")),
        Kind::RestoreTest => match rec.str_opt("spec.scheduleName")? {
            Some(s) => Some((s, "spec.scheduleName")),
            None => rec
                .str_opt("spec.backupName")?
                .and_then(schedule_of_backup)
                .map(|s| (s, "spec.backupName")),
        },
    };
    if let Some((value, field)) = schedule {
        candidates.push(Candidate {
            rule: "schedule",
            field,
            value,
            how: Match::Exact,
        });
    }
    for rule in ctx.source.systems_by.keys() {
        if let Some(key) = rule.strip_prefix("label:") {
            if let Some(value) = label(key)? {
                candidates.push(Candidate {
                    rule,
                    field: "metadata.labels",
                    value,
                    how: Match::Exact,
                });
            }
        }
    }
    let Some(system) = ctx.attribute(rec, &candidates)? else {
        ctx.not_attributed(rec, &format!("{} {name}", kind_name(kind)), &candidates);
        return Ok(());
    };
    ctx.push(
        rec,
        Draft {
            system,
            kind,
            status,
            started,
            started_field,
            finished,
            finished_field: "status.completionTimestamp",
            point_in_time: None,
            point_in_time_field: "status.startTimestamp",
            size_bytes: None,
            location: storage,
        },
    )
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Backup => "backup",
        Kind::RestoreTest => "restore",
    }
}

/// `prod-daily-20261114020003` → `prod-daily`: Velero names a schedule's backups
/// `SCHEDULE-` followed by the UTC time as `YYYYMMDDHHMMSS`.
fn schedule_of_backup(backup: &str) -> Option<&str> {
    let (schedule, stamp) = backup.rsplit_once('-')?;
    (stamp.len() == 14 && stamp.bytes().all(|b| b.is_ascii_digit()) && !schedule.is_empty())
        .then_some(schedule)
}

#[cfg(test)]
mod tests {
    use super::super::common::tests_support::*;
    use super::*;

    const BACKUPS: &str = include_str!("../../../tests/fixtures/formats/velero-backup-list.json");
    const RESTORES: &str = include_str!("../../../tests/fixtures/formats/velero-restore-list.json");
    const BARE: &str = include_str!("../../../tests/fixtures/formats/velero-backup-bare.json");

    #[test]
    fn backup_list_maps_phases_and_schedule() {
        let out = run(
            read,
            BACKUPS,
            source().rule("schedule", "prod-daily", "payments"),
        )
        .unwrap();
        let statuses: Vec<Status> = out.events.iter().map(|e| e.status()).collect();
        assert_eq!(
            statuses,
            [Status::Success, Status::Partial, Status::Success]
        );
        let e = &out.events[1];
        assert_eq!(out.symbols.name(e.system()), "payments");
        assert_eq!(e.kind(), Kind::Backup);
        assert_eq!(e.started_at().unwrap().to_string(), "2026-11-28T02:00:03Z");
        assert_eq!(e.finished_at().unwrap().to_string(), "2026-11-28T02:04:10Z");
        assert_eq!(out.name(e.location()), Some("default"));
        assert_eq!(e.origin().record, 1);
    }

    #[test]
    fn restores_are_restore_tests_attributed_through_their_backups_schedule() {
        let out = run(
            read,
            RESTORES,
            source().rule("schedule", "prod-daily", "payments"),
        )
        .unwrap();
        assert_eq!(out.events.len(), 1);
        let e = &out.events[0];
        assert_eq!((e.kind(), e.status()), (Kind::RestoreTest, Status::Success));
        assert_eq!(e.started_at().unwrap().to_string(), "2026-11-15T09:00:01Z");
        assert_eq!(e.finished_at().unwrap().to_string(), "2026-11-15T09:41:27Z");
        assert_eq!(e.location(), None);
    }

    #[test]
    fn bare_object_by_label_and_in_progress_is_counted() {
        let out = run(read, BARE, source().rule("label:app", "orders", "orders")).unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events[0].status(), Status::Failed);
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-30T01:00:00Z"
        );
        let running = BARE.replace("\"Failed\"", "\"InProgress\"");
        let out = run(read, &running, source().system("orders")).unwrap();
        assert!(out.events.is_empty());
        assert_eq!(out.skipped[0].reason, SkipReason::InProgress);
        assert_eq!(out.skipped[0].message, "backup orders-manual-1: InProgress");
        assert_eq!(out.skipped[0].location, "(document)");
    }

    #[test]
    fn failed_validation_without_start_uses_creation_time() {
        let doc = r#"{"kind":"Backup","metadata":{"name":"b","creationTimestamp":"2026-11-30T01:00:00Z"},
                     "status":{"phase":"FailedValidation","validationErrors":["bad"]}}"#;
        let out = run(read, doc, source().system("s")).unwrap();
        assert_eq!(out.events[0].status(), Status::Failed);
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-30T01:00:00Z"
        );
        assert_eq!(out.events[0].finished_at(), None);
    }

    #[test]
    fn unknown_phase_and_kind_are_errors_with_paths() {
        let doc = BACKUPS.replacen("\"PartiallyFailed\"", "\"Done\"", 1);
        let err = run(read, &doc, source().system("s")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: items[1].status.phase: found \"Done\", expected one of Completed, PartiallyFailed, Failed, \
             FailedValidation, or an in-progress phase (New, InProgress, WaitingForPluginOperations, Finalizing, ...)"
        );
        let out = run_lenient(read, &doc, source().system("s")).unwrap();
        assert_eq!(
            (out.events.len(), out.skipped.len(), out.records),
            (2, 1, 3)
        );
        let err = run(read, r#"{"kind":"Schedule"}"#, source().system("s")).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "input.json: kind: found \"Schedule\", expected Velero Backup or Restore"
            ),
            "{err}"
        );
        let err = run(
            read,
            r#"{"kind":"Backup","metadata":{"labels":{"app":5}},"status":{"phase":"Completed"}}"#,
            source().rule("label:app", "x", "s"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: metadata.labels.app: found 5, expected a string"
        );
    }

    #[test]
    fn schedule_names_from_backup_names() {
        assert_eq!(
            schedule_of_backup("prod-daily-20261114020003"),
            Some("prod-daily")
        );
        assert_eq!(schedule_of_backup("manual-backup"), None);
        assert_eq!(schedule_of_backup("-20261114020003"), None);
    }
}
