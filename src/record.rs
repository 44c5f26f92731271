//! `drproof record`: run a backup or restore-test command, time it, and append one drproof
//! JSON Lines event to a log.
//!
//! restic, Borg and pgBackRest keep no restore history, and their listings never show failed
//! runs: wrapping the command is how their users produce that evidence.
//!
//! - Times come from the system clock in UTC at nanosecond precision: `started_at` just before
//!   the command is started, `finished_at` just after it exits.
//! - Status: exit code 0 → `success`; a code listed in `partial_exit_codes` → `partial`
//!   (restic's 3, "some files could not be read"; Borg's 1, "warning"); anything else,
//!   including death by a signal → `failed`.
//! - The command's exit code is returned (passed through); death by signal N returns 128 + N,
//!   as shells do.
//! - A command that cannot be started (not found, not executable) is recorded as a `failed`
//!   event (a scheduled restore test that could not even start has failed; its evidence must
//!   not vanish) and returns 127 (not found) or 126 (any other reason), again as shells do.
//! - The log is opened (created if missing, never its folder) *before* the command runs, so a
//!   wrong `--log` fails at once (exit 2 in the CLI) without running anything.
//! - Appending is safe with concurrent writers: the file is opened with `O_APPEND`, an exclusive
//!   advisory lock is held while the line is written with one `write` call, and a log whose last
//!   line lacks its newline (hand-edited) gets one first, so lines never merge.

use crate::evidence::{Kind, Status};
use crate::time::{self, Timestamp};
use anyhow::{bail, Context};
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `drproof record` was asked to do.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub system: String,
    pub kind: Kind,
    pub policy: Option<String>,
    /// The drproof JSON Lines log the event is appended to.
    pub log: PathBuf,
    /// Exit codes that mean "partly done" (`--partial-exit-codes 3`).
    pub partial_exit_codes: Vec<i32>,
    /// The command and its arguments (everything after `--`).
    pub command: Vec<OsString>,
}

/// One line of the log: exactly the keys of drproof's JSON Lines format, in its column order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedEvent<'a> {
    pub system: &'a str,
    pub kind: Kind,
    pub status: Status,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'a str>,
}

/// Runs the command, appends its event, and returns the command's exit code.
pub fn run(opts: &RecordOptions) -> anyhow::Result<i32> {
    let Some((program, args)) = opts.command.split_first() else {
        bail!("drproof record needs a command to run after `--`, e.g. `drproof record --system db --kind restore_test -- ./restore-test.sh`");
    };
    if opts.system.trim().is_empty() {
        bail!("--system must name a system id, found an empty string");
    }
    let log = open_log(&opts.log)?;

    let started_at = time::now();
    let outcome = Command::new(program).args(args).status();
    let finished_at = time::now();

    let (status, code) = match outcome {
        Ok(exit) => {
            let code = exit
                .code()
                .unwrap_or_else(|| 128 + exit.signal().unwrap_or(0));
            let status = match exit.code() {
                Some(0) => Status::Success,
                Some(c) if opts.partial_exit_codes.contains(&c) => Status::Partial,
                _ => Status::Failed,
            };
            (status, code)
        }
        Err(e) => {
            eprintln!(
                "drproof record: cannot start `{}`: {e}; recording a failed {}",
                program.to_string_lossy(),
                opts.kind.as_str()
            );
            (
                Status::Failed,
                if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                },
            )
        }
    };
    let event = RecordedEvent {
        system: &opts.system,
        kind: opts.kind,
        status,
        started_at,
        finished_at,
        policy: opts.policy.as_deref(),
    };
    append_event(&log, &opts.log, &event)?;
    Ok(code)
}

/// Opens (creating if needed) a log for appending; its folder must exist.
pub fn open_log(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| {
            format!(
                "cannot open the evidence log {} for appending",
                path.display()
            )
        })
}

/// Appends one event as one line, under an exclusive lock, with a single `write`.
pub fn append_event(log: &File, path: &Path, event: &RecordedEvent<'_>) -> anyhow::Result<()> {
    let mut line = serde_json::to_vec(event).context("serializing the event")?;
    line.push(b'\n');
    log.lock()
        .with_context(|| format!("cannot lock the evidence log {}", path.display()))?;
    let result = append_locked(log, &line);
    let unlocked = log.unlock();
    result.with_context(|| format!("cannot append to the evidence log {}", path.display()))?;
    unlocked.with_context(|| format!("cannot unlock the evidence log {}", path.display()))
}

