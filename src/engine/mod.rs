//! The compliance engine.
pub mod exposure;
