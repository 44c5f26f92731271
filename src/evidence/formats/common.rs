//! What every backup-tool reader shares: the [`ReadContext`] it reads into, the exact
//! [`RecordError`], attribution of records to systems, and time parsing.
//!
//! Tool listings (restic, Borg, pgBackRest, Velero, AWS Backup) are small JSON documents, so a
//! reader parses the whole document into a [`serde_json::Value`] and walks it with [`Rec`]
//! accessors that know each record's JSON path. That costs nothing that matters at these sizes
//! and buys what derived `Deserialize` structs cannot give: every error names the file, the
//! exact JSON path (`items[3].status.phase`), the value found and what was expected.

use crate::declarations::{EvidenceSource, Pos};
use crate::evidence::{Event, Kind, Origin, Status, Symbols};
use crate::time::{Timestamp, NANOS_PER_SEC};
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// Where a record (or a field of it) sits in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON path from the document root: `items[3]`, `[0].backup[2]`; empty for the root.
    Json(String),
    /// A 1-based line of a JSON Lines stream.
    Line(u64),
    /// A position in the document where it is not valid JSON.
    Syntax { line: usize, column: usize },
    /// The evidence source's declaration (an attribution rule that does not fit the format).
    Declaration(Pos),
}

/// A record that cannot be read: names the file, the place, what was found and expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RecordError {
    /// The input as shown to the user.
    pub file: String,
    pub location: Location,
    /// The field inside the record, as a dotted path (`status.phase`); empty for the record.
    pub field: String,
    pub found: String,
    pub expected: String,
}

impl RecordError {
    /// The place without the file: `items[3].status.phase`, `line 4, field backup_start`.
    pub fn place(&self) -> String {
        match &self.location {
            Location::Json(path) => join_path(path, &self.field),
            Location::Line(line) if self.field.is_empty() => format!("line {line}"),
            Location::Line(line) => format!("line {line}, field {}", self.field),
            Location::Syntax { line, column } => format!("line {line}, column {column}"),
            Location::Declaration(pos) if self.field.is_empty() => {
                format!("evidence source declared at line {}", pos.line)
            }
            Location::Declaration(pos) => {
                format!(
                    "evidence source declared at line {}, {}",
                    pos.line, self.field
                )
            }
        }
    }
    /// `found …, expected …`: the reason without the place, for lenient skip notes.
    pub fn reason(&self) -> String {
        format!("found {}, expected {}", self.found, self.expected)
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.place(), self.reason())
    }
}

fn join_path(record: &str, field: &str) -> String {
    match (record.is_empty(), field.is_empty()) {
        (true, true) => "(document)".to_owned(),
        (true, false) => field.to_owned(),
        (false, true) => record.to_owned(),
        (false, false) => format!("{record}.{field}"),
    }
}

/// Why a record produced no event. Every skip is counted and listed; nothing vanishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Malformed, skipped because of `--lenient` (otherwise it is a [`RecordError`]).
    Invalid,
    /// No `systems_by` rule matched and the source has no `system:`.
    NotAttributed,
    /// A job still running (Velero `InProgress`, AWS `RUNNING`, a restic run without summary).
    InProgress,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Invalid => "invalid",
            SkipReason::NotAttributed => "not attributed",
            SkipReason::InProgress => "in progress",
        }
    }
}

/// One record that produced no event, with its place and a message for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRecord {
    /// JSON path (`items[2]`) or `line 7`.
    pub location: String,
    pub reason: SkipReason,
    pub message: String,
}

