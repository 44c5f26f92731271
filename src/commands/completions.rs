//! `drproof completions SHELL`.

use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "drproof", &mut script);
    super::print(&String::from_utf8_lossy(&script))?;
    Ok(super::exit::OK)
}
