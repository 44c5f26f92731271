//! Helpers for tests that run the real `drproof` binary.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs drproof in `dir` with a clean, reproducible environment (no colour, UTC-agnostic).
pub fn drproof_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drproof"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TZ", "Pacific/Chatham") // a zone nobody uses by accident: output must not depend on it
        .output()
        .expect("the drproof binary runs")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally, not by a signal")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

/// The JSON report on stdout.
pub fn report(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// The items of the array at `key` (`findings`, `inputs`, `systems`) matching `keep`.
pub fn items<'a>(
    report: &'a serde_json::Value,
    key: &str,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<&'a serde_json::Value> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not an array"))
        .iter()
        .filter(|v| keep(v))
        .collect()
}