/// Everything a reader needs from its caller, and where it puts what it read.
pub struct ReadContext<'a> {
    /// The source's declaration: `system`, `systems_by`, `timezone`, `policy`.
    pub source: &'a EvidenceSource,
    /// Index of this input in the loader's input list (goes into every [`Origin`]).
    pub input: u32,
    /// The input as shown to the user (in every error and note).
    pub path: &'a str,
    /// A location (repository, vault) given by the caller for formats whose output does not
    /// name one (restic listings); when set it also overrides what the output says.
    pub location: Option<&'a str>,
    pub symbols: &'a mut Symbols,
    pub events: &'a mut Vec<Event>,
    /// `--lenient`: malformed records become [`SkippedRecord`]s instead of errors.
    pub lenient: bool,
    /// Records that produced no event, in input order.
    pub skipped: Vec<SkippedRecord>,
    /// Records seen (used + skipped).
    pub records: u64,
}

impl<'a> ReadContext<'a> {
    pub fn new(
        source: &'a EvidenceSource,
        input: u32,
        path: &'a str,
        symbols: &'a mut Symbols,
        events: &'a mut Vec<Event>,
        lenient: bool,
    ) -> Self {
        Self {
            source,
            input,
            path,
            location: None,
            symbols,
            events,
            lenient,
            skipped: Vec::new(),
            records: 0,
        }
    }

    /// Events added by this reader so far.
    pub fn used(&self) -> u64 {
        self.records.saturating_sub(self.skipped.len() as u64)
    }

    /// A malformed record: an error, or with `--lenient` a skip note.
    pub(crate) fn invalid(&mut self, err: RecordError) -> Result<(), RecordError> {
        if !self.lenient {
            return Err(err);
        }
        self.skipped.push(SkippedRecord {
            location: err.place(),
            reason: SkipReason::Invalid,
            message: err.reason(),
        });
        Ok(())
    }

    pub(crate) fn skip(&mut self, location: String, reason: SkipReason, message: String) {
        self.skipped.push(SkippedRecord {
            location,
            reason,
            message,
        });
    }

    /// Rejects `systems_by` rules the format does not know, and a source that attributes
    /// nothing at all (neither `system:` nor `systems_by:`).
    pub(crate) fn check_rules(&self, format: &str, known: &[&str]) -> Result<(), RecordError> {
        let pos = self.source.pos;
        if self.source.system.is_none() && self.source.systems_by.is_empty() {
            return Err(RecordError {
                file: self.path.to_owned(),
                location: Location::Declaration(pos),
                field: String::new(),
                found: "neither `system:` nor `systems_by:`".to_owned(),
                expected: format!(
                    "`system:` or `systems_by:` ({}) to say which system the {format} records belong to",
                    known.join(", ")
                ),
            });
        }
        for rule in self.source.systems_by.keys() {
            let fits = known.iter().any(|k| match k.strip_suffix('*') {
                Some(prefix) => rule.starts_with(prefix) && rule.len() > prefix.len(),
                None => rule == k,
            });
            if !fits {
                return Err(RecordError {
                    file: self.path.to_owned(),
                    location: Location::Declaration(pos),
                    field: "systems_by".to_owned(),
                    found: format!("rule `{rule}`"),
                    expected: format!(
                        "one of the {format} rules: {}",
                        known.join(", ").replace('*', "KEY")
                    ),
                });
            }
        }
        Ok(())
    }

    /// The system a record belongs to. Every candidate value is matched against its rule's
    /// map; all matches must agree (else the record is ambiguous: an error, never a guess).
    /// No match falls back to the source's `system:`; `Ok(None)` means "not attributed".
    pub(crate) fn attribute(
        &self,
        rec: &Rec<'_>,
        candidates: &[Candidate<'_>],
    ) -> Result<Option<&'a str>, RecordError> {
        let mut found: Option<(&'a str, &Candidate<'_>)> = None;
        for cand in candidates {
            let Some(map) = self.source.systems_by.get(cand.rule) else {
                continue;
            };
            let hit = match cand.how {
                Match::Exact => map.get(cand.value).map(String::as_str),
                Match::LongestPrefix => longest(map, |key| cand.value.starts_with(key)),
                Match::PathOrParent => longest(map, |key| is_path_or_parent(key, cand.value)),
            };
            let Some(system) = hit else { continue };
            match found {
                Some((first, first_cand)) if first != system => {
                    return Err(rec.error(
                        cand.field,
                        format!(
                            "{} `{}` → {system}, while {} `{}` → {first}",
                            cand.rule, cand.value, first_cand.rule, first_cand.value
                        ),
                        "`systems_by` rules that send each record to one system",
                    ));
                }
                Some(_) => {}
                None => found = Some((system, cand)),
            }
        }
        Ok(found.map(|(s, _)| s).or(self.source.system.as_deref()))
    }

