//! What drproof's CSV and JSON Lines readers share: the field list, turning one record's text
//! fields into an [`Event`], chunk-local interning and the merge of parsed chunks into the
//! evidence.

use crate::declarations::EvidenceSource;
use crate::evidence::timetext::{expected_time, parse_time_with, DayCache, TimeError};
use crate::evidence::{Event, EvidenceError, InputContext, Kind, Origin, Status, Sym};
use crate::time::Timestamp;
use chrono_tz::Tz;
use std::collections::HashMap;

/// The fields of drproof's own format, in a fixed order used to index per-record arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    System,
    Kind,
    Status,
    StartedAt,
    FinishedAt,
    PointInTime,
    Policy,
    SizeBytes,
    Location,
}

pub(crate) const FIELD_COUNT: usize = 9;

impl Field {
    pub(crate) const ALL: [Field; FIELD_COUNT] = [
        Field::System,
        Field::Kind,
        Field::Status,
        Field::StartedAt,
        Field::FinishedAt,
        Field::PointInTime,
        Field::Policy,
        Field::SizeBytes,
        Field::Location,
    ];
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::System => "system",
            Field::Kind => "kind",
            Field::Status => "status",
            Field::StartedAt => "started_at",
            Field::FinishedAt => "finished_at",
            Field::PointInTime => "point_in_time",
            Field::Policy => "policy",
            Field::SizeBytes => "size_bytes",
            Field::Location => "location",
        }
    }
    pub(crate) fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
    pub(crate) fn required(self) -> bool {
        matches!(
            self,
            Field::System | Field::Kind | Field::Status | Field::StartedAt | Field::FinishedAt
        )
    }
}

/// A record the reader could not use: its line relative to the chunk and what is wrong
/// (without the `path:line: ` prefix, which the merge adds).
#[derive(Debug)]
pub(crate) struct Issue {
    pub(crate) line: u32,
    pub(crate) message: String,
}

/// What a worker makes of one block. Symbols in `events` index `names`; lines are relative.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub(crate) events: Vec<Event>,
    pub(crate) names: Vec<Box<str>>,
    pub(crate) newlines: u32,
    pub(crate) records: u64,
    pub(crate) issues: Vec<Issue>,
    /// Bytes of input the chunk covered, to estimate the file's event count.
    pub(crate) bytes: usize,
}

/// Interning local to one chunk, so workers never share a lock; the merge maps these ids to
/// the global [`crate::evidence::Symbols`]. Allocates once per distinct name per chunk.
#[derive(Default)]
pub(crate) struct LocalSymbols {
    names: Vec<Box<str>>,
    map: HashMap<Box<[u8]>, u32, foldhash::fast::FixedState>,
    /// Names up to 16 bytes seen recently, by a hash of their bytes: a hit costs two word
    /// comparisons instead of a hash-map lookup, and almost every name of a record is a hit.
    recent: Option<Box<[Recent; RECENT_SLOTS]>>,
}

const RECENT_SLOTS: usize = 256;

/// A short name as its length and two (overlapping) 8-byte words, which together hold every
/// byte of a name of at most 16 bytes: equal words and length mean equal names.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct ShortName {
    len: usize,
    head: u64,
    tail: u64,
}

#[derive(Clone, Copy, Default)]
struct Recent {
    name: ShortName,
    /// The symbol plus one (0: empty slot).
    sym: u32,
}

