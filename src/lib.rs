//! drproof: prove disaster-recovery RPO/RTO compliance from declarations and evidence.
//!
//! Data flows one way: [`declarations`] + [`evidence`] → [`engine`] → [`report`] model →
//! renderers. `main.rs` only parses arguments and maps the outcome to an exit code.

pub mod checks;
pub mod declarations;
pub mod duration;
pub mod evidence;
pub mod findings;
pub mod record;
pub mod time;
