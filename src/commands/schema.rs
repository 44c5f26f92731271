//! `drproof schema [declarations|evidence]`.

use crate::cli::{SchemaArgs, SchemaKind};
use std::io::Write;

pub fn run(args: &SchemaArgs) -> anyhow::Result<u8> {
    let text = match args.kind {
        SchemaKind::Declarations => crate::declarations::declarations_schema(),
        SchemaKind::Evidence => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::evidence::jsonl_schema())?
        ),
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(super::exit::OK)
}