impl ShortName {
    fn of(name: &[u8]) -> Option<Self> {
        let word = |bytes: &[u8]| {
            let mut w = [0u8; 8];
            w[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(w)
        };
        let len = name.len();
        let (head, tail) = match len {
            0..=8 => (word(name), 0),
            9..=16 => (word(&name[..8]), word(&name[len - 8..])),
            _ => return None,
        };
        Some(Self { len, head, tail })
    }
    fn slot(&self) -> usize {
        let mixed = (self.head.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ self.tail ^ self.len as u64)
            .wrapping_mul(0xD6E8_FEB8_6659_FD93);
        ((mixed ^ (mixed >> 32)) >> (32 - RECENT_SLOTS.trailing_zeros())) as usize % RECENT_SLOTS
    }
}

impl LocalSymbols {
    /// Interns raw bytes, checking that they are UTF-8 only the first time a name is seen.
    fn intern(&mut self, name: &[u8]) -> Result<Sym, ()> {
        let Some(short) = ShortName::of(name) else {
            return self.intern_in_map(name);
        };
        let slot = short.slot();
        let recent = self
            .recent
            .get_or_insert_with(|| Box::new([Recent::default(); RECENT_SLOTS]));
        let entry = recent[slot];
        if entry.sym != 0 && entry.name == short {
            return Ok(Sym(entry.sym - 1));
        }
        let sym = self.intern_in_map(name)?;
        if let Some(recent) = self.recent.as_mut() {
            recent[slot] = Recent {
                name: short,
                sym: sym.0 + 1,
            };
        }
        Ok(sym)
    }

    fn intern_in_map(&mut self, name: &[u8]) -> Result<Sym, ()> {
        if let Some(&i) = self.map.get(name) {
            return Ok(Sym(i));
        }
        let text = std::str::from_utf8(name).map_err(|_| ())?;
        let i = self.names.len() as u32;
        self.names.push(text.into());
        self.map.insert(name.into(), i);
        Ok(Sym(i))
    }
    pub(crate) fn into_names(self) -> Vec<Box<str>> {
        self.names
    }
}

/// What one worker keeps from record to record of a chunk.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(crate) symbols: LocalSymbols,
    days: DayCache,
}

/// Settings of the source that every record of it is read with.
pub(crate) struct Settings<'a> {
    pub(crate) tz: Option<Tz>,
    /// `system:` of the declared source: the value of records that do not name one.
    pub(crate) default_system: Option<&'a str>,
    /// `policy:` of the declared source: the value of records that do not name one.
    pub(crate) default_policy: Option<&'a str>,
    pub(crate) lenient: bool,
    /// `column` (CSV) or `key` (JSON Lines), for messages.
    pub(crate) field_word: &'static str,
    /// How an absent value is described: `an empty cell`, `no value`.
    pub(crate) absent: &'static str,
}

impl<'a> Settings<'a> {
    pub(crate) fn new(
        source: &'a EvidenceSource,
        lenient: bool,
        field_word: &'static str,
        absent: &'static str,
    ) -> Self {
        Self {
            tz: source.timezone,
            default_system: source.system.as_deref(),
            default_policy: source.policy.as_deref(),
            lenient,
            field_word,
            absent,
        }
    }

    /// Whether a field must be present in every record (the source can supply `system`).
    pub(crate) fn needs(&self, field: Field) -> bool {
        field.required() && !(field == Field::System && self.default_system.is_some())
    }

    fn problem(&self, field: Field, expected: &str, found: Option<&[u8]>) -> String {
        let found = match found {
            Some(text) => quote(text),
            None => self.absent.to_owned(),
        };
        format!(
            "{} {}: expected {expected}, found {found}",
            self.field_word,
            field.name()
        )
    }

    /// Interns a name field (system, policy, location), which must be UTF-8.
    fn name(&self, field: Field, value: &[u8], symbols: &mut LocalSymbols) -> Result<Sym, String> {
        symbols
            .intern(value)
            .map_err(|()| self.problem(field, "UTF-8 text", Some(value)))
    }