    /// Notes a record that no rule attributes, naming the values that were tried.
    pub(crate) fn not_attributed(
        &mut self,
        rec: &Rec<'_>,
        what: &str,
        candidates: &[Candidate<'_>],
    ) {
        let tried: Vec<String> = candidates
            .iter()
            .filter(|c| self.source.systems_by.contains_key(c.rule))
            .map(|c| format!("{} `{}`", c.rule, c.value))
            .collect();
        let message = if tried.is_empty() {
            format!("{what}: not attributed: no `systems_by` rule applies to it and the source has no `system:`")
        } else {
            format!(
                "{what}: not attributed: no `systems_by` entry for {}",
                tried.join(", ")
            )
        };
        self.skip(rec.location_string(), SkipReason::NotAttributed, message);
    }

    /// Checks the event's times against each other and adds it.
    pub(crate) fn push(&mut self, rec: &Rec<'_>, draft: Draft<'_>) -> Result<(), RecordError> {
        if draft.started.is_none() && draft.finished.is_none() {
            return self.invalid(rec.error(
                draft.finished_field,
                "no time at all".to_owned(),
                format!(
                    "a start ({}) or an end ({})",
                    draft.started_field, draft.finished_field
                ),
            ));
        }
        if let (Some(s), Some(f)) = (draft.started, draft.finished) {
            if f < s {
                return self.invalid(rec.error(
                    draft.finished_field,
                    format!("{f}, before the start {s} ({})", draft.started_field),
                    "an end at or after the start".to_owned(),
                ));
            }
        }
        if let (Some(p), Some(f)) = (draft.point_in_time, draft.finished) {
            if p > f {
                return self.invalid(rec.error(
                    draft.point_in_time_field,
                    format!("{p}, after the end {f} ({})", draft.finished_field),
                    "a point in time at or before the end".to_owned(),
                ));
            }
        }
        let system = self.symbols.intern(draft.system);
        let policy = self
            .source
            .policy
            .as_deref()
            .map(|p| self.symbols.intern(p));
        let location = self
            .location
            .or(draft.location)
            .map(|l| self.symbols.intern(l));
        self.events.push(
            Event::new(
                system,
                draft.kind,
                draft.status,
                Origin {
                    input: self.input,
                    record: rec.index,
                },
            )
            .with_started_at(draft.started)
            .with_finished_at(draft.finished)
            .with_point_in_time(draft.point_in_time)
            .with_policy(policy)
            .with_size_bytes(draft.size_bytes)
            .with_location(location),
        );
        Ok(())
    }
}

fn longest(
    map: &std::collections::BTreeMap<String, String>,
    fits: impl Fn(&str) -> bool,
) -> Option<&str> {
    map.iter()
        .filter(|(k, _)| fits(k))
        .max_by_key(|(k, _)| k.len())
        .map(|(_, v)| v.as_str())
}

/// `/srv/data` matches `/srv/data` and `/srv/data/x`, never `/srv/database`.
fn is_path_or_parent(key: &str, path: &str) -> bool {
    let key = key.trim_end_matches('/');
    if key.is_empty() {
        return path.starts_with('/');
    }
    path == key
        || path
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// How a candidate value is compared with the keys of its rule's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    Exact,
    /// The key is a prefix of the value; the longest such key wins (Borg archive names).
    LongestPrefix,
    /// The key is the value or a parent folder of it; the longest wins (restic paths).
    PathOrParent,
}

/// One value of a record that an attribution rule can match.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'v> {
    pub(crate) rule: &'v str,
    /// The record's field the value comes from (for messages).
    pub(crate) field: &'v str,
    pub(crate) value: &'v str,
    pub(crate) how: Match,
}

