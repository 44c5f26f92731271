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
        // Saturating: an absurd total must still compare as "longer than the RTO".
        Duration::from_secs(
            self.steps
                .iter()
                .fold(0u64, |sum, s| sum.saturating_add(s.estimate.secs())),
        )
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

/// Other keys are allowed: front matter is often shared with documentation site generators.
#[derive(serde::Deserialize)]
struct FrontMatter {
    system: Option<String>,
    owner: Option<String>,
    last_reviewed: Option<ReviewDate>,
    steps: Option<Vec<RawStep>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    name: String,
    estimate: Estimate,
}

/// Parsed inside deserialization so that serde_yaml reports the value's own line.
struct ReviewDate(NaiveDate);
struct Estimate(Duration);

impl<'de> serde::Deserialize<'de> for ReviewDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) if crate::time::date_in_range(date) => Ok(Self(date)),
            Ok(_) => Err(serde::de::Error::custom(format!(
                "last_reviewed: expected {}, found {text:?}",
                crate::time::DATE_RANGE
            ))),
            Err(_) => Err(serde::de::Error::custom(format!(
                "last_reviewed: expected a date such as 2026-09-14, found {text:?}"
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Estimate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).map(Self).map_err(|e| {
            serde::de::Error::custom(format!("estimate: expected {e}, found {text:?}"))
        })
    }
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
        let line = e.location().map_or(2, |l| l.line() + 1);
        // serde_yaml appends "at line L column C"; the line is already in front of the message.
        let text = e.to_string();
        let text = text.split(" at line ").next().unwrap_or(&text);
        err(line, format!("front matter: {text}"))
    })?;
    let lacks = |what: &str| err(2, format!("front matter lacks {what}"));
    let system = raw
        .system
        .ok_or_else(|| lacks("`system` (the id of the system it recovers)"))?;
    let last_reviewed = raw
        .last_reviewed
        .ok_or_else(|| lacks("`last_reviewed` (a date such as 2026-09-14)"))?
        .0;
    let steps = raw
        .steps
        .ok_or_else(|| lacks("`steps` (each with a `name` and an `estimate`)"))?
        .into_iter()
        .map(|s| Step {
            name: s.name,
            estimate: s.estimate.0,
        })
        .collect();
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
    fn absurd_estimates_still_exceed_and_old_dates_are_refused() {
        let huge = "---\nsystem: x\nlast_reviewed: 2026-01-01\nsteps:\n  - { name: a, estimate: 15250w }\n  - { name: b, estimate: 15250w }\n---\n";
        let rb = parse(huge, Path::new("rb.md")).unwrap();
        assert!(rb.total_estimate() > Duration::from_secs(15_250 * 604_800));
        let old = "---\nsystem: x\nlast_reviewed: 1600-01-01\nsteps: []\n---\n";
        assert_eq!(
            parse(old, Path::new("rb.md")).unwrap_err().to_string(),
            "rb.md:2: front matter: last_reviewed: expected a date between 1900-01-01 and 2199-12-31, found \"1600-01-01\""
        );
    }

    #[test]
    fn explains_what_is_missing() {
        let e = parse("# no front matter\n", Path::new("rb.md")).unwrap_err();
        assert_eq!(e.to_string(), "rb.md:1: expected YAML front matter starting with a `---` line (system, owner, last_reviewed, steps)");
        let e = parse("---\nsystem: x\nlast_reviewed: 2026-01-01\nsteps:\n  - name: a\n    estimate: 1M\n---\n", Path::new("rb.md")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "rb.md:5: front matter: steps[0]: estimate: expected one of the units s, m, h, d, w, not `M` (months and years have no fixed length), found \"1M\""
        );
        let e = parse("---\nsystem: [\n---\n", Path::new("rb.md")).unwrap_err();
        assert!(e.to_string().starts_with("rb.md:"), "{e}");
    }
}
