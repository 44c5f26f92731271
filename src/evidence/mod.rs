//! Evidence: backup-job and restore-test records from every supported source, read into one
//! [`Event`] model, attributed to systems, with per-input accounting so nothing is silently lost.

pub mod event;
pub mod formats;

pub use event::{Event, Kind, Origin, Status, Sym, Symbols};

use std::path::PathBuf;

/// What was read from one input file, for the report's `inputs` and for reproducibility.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputSummary {
    /// As shown to the user (relative to the declarations folder when under it).
    pub path: String,
    #[serde(skip)]
    pub full_path: PathBuf,
    pub format: String,
    pub sha256: String,
    pub bytes: u64,
    /// Records read, used as events, and skipped (`--lenient`, duplicates or unknown systems).
    pub records: Option<u64>,
    pub used: Option<u64>,
    pub skipped: Option<u64>,
}

/// A problem found while reading evidence that is a finding rather than an input error.
#[derive(Debug, Clone)]
pub enum EvidenceNote {
    /// `--lenient`: a malformed record skipped, with its location and the reason.
    InvalidRecord {
        input: u32,
        location: String,
        message: String,
    },
    /// Records naming a system the declarations do not have.
    UnknownSystem { system: String, records: u64 },
    /// Exact duplicates counted once.
    Duplicate {
        system: String,
        first: Origin,
        duplicate: Origin,
    },
    /// An event naming a policy that the system does not declare.
    UnknownPolicy {
        system: String,
        policy: String,
        records: u64,
    },
    /// A glob that matched no file.
    GlobEmpty { pattern: String },
}

/// Everything the evidence stage hands to the engine.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    pub symbols: Symbols,
    /// Sorted by (system, kind, finished_at, started_at); duplicates removed.
    pub events: Vec<Event>,
    pub inputs: Vec<InputSummary>,
    pub notes: Vec<EvidenceNote>,
}

impl Evidence {
    /// The events of one system, in the sorted order above.
    pub fn events_of(&self, system: &str) -> &[Event] {
        let Some(sym) = self.symbols.get(system) else {
            return &[];
        };
        let start = self.events.partition_point(|e| e.system < sym);
        let end = self.events.partition_point(|e| e.system <= sym);
        &self.events[start..end]
    }

    /// Human location of an event: `logs/jobs.csv:42`.
    pub fn describe(&self, origin: Origin) -> String {
        match self.inputs.get(origin.input as usize) {
            Some(input) => format!("{}:{}", input.path, origin.record),
            None => format!("input {}:{}", origin.input, origin.record),
        }
    }
}

/// Format names accepted in `evidence[].format`.
pub const FORMAT_NAMES: &[&str] = &[
    "drproof-csv",
    "drproof-jsonl",
    "restic",
    "borg",
    "pgbackrest",
    "velero",
    "aws-backup",
];

/// Rules about a source's attribution settings that the declarations loader enforces
/// (`system` and `systems_by` are mutually exclusive).
pub fn check_source_rules(source: &crate::declarations::EvidenceSource) -> Option<String> {
    if source.system.is_some() && !source.systems_by.is_empty() {
        return Some("both `system` and `systems_by` are set; expected at most one of them".into());
    }
    None
}

/// PLACEHOLDER until the evidence branch lands.
pub fn jsonl_schema_text() -> String {
    String::new()
}
