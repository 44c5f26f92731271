//! The report: what the engine concluded, in the shape of the JSON contract ([`model`]), and its
//! renderers. Renderers only read the model; every figure is computed once, by the engine.

pub mod check_table;
pub mod findings;
pub mod model;
pub mod style;