/// An event before interning, with the names of its time fields for messages.
pub(crate) struct Draft<'v> {
    pub(crate) system: &'v str,
    pub(crate) kind: Kind,
    pub(crate) status: Status,
    pub(crate) started: Option<Timestamp>,
    pub(crate) started_field: &'static str,
    pub(crate) finished: Option<Timestamp>,
    pub(crate) finished_field: &'static str,
    pub(crate) point_in_time: Option<Timestamp>,
    pub(crate) point_in_time_field: &'static str,
    pub(crate) size_bytes: Option<u64>,
    pub(crate) location: Option<&'v str>,
}

/// Reads a whole JSON document (tool listings are small), tolerating a UTF-8 BOM.
pub(crate) fn read_document(
    input: &mut dyn Read,
    path: &str,
    expected: &str,
) -> Result<Value, RecordError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|e| RecordError {
        file: path.to_owned(),
        location: Location::Json(String::new()),
        field: String::new(),
        found: format!("a read error ({e})"),
        expected: expected.to_owned(),
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice(body).map_err(|e| RecordError {
        file: path.to_owned(),
        location: Location::Syntax {
            line: e.line(),
            column: e.column(),
        },
        field: String::new(),
        found: format!("invalid JSON ({})", strip_position(&e.to_string())),
        expected: expected.to_owned(),
    })
}

fn strip_position(message: &str) -> &str {
    message.find(" at line ").map_or(message, |i| &message[..i])
}

/// Renders a JSON value for "found …" in messages, shortened when long.
pub(crate) fn show(value: Option<&Value>) -> String {
    match value {
        None => "nothing (field absent)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 80 {
                let cut: String = text.chars().take(77).collect();
                format!("{cut}...")
            } else {
                text
            }
        }
    }
}

/// One record of a document: its value, its JSON path, and its ordinal for [`Origin`].
pub(crate) struct Rec<'v> {
    pub(crate) value: &'v Value,
    pub(crate) file: &'v str,
    /// JSON path of the record (`items[3]`), or `None` for a line of a stream.
    pub(crate) path: String,
    pub(crate) line: Option<u64>,
    pub(crate) index: u32,
}

impl<'v> Rec<'v> {
    pub(crate) fn json(value: &'v Value, file: &'v str, path: String, index: u32) -> Self {
        Self {
            value,
            file,
            path,
            line: None,
            index,
        }
    }
    pub(crate) fn line(value: &'v Value, file: &'v str, line: u64) -> Self {
        let index = u32::try_from(line).unwrap_or(u32::MAX);
        Self {
            value,
            file,
            path: String::new(),
            line: Some(line),
            index,
        }
    }

    pub(crate) fn location(&self) -> Location {
        match self.line {
            Some(line) => Location::Line(line),
            None => Location::Json(self.path.clone()),
        }
    }
    pub(crate) fn location_string(&self) -> String {
        match self.line {
            Some(line) => format!("line {line}"),
            None if self.path.is_empty() => "(document)".to_owned(),
            None => self.path.clone(),
        }
    }

    pub(crate) fn error(
        &self,
        field: &str,
        found: String,
        expected: impl Into<String>,
    ) -> RecordError {
        RecordError {
            file: self.file.to_owned(),
            location: self.location(),
            field: field.to_owned(),
            found,
            expected: expected.into(),
        }
    }

