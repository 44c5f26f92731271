//! The terminal report of `check`: one row per system, then the findings.

use super::model::{Analysis, SystemReport, SystemStatus};
use super::style;
use crate::declarations::Declarations;
use crate::duration::human;
use comfy_table::{Cell, Color};

pub fn render(decl: &Declarations, analysis: &Analysis) -> String {
    let s = &analysis.summary;
    let mut out = format!(
        "{} as of {} (window {} → {})\n{} systems: {} compliant, {} warning, {} violation; {} findings waived\n",
        decl.organization.as_deref().unwrap_or("drproof"),
        analysis.as_of,
        analysis.window.start,
        analysis.window.end,
        s.systems,
        s.compliant,
        s.warning,
        s.violation,
        s.waived
    );
    let mut t = style::table(&[
        "System",
        "Tier",
        "Status",
        "RPO",
        "Exposure now",
        "Worst",
        "Attainment",
        "RTO",
        "Last test",
        "Test took",
    ]);
    for sys in &analysis.systems {
        t.add_row(system_row(sys, analysis));
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let findings: Vec<_> = analysis
        .findings
        .iter()
        .chain(analysis.systems.iter().flat_map(|s| &s.findings))
        .collect();
    if !findings.is_empty() {
        out.push_str("\nFindings:\n");
        out.push_str(&super::findings::table(findings.into_iter()));
        out.push('\n');
    }
    out
}

fn system_row(sys: &SystemReport, analysis: &Analysis) -> Vec<Cell> {
    let nanos = |secs: u64| {
        i64::try_from(secs)
            .unwrap_or(i64::MAX)
            .saturating_mul(crate::time::NANOS_PER_SEC)
    };
    let opt = |v: Option<i64>| v.map_or_else(|| "unbounded".to_owned(), human);
    let test = sys.rto.last_test.as_ref();
    vec![
        Cell::new(&sys.id),
        Cell::new(sys.tier.as_deref().unwrap_or("-")),
        status_cell(sys.status),
        Cell::new(human(nanos(sys.rpo.target_seconds.secs()))),
        Cell::new(opt(sys.rpo.current_exposure_seconds)),
        Cell::new(match sys.rpo.worst_exposure_seconds {
            Some(w) => human(w),
            None => "unbounded".to_owned(),
        }),
        Cell::new(format!("{:.1}%", sys.rpo.attainment * 100.0)),
        Cell::new(human(nanos(sys.rto.target_seconds.secs()))),
        Cell::new(test.map_or_else(
            || "none".to_owned(),
            |t| {
                format!(
                    "{} ago ({})",
                    human(analysis.as_of.since(t.finished_at)),
                    t.status.as_str()
                )
            },
        )),
        Cell::new(
            test.and_then(|t| t.duration_seconds)
                .map_or_else(|| "-".to_owned(), human),
        ),
    ]
}

fn status_cell(status: SystemStatus) -> Cell {
    let cell = Cell::new(status.as_str());
    if !style::use_color() {
        return cell;
    }
    cell.fg(match status {
        SystemStatus::Compliant => Color::Green,
        SystemStatus::Warning => Color::Yellow,
        SystemStatus::Violation => Color::Red,
    })
}
