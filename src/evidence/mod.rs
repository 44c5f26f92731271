//! Evidence: backup-job and restore-test records from every supported source, read into one
//! [`Event`] model, attributed to systems, with per-input accounting so nothing is silently lost.
//!
//! [`load`] resolves the sources ([`sources`]), reads each file once (hashing it in the same
//! pass), then sorts all events once, removes exact duplicates and sets aside events of systems
//! that are not declared, counting everything per input.

mod blocks;
pub mod event;
pub mod formats;
mod schema;
mod sources;
mod timetext;

pub use event::{Event, Kind, Origin, Status, Sym, Symbols};
pub use formats::Format;
pub use schema::jsonl_schema;

use crate::declarations::{Declarations, EvidenceSource};
use crate::time::Timestamp;
use rayon::slice::ParallelSliceMut;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
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
#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceNote {
    /// `--lenient`: a malformed record skipped, with its location (`logs/jobs.csv:42`) and the
    /// reason.
    InvalidRecord {
        input: u32,
        location: String,
        message: String,
    },
    /// Records naming a system the declarations do not have (excluded from the events).
    UnknownSystem { system: String, records: u64 },
    /// Exact duplicates of one system, counted once: how many records were dropped, and the
    /// first dropped one with the record it repeats.
    Duplicate {
        system: String,
        records: u64,
        first: Origin,
        duplicate: Origin,
    },
    /// Events naming a policy that the system does not declare (the events are kept).
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
        let start = self.events.partition_point(|e| e.system() < sym);
        let end = self.events.partition_point(|e| e.system() <= sym);
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

/// Why evidence could not be loaded. Both are the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// Bad input; the message names the file, line and field, what was found and expected.
    #[error("{0}")]
    Input(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// How to load evidence.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--lenient`: a malformed record becomes an [`EvidenceNote::InvalidRecord`] instead of an
    /// input error.
    pub lenient: bool,
    /// Parsing threads per file; 0 = one per core.
    pub threads: usize,
}

/// One record as a tool format reads it, before interning and checking.
#[derive(Debug, Clone, Copy)]
pub struct RawEvent<'r> {
    pub system: &'r str,
    pub kind: Kind,
    pub status: Status,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub point_in_time: Option<Timestamp>,
    pub policy: Option<&'r str>,
    pub size_bytes: Option<u64>,
    pub location: Option<&'r str>,
    /// Kept as the event's [`Origin::record`]: the 1-based line, or the record's index in a
    /// JSON document.
    pub record: u32,
}

/// The sink a format reader writes one input file into (see [`formats`] for the contract).
pub struct InputContext<'a> {
    /// The file as shown in messages (relative to the declarations folder when under it).
    pub path: &'a str,
    /// The declared entry's settings (`system`, `systems_by`, `timezone`, `policy`); all empty
    /// for `--logs` paths.
    pub source: &'a EvidenceSource,
    input: u32,
    lenient: bool,
    symbols: &'a mut Symbols,
    events: &'a mut Vec<Event>,
    notes: &'a mut Vec<EvidenceNote>,
    records: u64,
    /// The file's size, for sizing the event list up front.
    pub(crate) size_hint: u64,
}

impl<'a> InputContext<'a> {
    /// Adds one record as an event, after checking that it names a system, has a start or an
    /// end, ends no earlier than it starts and has no point in time after its end. A record
    /// failing these is an invalid record (an error, or a note with `--lenient`).
    pub fn push_event(
        &mut self,
        location: &str,
        event: &RawEvent<'_>,
    ) -> Result<(), EvidenceError> {
        if event.system.is_empty() {
            return self.invalid_record(location, "no system: expected a system id for the record");
        }
        if event.started_at.is_none() && event.finished_at.is_none() {
            return self.invalid_record(location, "expected a start or an end time, found neither");
        }
        if let Err(message) =
            formats::native::check_order(event.started_at, event.finished_at, event.point_in_time)
        {
            return self.invalid_record(location, message);
        }
        self.records += 1;
        let system = self.symbols.intern(event.system);
        let policy = event.policy.map(|p| self.symbols.intern(p));
        let place = event.location.map(|l| self.symbols.intern(l));
        let origin = Origin {
            input: self.input,
            record: event.record,
        };
        self.events.push(
            Event::new(system, event.kind, event.status, origin)
                .with_started_at(event.started_at)
                .with_finished_at(event.finished_at)
                .with_point_in_time(event.point_in_time)
                .with_policy(policy)
                .with_size_bytes(event.size_bytes)
                .with_location(place),
        );
        Ok(())
    }

