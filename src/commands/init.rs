//! `drproof init [DIR]`: a commented starter that validates cleanly, so a new user edits
//! something that works instead of starting from a blank page.

use super::InputError;
use crate::cli::InitArgs;
use std::path::Path;

const STARTER: &str = include_str!("../../docs/starter/drproof.yaml");
const RUNBOOK: &str = include_str!("../../docs/starter/runbook.md");

pub fn run(args: &InitArgs) -> anyhow::Result<u8> {
    let config = args.dir.join("drproof.yaml");
    let schema = args.dir.join("drproof.schema.json");
    let runbook = args.dir.join("runbooks").join("orders-db.md");
    for path in [&config, &schema, &runbook] {
        if path.exists() {
            return Err(InputError(format!(
                "{} already exists; drproof init never overwrites",
                path.display()
            ))
            .into());
        }
    }
    write(&config, STARTER)?;
    write(&schema, &crate::declarations::declarations_schema())?;
    write(&runbook, RUNBOOK)?;
    super::print(&format!(
        "wrote {}, {} and {}\nnext: edit them, then run `drproof validate --config {}`\n",
        config.display(),
        schema.display(),
        runbook.display(),
        config.display()
    ))?;
    Ok(super::exit::OK)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| InputError(format!("cannot create folder {}: {e}", parent.display())))?;
    }
    // create_new: never overwrite, even if the file appeared since the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| InputError(format!("cannot create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    Ok(())
}
