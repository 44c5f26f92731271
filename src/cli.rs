//! Command-line interface: argument types only. Each command's work lives in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Examples:
  drproof validate --config drproof.yaml
  drproof check --config drproof.yaml --as-of 2026-11-27T09:00:00Z
  drproof check --config drproof.yaml --logs backups/ --format json > report.json
  drproof explain rpo-breach
  drproof record --system payments-db --kind restore_test --log logs/restores.jsonl -- ./restore-drill.sh

Exit codes: 0 = no finding at or above the failing severity, 1 = findings at or above it,
2 = usage or input error (no trustworthy verdict could be given).";

/// Prove disaster-recovery readiness: RPO and RTO compliance from declarations and evidence.
#[derive(Debug, Parser)]
#[command(name = "drproof", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the declarations file and its runbooks, without reading any evidence.
    #[command(
        after_help = "Example:\n  drproof validate --config examples/acme/drproof.yaml --as-of 2026-11-27T09:00:00Z"
    )]
    Validate(ValidateArgs),
    /// Judge the estate from its evidence: RPO exposure, schedules, restore tests, RTO.
    #[command(
        after_help = "Examples:\n  drproof check --config examples/acme/drproof.yaml --as-of 2026-11-27T09:00:00Z\n  drproof check --config drproof.yaml --logs /var/log/backups --window 90d --format json\n  drproof check --config drproof.yaml --fail-on warning   # CI: go red on warnings too"
    )]
    Check(CheckArgs),
    /// Run a command (a restore test, a backup), time it, and append its outcome as evidence.
    #[command(
        after_help = "Examples:\n  drproof record --system payments-db --kind restore_test --log logs/restore-tests.jsonl -- ./restore-drill.sh\n  drproof record --system file-share --kind backup --policy nightly --partial-exit-codes 3 \\\n      --log logs/file-share.jsonl -- restic backup /srv/share\n\nThe command's exit code is passed through. Exit 0 is recorded as success, a code listed in\n--partial-exit-codes as partial, anything else (or a command that cannot start) as failed."
    )]
    Record(RecordArgs),
    /// Print the JSON Schema of the declarations file (or of drproof's evidence JSON Lines).
    #[command(
        after_help = "Example:\n  drproof schema > drproof.schema.json\n  # then, as the first line of drproof.yaml:\n  # yaml-language-server: $schema=./drproof.schema.json"
    )]
    Schema(SchemaArgs),
    /// Explain a check: what it means, why an auditor cares, how to fix it. Lists all without CHECK.
    #[command(after_help = "Examples:\n  drproof explain\n  drproof explain schedule-exceeds-rpo")]
    Explain(ExplainArgs),
    /// Write a commented starter declarations file and runbook into DIR (never overwrites).
    #[command(
        after_help = "Example:\n  drproof init dr/ && drproof validate --config dr/drproof.yaml"
    )]
    Init(InitArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  drproof completions bash > /etc/bash_completion.d/drproof"
    )]
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Violation,
    Warning,
    Never,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The declarations file (YAML).
    #[arg(long, short = 'c', value_name = "FILE", default_value = "drproof.yaml")]
    pub config: PathBuf,
    /// Judge as of this instant instead of now (RFC 3339 with offset, or a date = 00:00 UTC).
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Violation)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub common: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: ConfigArgs,
    /// More evidence: a file, a folder (read recursively) or a glob. Repeatable.
    #[arg(long = "logs", value_name = "PATH")]
    pub logs: Vec<PathBuf>,
    /// Review window ending at --as-of (overrides `defaults.window`, default 30d).
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// Skip malformed evidence records (reported as `evidence-invalid-record`) instead of
    /// stopping with exit 2.
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventKind {
    Backup,
    #[value(name = "restore_test")]
    RestoreTest,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The system the event belongs to (its id in the declarations).
    #[arg(long, value_name = "ID")]
    pub system: String,
    /// What the command is.
    #[arg(long, value_enum)]
    pub kind: EventKind,
    /// The backup policy id, when the command is a scheduled backup.
    #[arg(long, value_name = "ID")]
    pub policy: Option<String>,
    /// drproof JSON Lines file to append to (created if missing).
    #[arg(long, value_name = "FILE", default_value = "drproof-events.jsonl")]
    pub log: PathBuf,
    /// Exit codes that mean "partly done" rather than failed (restic: 3). Comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub partial_exit_codes: Vec<i32>,
    /// The command to run, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The declarations file.
    Declarations,
    /// One line of drproof's JSON Lines evidence format.
    Evidence,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_enum, default_value_t = SchemaKind::Declarations)]
    pub kind: SchemaKind,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A check id such as `rpo-breach`.
    pub check: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