    /// A record that cannot be used: counted as read and skipped. Returns the input error
    /// (`path:location: message`) unless `--lenient`, where it becomes a note.
    pub fn invalid_record(
        &mut self,
        location: &str,
        message: impl std::fmt::Display,
    ) -> Result<(), EvidenceError> {
        self.records += 1;
        self.report_invalid(location, &message.to_string())
    }

    /// A record deliberately not used (an in-progress job): counted as read and skipped.
    pub fn ignore_record(&mut self) {
        self.records += 1;
    }

    /// An input error about this file: `path:location: message`.
    pub fn error(&self, location: &str, message: impl std::fmt::Display) -> EvidenceError {
        EvidenceError::Input(format!("{}:{location}: {message}", self.path))
    }

    /// RFC 3339 with an offset, or a local time in the source's declared `timezone`. The error
    /// reads `expected …, found "…"`.
    pub fn parse_time(&self, text: &str) -> Result<Timestamp, String> {
        match timetext::parse_time(text.as_bytes(), self.source.timezone.as_ref()) {
            Ok(t) => Ok(t),
            Err(timetext::TimeError::Invalid) => Err(format!(
                "expected {}, found {}",
                timetext::expected_time(self.source.timezone.as_ref()),
                formats::native::quote(text.as_bytes())
            )),
            Err(timetext::TimeError::OutOfRange) => Err(format!(
                "expected {}, found {}",
                timetext::TIME_RANGE,
                formats::native::quote(text.as_bytes())
            )),
            Err(timetext::TimeError::Gap) => Err(format!(
                "the local time {} does not exist in {} (the clocks skip it)",
                formats::native::quote(text.as_bytes()),
                self.source.timezone.map_or("UTC", |tz| tz.name())
            )),
        }
    }

    /// The system that the source's `systems_by: { rule: { value: system } }` assigns.
    pub fn system_by(&self, rule: &str, value: &str) -> Option<&'a str> {
        self.source
            .systems_by
            .get(rule)?
            .get(value)
            .map(String::as_str)
    }

    pub fn lenient(&self) -> bool {
        self.lenient
    }

    pub(crate) fn input(&self) -> u32 {
        self.input
    }
    pub(crate) fn symbols_mut(&mut self) -> &mut Symbols {
        self.symbols
    }
    pub(crate) fn intern(&mut self, name: &str) -> Sym {
        self.symbols.intern(name)
    }
    pub(crate) fn events_mut(&mut self) -> &mut Vec<Event> {
        self.events
    }
    pub(crate) fn add_records(&mut self, n: u64) {
        self.records += n;
    }
    pub(crate) fn report_invalid(
        &mut self,
        location: &str,
        message: &str,
    ) -> Result<(), EvidenceError> {
        if self.lenient {
            self.notes.push(EvidenceNote::InvalidRecord {
                input: self.input,
                location: format!("{}:{location}", self.path),
                message: message.to_owned(),
            });
            Ok(())
        } else {
            Err(self.error(location, message))
        }
    }
}

/// Summary of a file that is an input of the report without being evidence (the declarations
/// file, runbooks): its hash and size, so the report says exactly what it was computed from.
pub fn describe_file(
    full_path: &std::path::Path,
    shown: &str,
    format: &str,
) -> Result<InputSummary, EvidenceError> {
    let io_error = |e| EvidenceError::Io {
        path: shown.to_owned(),
        source: e,
    };
    let file = std::fs::File::open(full_path).map_err(io_error)?;
    let hashing = HashingReader {
        inner: file,
        hasher: sha2::Digest::new(),
        bytes: 0,
    };
    let (sha256, bytes) = hashing.finish().map_err(io_error)?;
    Ok(InputSummary {
        path: shown.to_owned(),
        full_path: full_path.to_path_buf(),
        format: format.to_owned(),
        sha256,
        bytes,
        records: None,
        used: None,
        skipped: None,
    })
}

