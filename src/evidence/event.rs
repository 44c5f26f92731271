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
        // u32::MAX is the "no symbol" marker of `Event`; 4 billion distinct names would need
        // far more records than any input holds.
        let i = u32::try_from(self.names.len())
            .ok()
            .filter(|&i| i != u32::MAX)
            .expect("fewer than 2^32 - 1 distinct names");
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
///
/// Stored compactly because ingestion keeps millions of them in memory: the optional fields
/// live behind presence bits instead of `Option`s, which makes an event 56 bytes instead of
/// about 100. Read it through the accessors; build it with [`Event::new`] and the `with_*`
/// methods. Absent values are normalised to zero, so derived equality is field equality.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Event {
    started_at: i64,
    finished_at: i64,
    point_in_time: i64,
    size_bytes: u64,
    system: Sym,
    policy: u32,
    location: u32,
    origin: Origin,
    flags: u8,
}

const NO_SYM: u32 = u32::MAX;
const KIND_RESTORE_TEST: u8 = 1;
const STATUS_SHIFT: u8 = 1;
const STATUS_MASK: u8 = 0b110;
const HAS_STARTED: u8 = 1 << 3;
const HAS_FINISHED: u8 = 1 << 4;
const HAS_POINT: u8 = 1 << 5;
const HAS_SIZE: u8 = 1 << 6;

fn status_bits(status: Status) -> u8 {
    match status {
        Status::Success => 0,
        Status::Failed => 1,
        Status::Partial => 2,
    }
}

impl Event {
    /// An event without times or optional fields; add them with the `with_*` methods.
    pub fn new(system: Sym, kind: Kind, status: Status, origin: Origin) -> Self {
        let kind_bit = match kind {
            Kind::Backup => 0,
            Kind::RestoreTest => KIND_RESTORE_TEST,
        };
        let status_bits = status_bits(status) << STATUS_SHIFT;
        Self {
            started_at: 0,
            finished_at: 0,
            point_in_time: 0,
            size_bytes: 0,
            system,
            policy: NO_SYM,
            location: NO_SYM,
            origin,
            flags: kind_bit | status_bits,
        }
    }

