#!/usr/bin/env python3
"""Generate the evidence fixture of the Acme Payments example estate.

The files in this folder are a hand-authored story, not a capture of real systems; this script
documents exactly how they were made and makes them reproducible:

    python3 examples/acme/logs/generate.py      # rewrites the files next to this script

It is deterministic (fixed seed, no clock, no network), needs only the Python 3.9+ standard
library, and the generated files are committed: drproof's README and tests read them, not
this script. The story as of 2026-11-27T09:00:00Z (see ../README.md for the expected report):

* Most systems back up on schedule and have recent, successful restore drills.
* message-queue: its snapshots failed for nine hours on Thursday 2026-11-19 (an IAM role
  rotation removed ec2:CreateSnapshot), then recovered -> an RPO breach last week; and its
  October drill took 4h25m against a 4h RTO.
* data-warehouse: backs up on weekdays only -> every weekend is an RPO breach.
* identity-provider: last successful restore drill 2026-06-10, older than its 90 days.
* legacy-crm: last restore drill 2025-09-12, over a year ago (waived in drproof.yaml).
* file-share: one 6-hourly restic run missing (stale repository lock, 2026-11-16 12:00).
* A decommissioned FTP server (`old-ftp`) still writes to the shared backup log.
* Harmless noise: failed attempts retried within their grace, failures before the review
  window, a partially failed Velero backup, a pgBackRest backup flagged `error: true`.

Every tool output follows the real tool's format (see the reference samples the drproof
project keeps of restic, Borg, pgBackRest, Velero and AWS CLI v1 outputs):
* restic-file-share.json   `restic snapshots --json` (restic 0.17, host in Europe/London)
* borg-ci-server.json      `borg list --json` (Borg 1.2, naive America/New_York times)
* pgbackrest-info.json     `pgbackrest info --output=json` (stanza `payments`)
* velero-backups.json      `kubectl get backups.velero.io -n velero -o json`
* aws-backup-jobs.json     `aws backup list-backup-jobs --by-resource-arn ...` (CLI v1)
* backup-jobs.csv, payments-db-wal.csv   drproof CSV written by Acme's job wrappers
* restore-tests.jsonl      drproof JSON Lines appended by `drproof record`
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
SEED = 20261127
UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

AS_OF = datetime(2026, 11, 27, 9, 0, 0, tzinfo=UTC)
# Low-frequency job logs go back to the start of August.
HISTORY_START = datetime(2026, 8, 1, 0, 0, 0, tzinfo=UTC)
# High-frequency logs (every 5-50 minutes) are rotated: they keep the last month or so,
# which still starts before the 30-day review window (2026-10-28T09:00Z).
ROTATED_START = datetime(2026, 10, 27, 0, 0, 0, tzinfo=UTC)

rng = random.Random(SEED)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def z(t: datetime) -> str:
    """RFC 3339 in UTC with a Z, whole seconds (drproof CSV / JSON Lines)."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def secs(lo: float, hi: float) -> timedelta:
    return timedelta(seconds=round(rng.uniform(lo, hi)))


def hexid(n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def uuid4() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def cron_runs(minute: int, hours: set[int] | None, weekdays: set[int] | None, tz, start: datetime, end: datetime):
    """Scheduled instants (UTC) of `minute hours * * weekdays` in `tz`, start <= t <= end.

    Only the cron forms this estate uses; none of them falls in an hour that daylight saving
    skips or repeats, so every local time maps to exactly one instant. Weekdays: 0 = Sunday.
    """
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    out = []
    while day <= last:
        cron_dow = (day.weekday() + 1) % 7
        if weekdays is None or cron_dow in weekdays:
            for hour in sorted(hours if hours is not None else range(24)):
                t = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)
                if start <= t <= end:
                    out.append(t)
        day += timedelta(days=1)
    return out


def every_runs(anchor: datetime, interval: timedelta, end: datetime):
    out, t = [], anchor
    while t <= end:
        out.append(t)
        t += interval
    return out


@dataclass
class Row:
    system: str
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime
    point_in_time: datetime | None = None
    policy: str | None = None
    size_bytes: int | None = None
    location: str | None = None


def done(rows):
    """Only what had finished by the as-of instant is in a log taken at that instant."""
    return [r for r in rows if r.finished_at <= AS_OF]


