//! Reports: the report model and its renderers. Renderers only read figures; they never
//! recompute them.

pub mod findings;
pub mod style;
