//! One module per command. Each returns the exit code; input problems are [`InputError`]s,
//! which `main` turns into exit code 2.

pub mod check;
pub mod completions;
pub mod explain;
pub mod init;
pub mod record;
pub mod schema;
pub mod validate;

use crate::cli::{Cli, Command, FailOn};
use crate::declarations::Severity;
use crate::findings::Finding;

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const INPUT: u8 = 2;
}

/// Bad input or usage: no trustworthy verdict could be given (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Record(args) => record::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::run(&args),
    }
}

/// 1 when the worst active (unwaived) finding is at or above `fail_on`, else 0.
pub fn exit_code(worst_active: Option<Severity>, fail_on: FailOn) -> u8 {
    let threshold = match fail_on {
        FailOn::Violation => Severity::Violation,
        FailOn::Warning => Severity::Warning,
        FailOn::Never => return exit::OK,
    };
    if worst_active.is_some_and(|s| s >= threshold) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// The worst severity among findings that are not waived.
pub fn worst_active(findings: &[Finding]) -> Option<Severity> {
    findings
        .iter()
        .filter(|f| f.is_active())
        .map(|f| f.severity)
        .max()
}

/// Writes a command's output. A reader that went away (`drproof check | head`) is not an
/// error: the verdict is still the exit code.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `--as-of`, or now.
pub fn as_of(arg: Option<&str>) -> Result<crate::time::Timestamp, InputError> {
    match arg {
        Some(text) => {
            crate::time::parse_as_of(text).map_err(|e| InputError(format!("--as-of: {e}")))
        }
        None => Ok(crate::time::now()),
    }
}