# --------------------------------------------------------------------------------------------
# drproof CSV: backup-jobs.csv (Acme's job wrappers) and payments-db-wal.csv
# --------------------------------------------------------------------------------------------


def core_network():
    rows = []
    size = 2_310_000
    for s in cron_runs(0, {0, 4, 8, 12, 16, 20}, None, LONDON, HISTORY_START, AS_OF):
        start = s + secs(2, 25)
        size += rng.randint(-2000, 6000)
        status = "success"
        if s == datetime(2026, 8, 19, 12, 0, tzinfo=UTC):
            status = "failed"  # Oxidized host rebooted for patching
        if s == datetime(2026, 9, 3, 8, 0, tzinfo=UTC):
            status = "partial"  # sw-branch-07 unreachable, other devices saved
        fin = start + secs(40, 110)
        rows.append(Row("core-network", "backup", status, start, fin, None, "config-snapshot",
                        size if status != "failed" else None,
                        "git-dr.acme.example:netops/device-configs"))
    return done(rows)


def vault():
    rows = []
    retried = datetime(2026, 11, 8, 14, 30, tzinfo=UTC)
    for s in every_runs(ROTATED_START, timedelta(minutes=30), AS_OF):
        start = s + secs(1, 20)
        size = 47_800_000 + rng.randint(0, 900_000)
        if s == retried:
            # Upload timed out; the wrapper retried three minutes later (within the grace).
            fin = start + secs(60, 65)
            rows.append(Row("vault", "backup", "failed", start, fin, None, "raft-snapshot", None,
                            "s3://acme-vault-snapshots"))
            start = s + timedelta(minutes=3, seconds=12)
        fin = start + secs(3, 9)
        rows.append(Row("vault", "backup", "success", start, fin, None, "raft-snapshot", size,
                        "s3://acme-vault-snapshots"))
    return done(rows)


def payments_api():
    rows = []
    anchor = datetime(2026, 8, 1, 3, 15, tzinfo=UTC)
    for s in every_runs(anchor, timedelta(hours=6), AS_OF):
        start = s + secs(0, 30)
        fin = start + secs(20, 60)
        rows.append(Row("payments-api", "backup", "success", start, fin, None, "release-config",
                        182_000 + rng.randint(0, 9000), "s3://acme-release-config"))
    return done(rows)


def identity_provider():
    rows = []
    # Anchored so that the newest dump finished about 20 minutes before the as-of instant.
    anchor = ROTATED_START + timedelta(minutes=10)
    for s in every_runs(anchor, timedelta(minutes=50), AS_OF):
        start = s + secs(2, 40)
        fin = start + secs(150, 270)
        rows.append(Row("identity-provider", "backup", "success", start, fin, None,
                        "keycloak-db-dump", 1_930_000_000 + rng.randint(0, 40_000_000),
                        "s3://acme-keycloak-dumps"))
    return done(rows)


MQ_OUTAGE = (datetime(2026, 11, 19, 9, 0, tzinfo=UTC), datetime(2026, 11, 19, 17, 30, tzinfo=UTC))


def message_queue():
    rows = []
    for s in every_runs(ROTATED_START, timedelta(minutes=30), AS_OF):
        start = s + secs(5, 30)
        if MQ_OUTAGE[0] <= s <= MQ_OUTAGE[1]:
            # UnauthorizedOperation on ec2:CreateSnapshot after an IAM role rotation.
            rows.append(Row("message-queue", "backup", "failed", start, start + secs(20, 60), None,
                            "queue-snapshot", None, "eu-west-2"))
            continue
        fin = start + secs(180, 330)
        rows.append(Row("message-queue", "backup", "success", start, fin, None, "queue-snapshot",
                        rng.randint(600, 680) * 2**30 + rng.randint(0, 2**30), "eu-west-2"))
    return done(rows)


def data_warehouse():
    rows = []
    for s in cron_runs(0, {2}, {1, 2, 3, 4, 5}, LONDON, HISTORY_START, AS_OF):
        start = s + secs(3, 40)
        fin = start + secs(55 * 60, 80 * 60)
        status = "failed" if s.date() == date(2026, 8, 14) else "success"  # S3 SlowDown
        rows.append(Row("data-warehouse", "backup", status, start, fin, start, "clickhouse-nightly",
                        rng.randint(180, 220) * 10**9 if status == "success" else None,
                        "s3://acme-dw-backups"))
    return done(rows)