    /// The value at a dotted path (`status.phase`); keys may contain `/` but not `.`.
    pub(crate) fn get(&self, field: &str) -> Option<&'v Value> {
        field.split('.').try_fold(self.value, |v, key| v.get(key))
    }

    /// Absent or `null` is `None`; anything but a string is an error.
    pub(crate) fn str_opt(&self, field: &str) -> Result<Option<&'v str>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(field, show(Some(other)), "a string")),
        }
    }
    pub(crate) fn str_req(&self, field: &str, expected: &str) -> Result<&'v str, RecordError> {
        match self.get(field) {
            Some(Value::String(s)) => Ok(s),
            other => Err(self.error(field, show(other), expected)),
        }
    }

    /// An array of strings; absent or `null` is empty.
    pub(crate) fn str_list(&self, field: &str) -> Result<Vec<&'v str>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().ok_or_else(|| {
                        self.error(&format!("{field}[{i}]"), show(Some(v)), "a string")
                    })
                })
                .collect(),
            Some(other) => Err(self.error(field, show(Some(other)), "an array of strings")),
        }
    }

    pub(crate) fn u64_opt(&self, field: &str) -> Result<Option<u64>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
            Some(other) => Err(self.error(
                field,
                show(Some(other)),
                "a whole number of bytes (0 or more)",
            )),
        }
    }

    pub(crate) fn bool_opt(&self, field: &str) -> Result<Option<bool>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.error(field, show(Some(other)), "true or false")),
        }
    }

    /// An ISO 8601 / RFC 3339 time string; naive times need the source's `timezone`.
    pub(crate) fn time_opt(
        &self,
        field: &str,
        tz: Option<Tz>,
        naive_hint: &str,
    ) -> Result<Option<Timestamp>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => parse_time(s, tz)
                .map(Some)
                .map_err(|problem| self.time_error(field, s, problem, naive_hint)),
            Some(other) => Err(self.error(
                field,
                show(Some(other)),
                "a time string such as \"2026-11-30T02:00:00Z\"",
            )),
        }
    }

    fn time_error(
        &self,
        field: &str,
        text: &str,
        problem: TimeProblem,
        naive_hint: &str,
    ) -> RecordError {
        let found = show(Some(&Value::String(text.to_owned())));
        match problem {
            TimeProblem::NoOffset => self.error(
                field,
                format!("{found}, a time without a UTC offset{naive_hint}"),
                "a `timezone:` on this evidence source (e.g. `timezone: Europe/Berlin`) to read it in",
            ),
            TimeProblem::NotInZone(tz) => {
                self.error(field, format!("{found}, a local time that does not exist in {tz}"), "a valid local time")
            }
            TimeProblem::Syntax => self.error(field, found, "a time such as \"2026-11-30T02:00:00Z\" (RFC 3339)"),
        }
    }

    /// Epoch seconds as an integer (pgBackRest).
    pub(crate) fn epoch_secs_opt(&self, field: &str) -> Result<Option<Timestamp>, RecordError> {
        match self.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n))
                if n.as_i64().is_some_and(|s| s.unsigned_abs() < 9_000_000_000) =>
            {
                Ok(n.as_i64().map(Timestamp::from_unix_seconds))
            }
            Some(other) => Err(self.error(
                field,
                show(Some(other)),
                "whole Unix seconds such as 1795997905",
            )),
        }
    }

    /// AWS CLI times: epoch seconds (v1, floats) or ISO 8601 strings with an offset (v2).
    pub(crate) fn epoch_or_iso_opt(
        &self,
        field: &str,
        tz: Option<Tz>,
    ) -> Result<Option<Timestamp>, RecordError> {
        match self.get(field) {
            Some(Value::Number(n)) => match n.as_f64().and_then(epoch_float) {
                Some(ts) => Ok(Some(ts)),
                None => Err(self.error(
                    field,
                    show(self.get(field)),
                    "Unix seconds such as 1795996800.412",
                )),
            },
            _ => self.time_opt(field, tz, ""),
        }
    }
}

/// Why a time string was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeProblem {
    Syntax,
    NoOffset,
    NotInZone(Tz),
}

