//! Evidence formats: drproof's own CSV and JSON Lines, and the outputs of backup tools.
//!
//! # Adding a tool format
//!
//! A tool format is a module with one function:
//!
//! ```ignore
//! pub(crate) fn read(input: &mut InputContext<'_>, reader: &mut dyn std::io::BufRead) -> Result<(), EvidenceError>
//! ```
//!
//! - `reader` yields the file's bytes (a UTF-8 BOM already removed). Read it however suits the
//!   tool (tool listings are JSON documents: `serde_json::from_reader`); the caller hashes every
//!   byte and counts the size, whether or not the reader consumes them all.
//! - For each record, call [`InputContext::push_event`] with a [`RawEvent`](crate::evidence::RawEvent)
//!   and the record's location (what follows `path:` in messages: a line number or a JSON path
//!   such as `$[3]`). It checks the time-order rules and counts the record.
//! - A record that cannot be read: [`InputContext::invalid_record`] with its location and what is
//!   wrong (`field time: expected …, found …`). It returns `Err` unless `--lenient`, so `?` it.
//! - A record deliberately ignored (an in-progress Velero phase): [`InputContext::ignore_record`],
//!   so that it shows as read and skipped rather than vanishing.
//! - A problem with the whole file (not JSON at all): `return Err(input.error(location, message))`.
//! - Attribution: [`InputContext::system_by`] (`systems_by:` rule → value → system) and
//!   `input.source.system`; timestamps: [`InputContext::parse_time`] (honours the declared
//!   `timezone` for offset-less times); `input.source.policy` names the policy when the tool
//!   does not.
//! - Systems that are not declared are fine to push: the assembly counts and drops them.

pub(crate) mod drproof_csv;
pub(crate) mod drproof_jsonl;
pub(crate) mod native;
// The tool formats are written on another branch; the lead enables these lines when merging
// and replaces the "not yet supported" arms in `read_tool` below with calls to `<module>::read`.
// pub mod restic;
// pub mod borg;
// pub mod pgbackrest;
// pub mod velero;
// pub mod aws_backup;

use super::blocks::BlockError;
use super::{EvidenceError, InputContext};
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

/// Reads one file of a tool format. drproof's own formats do not come here (they have their
/// own parallel block readers).
pub(crate) fn read_tool(
    format: Format,
    input: &mut InputContext<'_>,
    reader: &mut dyn BufRead,
) -> Result<(), EvidenceError> {
    let _ = &reader;
    match format {
        Format::Restic | Format::Borg | Format::Pgbackrest | Format::Velero | Format::AwsBackup => {
            Err(input.error(
                "1",
                format!("the {format} format is not yet supported by this build"),
            ))
        }
        Format::DrproofCsv | Format::DrproofJsonl => Err(input.error(
            "1",
            format!("internal: {format} is read by its block reader"),
        )),
    }
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