    fn with_time(
        mut self,
        bit: u8,
        value: Option<Timestamp>,
        slot: fn(&mut Self) -> &mut i64,
    ) -> Self {
        match value {
            Some(t) => {
                *slot(&mut self) = t.nanos();
                self.flags |= bit;
            }
            None => {
                *slot(&mut self) = 0;
                self.flags &= !bit;
            }
        }
        self
    }
    pub fn with_started_at(self, value: Option<Timestamp>) -> Self {
        self.with_time(HAS_STARTED, value, |e| &mut e.started_at)
    }
    pub fn with_finished_at(self, value: Option<Timestamp>) -> Self {
        self.with_time(HAS_FINISHED, value, |e| &mut e.finished_at)
    }
    pub fn with_point_in_time(self, value: Option<Timestamp>) -> Self {
        self.with_time(HAS_POINT, value, |e| &mut e.point_in_time)
    }
    pub fn with_size_bytes(mut self, value: Option<u64>) -> Self {
        match value {
            Some(v) => {
                self.size_bytes = v;
                self.flags |= HAS_SIZE;
            }
            None => {
                self.size_bytes = 0;
                self.flags &= !HAS_SIZE;
            }
        }
        self
    }
    pub fn with_policy(mut self, value: Option<Sym>) -> Self {
        self.policy = value.map_or(NO_SYM, |s| s.0);
        self
    }
    pub fn with_location(mut self, value: Option<Sym>) -> Self {
        self.location = value.map_or(NO_SYM, |s| s.0);
        self
    }
    pub fn with_status(mut self, status: Status) -> Self {
        self.flags = (self.flags & !STATUS_MASK) | (status_bits(status) << STATUS_SHIFT);
        self
    }
    pub fn with_system(mut self, system: Sym) -> Self {
        self.system = system;
        self
    }
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }

    pub fn system(&self) -> Sym {
        self.system
    }
    pub fn kind(&self) -> Kind {
        if self.flags & KIND_RESTORE_TEST != 0 {
            Kind::RestoreTest
        } else {
            Kind::Backup
        }
    }
    pub fn status(&self) -> Status {
        match (self.flags & STATUS_MASK) >> STATUS_SHIFT {
            0 => Status::Success,
            1 => Status::Failed,
            _ => Status::Partial,
        }
    }
    fn time(&self, bit: u8, nanos: i64) -> Option<Timestamp> {
        (self.flags & bit != 0).then_some(Timestamp::from_nanos(nanos))
    }
    /// Absent only for tool listings that do not record it; at least one of `started_at` and
    /// `finished_at` is always present.
    pub fn started_at(&self) -> Option<Timestamp> {
        self.time(HAS_STARTED, self.started_at)
    }
    pub fn finished_at(&self) -> Option<Timestamp> {
        self.time(HAS_FINISHED, self.finished_at)
    }
    /// The instant the data reflects, when the source says (snapshot time, pgBackRest stop).
    pub fn point_in_time(&self) -> Option<Timestamp> {
        self.time(HAS_POINT, self.point_in_time)
    }
    pub fn size_bytes(&self) -> Option<u64> {
        (self.flags & HAS_SIZE != 0).then_some(self.size_bytes)
    }
    pub fn policy(&self) -> Option<Sym> {
        (self.policy != NO_SYM).then_some(Sym(self.policy))
    }
    pub fn location(&self) -> Option<Sym> {
        (self.location != NO_SYM).then_some(Sym(self.location))
    }
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// The instant the data reflects (p in the contract): `point_in_time`, else `started_at`,
    /// else `finished_at`.
    pub fn recovery_point(&self) -> Timestamp {
        self.point_in_time()
            .or(self.started_at())
            .or(self.finished_at())
            .unwrap_or(Timestamp::MIN)
    }
    /// When the recovery point became usable (a in the contract): `finished_at`, else p.
    pub fn available_at(&self) -> Timestamp {
        self.finished_at().unwrap_or_else(|| self.recovery_point())
    }

    /// The evidence order: (system, kind, finished_at, started_at), then policy and origin so
    /// that exact duplicates are adjacent and the order is total (byte-identical reports).
    /// Absent times sort first, as `None` does.
    /// The first three parts of [`Event::sort_key`] packed in one integer, which decides almost
    /// every comparison of the sort in a single instruction.
    pub(crate) fn primary_key(&self) -> u128 {
        let finished = if self.flags & HAS_FINISHED != 0 {
            self.finished_at
        } else {
            i64::MIN
        };
        // Flipping the sign bit orders i64 values as u64 values.
        let finished = (finished as u64) ^ (1 << 63);
        (u128::from(self.system.0) << 65)
            | (u128::from(self.flags & KIND_RESTORE_TEST) << 64)
            | u128::from(finished)
    }

    pub(crate) fn sort_key(&self) -> (u32, u8, i64, i64, u32, Origin) {
        let finished = if self.flags & HAS_FINISHED != 0 {
            self.finished_at
        } else {
            i64::MIN
        };
        let started = if self.flags & HAS_STARTED != 0 {
            self.started_at
        } else {
            i64::MIN
        };
        (
            self.system.0,
            self.flags & KIND_RESTORE_TEST,
            finished,
            started,
            self.policy,
            self.origin,
        )
    }

    /// Whether two events are the same job (same system, kind, policy, started_at and
    /// finished_at): the duplicate rule.
    pub(crate) fn same_job(&self, other: &Event) -> bool {
        let a = self.sort_key();
        let b = other.sort_key();
        (a.0, a.1, a.2, a.3, a.4) == (b.0, b.1, b.2, b.3, b.4)
    }

    /// Replaces interned ids with `map[id]` (chunk-local symbols to the global table).
    pub(crate) fn remap_symbols(&mut self, map: &[u32]) {
        self.system = Sym(map[self.system.0 as usize]);
        if self.policy != NO_SYM {
            self.policy = map[self.policy as usize];
        }
        if self.location != NO_SYM {
            self.location = map[self.location as usize];
        }
    }

    pub(crate) fn origin_mut(&mut self) -> &mut Origin {
        &mut self.origin
    }
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("system", &self.system)
            .field("kind", &self.kind())
            .field("status", &self.status())
            .field("started_at", &self.started_at())
            .field("finished_at", &self.finished_at())
            .field("point_in_time", &self.point_in_time())
            .field("policy", &self.policy())
            .field("size_bytes", &self.size_bytes())
            .field("location", &self.location())
            .field("origin", &self.origin)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_key_orders_like_the_leading_parts_of_the_sort_key() {
        let origin = Origin {
            input: 0,
            record: 1,
        };
        let times = [
            None,
            Some(i64::MIN + 1),
            Some(-5),
            Some(0),
            Some(7),
            Some(i64::MAX),
        ];
        let mut events = Vec::new();
        for system in [0, 1, u32::MAX - 1] {
            for kind in [Kind::Backup, Kind::RestoreTest] {
                for finished in times {
                    events.push(
                        Event::new(Sym(system), kind, Status::Success, origin)
                            .with_finished_at(finished.map(Timestamp::from_nanos)),
                    );
                }
            }
        }
        for a in &events {
            for b in &events {
                let (ka, kb) = (a.sort_key(), b.sort_key());
                let leading = (ka.0, ka.1, ka.2).cmp(&(kb.0, kb.1, kb.2));
                assert_eq!(
                    a.primary_key().cmp(&b.primary_key()),
                    leading,
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn event_is_compact() {
        assert_eq!(std::mem::size_of::<Event>(), 56);
    }

    #[test]
    fn accessors_round_trip_every_field() {
        let t = |n| Some(Timestamp::from_nanos(n));
        let origin = Origin {
            input: 3,
            record: 42,
        };
        for kind in [Kind::Backup, Kind::RestoreTest] {
            for status in [Status::Success, Status::Failed, Status::Partial] {
                let e = Event::new(Sym(7), kind, status, origin)
                    .with_started_at(t(-5))
                    .with_finished_at(t(10))
                    .with_point_in_time(t(0))
                    .with_policy(Some(Sym(2)))
                    .with_size_bytes(Some(u64::MAX))
                    .with_location(Some(Sym(0)));
                assert_eq!(
                    (e.system(), e.kind(), e.status(), e.origin()),
                    (Sym(7), kind, status, origin)
                );
                assert_eq!(
                    (e.started_at(), e.finished_at(), e.point_in_time()),
                    (t(-5), t(10), t(0))
                );
                assert_eq!(
                    (e.policy(), e.size_bytes(), e.location()),
                    (Some(Sym(2)), Some(u64::MAX), Some(Sym(0)))
                );
                let bare = e
                    .with_started_at(None)
                    .with_point_in_time(None)
                    .with_policy(None)
                    .with_size_bytes(None)
                    .with_location(None);
                assert_eq!(
                    (bare.started_at(), bare.point_in_time(), bare.size_bytes()),
                    (None, None, None)
                );
                assert_eq!((bare.policy(), bare.location()), (None, None));
                assert_eq!((bare.kind(), bare.status()), (kind, status));
                assert_eq!(bare.recovery_point(), Timestamp::from_nanos(10));
            }
        }
    }
}
