//! Declarations: the YAML file describing the estate, loaded into checked, resolved types.

mod model;

pub use model::*;
