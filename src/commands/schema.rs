//! `drproof schema [declarations|evidence]`.

use crate::cli::{SchemaArgs, SchemaKind};
use std::io::Write;

pub fn run(args: &SchemaArgs) -> anyhow::Result<u8> {
    let text = match args.kind {
        SchemaKind::Declarations => crate::declarations::declarations_schema(),
        SchemaKind::Evidence => crate::evidence::jsonl_schema_text(),
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(super::exit::OK)
}
