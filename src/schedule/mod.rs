//! Schedule analysis: which runs a backup policy's trigger asks for, and how well evidence met
//! them. Pure functions, no I/O; every instant is UTC ([`Timestamp`]).
//!
//! - [`parse_cron`]: the 5-field cron dialect, day-field combination and daylight-saving rules
//!   (documented in [`cron`]).
//! - [`Schedule::runs`]: a policy's runs in a window, streamed in time order.
//! - [`longest_gap`]: the longest interval between consecutive runs over a year, for the
//!   design-time checks `schedule-exceeds-rpo` and `schedule-tight`.
//! - [`default_grace`]: 10% of the shortest interval, clamped to [5 min, 1 h].
//! - [`adherence`]: met, missed and pending runs against successful events.

pub mod adherence;
pub mod cron;
pub mod gap;
pub mod runs;

pub use adherence::{adherence, Adherence, FIRST_MISSED_LIMIT};
pub use cron::{parse_cron, CronError, CronSchedule};
pub use gap::{
    default_grace, longest_gap, shortest_interval, year_start_for, Gap, LongestGap,
    LOOKAROUND_NANOS, MAX_GRACE_NANOS, MIN_GRACE_NANOS, YEAR_NANOS,
};
pub use runs::{Runs, Schedule};

#[cfg(doc)]
use crate::time::Timestamp;