def legacy_crm():
    rows = []
    for s in cron_runs(0, {6, 18}, None, LONDON, HISTORY_START, AS_OF):
        start = s + secs(5, 90)
        fin = start + secs(20 * 60, 45 * 60)
        status = "success"
        if s == datetime(2026, 9, 22, 17, 0, tzinfo=UTC):
            status = "failed"  # RMAN-03009 / ORA-19502: backup destination full
        # RMAN incremental plus archived logs: consistent as of the end of the run.
        rows.append(Row("legacy-crm", "backup", status, start, fin,
                        fin if status == "success" else None, "rman-incremental",
                        rng.randint(35, 60) * 10**9 if status == "success" else None,
                        "s3://acme-crm-rman"))
    return done(rows)


def old_ftp():
    # The decommissioned FTP server's cron job still appends to the shared log.
    rows = []
    for d in (20, 21, 22):
        start = datetime(2026, 11, d, 3, 30, tzinfo=UTC) + secs(0, 20)
        rows.append(Row("old-ftp", "backup", "success", start, start + secs(300, 500), None, None,
                        rng.randint(8_100_000_000, 8_400_000_000), "/mnt/backup/ftp"))
    return rows


def payments_db_wal():
    rows = []
    failed_at = datetime(2026, 11, 12, 3, 10, tzinfo=UTC)
    for s in every_runs(ROTATED_START, timedelta(minutes=5), AS_OF):
        start = s + secs(0, 2)
        if s == failed_at:
            # archive-push timed out against S3; PostgreSQL retried the segment a minute later.
            rows.append(Row("payments-db", "backup", "failed", start, start + timedelta(seconds=31),
                            policy="wal-archive"))
            start = start + timedelta(seconds=65)
        rows.append(Row("payments-db", "backup", "success", start, start + secs(1, 4),
                        policy="wal-archive"))
    return done(rows)


FULL_COLUMNS = ["system", "kind", "status", "started_at", "finished_at", "point_in_time", "policy",
                "size_bytes", "location"]


def write_csv(path: Path, rows, columns):
    rows = sorted(rows, key=lambda r: (r.started_at, r.system))
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            values = {
                "system": r.system, "kind": r.kind, "status": r.status,
                "started_at": z(r.started_at), "finished_at": z(r.finished_at),
                "point_in_time": z(r.point_in_time) if r.point_in_time else "",
                "policy": r.policy or "", "size_bytes": "" if r.size_bytes is None else r.size_bytes,
                "location": r.location or "",
            }
            w.writerow([values[c] for c in columns])


# --------------------------------------------------------------------------------------------
# restic snapshots --json (file-share)
# --------------------------------------------------------------------------------------------


def go_time(t: datetime, tz) -> str:
    """Go's time.Time JSON: RFC 3339 with nanoseconds and the host's offset ("Z" for +00:00)."""
    local = t.astimezone(tz)
    ns = rng.randint(0, 999_999_999)
    off = local.utcoffset()
    offs = "Z" if off == timedelta(0) else local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f".{ns:09d}" + offs


def restic_file_share():
    # `restic forget --keep-within 40d` runs after each backup: the listing holds 40 days.
    start_list = AS_OF - timedelta(days=40)
    skipped = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # stale lock: no snapshot at all
    snaps, parent = [], None
    total_bytes = 1_262_000_000_000
    for s in cron_runs(0, {0, 6, 12, 18}, None, LONDON, start_list, AS_OF):
        if s == skipped:
            continue
        start = s + secs(1, 3)
        end = start + secs(8 * 60, 25 * 60)
        if end > AS_OF:
            continue
        changed = rng.randint(300, 4200)
        total_bytes += rng.randint(50_000_000, 900_000_000)
        start_s = go_time(start, LONDON)
        snap = {
            "time": start_s,
        }
        if parent:
            snap["parent"] = parent
        snap.update({
            "tree": hexid(64),
            "paths": ["/srv/shares/finance", "/srv/shares/operations"],
            "hostname": "file-srv-01",
            "username": "root",
            "tags": ["scheduled"],
            "program_version": "restic 0.17.3",
            "summary": {
                "backup_start": start_s,
                "backup_end": go_time(end, LONDON),
                "files_new": rng.randint(20, 900),
                "files_changed": changed,
                "files_unmodified": 2_481_000 + rng.randint(0, 9000),
                "dirs_new": rng.randint(0, 40),
                "dirs_changed": rng.randint(100, 900),
                "dirs_unmodified": 181_000 + rng.randint(0, 800),
                "data_blobs": rng.randint(2000, 30000),
                "tree_blobs": rng.randint(100, 950),
                "data_added": rng.randint(400_000_000, 6_000_000_000),
                "data_added_packed": rng.randint(200_000_000, 3_000_000_000),
                "total_files_processed": 2_485_000 + rng.randint(0, 9000),
                "total_bytes_processed": total_bytes,
            },
        })
        sid = hexid(64)
        snap["id"] = sid
        snap["short_id"] = sid[:8]
        parent = sid
        snaps.append(snap)
    (HERE / "restic-file-share.json").write_text(json.dumps(snaps, separators=(",", ":")) + "\n")


