//! `drproof completions SHELL`.

use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

pub fn run(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "drproof", &mut std::io::stdout());
    Ok(super::exit::OK)
}
