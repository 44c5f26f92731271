//! `drproof record -- COMMAND`: the exit code is the command's, not a verdict.

use crate::cli::{EventKind, RecordArgs};
use crate::evidence::Kind;
use crate::record::{self, RecordOptions};

pub fn run(args: &RecordArgs) -> anyhow::Result<u8> {
    let options = RecordOptions {
        system: args.system.clone(),
        kind: match args.kind {
            EventKind::Backup => Kind::Backup,
            EventKind::RestoreTest => Kind::RestoreTest,
        },
        policy: args.policy.clone(),
        log: args.log.clone(),
        partial_exit_codes: args.partial_exit_codes.clone(),
        command: args.command.clone(),
    };
    let code = record::run(&options)?;
    // Exit statuses are 0-255 on Unix; anything else cannot come from a real process.
    Ok(u8::try_from(code).unwrap_or(super::exit::INPUT))
}