# --------------------------------------------------------------------------------------------
# borg list --json (ci-server, naive America/New_York times)
# --------------------------------------------------------------------------------------------


def borg_ci_server():
    # `borg prune --keep-daily 60`: the listing holds the last 60 nightly archives.
    archives = []
    for s in cron_runs(0, {2}, None, NEW_YORK, AS_OF - timedelta(days=60), AS_OF):
        start = s + secs(3, 12)
        local = start.astimezone(NEW_YORK)
        name = "ci-" + s.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
        naive = local.strftime("%Y-%m-%dT%H:%M:%S") + ".000000"
        aid = hexid(64)
        archives.append({"archive": name, "barchive": name, "id": aid, "name": name,
                         "start": naive, "time": naive})
    last = archives[-1]["start"]
    doc = {
        "archives": archives,
        "encryption": {"mode": "repokey-blake2"},
        "repository": {
            "id": hexid(64),
            "last_modified": last[:19] + ".%06d" % rng.randint(0, 999_999),
            "location": "ssh://borg@backup-nyc-01.acme.example/./ci-server",
        },
    }
    (HERE / "borg-ci-server.json").write_text(json.dumps(doc, indent=4) + "\n")


# --------------------------------------------------------------------------------------------
# pgbackrest info --output=json (payments-db, stanza `payments`)
# --------------------------------------------------------------------------------------------


