//! drproof: prove disaster-recovery RPO/RTO compliance from declarations and evidence.
//!
//! Data flows one way: [`declarations`] + [`evidence`] → [`engine`] → [`report`] model →
//! renderers. `main.rs` only parses arguments and maps the outcome to an exit code.

pub mod checks;
pub mod cli;
pub mod commands;
pub mod declarations;
pub mod design;
pub mod duration;
pub mod engine;
pub mod evidence;
pub mod findings;
pub mod ratio;
pub mod record;
pub mod report;
pub mod runbook;
pub mod schedule;
pub mod time;
