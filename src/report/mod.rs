//! The report: what the engine concluded, in the shape of the JSON contract. Renderers only read
//! it; every figure is computed once, by the engine.

pub mod model;