    fn time(
        &self,
        field: Field,
        value: Option<&[u8]>,
        days: &mut DayCache,
    ) -> Result<Option<Timestamp>, String> {
        let Some(v) = value else { return Ok(None) };
        match parse_time_with(v, self.tz.as_ref(), days) {
            Ok(t) => Ok(Some(t)),
            Err(TimeError::Invalid) => {
                Err(self.problem(field, &expected_time(self.tz.as_ref()), Some(v)))
            }
            Err(TimeError::OutOfRange) => {
                Err(self.problem(field, super::super::timetext::TIME_RANGE, Some(v)))
            }
            Err(TimeError::Gap) => Err(format!(
                "{} {}: the local time {} does not exist in {} (the clocks skip it)",
                self.field_word,
                field.name(),
                quote(v),
                self.tz.map_or("UTC", |tz| tz.name())
            )),
        }
    }

    fn required_time(
        &self,
        field: Field,
        value: Option<&[u8]>,
        days: &mut DayCache,
    ) -> Result<Timestamp, String> {
        self.time(field, value, days)?
            .ok_or_else(|| self.problem(field, &expected_time(self.tz.as_ref()), None))
    }

    /// Turns one record's fields (indexed by [`Field`]; `None` = absent or empty) into an
    /// event, or says what is wrong with it.
    pub(crate) fn build_event(
        &self,
        fields: &[Option<&[u8]>; FIELD_COUNT],
        scratch: &mut Scratch,
        line: u32,
    ) -> Result<Event, String> {
        let Scratch { symbols, days } = scratch;
        let get = |f: Field| fields[f as usize];
        let system = match get(Field::System).or(self.default_system.map(str::as_bytes)) {
            Some(s) => s,
            None => return Err(self.problem(Field::System, "a system id", None)),
        };
        let kind = match get(Field::Kind) {
            Some(b"backup") => Kind::Backup,
            Some(b"restore_test") => Kind::RestoreTest,
            other => return Err(self.problem(Field::Kind, "backup or restore_test", other)),
        };
        let status = match get(Field::Status) {
            Some(b"success") => Status::Success,
            Some(b"failed") => Status::Failed,
            Some(b"partial") => Status::Partial,
            other => return Err(self.problem(Field::Status, "success, failed or partial", other)),
        };
        let started = self.required_time(Field::StartedAt, get(Field::StartedAt), days)?;
        let finished = self.required_time(Field::FinishedAt, get(Field::FinishedAt), days)?;
        let point = self.time(Field::PointInTime, get(Field::PointInTime), days)?;
        let size = match get(Field::SizeBytes) {
            None => None,
            Some(v) => Some(parse_u64(v).ok_or_else(|| {
                self.problem(Field::SizeBytes, "a whole number of bytes", Some(v))
            })?),
        };
        check_order(Some(started), Some(finished), point)?;
        let system = self.name(Field::System, system, symbols)?;
        let policy = match get(Field::Policy).or(self.default_policy.map(str::as_bytes)) {
            Some(p) => Some(self.name(Field::Policy, p, symbols)?),
            None => None,
        };
        let location = match get(Field::Location) {
            Some(l) => Some(self.name(Field::Location, l, symbols)?),
            None => None,
        };
        let event = Event::new(
            system,
            kind,
            status,
            Origin {
                input: 0,
                record: line,
            },
        )
        .with_started_at(Some(started))
        .with_finished_at(Some(finished))
        .with_point_in_time(point)
        .with_policy(policy)
        .with_size_bytes(size)
        .with_location(location);
        Ok(event)
    }
}

/// The time-order rules every event obeys, whatever its format.
pub(crate) fn check_order(
    started: Option<Timestamp>,
    finished: Option<Timestamp>,
    point: Option<Timestamp>,
) -> Result<(), String> {
    if let (Some(s), Some(f)) = (started, finished) {
        if f < s {
            return Err(format!("finished_at ({f}) is before started_at ({s})"));
        }
    }
    if let (Some(p), Some(f)) = (point, finished) {
        if p > f {
            return Err(format!("point_in_time ({p}) is after finished_at ({f})"));
        }
    }
    Ok(())
}

fn parse_u64(v: &[u8]) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    let mut n = 0u64;
    for &c in v {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(n)
}