fn append_locked(mut log: &File, line: &[u8]) -> std::io::Result<()> {
    let len = log.metadata()?.len();
    let mut last = [0u8; 1];
    let needs_newline = len > 0 && log.read_at(&mut last, len - 1)? == 1 && last[0] != b'\n';
    let mut buf = Vec::with_capacity(line.len() + 1);
    if needs_newline {
        buf.push(b'\n');
    }
    buf.extend_from_slice(line);
    let written = log.write(&buf)?;
    if written != buf.len() {
        return Err(std::io::Error::other(format!(
            "short write: {written} of {} bytes",
            buf.len()
        )));
    }
    log.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(log: &Path, command: &[&str]) -> RecordOptions {
        RecordOptions {
            system: "payments-db".into(),
            kind: Kind::RestoreTest,
            policy: None,
            log: log.to_path_buf(),
            partial_exit_codes: vec![3],
            command: command.iter().map(OsString::from).collect(),
        }
    }

    fn lines(log: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn exit_codes_map_to_statuses_and_pass_through() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("restore-tests.jsonl");
        assert_eq!(run(&opts(&log, &["true"])).unwrap(), 0);
        assert_eq!(run(&opts(&log, &["sh", "-c", "exit 3"])).unwrap(), 3);
        assert_eq!(run(&opts(&log, &["sh", "-c", "exit 1"])).unwrap(), 1);
        assert_eq!(run(&opts(&log, &["sh", "-c", "kill -9 $$"])).unwrap(), 137);
        let statuses: Vec<String> = lines(&log)
            .iter()
            .map(|l| l["status"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(statuses, ["success", "partial", "failed", "failed"]);
    }

    #[test]
    fn line_has_exactly_the_drproof_keys_and_times_span_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        let mut o = opts(&log, &["sleep", "0.2"]);
        o.policy = Some("weekly-drill".into());
        let before = time::now();
        run(&o).unwrap();
        let after = time::now();
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(text.starts_with("{\"system\":\"payments-db\",\"kind\":\"restore_test\",\"status\":\"success\",\"started_at\":\""), "{text}");
        assert!(text.ends_with("\"policy\":\"weekly-drill\"}\n"), "{text}");
        let line = &lines(&log)[0];
        let started = Timestamp::parse_rfc3339(line["started_at"].as_str().unwrap()).unwrap();
        let finished = Timestamp::parse_rfc3339(line["finished_at"].as_str().unwrap()).unwrap();
        assert!(before <= started && started < finished && finished <= after);
        assert!(
            finished.since(started) >= 200_000_000,
            "the sleep is inside the span"
        );
        assert!(line["finished_at"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn a_command_that_cannot_start_is_recorded_as_failed() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        assert_eq!(run(&opts(&log, &["/nonexistent/restore.sh"])).unwrap(), 127);
        assert_eq!(
            run(&opts(&log, &[dir.path().to_str().unwrap()])).unwrap(),
            126
        );
        assert!(lines(&log).iter().all(|l| l["status"] == "failed"));
    }

    #[test]
    fn bad_log_fails_before_running_and_empty_command_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        let log = dir.path().join("no-such-folder/log.jsonl");
        let cmd = format!("touch {}", marker.display());
        let err = run(&opts(&log, &["sh", "-c", &cmd])).unwrap_err();
        assert!(format!("{err:#}").starts_with(&format!(
            "cannot open the evidence log {} for appending",
            log.display()
        )));
        assert!(
            !marker.exists(),
            "the command must not run when the log cannot be opened"
        );
        let err = run(&opts(&dir.path().join("l"), &[])).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("drproof record needs a command"));
    }

    #[test]
    fn a_last_line_without_newline_is_not_merged() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        std::fs::write(&log, "{\"hand\":\"edited\"}").unwrap();
        run(&opts(&log, &["true"])).unwrap();
        let text = std::fs::read_to_string(&log).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    }

    #[test]
    fn twenty_concurrent_appenders_leave_twenty_intact_lines() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        std::thread::scope(|s| {
            for i in 0..20 {
                let log = log.clone();
                s.spawn(move || {
                    let mut o = opts(&log, &["true"]);
                    o.system = format!("system-{i:02}-{}", "x".repeat(200));
                    assert_eq!(run(&o).unwrap(), 0);
                });
            }
        });
        let mut systems: Vec<String> = lines(&log)
            .iter()
            .map(|l| l["system"].as_str().unwrap()[..9].to_owned())
            .collect();
        systems.sort();
        let expected: Vec<String> = (0..20).map(|i| format!("system-{i:02}")).collect();
        assert_eq!(systems, expected);
    }
}
