//! Declarations: the YAML file describing the estate, loaded into checked, resolved types.
//!
//! `yaml` parses into a position-carrying tree, `fields` reads typed values from it while
//! collecting problems, `load` walks the document and checks cross-references, and `model`
//! holds the result every later stage reads.

mod fields;
mod load;
mod model;
mod problems;
mod schema;
#[cfg(test)]
pub(crate) mod test_support;
mod yaml;

pub use load::{load, parse};
pub use model::*;
pub use problems::suggestion as suggest;
pub use problems::{LoadError, Problem};
pub use schema::declarations_schema;