/// Reads every declared source and `extra_paths` (`--logs`), and assembles the evidence:
/// sorted, exact duplicates removed, undeclared systems set aside, everything counted.
pub fn load(
    decl: &Declarations,
    extra_paths: &[PathBuf],
    options: &LoadOptions,
) -> Result<Evidence, EvidenceError> {
    let (inputs, mut notes) = sources::resolve(decl, extra_paths)?;
    let mut symbols = Symbols::default();
    // Declared systems first, in declaration order: their symbols are 0..n.
    for system in &decl.systems {
        symbols.intern(&system.id);
    }
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let mut events = Vec::new();
    let mut summaries = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        let index = u32::try_from(index)
            .map_err(|_| EvidenceError::Input("more than 2^32 evidence files".into()))?;
        let mut ctx = InputContext {
            path: &input.display,
            source: &input.source,
            input: index,
            lenient: options.lenient,
            symbols: &mut symbols,
            events: &mut events,
            notes: &mut notes,
            records: 0,
            size_hint: std::fs::metadata(&input.path).map_or(0, |m| m.len()),
        };
        let (sha256, bytes) = read_input(&mut ctx, input, threads)?;
        let records = ctx.records;
        summaries.push(InputSummary {
            path: input.display.clone(),
            full_path: input.path.clone(),
            format: input.format.name().to_owned(),
            sha256,
            bytes,
            records: Some(records),
            used: None,
            skipped: None,
        });
    }
    let mut evidence = Evidence {
        symbols,
        events,
        inputs: summaries,
        notes,
    };
    assemble(&mut evidence, decl)?;
    Ok(evidence)
}

fn read_input(
    ctx: &mut InputContext<'_>,
    input: &sources::ResolvedInput,
    threads: usize,
) -> Result<(String, u64), EvidenceError> {
    let io_error = |e| EvidenceError::Io {
        path: input.display.clone(),
        source: e,
    };
    let file = std::fs::File::open(&input.path).map_err(io_error)?;
    match input.format {
        Format::DrproofCsv => formats::drproof_csv::read(ctx, file, threads),
        Format::DrproofJsonl => formats::drproof_jsonl::read(ctx, file, threads),
        tool => {
            let mut hashing = HashingReader {
                inner: file,
                hasher: sha2::Digest::new(),
                bytes: 0,
            };
            {
                let mut buffered = BufReader::with_capacity(1 << 16, &mut hashing);
                let head = buffered.fill_buf().map_err(io_error)?;
                if head.starts_with(b"\xEF\xBB\xBF") {
                    buffered.consume(3);
                }
                formats::read_tool(tool, ctx, &mut buffered)?;
            }
            hashing.finish().map_err(io_error)
        }
    }
}

/// Hashes and counts every byte read through it.
struct HashingReader<R> {
    inner: R,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: Read> HashingReader<R> {
    /// Reads what the format left unread, so the digest covers the whole file.
    fn finish(mut self) -> std::io::Result<(String, u64)> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok((
            blocks::hex(&sha2::Digest::finalize(self.hasher)),
            self.bytes,
        ))
    }
}

