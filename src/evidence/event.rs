//! The one event model every evidence source is read into.
//!
//! An event is a backup job or a restore test of one system. Strings that repeat on every
//! record (system, policy, location) are interned into [`Sym`]s so that an event is a small
//! fixed-size value: ingestion of millions of records allocates nothing per record.

use crate::time::Timestamp;

/// Index into a [`Symbols`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(pub u32);

/// Interned strings (system ids, policy ids, locations), in first-seen order.
#[derive(Debug, Default, Clone)]
pub struct Symbols {
    names: Vec<Box<str>>,
    index: std::collections::HashMap<Box<str>, u32>,
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(&i) = self.index.get(name) {
            return Sym(i);
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        Sym(i)
    }
    pub fn get(&self, name: &str) -> Option<Sym> {
        self.index.get(name).map(|&i| Sym(i))
    }
    pub fn name(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Backup,
    RestoreTest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Success,
    Failed,
    Partial,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Backup => "backup",
            Kind::RestoreTest => "restore_test",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "backup" => Some(Kind::Backup),
            "restore_test" => Some(Kind::RestoreTest),
            _ => None,
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failed => "failed",
            Status::Partial => "partial",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(Status::Success),
            "failed" => Some(Status::Failed),
            "partial" => Some(Status::Partial),
            _ => None,
        }
    }
}

/// Where an event came from: the input (index into [`Evidence::inputs`]) and the 1-based line
/// of a line-oriented file, or the 0-based record index of a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub input: u32,
    pub record: u32,
}

/// One backup job or restore test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub system: Sym,
    pub kind: Kind,
    pub status: Status,
    /// Absent only for tool listings that do not record it; at least one of `started_at` and
    /// `finished_at` is always present.
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    /// The instant the data reflects, when the source says (snapshot time, pgBackRest stop).
    pub point_in_time: Option<Timestamp>,
    pub policy: Option<Sym>,
    pub size_bytes: Option<u64>,
    pub location: Option<Sym>,
    pub origin: Origin,
}

impl Event {
    /// The instant the data reflects (p in the contract): `point_in_time`, else `started_at`,
    /// else `finished_at`.
    pub fn recovery_point(&self) -> Timestamp {
        self.point_in_time
            .or(self.started_at)
            .or(self.finished_at)
            .unwrap_or(Timestamp::MIN)
    }
    /// When the recovery point became usable (a in the contract): `finished_at`, else p.
    pub fn available_at(&self) -> Timestamp {
        self.finished_at.unwrap_or_else(|| self.recovery_point())
    }
}
