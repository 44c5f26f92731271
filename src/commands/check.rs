//! `drproof check`: declarations + evidence → engine → report.

use super::{as_of, exit_code, validate::design_findings, InputError};
use crate::checks;
use crate::cli::{CheckArgs, Format};
use crate::declarations;
use crate::duration::Duration;
use crate::engine;
use crate::evidence::{self, LoadOptions};
use crate::report::{self, model::Report};
use std::io::Write;

pub fn run(args: &CheckArgs) -> anyhow::Result<u8> {
    let decl = declarations::load(&args.common.config).map_err(|e| InputError(format!("{e:#}")))?;
    let as_of = as_of(args.common.as_of.as_deref())?;
    let window = match &args.window {
        Some(text) => Duration::parse(text)
            .map_err(|e| InputError(format!("--window: expected {e}, found `{text}`")))?,
        None => decl.defaults.window,
    };
    let mut findings = design_findings(&decl, as_of)?;
    let options = LoadOptions {
        lenient: args.lenient,
        threads: 0,
    };
    let evidence =
        evidence::load(&decl, &args.logs, &options).map_err(|e| InputError(e.to_string()))?;
    findings.extend(checks::evidence::findings(&decl, &evidence));
    let analysis = engine::analyze(&decl, &evidence, as_of, window, findings);
    let out = match args.common.format {
        Format::Json => {
            let report = Report::new(decl.organization.as_deref(), &evidence.inputs, &analysis);
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
        Format::Table => report::check_table::render(&decl, &analysis),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(exit_code(
        analysis.worst_active_severity(),
        args.common.fail_on,
    ))
}
