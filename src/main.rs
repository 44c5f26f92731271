use clap::Parser;
use drproof::commands::{self, exit, InputError};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = drproof::cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err.downcast_ref::<InputError>().is_some() {
                eprintln!("error: {err}");
            } else {
                eprintln!("error: {err:#}");
            }
            ExitCode::from(exit::INPUT)
        }
    }
}
