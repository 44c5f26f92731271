//! `drproof validate`: the declarations and runbooks, judged before any evidence is read.

use super::{as_of, exit_code, worst_active, InputError};
use crate::cli::{Format, ValidateArgs};
use crate::declarations::{self, Declarations};
use crate::design::{self, DesignContext};
use crate::findings::{Finding, Findings};
use crate::report::findings::{finding_json, table, Counts};
use crate::report::model::FindingReport;
use crate::time::Timestamp;

pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    let decl = declarations::load(&args.common.config).map_err(|e| InputError(format!("{e:#}")))?;
    let as_of = as_of(args.common.as_of.as_deref())?;
    let mut findings = design_findings(&decl, as_of)?;
    crate::engine::waivers::judge(&decl, &mut findings, as_of);
    let out = match args.common.format {
        Format::Json => render_json(&decl, as_of, &findings),
        Format::Table => render_table(&decl, &findings),
    };
    super::print(&out)?;
    Ok(exit_code(worst_active(&findings), args.common.fail_on))
}

/// The design-time findings in report order (declaration order of systems, worst first).
pub fn design_findings(decl: &Declarations, as_of: Timestamp) -> Result<Vec<Finding>, InputError> {
    let ctx = DesignContext::new(decl, as_of).map_err(|errors| {
        InputError(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let mut sink = Findings::new(decl.checks.clone());
    design::run(&ctx, &mut sink);
    let index: std::collections::HashMap<&str, usize> = decl
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i + 1))
        .collect();
    let order = |system: Option<&str>| system.and_then(|id| index.get(id).copied()).unwrap_or(0);
    sink.sort_by_key_order(&order);
    Ok(sink.into_vec())
}

fn render_json(decl: &Declarations, as_of: Timestamp, findings: &[Finding]) -> String {
    let report = serde_json::json!({
        "schema_version": 1,
        "tool": { "name": "drproof", "version": env!("CARGO_PKG_VERSION") },
        "organization": decl.organization,
        "as_of": as_of,
        "systems": decl.systems.len(),
        "summary": Counts::of(findings),
        "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn render_table(decl: &Declarations, findings: &[Finding]) -> String {
    let counts = Counts::of(findings);
    let systems = decl.systems.len();
    let head = format!(
        "{}: {} system{} declared, design checks: {}\n",
        decl.path.display(),
        systems,
        if systems == 1 { "" } else { "s" },
        counts.sentence()
    );
    if findings.is_empty() {
        return head;
    }
    let reports: Vec<FindingReport> = findings.iter().cloned().map(FindingReport::from).collect();
    format!("{head}{}\n", table(reports.iter()))
}
