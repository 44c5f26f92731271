//! Real backup tools, run for real: restic, Borg and pgBackRest (with a throwaway PostgreSQL 15
//! cluster) make real repositories in a temporary folder, real backups, a failing backup and a
//! restore wrapped in `drproof record`; drproof then reads what the tools printed and the
//! tests check counts, status and times (to the second, against the tools' own output and the
//! wall clock around each run).
//!
//! The tools come from Debian's packages: `.ci/install-tools.sh` installs them. A missing tool
//! fails the test with that instruction; it is never skipped silently.
//! The pgBackRest test is the heaviest (about 10 s); run it alone with
//! `cargo test --test real_tools pgbackrest`.
//!
//! `drproof record` is exercised through the real binary, as users run it.

use drproof::declarations::{EvidenceSource, Pos};
use drproof::evidence::formats::common::{ReadContext, RecordError, SkipReason, SkippedRecord};
use drproof::evidence::formats::{borg, pgbackrest, restic};
use drproof::evidence::{Event, Kind, Status, Symbols};
use drproof::time::{self, Timestamp, NANOS_PER_SEC};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

type Reader = fn(&mut dyn std::io::Read, &mut ReadContext<'_>) -> Result<(), RecordError>;

#[derive(Debug)]
struct Read {
    events: Vec<Event>,
    symbols: Symbols,
    skipped: Vec<SkippedRecord>,
}

impl Read {
    fn system(&self, e: &Event) -> &str {
        self.symbols.name(e.system())
    }
}

fn source(
    system: Option<&str>,
    rules: &[(&str, &str, &str)],
    timezone: Option<&str>,
) -> EvidenceSource {
    let mut systems_by: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (rule, value, sys) in rules {
        systems_by
            .entry((*rule).into())
            .or_default()
            .insert((*value).into(), (*sys).into());
    }
    EvidenceSource {
        path: "tool-output.json".into(),
        format: None,
        system: system.map(Into::into),
        systems_by,
        timezone: timezone.map(|tz| tz.parse().expect("a valid zone")),
        policy: None,
        pos: Pos { line: 1, col: 1 },
    }
}

fn read(reader: Reader, bytes: &[u8], source: &EvidenceSource) -> Result<Read, RecordError> {
    let mut symbols = Symbols::default();
    let mut events = Vec::new();
    let mut ctx = ReadContext::new(
        source,
        0,
        "tool-output.json",
        &mut symbols,
        &mut events,
        false,
    );
    reader(&mut &bytes[..], &mut ctx)?;
    let skipped = std::mem::take(&mut ctx.skipped);
    Ok(Read {
        events,
        symbols,
        skipped,
    })
}

/// The tool's path, or a failure telling how to install it.
fn require(tool: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file());
    match found {
        Some(p) => p,
        None => panic!("`{tool}` is not installed: run `.ci/install-tools.sh` (it installs restic, borgbackup, pgbackrest and PostgreSQL 15 from Debian's packages)"),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// Runs a command and fails the test, with its output, unless it exits as expected.
fn expect(cmd: &mut Command, code: i32) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A wall-clock window around some runs, widened to whole seconds (Borg truncates to them).
struct Window(Timestamp, Timestamp);

impl Window {
    fn contains(&self, t: Timestamp) -> bool {
        let from = Timestamp::from_unix_seconds(self.0.nanos().div_euclid(NANOS_PER_SEC));
        let to = Timestamp::from_unix_seconds(self.1.nanos().div_euclid(NANOS_PER_SEC) + 1);
        from <= t && t <= to
    }
}

/// Runs `drproof record` (the real binary) around `command`; returns drproof's exit code.
fn record(system: &str, kind: Kind, log: &Path, partial: &[i32], command: &[&str]) -> i32 {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_drproof"));
    cmd.args([
        "record",
        "--system",
        system,
        "--kind",
        kind.as_str(),
        "--log",
    ])
    .arg(log);
    if !partial.is_empty() {
        let codes: Vec<String> = partial.iter().map(i32::to_string).collect();
        cmd.args(["--partial-exit-codes", &codes.join(",")]);
    }
    cmd.arg("--").args(command);
    let status = cmd.status().expect("drproof runs");
    status.code().expect("drproof exits normally")
}

fn log_lines(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ts(v: &serde_json::Value) -> Timestamp {
    Timestamp::parse_rfc3339(v.as_str().unwrap()).unwrap()
}

#[test]
fn restic_snapshots_backup_stream_partial_failure_and_restore() {
    let restic_bin = require("restic");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("ledger.txt"), "balance 42\n").unwrap();
    std::fs::write(data.join("unreadable.txt"), "secret\n").unwrap();
    // The partial run reads as an unprivileged user, for whom a mode-000 file is unreadable
    // (root reads everything).
    let as_user: Vec<&str> = if is_root() {
        vec!["runuser", "-u", "nobody", "--"]
    } else {
        vec![]
    };
    let restic = |args: &[&str]| {
        let mut c = Command::new(&restic_bin);
        c.args(args)
            .env("RESTIC_PASSWORD", "drproof-test")
            .env("RESTIC_REPOSITORY", root.join("repo"))
            .env("RESTIC_CACHE_DIR", root.join("cache"))
            .env("TZ", "America/New_York");
        c
    };
    expect(&mut restic(&["init", "-q"]), 0);
    let window = Window(time::now(), time::now());
    let first = expect(
        &mut restic(&[
            "backup",
            "--json",
            "--tag",
            "nightly",
            "--host",
            "demo-host",
            data.to_str().unwrap(),
        ]),
        0,
    );
    expect(
        &mut restic(&[
            "backup",
            "--json",
            "--tag",
            "nightly",
            "--host",
            "demo-host",
            data.to_str().unwrap(),
        ]),
        0,
    );
    let window = Window(window.0, time::now());

    // A partial run (exit 3) and a failed one (exit 1), wrapped in `drproof record`.
    if is_root() {
        expect(Command::new("chown").args(["-R", "nobody"]).arg(root), 0);
    }
    std::fs::set_permissions(
        data.join("unreadable.txt"),
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    let log = root.join("restic-runs.jsonl");
    std::fs::write(&log, "").unwrap();
    let repo = root.join("repo");
    let cache = root.join("cache");
    let partial_cmd: Vec<String> = as_user
        .iter()
        .map(|s| s.to_string())
        .chain([
            "env".into(),
            "RESTIC_PASSWORD=drproof-test".into(),
            format!("RESTIC_REPOSITORY={}", repo.display()),
            format!("RESTIC_CACHE_DIR={}", cache.display()),
            restic_bin.display().to_string(),
            "backup".into(),
            "--quiet".into(),
            "--host".into(),
            "demo-host".into(),
            "--tag".into(),
            "nightly".into(),
            data.display().to_string(),
        ])
        .collect();
    let partial_cmd: Vec<&str> = partial_cmd.iter().map(String::as_str).collect();
    let code = record("file-share", Kind::Backup, &log, &[3], &partial_cmd);
    assert_eq!(
        code, 3,
        "restic exits 3 when some source files cannot be read"
    );
    let missing = root.join("does-not-exist");
    let failed_cmd = [
        "env",
        "RESTIC_PASSWORD=drproof-test",
        "restic",
        "-r",
        repo.to_str().unwrap(),
        "backup",
        "--quiet",
        missing.to_str().unwrap(),
    ];
    assert_eq!(
        record("file-share", Kind::Backup, &log, &[3], &failed_cmd),
        1
    );
    let runs = log_lines(&log);
    assert_eq!(
        (runs[0]["status"].as_str(), runs[1]["status"].as_str()),
        (Some("partial"), Some("failed"))
    );

    // The listing: three snapshots (the partial run's looks like any other), all successes.
    let listing = expect(&mut restic(&["snapshots", "--json"]), 0).stdout;
    let printed: serde_json::Value = serde_json::from_slice(&listing).unwrap();
    let out = read(
        restic::read,
        &listing,
        &source(None, &[("host", "demo-host", "file-share")], None),
    )
    .unwrap();
    assert_eq!(out.events.len(), 3);
    assert!(out.skipped.is_empty());
    for (i, (e, snap)) in out
        .events
        .iter()
        .zip(printed.as_array().unwrap())
        .enumerate()
    {
        assert_eq!(out.system(e), "file-share");
        assert_eq!((e.kind(), e.status()), (Kind::Backup, Status::Success));
        let local = snap["time"].as_str().unwrap();
        if i < 2 {
            assert!(
                local.ends_with("-05:00"),
                "restic prints the backing-up host's offset (TZ=America/New_York): {local}"
            );
        }
        let as_utc = chrono::DateTime::parse_from_rfc3339(local)
            .unwrap()
            .timestamp();
        assert_eq!(
            e.point_in_time().unwrap().nanos().div_euclid(NANOS_PER_SEC),
            as_utc
        );
    }
    assert!(window.contains(out.events[0].point_in_time().unwrap()));
    assert!(window.contains(out.events[1].point_in_time().unwrap()));
    assert!(ts(&runs[0]["started_at"]) <= out.events[2].point_in_time().unwrap());
    assert!(out.events[2].point_in_time().unwrap() <= ts(&runs[0]["finished_at"]));

    // The `backup --json` stream: restic < 0.17 prints no times in it, which the reader says.
    let stream = read(
        restic::read,
        &first.stdout,
        &source(Some("file-share"), &[], None),
    );
    let version = String::from_utf8(expect(&mut restic(&["version"]), 0).stdout).unwrap();
    if version.starts_with("restic 0.1")
        && !version.starts_with("restic 0.17")
        && !version.starts_with("restic 0.18")
    {
        let err = stream.unwrap_err().to_string();
        assert!(
            err.contains("field backup_start: found nothing (field absent)"),
            "{err}"
        );
        assert!(err.contains("drproof record"), "{err}");
    } else {
        let out = stream.unwrap();
        assert_eq!(out.events.len(), 1);
        assert!(window.contains(out.events[0].started_at().unwrap()));
    }

    // A restore wrapped in `drproof record` is a restore test.
    let target = root.join("restore");
    let restore_log = root.join("restore-tests.jsonl");
    let restore_cmd = [
        "env",
        "RESTIC_PASSWORD=drproof-test",
        "restic",
        "-r",
        repo.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
        "restore",
        "--quiet",
        "latest",
        "--target",
        target.to_str().unwrap(),
    ];
    let before = time::now();
    assert_eq!(
        record(
            "file-share",
            Kind::RestoreTest,
            &restore_log,
            &[3],
            &restore_cmd
        ),
        0
    );
    let after = time::now();
    let restored = std::fs::read_to_string(
        target
            .join(data.strip_prefix("/").unwrap())
            .join("ledger.txt"),
    )
    .unwrap();
    assert_eq!(restored, "balance 42\n");
    let line = &log_lines(&restore_log)[0];
    assert_eq!(
        (line["kind"].as_str(), line["status"].as_str()),
        (Some("restore_test"), Some("success"))
    );
    assert!(before <= ts(&line["started_at"]) && ts(&line["finished_at"]) <= after);
}

#[test]
fn borg_list_info_create_with_timezones_warning_failure_and_restore() {
    let borg_bin = require("borg");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("share.txt"), "quarterly report\n").unwrap();
    let repo = root.join("repo");
    let borg = |tz: &str, args: &[&str]| {
        let mut c = Command::new(&borg_bin);
        c.args(args)
            .env("BORG_BASE_DIR", root.join("borgbase"))
            .env("BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", "yes")
            .env("BORG_RELOCATED_REPO_ACCESS_IS_OK", "yes")
            .env("TZ", tz);
        c
    };
    let at = |name: &str| format!("{}::{name}", repo.display());
    expect(
        &mut borg("UTC", &["init", "-e", "none", repo.to_str().unwrap()]),
        0,
    );
    let window = Window(time::now(), time::now());
    let created = expect(
        &mut borg(
            "Asia/Tokyo",
            &[
                "create",
                "--json",
                "--stats",
                &at("fileshare-1"),
                data.to_str().unwrap(),
            ],
        ),
        0,
    );
    expect(
        &mut borg(
            "UTC",
            &["create", &at("fileshare-2"), data.to_str().unwrap()],
        ),
        0,
    );
    expect(
        &mut borg("UTC", &["create", &at("other-1"), data.to_str().unwrap()]),
        0,
    );
    let window = Window(window.0, time::now());

    // `borg create --json` printed under TZ=Asia/Tokyo: naive Tokyo time.
    let out = read(
        borg::read,
        &created.stdout,
        &source(Some("file-share"), &[], Some("Asia/Tokyo")),
    )
    .unwrap();
    assert_eq!(out.events.len(), 1);
    let e = &out.events[0];
    assert!(window.contains(e.started_at().unwrap()) && window.contains(e.finished_at().unwrap()));
    assert!(e.size_bytes().unwrap() >= 17);
    assert_eq!(
        out.symbols.name(e.location().unwrap()),
        repo.to_str().unwrap()
    );

    // `borg list --json` under TZ=America/New_York: prefixes attribute, the rest is counted.
    let listing = expect(
        &mut borg(
            "America/New_York",
            &["list", "--json", repo.to_str().unwrap()],
        ),
        0,
    )
    .stdout;
    let rules = [("archive_prefix", "fileshare-", "file-share")];
    let err = read(borg::read, &listing, &source(None, &rules, None))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("tool-output.json: archives[0].start: found \"")
            && err.contains("a time without a UTC offset (Borg 1.x prints"),
        "{err}"
    );
    let out = read(
        borg::read,
        &listing,
        &source(None, &rules, Some("America/New_York")),
    )
    .unwrap();
    assert_eq!(out.events.len(), 2);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].reason, SkipReason::NotAttributed);
    assert!(out.skipped[0]
        .message
        .starts_with("archive other-1: not attributed"));
    let printed: serde_json::Value = serde_json::from_slice(&listing).unwrap();
    for (e, archive) in out
        .events
        .iter()
        .zip(printed["archives"].as_array().unwrap())
    {
        assert_eq!((out.system(e), e.status()), ("file-share", Status::Success));
        assert!(
            window.contains(e.started_at().unwrap()),
            "the declared zone turns the naive time into the true instant"
        );
        let naive = chrono::NaiveDateTime::parse_from_str(
            archive["start"].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S%.f",
        )
        .unwrap();
        let utc_secs = e.started_at().unwrap().nanos().div_euclid(NANOS_PER_SEC);
        assert_eq!(
            naive.and_utc().timestamp() + 5 * 3600,
            utc_secs,
            "New York is UTC-5 in late November"
        );
    }

    // `borg info --json` has end times and sizes.
    let info = expect(
        &mut borg(
            "UTC",
            &["info", "--json", "--last", "3", repo.to_str().unwrap()],
        ),
        0,
    )
    .stdout;
    let out = read(
        borg::read,
        &info,
        &source(Some("file-share"), &[], Some("UTC")),
    )
    .unwrap();
    assert_eq!(out.events.len(), 3);
    assert!(out
        .events
        .iter()
        .all(|e| e.finished_at().is_some() && e.size_bytes().is_some()));

    // A warning (exit 1: a missing path, archive still made) and an error (exit 2: the
    // archive already exists), wrapped in `drproof record`.
    let log = root.join("borg-runs.jsonl");
    let base = format!("BORG_BASE_DIR={}", root.join("borgbase").display());
    let missing = root.join("does-not-exist");
    let warn_cmd = [
        "env",
        &base,
        "borg",
        "create",
        &at("fileshare-3"),
        data.to_str().unwrap(),
        missing.to_str().unwrap(),
    ];
    assert_eq!(record("file-share", Kind::Backup, &log, &[1], &warn_cmd), 1);
    let dup_cmd = [
        "env",
        &base,
        "borg",
        "create",
        &at("fileshare-1"),
        data.to_str().unwrap(),
    ];
    assert_eq!(record("file-share", Kind::Backup, &log, &[1], &dup_cmd), 2);
    // A restore (extract into a fresh folder) wrapped in `drproof record`.
    let target = root.join("restore");
    std::fs::create_dir(&target).unwrap();
    let extract = format!(
        "cd {} && {base} borg extract {}",
        target.display(),
        at("fileshare-1")
    );
    assert_eq!(
        record(
            "file-share",
            Kind::RestoreTest,
            &log,
            &[1],
            &["sh", "-c", &extract]
        ),
        0
    );
    let restored = std::fs::read_to_string(
        target
            .join(data.strip_prefix("/").unwrap())
            .join("share.txt"),
    )
    .unwrap();
    assert_eq!(restored, "quarterly report\n");
    let statuses: Vec<(String, String)> = log_lines(&log)
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_owned(),
                l["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("backup", "partial"),
        ("backup", "failed"),
        ("restore_test", "success"),
    ];
    assert_eq!(
        statuses,
        expected.map(|(k, s)| (k.to_owned(), s.to_owned()))
    );
}

