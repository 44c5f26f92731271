//! `aws-backup`: AWS Backup job and recovery-point listings from the AWS CLI.
//!
//! One document may hold any of `BackupJobs` (`aws backup list-backup-jobs`), `RestoreJobs`
//! (`aws backup list-restore-jobs`) and `RecoveryPoints`
//! (`aws backup list-recovery-points-by-backup-vault`); `NextToken` and other keys are ignored.
//! Times are epoch seconds (CLI v1 renders floats; read to the microsecond) or ISO 8601 strings
//! with an offset (CLI v2); a string without an offset needs the source's `timezone:`.
//!
//! | record | kind | status |
//! | --- | --- | --- |
//! | `BackupJobs[]` by `State` | backup | `COMPLETED` → success, `PARTIAL` → partial, `FAILED` / `ABORTED` / `EXPIRED` → failed; `CREATED` / `PENDING` / `RUNNING` / `ABORTING` ignored, counted as in progress |
//! | `RestoreJobs[]` by `Status` | restore_test | `COMPLETED` → success, unless `ValidationStatus` is `FAILED` or `TIMED_OUT` (failed) or `VALIDATING` (in progress); `FAILED` / `ABORTED` → failed; `PENDING` / `RUNNING` in progress |
//! | `RecoveryPoints[]` by `Status` | backup | `COMPLETED` / `AVAILABLE` → success, `PARTIAL` → partial, `CREATING` in progress; `DELETING` / `EXPIRED` / `STOPPED` → success (the point was made; those states describe its retention, not the backup) |
//!
//! | event field | source |
//! | --- | --- |
//! | `started_at` | `CreationDate` (when the job was created) |
//! | `finished_at` | `CompletionDate` |
//! | `point_in_time` | recovery points: `CreationDate` (the point's time); jobs: absent, so the job's `CreationDate` stands for it: the snapshot is taken at or after it, which errs on the side of a larger exposure |
//! | `size_bytes` | `BackupSizeInBytes` |
//! | `location` | `REGION/VAULT`: region from `BackupVaultArn`, vault from `BackupVaultName` or the ARN |
//! | `policy` | the source's `policy:` |
//!
//! Continuous backups (point-in-time recovery) appear as one recovery point whose
//! `CreationDate` is when continuous backup began; drproof reads it as one backup at that time.
//!
//! ## Attribution
//! `system:` for the whole file, or `systems_by:` with
//! - `resource_arn`: `ResourceArn` of backup jobs and recovery points; for restore jobs
//!   `SourceResourceArn` and `CreatedResourceArn`;
//! - `recovery_point_arn`: `RecoveryPointArn` (the only link from an older restore job, which
//!   has no `SourceResourceArn`, to what it restored).
//!
//! All matches must name the same system; `system:` is the fallback.

use super::common::{
    read_document, Candidate, Draft, Location, Match, ReadContext, Rec, RecordError, SkipReason,
};
use crate::evidence::{Kind, Status};
use serde_json::Value;
use std::io::Read;

/// The `systems_by` rules this format understands.
pub const RULES: &[&str] = &["resource_arn", "recovery_point_arn"];

const EXPECTED: &str = "the output of `aws backup list-backup-jobs`, `list-restore-jobs` or \
                        `list-recovery-points-by-backup-vault` (an object with BackupJobs, RestoreJobs or RecoveryPoints)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    BackupJobs,
    RestoreJobs,
    RecoveryPoints,
}

impl Listing {
    fn key(self) -> &'static str {
        match self {
            Listing::BackupJobs => "BackupJobs",
            Listing::RestoreJobs => "RestoreJobs",
            Listing::RecoveryPoints => "RecoveryPoints",
        }
    }
}

pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    ctx.check_rules("aws-backup", RULES)?;
    let doc = read_document(input, ctx.path, EXPECTED)?;
    let root = Rec::json(&doc, ctx.path, String::new(), 0);
    let mut ordinal = 0u32;
    let mut any = false;
    for listing in [
        Listing::BackupJobs,
        Listing::RestoreJobs,
        Listing::RecoveryPoints,
    ] {
        let records = match doc.get(listing.key()) {
            None => continue,
            Some(Value::Array(records)) => records,
            Some(other) => {
                return Err(root.error(listing.key(), super::common::show(Some(other)), "an array"))
            }
        };
        any = true;
        for (i, value) in records.iter().enumerate() {
            ctx.records += 1;
            let rec = Rec::json(value, ctx.path, format!("{}[{i}]", listing.key()), ordinal);
            ordinal = ordinal.saturating_add(1);
            if let Err(e) = record(&rec, listing, ctx) {
                ctx.invalid(e)?;
            }
        }
    }
    if !any {
        return Err(RecordError {
            file: ctx.path.to_owned(),
            location: Location::Json(String::new()),
            field: String::new(),
            found: match &doc {
                Value::Object(_) => {
                    "an object without BackupJobs, RestoreJobs or RecoveryPoints".to_owned()
                }
                other => super::common::show(Some(other)),
            },
            expected: EXPECTED.to_owned(),
        });
    }
    Ok(())
}