/// RFC 3339 (any fraction, `Z` or an offset, `T` or a space); a time without an offset is read
/// in `tz` when given (DST fold: the earlier instant; a time in a DST gap is an error).
pub(crate) fn parse_time(text: &str, tz: Option<Tz>) -> Result<Timestamp, TimeProblem> {
    if let Some(ts) = Timestamp::parse_rfc3339(text) {
        return Ok(ts);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%:z") {
        return Timestamp::from_datetime(&dt).ok_or(TimeProblem::Syntax);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .map_err(|_| TimeProblem::Syntax)?;
    let tz = tz.ok_or(TimeProblem::NoOffset)?;
    let local = tz
        .from_local_datetime(&naive)
        .earliest()
        .ok_or(TimeProblem::NotInZone(tz))?;
    Timestamp::from_datetime(&local).ok_or(TimeProblem::Syntax)
}

/// Epoch seconds as a float, rounded to the microsecond: an f64 near 1.8e9 carries about
/// 0.24 µs, and the tools that print floats (AWS CLI v1, Borg's log) have microseconds at most.
pub(crate) fn epoch_float(secs: f64) -> Option<Timestamp> {
    if !secs.is_finite() || secs.abs() > 9.0e9 {
        return None;
    }
    let micros = (secs * 1e6).round() as i64;
    Some(Timestamp::from_nanos(
        micros.checked_mul(NANOS_PER_SEC / 1_000_000)?,
    ))
}

/// JSON-path segment for an object key: `.key`, or `["key"]` when it is not a plain name.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.is_empty()
    {
        if parent.is_empty() {
            key.to_owned()
        } else {
            format!("{parent}.{key}")
        }
    } else {
        format!("{parent}[{}]", Value::String(key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_with_offsets_and_naive_times_in_a_zone() {
        assert_eq!(
            parse_time("2026-11-29T19:17:55.764404917-05:00", None)
                .unwrap()
                .to_string(),
            "2026-11-30T00:17:55.764404917Z"
        );
        assert_eq!(
            parse_time("2026-11-29T19:18:09.000000", None),
            Err(TimeProblem::NoOffset)
        );
        let ny: Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            parse_time("2026-11-29T19:18:09.000000", Some(ny))
                .unwrap()
                .to_string(),
            "2026-11-30T00:18:09Z"
        );
        // Borg 2 style offset with microseconds.
        assert_eq!(
            parse_time("2026-11-29T19:18:09.000000+01:00", None)
                .unwrap()
                .to_string(),
            "2026-11-29T18:18:09Z"
        );
        // The DST gap in New York on 2026-03-08 02:30 does not exist.
        assert_eq!(
            parse_time("2026-03-08T02:30:00", Some(ny)),
            Err(TimeProblem::NotInZone(ny))
        );
        // The fold on 2026-11-01 01:30 is read as the earlier (EDT) instant.
        assert_eq!(
            parse_time("2026-11-01T01:30:00", Some(ny))
                .unwrap()
                .to_string(),
            "2026-11-01T05:30:00Z"
        );
        assert_eq!(parse_time("yesterday", Some(ny)), Err(TimeProblem::Syntax));
    }

    #[test]
    fn epoch_floats_round_to_the_microsecond() {
        assert_eq!(
            epoch_float(1795996800.412).unwrap().to_string(),
            "2026-11-30T00:00:00.412Z"
        );
        assert_eq!(
            epoch_float(1796011325.731).unwrap().to_string(),
            "2026-11-30T04:02:05.731Z"
        );
        assert_eq!(epoch_float(f64::NAN), None);
    }

    #[test]
    fn paths_match_themselves_and_children_only() {
        assert!(is_path_or_parent("/srv/data", "/srv/data"));
        assert!(is_path_or_parent("/srv/data/", "/srv/data/x"));
        assert!(!is_path_or_parent("/srv/data", "/srv/database"));
        assert!(is_path_or_parent("/", "/srv"));
    }

    #[test]
    fn error_text_names_file_path_found_and_expected() {
        let e = RecordError {
            file: "velero.json".into(),
            location: Location::Json("items[1]".into()),
            field: "status.phase".into(),
            found: "\"Done\"".into(),
            expected: "a phase".into(),
        };
        assert_eq!(
            e.to_string(),
            "velero.json: items[1].status.phase: found \"Done\", expected a phase"
        );
        let l = RecordError {
            location: Location::Line(4),
            field: "backup_start".into(),
            ..e
        };
        assert_eq!(
            l.to_string(),
            "velero.json: line 4, field backup_start: found \"Done\", expected a phase"
        );
    }

    #[test]
    fn key_paths_quote_odd_keys() {
        assert_eq!(key_path("", "items"), "items");
        assert_eq!(key_path("items[0]", "status"), "items[0].status");
        assert_eq!(
            key_path("labels", "velero.io/schedule-name"),
            "labels[\"velero.io/schedule-name\"]"
        );
    }
}

/// Helpers for the readers' unit tests: a source builder and a one-call reader run.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use std::collections::BTreeMap;

    pub(crate) struct SourceBuilder(pub(crate) EvidenceSource);

    pub(crate) fn source() -> SourceBuilder {
        SourceBuilder(EvidenceSource {
            path: "logs/x.json".into(),
            format: None,
            system: None,
            systems_by: BTreeMap::new(),
            timezone: None,
            policy: None,
            pos: Pos { line: 7, col: 5 },
        })
    }

    impl SourceBuilder {
        pub(crate) fn system(mut self, id: &str) -> Self {
            self.0.system = Some(id.into());
            self
        }
        pub(crate) fn rule(mut self, rule: &str, value: &str, system: &str) -> Self {
            self.0
                .systems_by
                .entry(rule.into())
                .or_default()
                .insert(value.into(), system.into());
            self
        }
        pub(crate) fn timezone(mut self, tz: &str) -> Self {
            self.0.timezone = Some(tz.parse().unwrap());
            self
        }
        pub(crate) fn policy(mut self, id: &str) -> Self {
            self.0.policy = Some(id.into());
            self
        }
    }

    #[derive(Debug)]
    pub(crate) struct Output {
        pub(crate) events: Vec<Event>,
        pub(crate) symbols: Symbols,
        pub(crate) skipped: Vec<SkippedRecord>,
        pub(crate) records: u64,
    }

    impl Output {
        pub(crate) fn name(&self, sym: Option<crate::evidence::Sym>) -> Option<&str> {
            sym.map(|s| self.symbols.name(s))
        }
    }

    type Reader = fn(&mut dyn Read, &mut ReadContext<'_>) -> Result<(), RecordError>;

    fn run_with(
        read: Reader,
        doc: &str,
        source: SourceBuilder,
        lenient: bool,
    ) -> Result<Output, RecordError> {
        let mut symbols = Symbols::default();
        let mut events = Vec::new();
        let mut ctx = ReadContext::new(
            &source.0,
            0,
            "input.json",
            &mut symbols,
            &mut events,
            lenient,
        );
        read(&mut doc.as_bytes(), &mut ctx)?;
        let used = ctx.used();
        let (skipped, records) = (std::mem::take(&mut ctx.skipped), ctx.records);
        assert_eq!(used as usize, events.len(), "records = used + skipped");
        Ok(Output {
            events,
            symbols,
            skipped,
            records,
        })
    }

    pub(crate) fn run(
        read: Reader,
        doc: &str,
        source: SourceBuilder,
    ) -> Result<Output, RecordError> {
        run_with(read, doc, source, false)
    }
    pub(crate) fn run_lenient(
        read: Reader,
        doc: &str,
        source: SourceBuilder,
    ) -> Result<Output, RecordError> {
        run_with(read, doc, source, true)
    }
}