/// A throwaway PostgreSQL 15 cluster, stopped when dropped (also when a test fails).
struct Cluster {
    pg_ctl: PathBuf,
    data: PathBuf,
    as_postgres: Vec<String>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .cmd(
                &self.pg_ctl.display().to_string(),
                &[
                    "-D",
                    self.data.to_str().unwrap_or(""),
                    "-m",
                    "immediate",
                    "stop",
                ],
            )
            .output();
    }
}

impl Cluster {
    fn cmd(&self, program: &str, args: &[&str]) -> Command {
        let mut full: Vec<String> = self.as_postgres.clone();
        full.push(program.to_owned());
        full.extend(args.iter().map(|s| s.to_string()));
        let mut c = Command::new(&full[0]);
        c.args(&full[1..]);
        c
    }
}

#[test]
fn pgbackrest_info_of_real_backups_failure_and_restore() {
    let pgbackrest_bin = require("pgbackrest");
    let bin = Path::new("/usr/lib/postgresql/15/bin");
    if !bin.join("initdb").is_file() {
        panic!("PostgreSQL 15 is not installed: run `.ci/install-tools.sh`");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let as_postgres: Vec<String> = if is_root() {
        expect(
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(root),
            0,
        );
        ["runuser", "-u", "postgres", "--"]
            .map(String::from)
            .to_vec()
    } else {
        Vec::new()
    };
    let data = root.join("data");
    let conf = root.join("pgbackrest.conf");
    let port = "5433";
    let cluster = Cluster {
        pg_ctl: bin.join("pg_ctl"),
        data: data.clone(),
        as_postgres: as_postgres.clone(),
    };
    let conf_arg = format!("--config={}", conf.display());
    let pgbr = pgbackrest_bin.display().to_string();
    expect(
        &mut cluster.cmd(
            &bin.join("initdb").display().to_string(),
            &["-D", data.to_str().unwrap(), "-A", "trust", "--no-sync"],
        ),
        0,
    );
    std::fs::write(
        &conf,
        format!(
            "[global]\nrepo1-path={r}/repo\nrepo1-retention-full=2\nlog-path={r}\nlock-path={r}\nstart-fast=y\n\
             log-level-console=warn\nlog-level-file=off\n\n[demo]\npg1-path={d}\npg1-port={port}\npg1-socket-path={r}\n",
            r = root.display(),
            d = data.display()
        ),
    )
    .unwrap();
    let mut pg_conf = std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .unwrap();
    std::io::Write::write_all(
        &mut pg_conf,
        format!(
            "\nport = {port}\nlisten_addresses = ''\nunix_socket_directories = '{r}'\nwal_level = replica\n\
             archive_mode = on\narchive_command = '{pgbr} {conf_arg} --stanza=demo archive-push %p'\nfsync = off\n",
            r = root.display()
        )
        .as_bytes(),
    )
    .unwrap();
    if is_root() {
        expect(
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(root),
            0,
        );
    }
    let log_file = root.join("postgres.log");
    expect(
        &mut cluster.cmd(
            &cluster.pg_ctl.display().to_string(),
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log_file.to_str().unwrap(),
                "-w",
                "start",
            ],
        ),
        0,
    );
    expect(
        &mut cluster.cmd(&pgbr, &[&conf_arg, "--stanza=demo", "stanza-create"]),
        0,
    );
    let window = Window(time::now(), time::now());
    expect(
        &mut cluster.cmd(
            &pgbr,
            &[&conf_arg, "--stanza=demo", "--type=full", "backup"],
        ),
        0,
    );
    expect(
        &mut cluster.cmd(
            &pgbr,
            &[&conf_arg, "--stanza=demo", "--type=incr", "backup"],
        ),
        0,
    );
    let window = Window(window.0, time::now());

    let info = expect(
        &mut cluster.cmd(&pgbr, &[&conf_arg, "info", "--output=json"]),
        0,
    )
    .stdout;
    let printed: serde_json::Value = serde_json::from_slice(&info).unwrap();
    let out = read(
        pgbackrest::read,
        &info,
        &source(None, &[("stanza", "demo", "payments-db")], None),
    )
    .unwrap();
    assert_eq!(out.events.len(), 2);
    for (e, backup) in out
        .events
        .iter()
        .zip(printed[0]["backup"].as_array().unwrap())
    {
        assert_eq!(
            (out.system(e), e.kind(), e.status()),
            ("payments-db", Kind::Backup, Status::Success)
        );
        let start = backup["timestamp"]["start"].as_i64().unwrap();
        let stop = backup["timestamp"]["stop"].as_i64().unwrap();
        assert_eq!(e.started_at(), Some(Timestamp::from_unix_seconds(start)));
        assert_eq!(e.finished_at(), Some(Timestamp::from_unix_seconds(stop)));
        assert_eq!(
            e.point_in_time(),
            e.finished_at(),
            "consistent as of the stop"
        );
        assert!(
            window.contains(e.started_at().unwrap()) && window.contains(e.finished_at().unwrap())
        );
        assert_eq!(out.symbols.name(e.location().unwrap()), "repo1");
    }

    // A restore into a fresh folder, wrapped in `drproof record`.
    let log = root.join("pg-runs.jsonl");
    std::fs::write(&log, "").unwrap();
    let target = root.join("restored");
    let target_arg = format!("--pg1-path={}", target.display());
    let mut restore: Vec<String> = as_postgres.clone();
    restore.extend([
        pgbr.clone(),
        conf_arg.clone(),
        "--stanza=demo".into(),
        target_arg,
        "restore".into(),
    ]);
    let restore: Vec<&str> = restore.iter().map(String::as_str).collect();
    assert_eq!(
        record("payments-db", Kind::RestoreTest, &log, &[], &restore),
        0
    );
    assert!(target.join("PG_VERSION").is_file());

    // With the cluster down, a backup fails (exit 56) and appears only in the recorded log.
    expect(
        &mut cluster.cmd(
            &cluster.pg_ctl.display().to_string(),
            &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"],
        ),
        0,
    );
    let mut backup: Vec<String> = as_postgres.clone();
    backup.extend([
        pgbr.clone(),
        conf_arg.clone(),
        "--stanza=demo".into(),
        "--type=incr".into(),
        "backup".into(),
    ]);
    let backup: Vec<&str> = backup.iter().map(String::as_str).collect();
    let code = record("payments-db", Kind::Backup, &log, &[], &backup);
    assert_eq!(code, 56, "pgBackRest: unable to find primary cluster");
    let lines = log_lines(&log);
    assert_eq!(
        (lines[0]["kind"].as_str(), lines[0]["status"].as_str()),
        (Some("restore_test"), Some("success"))
    );
    assert_eq!(
        (lines[1]["kind"].as_str(), lines[1]["status"].as_str()),
        (Some("backup"), Some("failed"))
    );
    let info_after = expect(
        &mut cluster.cmd(&pgbr, &[&conf_arg, "info", "--output=json"]),
        0,
    )
    .stdout;
    let out = read(
        pgbackrest::read,
        &info_after,
        &source(Some("payments-db"), &[], None),
    )
    .unwrap();
    assert_eq!(
        out.events.len(),
        2,
        "a failed backup never appears in `info`"
    );
}