def pgbackrest_info():
    # repo1-retention-full-type=time, repo1-retention-full=35: 35 days of nightly fulls.
    runs = cron_runs(0, {1}, None, UTC, AS_OF - timedelta(days=35), AS_OF)
    backups = []
    seg = 0x1A3C00  # WAL segment counter (16 MiB segments), timeline 1
    size = 408_000_000_000
    first_seg = None
    for s in runs:
        start = s + secs(2, 6)
        stop = start + secs(13 * 60, 17 * 60)
        seg += 288 + rng.randint(40, 160)  # ~one segment per 5 minutes, more under load
        size += rng.randint(200_000_000, 900_000_000)
        wal = f"00000001{seg >> 8:08X}{seg & 0xFF:08X}"
        if first_seg is None:
            first_seg = wal
        label = start.strftime("%Y%m%d-%H%M%SF")
        lsn_hi = seg >> 8
        lsn_lo = (seg & 0xFF) << 24
        repo_size = int(size * 0.31)
        backups.append({
            "archive": {"start": wal, "stop": wal},
            "backrest": {"format": 5, "version": "2.55.1"},
            "database": {"id": 1, "repo-key": 1},
            # A page checksum error was reported during the 25 October backup: pgBackRest keeps
            # the backup but flags it; drproof counts it as partial (no recovery point).
            "error": s.date() == date(2026, 10, 25),
            "info": {"delta": size, "repository": {"delta": repo_size, "size": repo_size}, "size": size},
            "label": label,
            "lsn": {"start": f"{lsn_hi:X}/{lsn_lo + 0x28:X}", "stop": f"{lsn_hi:X}/{lsn_lo + 0x1F8:X}"},
            "prior": None,
            "reference": None,
            "timestamp": {"start": int(start.timestamp()), "stop": int(stop.timestamp())},
            "type": "full",
        })
    # WAL archived up to the as-of instant (one segment every 5 minutes after the last full).
    last_seg = seg + int((AS_OF - runs[-1]).total_seconds() // 300)
    doc = [{
        "archive": [{"database": {"id": 1, "repo-key": 1}, "id": "16-1",
                     "max": f"00000001{last_seg >> 8:08X}{last_seg & 0xFF:08X}", "min": first_seg}],
        "backup": backups,
        "cipher": "aes-256-cbc",
        "db": [{"id": 1, "repo-key": 1, "system-id": 7391845521038214473, "version": "16"}],
        "name": "payments",
        "repo": [{"cipher": "aes-256-cbc", "key": 1, "status": {"code": 0, "message": "ok"}}],
        "status": {"code": 0, "lock": {"backup": {"held": False}}, "message": "ok"},
    }]
    (HERE / "pgbackrest-info.json").write_text(json.dumps(doc, separators=(",", ":")) + "\n")


# --------------------------------------------------------------------------------------------
# kubectl get backups.velero.io -o json (k8s-platform, schedule k8s-6h)
# --------------------------------------------------------------------------------------------


def k8z(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def velero_backups():
    ttl = timedelta(hours=960)
    items = []
    for s in cron_runs(0, {0, 6, 12, 18}, None, UTC, AS_OF - ttl, AS_OF):
        created = s + secs(1, 4)
        if created + ttl <= AS_OF:
            continue  # already garbage-collected by Velero
        start = created
        end = start + secs(3 * 60, 7 * 60)
        if end > AS_OF:
            continue
        phase, errors, warnings = "Completed", 0, rng.choice([0, 0, 0, 1, 2])
        if s == datetime(2026, 10, 20, 12, 0, tzinfo=UTC):
            phase, errors = "Failed", 0
            end = start + secs(30, 50)
        if s == datetime(2026, 10, 22, 18, 0, tzinfo=UTC):
            phase, errors = "PartiallyFailed", 3
        name = "k8s-6h-" + created.strftime("%Y%m%d%H%M%S")
        total = 4100 + rng.randint(0, 400)
        status = {
            "phase": phase,
            "startTimestamp": k8z(start),
            "completionTimestamp": k8z(end),
            "expiration": k8z(created + ttl),
            "errors": errors,
            "warnings": warnings,
            "formatVersion": "1.1.0",
            "version": 1,
            "progress": {"itemsBackedUp": total if phase != "Failed" else 0, "totalItems": total},
        }
        if phase == "Failed":
            status["failureReason"] = "error getting backup store for location default: rpc error: code = Unknown desc = AccessDenied"
        else:
            status["volumeSnapshotsAttempted"] = 14
            status["volumeSnapshotsCompleted"] = 14 if phase == "Completed" else 12
        items.append({
            "apiVersion": "velero.io/v1",
            "kind": "Backup",
            "metadata": {
                "name": name,
                "namespace": "velero",
                "uid": uuid4(),
                "creationTimestamp": k8z(created),
                "labels": {
                    "velero.io/schedule-name": "k8s-6h",
                    "velero.io/storage-location": "default",
                },
            },
            "spec": {
                "includedNamespaces": ["*"],
                "excludedNamespaces": ["kube-system"],
                "snapshotVolumes": True,
                "storageLocation": "default",
                "ttl": "960h0m0s",
            },
            "status": status,
        })
    doc = {"apiVersion": "velero.io/v1", "kind": "BackupList", "metadata": {"resourceVersion": ""},
           "items": items}
    (HERE / "velero-backups.json").write_text(json.dumps(doc, indent=2) + "\n")


# --------------------------------------------------------------------------------------------
# aws backup list-backup-jobs (object-store), AWS CLI v1: epoch seconds with fractions
# --------------------------------------------------------------------------------------------


def aws_backup_jobs():
    onboarded = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # 00:00 Europe/London = 00:00 UTC in November
    account = "123456789012"
    vault_arn = f"arn:aws:backup:eu-west-2:{account}:backup-vault:acme-object-store-vault"
    plan = {
        "BackupPlanId": "5c2f8e41-7a9d-4b0e-8f3a-2d6c1e9b7a40",
        "BackupPlanArn": f"arn:aws:backup:eu-west-2:{account}:backup-plan:5c2f8e41-7a9d-4b0e-8f3a-2d6c1e9b7a40",
        "BackupPlanVersion": "NjQ4ZWI2YzktZjE0Zi00YTNmLWI3ZGMtOGM5OGE1NmQ3ZTA0",
        "BackupRuleId": "0e7d3b5a-91c4-4f62-a8e1-6b2c9d0f4e17",
    }
    failed_at = datetime(2026, 11, 14, 16, 0, tzinfo=UTC)
    jobs = []
    size = 3_180_000_000_000

    def job(created: datetime, done_at: datetime, state: str, by_plan: bool, message: str | None = None):
        nonlocal size
        ok = state == "COMPLETED"
        if ok:
            size += rng.randint(500_000_000, 4_000_000_000)
        stamp = created.strftime("%Y%m%d%H%M%S")
        j = {
            "AccountId": account,
            "BackupJobId": uuid4().upper(),
            "BackupVaultName": "acme-object-store-vault",
            "BackupVaultArn": vault_arn,
        }
        if ok:
            j["RecoveryPointArn"] = f"arn:aws:backup:eu-west-2:{account}:recovery-point:acme-object-store-{stamp}-{hexid(8)}"
        j.update({
            "ResourceArn": "arn:aws:s3:::acme-object-store",
            "CreationDate": round(created.timestamp() + rng.random(), 3),
            "CompletionDate": round(done_at.timestamp() + rng.random(), 3),
            "State": state,
        })
        if message:
            j["StatusMessage"] = message
        j.update({
            "PercentDone": "100.0" if ok else "0.0",
            "BackupSizeInBytes": size if ok else 0,
            "IamRoleArn": f"arn:aws:iam::{account}:role/service-role/AWSBackupDefaultServiceRole",
        })
        if by_plan:
            j["CreatedBy"] = dict(plan)
        j.update({
            "StartBy": round(created.timestamp() + 3600, 3),
            "ResourceType": "S3",
            "BytesTransferred": 0,
            "BackupType": "",
            "IsParent": False,
            "ResourceName": "acme-object-store",
            "InitiationDate": round(created.timestamp(), 3),
            "MessageCategory": "SUCCESS" if ok else "ACCESS_DENIED",
        })
        jobs.append(j)

    for s in cron_runs(0, {0, 4, 8, 12, 16, 20}, None, UTC, onboarded, AS_OF):
        created = s + secs(60, 300)
        if s == failed_at:
            job(created, created + secs(40, 90), "FAILED", True,
                "Access Denied: the backup role is not allowed s3:GetObjectTagging on acme-object-store/statements/2026-11/")
            # The on-call fixed the bucket policy and started an on-demand backup (no plan).
            retry = s + timedelta(minutes=18, seconds=rng.randint(0, 50))
            job(retry, retry + secs(14 * 60, 24 * 60), "COMPLETED", False)
            continue
        fin = created + secs(12 * 60, 25 * 60)
        if fin > AS_OF:
            continue
        job(created, fin, "COMPLETED", True)
    jobs.sort(key=lambda j: -j["CreationDate"])  # the API lists the newest first
    (HERE / "aws-backup-jobs.json").write_text(json.dumps({"BackupJobs": jobs}, indent=4) + "\n")


# --------------------------------------------------------------------------------------------
# restore-tests.jsonl: appended by `drproof record --system ID --kind restore_test -- ...`
# --------------------------------------------------------------------------------------------


def at(d: str, hm: str, tz=LONDON) -> datetime:
    """A local wall-clock time (drills are scheduled in London office hours)."""
    y, m, dd = map(int, d.split("-"))
    h, mi = map(int, hm.split(":"))
    return datetime(y, m, dd, h, mi, tzinfo=tz).astimezone(UTC)


def restore_tests():
    tests = []

    def drill(system, start, minutes, status="success", policy=None):
        started = start + secs(0, 50)
        finished = started + timedelta(minutes=minutes) + secs(0, 59)
        tests.append((system, status, started, finished, policy))

    # core-network: monthly lab restore of a firewall and a switch (~11 minutes).
    for d in ["2025-12-04", "2026-01-08", "2026-02-05", "2026-03-05", "2026-04-09", "2026-05-07",
              "2026-06-04", "2026-07-09", "2026-08-06", "2026-09-03", "2026-10-08", "2026-11-05"]:
        drill("core-network", at(d, "10:00"), rng.randint(10, 11), policy="config-snapshot")
    # vault: monthly Raft snapshot restore into the DR cluster (~14 minutes).
    for d in ["2025-12-10", "2026-01-14", "2026-02-11", "2026-03-11", "2026-04-15", "2026-05-13",
              "2026-06-10", "2026-07-15", "2026-08-12", "2026-09-09", "2026-10-14", "2026-11-12"]:
        drill("vault", at(d, "14:00"), rng.randint(13, 14), policy="raft-snapshot")
    # payments-db: weekly automated PITR drill, Sundays 04:00 UTC (~20 minutes).
    d = date(2026, 8, 2)
    while d <= date(2026, 11, 22):
        start = datetime(d.year, d.month, d.day, 4, 0, tzinfo=UTC)
        if d == date(2026, 9, 13):
            # Scratch host ran out of disk during the restore: the drill failed...
            drill("payments-db", start, 6, "failed", "nightly-full")
            # ...and was re-run the same morning after the volume was grown.
            drill("payments-db", start + timedelta(hours=2), 21, policy="nightly-full")
        else:
            drill("payments-db", start, rng.randint(19, 22), policy="nightly-full")
        d += timedelta(days=7)
    # k8s-platform: monthly Velero restore into the standby cluster (~28 minutes).
    for d in ["2026-08-16", "2026-09-13", "2026-10-18", "2026-11-15"]:
        drill("k8s-platform", at(d, "09:00"), rng.randint(27, 28), policy="velero-cluster")
    # payments-api: monthly redeploy from the release-config export into the DR namespace.
    for d in ["2026-08-19", "2026-09-16", "2026-10-21", "2026-11-18"]:
        drill("payments-api", at(d, "11:00"), rng.randint(6, 7), policy="release-config")
    # identity-provider: quarterly... until June. The September drill was skipped during the
    # Keycloak 26 upgrade and never rescheduled.
    for d in ["2025-12-09", "2026-03-11", "2026-06-10"]:
        drill("identity-provider", at(d, "10:00"), rng.randint(46, 48), policy="keycloak-db-dump")
    # message-queue: quarterly; the October drill took longer than the 4h RTO.
    drill("message-queue", at("2026-04-15", "09:30"), 190, policy="queue-snapshot")
    drill("message-queue", at("2026-07-15", "09:30"), 220, policy="queue-snapshot")
    drill("message-queue", at("2026-10-14", "09:30"), 265, policy="queue-snapshot")
    # object-store: first drill after onboarding, full restore into a new bucket.
    drill("object-store", at("2026-11-10", "10:00"), 65, policy="aws-backup")
    # file-share: quarterly full restore of the shares to a scratch volume.
    for d, minutes in [("2026-04-21", 145), ("2026-07-21", 140), ("2026-10-20", 160)]:
        drill("file-share", at(d, "09:00"), minutes, policy="restic-snapshot")
    # data-warehouse: twice a year.
    drill("data-warehouse", at("2026-03-10", "08:00"), 290, policy="clickhouse-nightly")
    drill("data-warehouse", at("2026-09-08", "08:00"), 310, policy="clickhouse-nightly")
    # ci-server: twice a year, `borg extract` onto a spare VM (times in London: the record
    # host is the central drill runner).
    drill("ci-server", at("2026-01-13", "15:00"), 85, policy="borg-nightly")
    drill("ci-server", at("2026-07-14", "15:00"), 90, policy="borg-nightly")
    # legacy-crm: RMAN duplicate to a test server, over a year ago.
    drill("legacy-crm", at("2025-09-12", "09:00"), 360, policy="rman-incremental")

    tests.sort(key=lambda t: t[3])
    with (HERE / "restore-tests.jsonl").open("w") as f:
        for system, status, started, finished, policy in tests:
            rec = {"system": system, "kind": "restore_test", "status": status,
                   "started_at": z(started), "finished_at": z(finished)}
            if policy:
                rec["policy"] = policy
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")


# --------------------------------------------------------------------------------------------


def main():
    jobs = (core_network() + vault() + payments_api() + identity_provider() + message_queue()
            + data_warehouse() + legacy_crm() + old_ftp())
    write_csv(HERE / "backup-jobs.csv", jobs, FULL_COLUMNS)
    # The WAL hook writes only the columns it knows; drproof accepts any column order and
    # any subset that includes the required columns.
    write_csv(HERE / "payments-db-wal.csv", payments_db_wal(),
              ["system", "kind", "status", "started_at", "finished_at", "policy"])
    restic_file_share()
    borg_ci_server()
    pgbackrest_info()
    velero_backups()
    aws_backup_jobs()
    restore_tests()
    for p in sorted(HERE.iterdir()):
        if p.suffix in {".csv", ".json", ".jsonl"}:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()[:12]
            print(f"{p.name:28} {p.stat().st_size:>9} bytes  sha256 {digest}")


if __name__ == "__main__":
    main()