/// A found value for a message: quoted, escaped, at most 80 characters.
pub(crate) fn quote(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{:?}…", short)
    } else {
        format!("{short:?}")
    }
}

/// Merges parsed chunks, in file order, into the input's evidence: maps chunk symbols to the
/// global table, makes line numbers absolute, and turns issues into errors or (lenient) notes.
pub(crate) struct Merge<'c, 'a> {
    pub(crate) ctx: &'c mut InputContext<'a>,
    map: Vec<u32>,
    reserved: bool,
}

impl<'c, 'a> Merge<'c, 'a> {
    pub(crate) fn new(ctx: &'c mut InputContext<'a>) -> Self {
        Self {
            ctx,
            map: Vec::new(),
            reserved: false,
        }
    }

    pub(crate) fn chunk(&mut self, chunk: Chunk, first_line: u32) -> Result<(), EvidenceError> {
        let Chunk {
            events,
            names,
            records,
            issues,
            bytes,
            ..
        } = chunk;
        if !self.reserved && bytes > 0 {
            // Size the event list once from the first block's density: growing it by doubling
            // would briefly hold two copies (the peak-memory budget is per event).
            self.reserved = true;
            let estimate = self.ctx.size_hint as f64 * events.len() as f64 / bytes as f64 * 1.05;
            self.ctx
                .events_mut()
                .reserve(estimate as usize + events.len());
        }
        self.ctx.add_records(records);
        for issue in issues {
            let location = first_line.saturating_add(issue.line).to_string();
            self.ctx.report_invalid(&location, &issue.message)?;
        }
        self.map.clear();
        self.map.extend(names.iter().map(|n| self.ctx.intern(n).0));
        let input = self.ctx.input();
        self.ctx
            .events_mut()
            .extend(events.into_iter().map(|mut e| {
                e.remap_symbols(&self.map);
                let origin = e.origin_mut();
                origin.input = input;
                origin.record = first_line.saturating_add(origin.record);
                e
            }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The recent-name cache never changes what a name interns to: the same name always
        /// gets the same symbol, different names different ones, numbered in first-seen order.
        #[test]
        fn interning_agrees_with_a_plain_map(
            names in proptest::collection::vec(
                prop_oneof![
                    "[ab]{0,3}",
                    "system-[0-9]{2,3}",
                    "[a-z]{7,9}",
                    "[a-c]{15,18}",
                    Just("\u{e9}t\u{e9}".to_owned()),
                ],
                0..300,
            ),
        ) {
            let mut symbols = LocalSymbols::default();
            let mut model: Vec<String> = Vec::new();
            for name in &names {
                let sym = symbols.intern(name.as_bytes()).unwrap();
                let expected = match model.iter().position(|m| m == name) {
                    Some(i) => i,
                    None => {
                        model.push(name.clone());
                        model.len() - 1
                    }
                };
                prop_assert_eq!(sym.0 as usize, expected, "{}", name);
            }
            let interned: Vec<String> = symbols.into_names().iter().map(|n| n.to_string()).collect();
            prop_assert_eq!(interned, model);
        }
    }

    #[test]
    fn names_that_are_not_utf8_are_refused_every_time() {
        let mut symbols = LocalSymbols::default();
        assert!(symbols.intern(b"ok").is_ok());
        assert!(symbols.intern(b"bad\xff").is_err());
        assert!(symbols.intern(b"bad\xff").is_err());
        assert!(symbols.intern(&[b'x'; 20]).is_ok());
    }

    #[test]
    fn found_values_are_quoted_and_shortened() {
        assert_eq!(quote(b"2026-11-02 02:00"), "\"2026-11-02 02:00\"");
        assert_eq!(quote(b"a\"b"), "\"a\\\"b\"");
        assert_eq!(quote(&[b'x'; 100]), format!("\"{}\"…", "x".repeat(80)));
    }

    #[test]
    fn sizes_are_whole_numbers_that_fit() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"1.5"), None);
    }
}
