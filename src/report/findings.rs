//! Rendering of a findings list (what `validate` prints, and the findings part of `check`).

use super::model::FindingReport;
use super::style;
use crate::declarations::Severity;
use crate::findings::Finding;
use comfy_table::Cell;
use serde_json::{json, Value};

/// Counts by severity, waived findings apart.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub violation: usize,
    pub warning: usize,
    pub info: usize,
    pub waived: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Self::default();
        for f in findings {
            match (f.is_active(), f.severity) {
                (false, _) => c.waived += 1,
                (true, Severity::Violation) => c.violation += 1,
                (true, Severity::Warning) => c.warning += 1,
                (true, Severity::Info) => c.info += 1,
            }
        }
        c
    }

    pub fn sentence(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut s = format!(
            "{}, {}",
            plural(self.violation, "violation"),
            plural(self.warning, "warning")
        );
        if self.info > 0 {
            s.push_str(&format!(", {} info", self.info));
        }
        if self.waived > 0 {
            s.push_str(&format!(", {} waived", self.waived));
        }
        s
    }
}

pub fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "system": f.system,
        "check": f.check.id,
        "severity": f.severity,
        "message": f.message,
        "waived": !f.is_active(),
    });
    if let Some(w) = &f.waiver {
        v["waiver"] = json!(w);
    }
    if !f.evidence.is_empty() {
        v["evidence"] = Value::Object(f.evidence.clone());
    }
    v
}

pub fn table<'a>(findings: impl Iterator<Item = &'a FindingReport>) -> String {
    let mut t = style::table(&["System", "Check", "Severity", "Message"]);
    for f in findings {
        let mut message = f.message.clone();
        if let Some(w) = &f.waiver {
            message.push_str(&format!(
                "\nwaived until {} by {}: {}",
                w.expires, w.approved_by, w.reason
            ));
        }
        t.add_row(vec![
            Cell::new(f.system.as_deref().unwrap_or("-")),
            Cell::new(f.check.id),
            style::severity_cell(f.severity, f.waived),
            Cell::new(message),
        ]);
    }
    t.to_string()
}