/// Sorts once, then in single passes: sets aside undeclared systems, removes exact duplicates,
/// notes undeclared policies and fills in each input's used / skipped counts.
fn assemble(evidence: &mut Evidence, decl: &Declarations) -> Result<(), EvidenceError> {
    let symbols = &evidence.symbols;
    let mut declared = vec![false; symbols.len()];
    for system in &decl.systems {
        if let Some(sym) = symbols.get(&system.id) {
            declared[sym.0 as usize] = true;
        }
    }
    let mut unknown: BTreeMap<&str, u64> = BTreeMap::new();
    evidence.events.retain(|e| {
        let keep = declared[e.system().0 as usize];
        if !keep {
            *unknown.entry(symbols.name(e.system())).or_default() += 1;
        }
        keep
    });
    let unknown: Vec<EvidenceNote> = unknown
        .into_iter()
        .map(|(system, records)| EvidenceNote::UnknownSystem {
            system: system.to_owned(),
            records,
        })
        .collect();
    evidence.notes.extend(unknown);

    evidence.events.par_sort_unstable_by(|a, b| {
        a.primary_key()
            .cmp(&b.primary_key())
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    // Policies each system declares, as symbols (a policy no event names has none), indexed
    // by system symbol: only declared systems are left, and theirs are the first symbols.
    let mut declared_policies: Vec<Vec<Sym>> = Vec::new();
    for system in &decl.systems {
        let Some(sym) = evidence.symbols.get(&system.id) else {
            continue;
        };
        let at = sym.0 as usize;
        if at >= declared_policies.len() {
            declared_policies.resize(at + 1, Vec::new());
        }
        declared_policies[at] = system
            .backups
            .iter()
            .filter_map(|b| evidence.symbols.get(&b.id))
            .collect();
    }
    let policy_known = |system: Sym, policy: Sym| {
        declared_policies
            .get(system.0 as usize)
            .is_some_and(|p| p.contains(&policy))
    };

    // Exact duplicates are adjacent now: keep the first of each run, and count what is kept
    // (per input, and under policies its system does not declare) in the same pass.
    let events = &mut evidence.events;
    let mut duplicates: BTreeMap<Sym, (u64, Origin, Origin)> = BTreeMap::new();
    let mut unknown_policies: BTreeMap<(Sym, Sym), u64> = BTreeMap::new();
    let mut used = vec![0u64; evidence.inputs.len()];
    // The last (system, policy) pair looked up and whether it is declared: runs of one
    // system's events mostly name one policy.
    let mut last_policy: Option<(Sym, Sym, bool)> = None;
    let mut write = 0usize;
    for read in 0..events.len() {
        let event = events[read];
        if write > 0 && events[write - 1].same_job(&event) {
            let kept = events[write - 1];
            if kept.status() != event.status() {
                return Err(conflict(evidence, &kept, &event));
            }
            duplicates
                .entry(event.system())
                .and_modify(|d| d.0 += 1)
                .or_insert((1, kept.origin(), event.origin()));
            continue;
        }
        used[event.origin().input as usize] += 1;
        if let Some(policy) = event.policy() {
            let system = event.system();
            let known = match last_policy {
                Some((s, p, known)) if s == system && p == policy => known,
                _ => {
                    let known = policy_known(system, policy);
                    last_policy = Some((system, policy, known));
                    known
                }
            };
            if !known {
                *unknown_policies.entry((system, policy)).or_default() += 1;
            }
        }
        events[write] = event;
        write += 1;
    }
    events.truncate(write);
    for (system, (records, first, duplicate)) in duplicates {
        let system = evidence.symbols.name(system).to_owned();
        evidence.notes.push(EvidenceNote::Duplicate {
            system,
            records,
            first,
            duplicate,
        });
    }
    // Named in name order, as before (symbols are in first-seen order).
    let mut named: Vec<((&str, &str), u64)> = unknown_policies
        .into_iter()
        .map(|((system, policy), records)| {
            (
                (evidence.symbols.name(system), evidence.symbols.name(policy)),
                records,
            )
        })
        .collect();
    named.sort_unstable();
    let unknown_policies = named;
    let notes: Vec<EvidenceNote> = unknown_policies
        .into_iter()
        .map(|((system, policy), records)| EvidenceNote::UnknownPolicy {
            system: system.to_owned(),
            policy: policy.to_owned(),
            records,
        })
        .collect();
    evidence.notes.extend(notes);
    for (input, used) in evidence.inputs.iter_mut().zip(used) {
        input.used = Some(used);
        input.skipped = input.records.map(|r| r.saturating_sub(used));
    }
    Ok(())
}

fn conflict(evidence: &Evidence, a: &Event, b: &Event) -> EvidenceError {
    let name = |s: Sym| evidence.symbols.name(s);
    let time = |t: Option<Timestamp>| t.map_or_else(|| "-".to_owned(), |t| t.to_string());
    let policy = a
        .policy()
        .map_or_else(String::new, |p| format!(" of policy {}", name(p)));
    EvidenceError::Input(format!(
        "{} and {} record the same {} of {}{policy} (started {}, finished {}) with different statuses: {} and {}",
        evidence.describe(a.origin()),
        evidence.describe(b.origin()),
        a.kind().as_str(),
        name(a.system()),
        time(a.started_at()),
        time(a.finished_at()),
        a.status().as_str(),
        b.status().as_str()
    ))
}

#[cfg(test)]
mod tests;
