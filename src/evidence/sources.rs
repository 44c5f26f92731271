//! Which files to read: the declared `evidence:` entries and `--logs` paths, resolved to a
//! deterministic, duplicate-free list of files with their formats.
//!
//! - Declared paths are relative to the declarations file's folder; `--logs` paths to the
//!   working directory. Either may be a file, a folder (read recursively) or a glob
//!   (`logs/*.csv`, `logs/**/*.jsonl`; `*` does not cross `/`).
//! - In a folder, only drproof's own files (`.csv`, `.jsonl`, `.ndjson`) are read, unless the
//!   declared entry names a `format:`, which then applies to every file in it.
//! - A file named directly or matched by a glob must have a known extension or a `format:`.
//! - Files are read in declaration order, then `--logs` order; the files of one folder or glob
//!   in sorted order. A file reached twice is read once, with the first entry's settings.

use super::formats::Format;
use super::{EvidenceError, EvidenceNote};
use crate::declarations::{Declarations, EvidenceSource};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// One file to read.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedInput {
    /// Canonical path: what "the same file" means.
    pub(crate) path: PathBuf,
    /// For messages and the report: relative to the declarations folder when under it.
    pub(crate) display: String,
    pub(crate) format: Format,
    /// The declared entry's settings; a default (no system, no timezone) for `--logs`.
    pub(crate) source: EvidenceSource,
}

pub(crate) fn resolve(
    decl: &Declarations,
    extra_paths: &[PathBuf],
) -> Result<(Vec<ResolvedInput>, Vec<EvidenceNote>), EvidenceError> {
    let base = std::fs::canonicalize(&decl.base_dir).ok();
    let mut out = Resolver {
        base,
        seen: HashSet::new(),
        inputs: Vec::new(),
        notes: Vec::new(),
    };
    for source in &decl.evidence {
        let whence = format!("{}:{}", decl.path.display(), source.pos.line);
        let format = match &source.format {
            None => None,
            Some(name) => Some(Format::parse(name).ok_or_else(|| {
                EvidenceError::Input(format!(
                    "{whence}: evidence format: expected one of {}, found {name:?}",
                    Format::names()
                ))
            })?),
        };
        let given = Path::new(&source.path);
        let full = if given.is_absolute() {
            given.to_path_buf()
        } else {
            decl.base_dir.join(given)
        };
        out.add(&source.path, &full, format, source, &whence)?;
    }
    let cli_source = EvidenceSource {
        path: String::new(),
        format: None,
        system: None,
        systems_by: Default::default(),
        timezone: None,
        policy: None,
        pos: Default::default(),
    };
    for path in extra_paths {
        let text = path.to_string_lossy().into_owned();
        let whence = format!("--logs {text}");
        let source = EvidenceSource {
            path: text.clone(),
            ..cli_source.clone()
        };
        out.add(&text, path, None, &source, &whence)?;
    }
    Ok((out.inputs, out.notes))
}

struct Resolver {
    base: Option<PathBuf>,
    seen: HashSet<PathBuf>,
    inputs: Vec<ResolvedInput>,
    notes: Vec<EvidenceNote>,
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

impl Resolver {
    /// Adds the files that `pattern` (as written; `full` is it resolved) names.
    fn add(
        &mut self,
        pattern: &str,
        full: &Path,
        format: Option<Format>,
        source: &EvidenceSource,
        whence: &str,
    ) -> Result<(), EvidenceError> {
        if is_glob(pattern) {
            let files =
                expand_glob(full).map_err(|m| EvidenceError::Input(format!("{whence}: {m}")))?;
            if files.is_empty() {
                self.notes.push(EvidenceNote::GlobEmpty {
                    pattern: pattern.to_owned(),
                });
            }
            for file in files {
                let format = pick_format(&file, format, whence)?;
                self.push(&file, format, source, whence)?;
            }
            return Ok(());
        }
        let meta = std::fs::metadata(full).map_err(|_| {
            EvidenceError::Input(format!(
                "{whence}: evidence path {pattern} does not exist (looked for {})",
                full.display()
            ))
        })?;
        if meta.is_dir() {
            for file in
                walk_folder(full).map_err(|m| EvidenceError::Input(format!("{whence}: {m}")))?
            {
                match format.or_else(|| Format::from_extension(&file)) {
                    Some(f) => self.push(&file, f, source, whence)?,
                    None => continue, // folders: only drproof's own extensions (documented)
                }
            }
            return Ok(());
        }
        let format = pick_format(full, format, whence)?;
        self.push(full, format, source, whence)
    }

    fn push(
        &mut self,
        file: &Path,
        format: Format,
        source: &EvidenceSource,
        whence: &str,
    ) -> Result<(), EvidenceError> {
        let canonical = std::fs::canonicalize(file).map_err(|e| {
            EvidenceError::Input(format!("{whence}: cannot open {}: {e}", file.display()))
        })?;
        if !self.seen.insert(canonical.clone()) {
            return Ok(());
        }
        let display = display_path(&canonical, self.base.as_deref(), file);
        self.inputs.push(ResolvedInput {
            path: canonical,
            display,
            format,
            source: source.clone(),
        });
        Ok(())
    }
}

fn pick_format(
    file: &Path,
    declared: Option<Format>,
    whence: &str,
) -> Result<Format, EvidenceError> {
    declared.or_else(|| Format::from_extension(file)).ok_or_else(|| {
        EvidenceError::Input(format!(
            "{whence}: cannot tell the evidence format of {} from its extension: expected .csv, .jsonl or .ndjson, or a `format:` ({})",
            file.display(),
            Format::names()
        ))
    })
}

/// `canonical` relative to the declarations folder with `/` separators, else as given.
fn display_path(canonical: &Path, base: Option<&Path>, as_given: &Path) -> String {
    if let Some(rel) = base.and_then(|b| canonical.strip_prefix(b).ok()) {
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        return parts.join("/");
    }
    as_given.to_string_lossy().into_owned()
}

/// Every file under `dir`, recursively, sorted (symbolic links to files included).
fn walk_folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}

/// The files matching a glob: walks from the pattern's literal prefix and matches the rest.
fn expand_glob(full: &Path) -> Result<Vec<PathBuf>, String> {
    let mut root = PathBuf::new();
    let mut rest: Vec<String> = Vec::new();
    for component in full.components() {
        let text = component.as_os_str().to_string_lossy();
        if rest.is_empty() && !is_glob(&text) {
            root.push(component.as_os_str());
        } else {
            if matches!(component, Component::ParentDir) {
                return Err("a glob may not use `..` after a wildcard".to_owned());
            }
            rest.push(text.into_owned());
        }
    }
    if root.as_os_str().is_empty() {
        root.push(".");
    }
    let pattern = rest.join("/");
    let matcher = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob {}: {e}", full.display()))?
        .compile_matcher();
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let depth = if pattern.contains("**") {
        usize::MAX
    } else {
        rest.len()
    };
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&root)
        .min_depth(1)
        .max_depth(depth)
        .follow_links(true)
    {
        let entry = entry.map_err(|e| format!("cannot read folder {}: {e}", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        if matcher.is_match(rel) {
            files.push(entry.into_path());
        }
    }
    files.sort();
    Ok(files)
}
