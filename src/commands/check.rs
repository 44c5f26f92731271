//! `drproof check`: declarations + evidence → engine → report.

use super::{as_of, exit_code, validate::design_findings, InputError};
use crate::checks;
use crate::cli::{CheckArgs, Format};
use crate::declarations::{self, Declarations};
use crate::duration::Duration;
use crate::engine;
use crate::evidence::{self, InputSummary, LoadOptions};
use crate::report::{self, model::Report};

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
    // Evidence origins index `evidence.inputs`, so the declared files go in a separate list.
    let mut inputs = declared_inputs(&decl).map_err(|e| InputError(e.to_string()))?;
    inputs.extend(evidence.inputs.iter().cloned());
    findings.extend(checks::evidence::findings(&decl, &evidence));
    let analysis = engine::analyze(&decl, &evidence, as_of, window, findings);
    let out = match args.common.format {
        Format::Json => {
            let report = Report::new(decl.organization.as_deref(), &inputs, &analysis);
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
        Format::Table => report::check_table::render(&decl, &analysis),
    };
    super::print(&out)?;
    Ok(exit_code(
        analysis.worst_active_severity(),
        args.common.fail_on,
    ))
}

/// The declarations file and the runbooks it names, hashed like the evidence: a report lists
/// every file it was computed from.
fn declared_inputs(decl: &Declarations) -> Result<Vec<InputSummary>, evidence::EvidenceError> {
    let mut inputs = vec![evidence::describe_file(
        &decl.path,
        &decl.path.display().to_string(),
        "declarations",
    )?];
    for system in &decl.systems {
        if let (Some(path), Some(shown)) = (&system.runbook, &system.runbook_declared) {
            if path.is_file() && !inputs.iter().any(|i| i.full_path == *path) {
                inputs.push(evidence::describe_file(path, shown, "runbook")?);
            }
        }
    }
    Ok(inputs)
}
