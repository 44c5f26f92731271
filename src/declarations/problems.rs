//! Input problems in a declarations file, all collected before giving up.

use super::model::Pos;
use std::fmt;
use std::path::PathBuf;

/// One thing wrong with the file: where, which field, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub pos: Pos,
    /// Field path such as `systems[3].backups[0].schedule` (empty for the whole document).
    pub path: String,
    pub message: String,
}

/// Every problem found in one declarations file (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{} has {} problem{}:",
            self.file.display(),
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(
                f,
                "  {}:{}:{}: ",
                self.file.display(),
                p.pos.line,
                p.pos.col
            )?;
            if !p.path.is_empty() {
                write!(f, "{}: ", p.path)?;
            }
            writeln!(f, "{}", p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Accumulates problems while walking the document.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    items: Vec<Problem>,
}

impl Problems {
    pub(crate) fn add(&mut self, pos: Pos, path: &str, message: impl Into<String>) {
        self.items.push(Problem {
            pos,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// The common shape: `expected X, found Y`.
    pub(crate) fn mismatch(
        &mut self,
        pos: Pos,
        path: &str,
        expected: impl fmt::Display,
        found: impl fmt::Display,
    ) {
        self.add(pos, path, format!("expected {expected}, found {found}"));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn into_sorted(mut self) -> Vec<Problem> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// "did you mean `x`?" for a misspelt key or id, when one candidate is close enough.
pub fn suggestion<'a>(
    found: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(found, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Quotes a found value for messages, shortening very long ones.
pub(crate) fn quote(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() > MAX {
        let short: String = text.chars().take(MAX).collect();
        format!("{short:?}…")
    } else {
        format!("{text:?}")
    }
}
