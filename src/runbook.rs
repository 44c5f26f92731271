//! Recovery runbooks: Markdown files whose YAML front matter says which system they recover,
//! when they were last reviewed, and how long each step is expected to take.

use crate::duration::Duration;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Runbook {
    pub path: PathBuf,
    pub system: String,
    pub owner: Option<String>,
    pub last_reviewed: NaiveDate,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub name: String,
    pub estimate: Duration,
}

impl Runbook {
    /// The sum of step estimates: the runbook's own claim of how long recovery takes.
    pub fn total_estimate(&self) -> Duration {
        Duration::from_secs(self.steps.iter().map(|s| s.estimate.secs()).sum())
    }
}

/// A runbook that exists but cannot be read as one: an input error naming file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct RunbookError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

#[derive(serde::Deserialize)]
struct FrontMatter {
    system: Option<String>,
    owner: Option<String>,
    last_reviewed: Option<String>,
    steps: Option<Vec<RawStep>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    name: String,
    estimate: String,
}

pub fn load(path: &Path) -> Result<Runbook, RunbookError> {
    let text = std::fs::read_to_string(path).map_err(|e| RunbookError {
        path: path.to_owned(),
        line: 0,
        message: format!("cannot read the runbook: {e}"),
    })?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Runbook, RunbookError> {
    let err = |line: usize, message: String| RunbookError {
        path: path.to_owned(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(err(1, "expected YAML front matter starting with a `---` line (system, owner, last_reviewed, steps)".into()));
    }
    let mut front = String::new();
    let mut closed = false;
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            closed = true;
            break;
        }
        front.push_str(line);
        front.push('\n');
    }
    if !closed {
        return Err(err(
            1,
            "the front matter is never closed; expected a second `---` line".into(),
        ));
    }
    // Front matter starts on line 2 of the file.
    let raw: FrontMatter = serde_yaml::from_str(&front).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line() + 1);
        err(line, format!("invalid front matter: {e}"))
    })?;
    let system = raw.system.ok_or_else(|| {
        err(
            2,
            "front matter lacks `system` (the id of the system it recovers)".into(),
        )
    })?;
    let reviewed = raw.last_reviewed.ok_or_else(|| {
        err(
            2,
            "front matter lacks `last_reviewed` (a date such as 2026-09-14)".into(),
        )
    })?;
    let last_reviewed = NaiveDate::parse_from_str(&reviewed, "%Y-%m-%d").map_err(|_| {
        err(
            2,
            format!("last_reviewed: expected a date such as 2026-09-14, found {reviewed:?}"),
        )
    })?;
    let steps = raw
        .steps
        .ok_or_else(|| {
            err(
                2,
                "front matter lacks `steps` (each with a `name` and an `estimate`)".into(),
            )
        })?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            Duration::parse(&s.estimate)
                .map(|estimate| Step {
                    name: s.name,
                    estimate,
                })
                .map_err(|e| {
                    err(
                        2,
                        format!("steps[{i}].estimate: expected {e}, found {:?}", s.estimate),
                    )
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(Runbook {
        path: path.to_owned(),
        system,
        owner: raw.owner,
        last_reviewed,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nsystem: payments-db\nowner: dba@acme.example\nlast_reviewed: 2026-09-14\nsteps:\n  - name: Restore base backup\n    estimate: 20m\n  - name: Replay WAL\n    estimate: 1h5m\n---\n# Payments\n";

    #[test]
    fn reads_front_matter_and_sums_estimates() {
        let rb = parse(GOOD, Path::new("rb.md")).unwrap();
        assert_eq!(rb.system, "payments-db");
        assert_eq!(
            rb.last_reviewed,
            NaiveDate::from_ymd_opt(2026, 9, 14).unwrap()
        );
        assert_eq!(rb.total_estimate(), Duration::from_secs(85 * 60));
    }

    #[test]
    fn explains_what_is_missing() {
        let e = parse("# no front matter\n", Path::new("rb.md")).unwrap_err();
        assert_eq!(e.to_string(), "rb.md:1: expected YAML front matter starting with a `---` line (system, owner, last_reviewed, steps)");
        let e = parse("---\nsystem: x\nlast_reviewed: 2026-01-01\nsteps:\n  - name: a\n    estimate: 1M\n---\n", Path::new("rb.md")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "rb.md:2: steps[0].estimate: expected one of the units s, m, h, d, w, not `M` (months and years have no fixed length), found \"1M\""
        );
        let e = parse("---\nsystem: [\n---\n", Path::new("rb.md")).unwrap_err();
        assert!(e.to_string().starts_with("rb.md:"), "{e}");
    }
}