/// What a record's state says: an event status, or "still running".
enum Outcome {
    Done(Status),
    InProgress,
}

fn record(rec: &Rec<'_>, listing: Listing, ctx: &mut ReadContext<'_>) -> Result<(), RecordError> {
    if !rec.value.is_object() {
        return Err(rec.error(
            "",
            super::common::show(Some(rec.value)),
            "a job or recovery point object",
        ));
    }
    let (state_field, kind) = match listing {
        Listing::BackupJobs => ("State", Kind::Backup),
        Listing::RestoreJobs => ("Status", Kind::RestoreTest),
        Listing::RecoveryPoints => ("Status", Kind::Backup),
    };
    let state = rec.str_req(state_field, "a job state such as \"COMPLETED\"")?;
    let outcome = match (listing, state) {
        (_, "COMPLETED") => Outcome::Done(Status::Success),
        (Listing::BackupJobs | Listing::RecoveryPoints, "PARTIAL") => {
            Outcome::Done(Status::Partial)
        }
        (Listing::BackupJobs, "FAILED" | "ABORTED" | "EXPIRED")
        | (Listing::RestoreJobs, "FAILED" | "ABORTED") => Outcome::Done(Status::Failed),
        (Listing::BackupJobs, "CREATED" | "PENDING" | "RUNNING" | "ABORTING")
        | (Listing::RestoreJobs, "CREATED" | "PENDING" | "RUNNING")
        | (Listing::RecoveryPoints, "CREATING") => Outcome::InProgress,
        (Listing::RecoveryPoints, "AVAILABLE" | "DELETING" | "EXPIRED" | "STOPPED") => {
            Outcome::Done(Status::Success)
        }
        _ => {
            let expected = match listing {
                Listing::BackupJobs => "one of COMPLETED, PARTIAL, FAILED, ABORTED, EXPIRED, CREATED, PENDING, RUNNING, ABORTING",
                Listing::RestoreJobs => "one of COMPLETED, FAILED, ABORTED, CREATED, PENDING, RUNNING",
                Listing::RecoveryPoints => {
                    "one of COMPLETED, AVAILABLE, PARTIAL, CREATING, DELETING, EXPIRED, STOPPED"
                }
            };
            return Err(rec.error(
                state_field,
                super::common::show(rec.get(state_field)),
                expected,
            ));
        }
    };
    let outcome = match (listing, outcome) {
        (Listing::RestoreJobs, Outcome::Done(Status::Success)) => {
            match rec.str_opt("ValidationStatus")? {
                Some("FAILED" | "TIMED_OUT") => Outcome::Done(Status::Failed),
                Some("VALIDATING") => Outcome::InProgress,
                _ => Outcome::Done(Status::Success),
            }
        }
        (_, other) => other,
    };
    let id = rec
        .str_opt(match listing {
            Listing::BackupJobs => "BackupJobId",
            Listing::RestoreJobs => "RestoreJobId",
            Listing::RecoveryPoints => "RecoveryPointArn",
        })?
        .unwrap_or("?");
    let what = match listing {
        Listing::BackupJobs => "backup job",
        Listing::RestoreJobs => "restore job",
        Listing::RecoveryPoints => "recovery point",
    };
    let status = match outcome {
        Outcome::Done(status) => status,
        Outcome::InProgress => {
            ctx.skip(
                rec.location_string(),
                SkipReason::InProgress,
                format!("{what} {id}: {state}"),
            );
            return Ok(());
        }
    };

    let tz = ctx.source.timezone;
    let created = rec.epoch_or_iso_opt("CreationDate", tz)?;
    let completed = rec.epoch_or_iso_opt("CompletionDate", tz)?;
    let size = rec.u64_opt("BackupSizeInBytes")?;
    let vault_arn = rec.str_opt("BackupVaultArn")?;
    let vault_name = rec.str_opt("BackupVaultName")?;
    let location = vault_location(vault_arn, vault_name);

    let mut candidates: Vec<Candidate<'_>> = Vec::with_capacity(3);
    let arn_fields: &[&str] = match listing {
        Listing::RestoreJobs => &["SourceResourceArn", "CreatedResourceArn"],
        _ => &["ResourceArn"],
    };
    for field in arn_fields {
        if let Some(value) = rec.str_opt(field)? {
            candidates.push(Candidate {
                rule: "resource_arn",
                field,
                value,
                how: Match::Exact,
            });
        }
    }
    if let Some(value) = rec.str_opt("RecoveryPointArn")? {
        candidates.push(Candidate {
            rule: "recovery_point_arn",
            field: "RecoveryPointArn",
            value,
            how: Match::Exact,
        });
    }
    let Some(system) = ctx.attribute(rec, &candidates)? else {
        ctx.not_attributed(rec, &format!("{what} {id}"), &candidates);
        return Ok(());
    };
    ctx.push(
        rec,
        Draft {
            system,
            kind,
            status,
            started: created,
            started_field: "CreationDate",
            finished: completed,
            finished_field: "CompletionDate",
            point_in_time: if listing == Listing::RecoveryPoints {
                created
            } else {
                None
            },
            point_in_time_field: "CreationDate",
            size_bytes: size,
            location: location.as_deref(),
        },
    )
}

