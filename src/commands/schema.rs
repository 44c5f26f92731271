//! `drproof schema [declarations|evidence]`.

use crate::cli::{SchemaArgs, SchemaKind};

pub fn run(args: &SchemaArgs) -> anyhow::Result<u8> {
    let text = match args.kind {
        SchemaKind::Declarations => crate::declarations::declarations_schema(),
        SchemaKind::Evidence => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::evidence::jsonl_schema())?
        ),
    };
    super::print(&text)?;
    Ok(super::exit::OK)
}
