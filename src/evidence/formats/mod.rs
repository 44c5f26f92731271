//! Evidence formats: drproof's own CSV and JSON Lines, and the outputs of backup tools.
//!
//! drproof's own formats (`drproof_csv`, `drproof_jsonl`, sharing `native`) are read by
//! parallel block readers. Each tool format is one module with
//! `pub fn read(input: &mut dyn Read, ctx: &mut ReadContext<'_>) -> Result<(), RecordError>`
//! (see [`common`]): tool listings are small JSON documents, read with serde into typed
//! structs. [`read_tool`] adapts that contract to the loader's per-input accounting.

pub mod aws_backup;
pub mod borg;
pub mod common;
pub(crate) mod drproof_csv;
pub(crate) mod drproof_jsonl;
pub(crate) mod native;
pub mod pgbackrest;
pub mod restic;
pub mod velero;

use super::blocks::BlockError;
use super::{EvidenceError, InputContext};
use common::{ReadContext, RecordError, SkipReason};
use std::io::BufRead;

/// The formats evidence may come in, named as in the declarations' `format:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    DrproofCsv,
    DrproofJsonl,
    Restic,
    Borg,
    Pgbackrest,
    Velero,
    AwsBackup,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::DrproofCsv,
        Format::DrproofJsonl,
        Format::Restic,
        Format::Borg,
        Format::Pgbackrest,
        Format::Velero,
        Format::AwsBackup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::DrproofCsv => "drproof-csv",
            Format::DrproofJsonl => "drproof-jsonl",
            Format::Restic => "restic",
            Format::Borg => "borg",
            Format::Pgbackrest => "pgbackrest",
            Format::Velero => "velero",
            Format::AwsBackup => "aws-backup",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// drproof's own formats by file extension (`.csv`; `.jsonl` or `.ndjson`). Tool outputs
    /// are `.json` whatever the tool, so they must be named with `format:`.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::DrproofCsv),
            "jsonl" | "ndjson" => Some(Format::DrproofJsonl),
            _ => None,
        }
    }

    /// The `systems_by` rules this format understands (`label:*` stands for `label:KEY`);
    /// `None` for drproof's own formats, which name their system in every record.
    pub fn rules(self) -> Option<&'static [&'static str]> {
        match self {
            Format::DrproofCsv | Format::DrproofJsonl => None,
            Format::Restic => Some(restic::RULES),
            Format::Borg => Some(borg::RULES),
            Format::Pgbackrest => Some(pgbackrest::RULES),
            Format::Velero => Some(velero::RULES),
            Format::AwsBackup => Some(aws_backup::RULES),
        }
    }

    /// The list of names, for messages.
    pub fn names() -> String {
        Format::ALL.map(Format::name).join(", ")
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Reads one file of a tool format: runs the tool's reader, then moves its events into the
/// loader's list and its skipped records into the input's accounting (malformed ones become
/// `evidence-invalid-record` notes under `--lenient`; unattributed and in-progress ones are
/// counted as skipped).
pub(crate) fn read_tool(
    format: Format,
    input: &mut InputContext<'_>,
    reader: &mut dyn BufRead,
) -> Result<(), EvidenceError> {
    let read: fn(&mut dyn std::io::Read, &mut ReadContext<'_>) -> Result<(), RecordError> =
        match format {
            Format::Restic => restic::read,
            Format::Borg => borg::read,
            Format::Pgbackrest => pgbackrest::read,
            Format::Velero => velero::read,
            Format::AwsBackup => aws_backup::read,
            Format::DrproofCsv | Format::DrproofJsonl => {
                return Err(input.error(
                    "1",
                    format!("internal: {format} is read by its block reader"),
                ))
            }
        };
    let (path, source, index, lenient) = (input.path, input.source, input.input(), input.lenient());
    let mut events = Vec::new();
    let (records, skipped) = {
        let mut ctx = ReadContext::new(
            source,
            index,
            path,
            input.symbols_mut(),
            &mut events,
            lenient,
        );
        read(reader, &mut ctx).map_err(|e| EvidenceError::Input(e.to_string()))?;
        (ctx.records, ctx.skipped)
    };
    input.events_mut().append(&mut events);
    input.add_records(records);
    for skip in skipped
        .into_iter()
        .filter(|s| s.reason == SkipReason::Invalid)
    {
        input.report_invalid(&skip.location, &skip.message)?;
    }
    Ok(())
}

pub(crate) fn block_error(path: &str, e: BlockError) -> EvidenceError {
    match e {
        BlockError::Io(source) => EvidenceError::Io { path: path.to_owned(), source },
        BlockError::Unterminated { offset } => EvidenceError::Input(format!(
            "{path}: byte {offset}: a record runs past {} MiB without ending: a quoted field that is never closed?",
            super::blocks::MAX_RECORD >> 20
        )),
    }
}
