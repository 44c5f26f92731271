//! Terminal styling decisions in one place: color only for a terminal, never under `NO_COLOR`.

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use std::io::IsTerminal;

use crate::declarations::Severity;

/// Whether to color output: stdout is a terminal and `NO_COLOR` is unset or empty.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// A table with drproof's look. Off a terminal its layout depends only on its content, so
/// the same inputs give byte-identical output.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    if use_color() {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
    }
    t.set_header(header.iter().map(Cell::new));
    t
}

pub fn severity_cell(severity: Severity, waived: bool) -> Cell {
    let text = if waived {
        format!("{} (waived)", severity.as_str())
    } else {
        severity.as_str().to_owned()
    };
    let cell = Cell::new(text);
    if waived || !use_color() {
        return cell;
    }
    match severity {
        Severity::Violation => cell.fg(Color::Red),
        Severity::Warning => cell.fg(Color::Yellow),
        Severity::Info => cell.fg(Color::Blue),
    }
}