/// `us-east-1/prod-vault` from `arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault`.
fn vault_location(arn: Option<&str>, name: Option<&str>) -> Option<String> {
    let mut parts = arn
        .map(|a| a.splitn(7, ':').collect::<Vec<_>>())
        .unwrap_or_default();
    let region = parts.get(3).copied().filter(|r| !r.is_empty());
    let from_arn = (parts.len() == 7 && parts[5] == "backup-vault").then(|| parts.remove(6));
    match (region, name.or(from_arn)) {
        (Some(region), Some(vault)) => Some(format!("{region}/{vault}")),
        (None, Some(vault)) => Some(vault.to_owned()),
        (_, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::tests_support::*;
    use super::*;

    const V1_JOBS: &str =
        include_str!("../../../tests/fixtures/formats/aws-v1-list-backup-jobs.json");
    const V1_RESTORES: &str =
        include_str!("../../../tests/fixtures/formats/aws-v1-list-restore-jobs.json");
    const V2_JOBS: &str =
        include_str!("../../../tests/fixtures/formats/aws-v2-list-backup-jobs.json");
    const V2_RESTORES: &str =
        include_str!("../../../tests/fixtures/formats/aws-v2-list-restore-jobs.json");
    const V2_POINTS: &str = include_str!(
        "../../../tests/fixtures/formats/aws-v2-list-recovery-points-by-backup-vault.json"
    );

    const VOL: &str = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0";
    const RDS: &str = "arn:aws:rds:us-east-1:123456789012:db:orders-db";
    const S3: &str = "arn:aws:s3:::orders-attachments";

    fn orders() -> SourceBuilder {
        source()
            .rule("resource_arn", VOL, "orders-volume")
            .rule("resource_arn", RDS, "orders-db")
            .rule("resource_arn", S3, "attachments")
    }

    #[test]
    fn cli_v1_jobs_with_float_epochs() {
        let out = run(read, V1_JOBS, orders()).unwrap();
        assert_eq!(out.events.len(), 2);
        let ok = &out.events[0];
        assert_eq!(out.symbols.name(ok.system()), "orders-volume");
        assert_eq!((ok.kind(), ok.status()), (Kind::Backup, Status::Success));
        assert_eq!(
            ok.started_at().unwrap().to_string(),
            "2026-11-30T00:00:00.412Z"
        );
        assert_eq!(
            ok.finished_at().unwrap().to_string(),
            "2026-11-30T00:15:01.879Z"
        );
        assert_eq!(ok.point_in_time(), None);
        assert_eq!(ok.size_bytes(), Some(8_589_934_592));
        assert_eq!(out.name(ok.location()), Some("us-east-1/prod-vault"));
        let failed = &out.events[1];
        assert_eq!(
            (out.symbols.name(failed.system()), failed.status()),
            ("orders-db", Status::Failed)
        );
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::InProgress);
        assert_eq!(out.skipped[0].location, "BackupJobs[2]");
        assert_eq!(
            out.skipped[0].message,
            "backup job b3f1e2d4-5a6b-7c8d-9e0f-1a2b3c4d5e6f: RUNNING"
        );
    }

    #[test]
    fn cli_v2_iso_times_read_the_same_instants() {
        let v1 = run(read, V1_JOBS, orders()).unwrap();
        let v2 = run(read, V2_JOBS, orders()).unwrap();
        assert_eq!(v1.events[0].started_at(), v2.events[0].started_at());
        assert_eq!(v1.events[0].finished_at(), v2.events[0].finished_at());
        let statuses: Vec<Status> = v2.events.iter().map(|e| e.status()).collect();
        assert_eq!(statuses, [Status::Success, Status::Partial, Status::Failed]);
        let expired = &v2.events[2];
        assert_eq!(
            (
                expired.started_at().unwrap().to_string(),
                expired.finished_at()
            ),
            ("2026-11-29T22:00:00.533Z".to_owned(), None)
        );
    }

    #[test]
    fn restore_jobs_are_restore_tests_and_validation_counts() {
        let src = orders().rule(
            "recovery_point_arn",
            "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-0c1d2e3f",
            "orders-db",
        );
        let out = run(read, V1_RESTORES, src).unwrap();
        assert_eq!(out.events.len(), 2);
        let e = &out.events[0];
        assert_eq!(
            (out.symbols.name(e.system()), e.kind(), e.status()),
            ("orders-volume", Kind::RestoreTest, Status::Success)
        );
        assert_eq!(
            e.started_at().unwrap().to_string(),
            "2026-11-30T03:00:00.250Z"
        );
        assert_eq!(
            e.finished_at().unwrap().to_string(),
            "2026-11-30T03:06:01.500Z"
        );
        assert_eq!(out.name(e.location()), Some("us-east-1/prod-vault"));
        let f = &out.events[1];
        assert_eq!(
            (out.symbols.name(f.system()), f.status(), f.location()),
            ("orders-db", Status::Failed, None)
        );
        // v2: a completed restore whose validation failed is a failed test; RUNNING is counted.
        let out = run(read, V2_RESTORES, orders()).unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events[0].status(), Status::Failed);
        assert_eq!(
            out.events[0].started_at().unwrap().to_string(),
            "2026-11-30T02:00:00.250Z"
        );
        assert_eq!(out.skipped[0].reason, SkipReason::InProgress);
    }

    #[test]
    fn recovery_points_are_backups_at_their_creation() {
        let out = run(read, V2_POINTS, orders()).unwrap();
        assert_eq!(out.events.len(), 1);
        let e = &out.events[0];
        assert_eq!(
            e.point_in_time().unwrap().to_string(),
            "2026-11-30T00:00:00.412Z"
        );
        assert_eq!(e.status(), Status::Success);
        assert_eq!(out.skipped[0].message, "recovery point arn:aws:backup:us-east-1:123456789012:recovery-point:continuous:db-orders-7c9e: CREATING");
    }

    #[test]
    fn unmapped_arns_are_not_attributed_and_bad_values_are_errors() {
        let out = run(read, V1_RESTORES, orders()).unwrap();
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.skipped[0].reason, SkipReason::NotAttributed);
        assert_eq!(
            out.skipped[0].message,
            "restore job 1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D: not attributed: no `systems_by` rule applies to it \
             and the source has no `system:`"
        );
        let doc = V1_JOBS.replacen("\"COMPLETED\"", "\"DONE\"", 1);
        let err = run(read, &doc, orders()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: BackupJobs[0].State: found \"DONE\", expected one of COMPLETED, PARTIAL, FAILED, ABORTED, \
             EXPIRED, CREATED, PENDING, RUNNING, ABORTING"
        );
        let doc = V1_JOBS.replacen("1795997701.879", "\"yesterday\"", 1);
        let err = run(read, &doc, orders()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "input.json: BackupJobs[0].CompletionDate: found \"yesterday\", expected a time such as \"2026-11-30T02:00:00Z\" (RFC 3339)"
        );
        let err = run(read, r#"{"BackupVaults":[]}"#, orders()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("input.json: (document): found an object without BackupJobs"),
            "{err}"
        );
    }

    #[test]
    fn vault_locations() {
        let arn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr-vault";
        assert_eq!(
            vault_location(Some(arn), None).as_deref(),
            Some("eu-west-1/dr-vault")
        );
        assert_eq!(
            vault_location(Some(arn), Some("dr-vault")).as_deref(),
            Some("eu-west-1/dr-vault")
        );
        assert_eq!(vault_location(None, Some("v")).as_deref(), Some("v"));
        assert_eq!(vault_location(None, None), None);
    }
}
