//! Loads a declarations file: YAML → position-carrying tree → checked [`Declarations`].
//!
//! The walk reports every problem it meets and keeps going; cross-references (tiers,
//! dependencies, cycles, waivers) are checked afterwards on whatever could be read.

use super::fields::{self, index, Map};
use super::model::*;
use super::problems::{quote, suggestion, LoadError, Problems};
use super::yaml::{self, Node};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Keys of each object in the file. The JSON Schema is generated from types with the same
/// fields; a unit test in `schema.rs` keeps the two in step.
pub(crate) mod keys {
    pub(crate) const ROOT: &[&str] = &[
        "version",
        "organization",
        "timezone",
        "defaults",
        "tiers",
        "systems",
        "checks",
        "evidence",
        "waivers",
    ];
    pub(crate) const DEFAULTS: &[&str] = &[
        "window",
        "warn_ratio",
        "restore_test_max_age",
        "runbook_review_max_age",
    ];
    pub(crate) const TIER: &[&str] = &[
        "rpo",
        "rto",
        "restore_test_max_age",
        "runbook_required",
        "runbook_review_max_age",
        "warn_ratio",
    ];
    pub(crate) const SYSTEM: &[&str] = &[
        "id",
        "name",
        "tier",
        "owner",
        "rpo",
        "rto",
        "warn_ratio",
        "depends_on",
        "runbook",
        "onboarded",
        "backups",
        "restore_tests",
    ];
    pub(crate) const BACKUP: &[&str] = &[
        "id",
        "every",
        "schedule",
        "timezone",
        "grace",
        "retention",
        "offsite",
    ];
    pub(crate) const RESTORE_TESTS: &[&str] = &["max_age"];
    pub(crate) const EVIDENCE: &[&str] = &[
        "path",
        "format",
        "system",
        "systems_by",
        "timezone",
        "policy",
    ];
    pub(crate) const WAIVER: &[&str] = &["system", "check", "reason", "approved_by", "expires"];
}

/// Reads and checks the declarations file at `path`.
pub fn load(path: &Path) -> Result<Declarations, anyhow::Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read declarations file {}: {e}", path.display()))?;
    parse(&text, path).map_err(anyhow::Error::new)
}

/// Checks declarations given as text; `path` is used for messages and to resolve relative
/// paths against its folder.
pub fn parse(text: &str, path: &Path) -> Result<Declarations, LoadError> {
    let mut p = Problems::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            p.add(
                Pos { line: 1, col: 1 },
                "",
                "the file is empty; expected a mapping with `version: 1` and `systems`",
            );
            return Err(error(path, p));
        }
        Err(e) => {
            p.add(e.pos, "", format!("invalid YAML: {}", e.message));
            return Err(error(path, p));
        }
    };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let decl = read_root(&mut p, &root, path, &base_dir);
    if let Some(decl) = &decl {
        cross_check(&mut p, decl, &item_paths(&root));
    }
    match decl {
        Some(decl) if p.is_empty() => Ok(decl),
        _ => Err(error(path, p)),
    }
}

fn error(path: &Path, p: Problems) -> LoadError {
    LoadError {
        file: path.to_path_buf(),
        problems: p.into_sorted(),
    }
}

fn read_root(p: &mut Problems, root: &Node, path: &Path, base_dir: &Path) -> Option<Declarations> {
    let m = Map::open(p, root, "", keys::ROOT)?;
    m.req(p, "version", fields::version);
    let organization = m.opt(p, "organization", fields::string);
    let timezone = m
        .opt(p, "timezone", fields::timezone)
        .unwrap_or(chrono_tz::UTC);
    let defaults = m
        .get("defaults")
        .and_then(|n| read_defaults(p, n, "defaults"))
        .unwrap_or_default();
    let tiers = m
        .get("tiers")
        .map(|n| read_tiers(p, n, "tiers"))
        .unwrap_or_default();
    let checks = m
        .get("checks")
        .map(|n| read_checks(p, n, "checks"))
        .unwrap_or_default();
    if let Some(node) = m.get("systems") {
        duplicate_ids(p, node);
    }
    let systems = match m.require(p, "systems") {
        Some(node) => fields::items(p, node, "systems")
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                read_system(
                    p,
                    n,
                    &index("systems", i),
                    &tiers,
                    &defaults,
                    timezone,
                    base_dir,
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let evidence = m
        .get("evidence")
        .map(|node| {
            fields::items(p, node, "evidence")
                .iter()
                .enumerate()
                .filter_map(|(i, n)| read_evidence(p, n, &index("evidence", i)))
                .collect()
        })
        .unwrap_or_default();
    let waivers = m
        .get("waivers")
        .map(|node| {
            fields::items(p, node, "waivers")
                .iter()
                .enumerate()
                .filter_map(|(i, n)| read_waiver(p, n, &index("waivers", i)))
                .collect()
        })
        .unwrap_or_default();
    Some(Declarations {
        path: path.to_path_buf(),
        base_dir: base_dir.to_path_buf(),
        organization,
        timezone,
        defaults,
        tiers,
        systems,
        checks,
        evidence,
        waivers,
    })
}

fn read_defaults(p: &mut Problems, node: &Node, path: &str) -> Option<Defaults> {
    let m = Map::open(p, node, path, keys::DEFAULTS)?;
    let base = Defaults::default();
    Some(Defaults {
        window: m.opt(p, "window", fields::duration).unwrap_or(base.window),
        warn_ratio: m
            .opt(p, "warn_ratio", fields::ratio)
            .unwrap_or(base.warn_ratio),
        restore_test_max_age: m
            .opt(p, "restore_test_max_age", fields::duration)
            .unwrap_or(base.restore_test_max_age),
        runbook_review_max_age: m
            .opt(p, "runbook_review_max_age", fields::duration)
            .unwrap_or(base.runbook_review_max_age),
    })
}

fn read_tiers(p: &mut Problems, node: &Node, path: &str) -> Vec<Tier> {
    let Some(m) = Map::open_free(p, node, path) else {
        return Vec::new();
    };
    let mut tiers = Vec::new();
    for (key, value) in m.entries() {
        let Some(name) = key.scalar() else { continue };
        let tier_path = fields::join(path, name);
        if fields::id(p, key, &tier_path).is_none() {
            continue;
        }
        let Some(t) = Map::open(p, value, &tier_path, keys::TIER) else {
            continue;
        };
        tiers.push(Tier {
            id: name.to_owned(),
            rpo: t.opt(p, "rpo", fields::duration),
            rto: t.opt(p, "rto", fields::duration),
            restore_test_max_age: t.opt(p, "restore_test_max_age", fields::duration),
            runbook_required: t
                .opt(p, "runbook_required", fields::boolean)
                .unwrap_or(false),
            runbook_review_max_age: t.opt(p, "runbook_review_max_age", fields::duration),
            warn_ratio: t.opt(p, "warn_ratio", fields::ratio),
            pos: key.pos,
        });
    }
    tiers
}

fn read_checks(p: &mut Problems, node: &Node, path: &str) -> BTreeMap<String, SeverityOverride> {
    let Some(m) = Map::open_free(p, node, path) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (key, value) in m.entries() {
        let Some(name) = key.scalar() else { continue };
        let check_path = fields::join(path, name);
        if crate::checks::find(name).is_none() {
            let ids = crate::checks::ALL.iter().map(|c| c.id);
            let hint = suggestion(name, ids)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            p.add(
                key.pos,
                &check_path,
                format!("unknown check `{name}`{hint}; `drproof explain` lists them"),
            );
            continue;
        }
        let level = match value.scalar() {
            Some("violation") => SeverityOverride::Set(Severity::Violation),
            Some("warning") => SeverityOverride::Set(Severity::Warning),
            Some("info") => SeverityOverride::Set(Severity::Info),
            Some("off") => SeverityOverride::Off,
            other => {
                p.mismatch(
                    value.pos,
                    &check_path,
                    "violation, warning, info or off",
                    quote(other.unwrap_or("a collection")),
                );
                continue;
            }
        };
        out.insert(name.to_owned(), level);
    }
    out
}

fn read_system(
    p: &mut Problems,
    node: &Node,
    path: &str,
    tiers: &[Tier],
    defaults: &Defaults,
    timezone: chrono_tz::Tz,
    base_dir: &Path,
) -> Option<System> {
    let m = Map::open(p, node, path, keys::SYSTEM)?;
    let id = m.req(p, "id", fields::id);
    let tier_name = m.opt(p, "tier", fields::id);
    let tier = tier_name
        .as_deref()
        .and_then(|t| tiers.iter().find(|x| x.id == t));
    if let (Some(name), None) = (&tier_name, tier) {
        let hint = suggestion(name, tiers.iter().map(|t| t.id.as_str()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let declared: Vec<_> = tiers.iter().map(|t| t.id.as_str()).collect();
        let expected = if declared.is_empty() {
            "none are declared".to_owned()
        } else {
            declared.join(", ")
        };
        p.add(
            m.get("tier").map_or(node.pos, |n| n.pos),
            &m.path_of("tier"),
            format!("unknown tier `{name}`{hint}; declared tiers: {expected}"),
        );
    }
    let rpo = m
        .opt(p, "rpo", fields::duration)
        .or(tier.and_then(|t| t.rpo));
    let rto = m
        .opt(p, "rto", fields::duration)
        .or(tier.and_then(|t| t.rto));
    let from_where = |what: &str| match &tier_name {
        Some(t) => format!("missing `{what}`: declare it on the system or on tier `{t}`"),
        None => format!(
            "missing `{what}`: declare it on the system or give the system a tier that has one"
        ),
    };
    // Only when nothing was written: a bad value or an unknown tier is reported already.
    let tier_ok = tier_name.is_none() || tier.is_some();
    if rpo.is_none() && tier_ok && m.get("rpo").is_none() {
        p.add(node.pos, path, from_where("rpo"));
    }
    if rto.is_none() && tier_ok && m.get("rto").is_none() {
        p.add(node.pos, path, from_where("rto"));
    }
    let depends_on = m
        .opt(p, "depends_on", |p, n, path| {
            fields::list(p, n, path, fields::id)
        })
        .unwrap_or_default();
    let runbook_declared = m.opt(p, "runbook", fields::string);
    let backups = m
        .get("backups")
        .map(|n| {
            fields::items(p, n, &m.path_of("backups"))
                .iter()
                .enumerate()
                .filter_map(|(i, b)| read_backup(p, b, &index(&m.path_of("backups"), i), timezone))
                .collect()
        })
        .unwrap_or_default();
    let restore_tests_max_age = m.get("restore_tests").and_then(|n| {
        let r = Map::open(p, n, &m.path_of("restore_tests"), keys::RESTORE_TESTS)?;
        r.opt(p, "max_age", fields::duration)
    });
    let warn_ratio = m.opt(p, "warn_ratio", fields::ratio);
    let depends_on_ids: Vec<String> = depends_on.into_iter().map(|(id, _)| id).collect();
    Some(System {
        id: id?,
        name: m.opt(p, "name", fields::string),
        owner: m.opt(p, "owner", fields::string),
        tier: tier_name,
        rpo: rpo?,
        rto: rto?,
        depends_on: depends_on_ids,
        runbook: runbook_declared.as_ref().map(|r| base_dir.join(r)),
        runbook_declared,
        runbook_required: tier.is_some_and(|t| t.runbook_required),
        runbook_review_max_age: tier
            .and_then(|t| t.runbook_review_max_age)
            .unwrap_or(defaults.runbook_review_max_age),
        onboarded: m.opt(p, "onboarded", fields::date),
        backups,
        restore_test_max_age: restore_tests_max_age
            .or(tier.and_then(|t| t.restore_test_max_age))
            .unwrap_or(defaults.restore_test_max_age),
        warn_ratio: warn_ratio
            .or(tier.and_then(|t| t.warn_ratio))
            .unwrap_or(defaults.warn_ratio),
        pos: node.pos,
    })
}

fn read_backup(
    p: &mut Problems,
    node: &Node,
    path: &str,
    default_tz: chrono_tz::Tz,
) -> Option<BackupPolicy> {
    let m = Map::open(p, node, path, keys::BACKUP)?;
    let id = m.req(p, "id", fields::id);
    let timezone = m.opt(p, "timezone", fields::timezone);
    let every = m.opt(p, "every", fields::duration);
    let schedule = m.opt(p, "schedule", fields::string);
    let trigger = match (m.get("every"), m.get("schedule")) {
        (Some(_), Some(s)) => {
            p.add(
                s.pos,
                path,
                "both `schedule` and `every` are set; expected exactly one of them",
            );
            None
        }
        (None, None) => {
            p.add(
                node.pos,
                path,
                "neither `schedule` (a cron expression) nor `every` (an interval) is set; expected exactly one",
            );
            None
        }
        (Some(_), None) => {
            if let Some(tz_node) = m.get("timezone") {
                p.add(
                    tz_node.pos,
                    &m.path_of("timezone"),
                    "`timezone` applies to `schedule` only, not to `every`",
                );
            }
            every.map(Trigger::Every)
        }
        (None, Some(node)) => {
            schedule.and_then(
                |expression| match crate::schedule::parse_cron(&expression) {
                    Ok(_) => Some(Trigger::Cron {
                        expression,
                        timezone: timezone.unwrap_or(default_tz),
                    }),
                    Err(e) => {
                        // The cron error already says what was found.
                        p.add(node.pos, &m.path_of("schedule"), format!("expected {e}"));
                        None
                    }
                },
            )
        }
    };
    Some(BackupPolicy {
        id: id?,
        trigger: trigger?,
        grace: m.opt(p, "grace", fields::duration),
        retention: m.opt(p, "retention", fields::duration),
        offsite: m.opt(p, "offsite", fields::boolean).unwrap_or(false),
        pos: node.pos,
    })
}

fn read_evidence(p: &mut Problems, node: &Node, path: &str) -> Option<EvidenceSource> {
    let m = Map::open(p, node, path, keys::EVIDENCE)?;
    let source_path = m.req(p, "path", fields::string);
    let format = m.opt(p, "format", fields::string);
    let parsed_format = match (&format, m.get("format")) {
        (Some(f), Some(n)) => {
            let parsed = crate::evidence::Format::parse(f);
            if parsed.is_none() {
                let names = crate::evidence::Format::ALL.map(crate::evidence::Format::name);
                let hint = suggestion(f, names)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                p.mismatch(
                    n.pos,
                    &m.path_of("format"),
                    format!("one of {}{hint}", names.join(", ")),
                    quote(f),
                );
            }
            parsed
        }
        _ => None,
    };
    let systems_by = m
        .get("systems_by")
        .map(|n| read_systems_by(p, n, &m.path_of("systems_by")))
        .unwrap_or_default();
    if let (Some(format), Some(node)) = (parsed_format, m.get("systems_by")) {
        check_rules(p, node, &m.path_of("systems_by"), format, &systems_by);
    }
    Some(EvidenceSource {
        path: source_path?,
        format,
        system: m.opt(p, "system", fields::id),
        systems_by,
        timezone: m.opt(p, "timezone", fields::timezone),
        policy: m.opt(p, "policy", fields::id),
        pos: node.pos,
    })
}

/// `systems_by` rules must be ones the format understands (`label:*` allows `label:app`).
fn check_rules(
    p: &mut Problems,
    node: &Node,
    path: &str,
    format: crate::evidence::Format,
    rules: &BTreeMap<String, BTreeMap<String, String>>,
) {
    let known = format.rules().unwrap_or(&[]);
    for rule in rules.keys() {
        let fits = known.iter().any(|k| match k.strip_suffix('*') {
            Some(prefix) => rule.starts_with(prefix) && rule.len() > prefix.len(),
            None => rule == k,
        });
        if !fits {
            let expected = if known.is_empty() {
                format!("no `systems_by` for {format}: its records name their system")
            } else {
                format!("a {format} rule: {}", known.join(", ").replace('*', "KEY"))
            };
            p.mismatch(node.pos, &fields::join(path, rule), expected, quote(rule));
        }
    }
}

fn read_systems_by(
    p: &mut Problems,
    node: &Node,
    path: &str,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let Some(m) = Map::open_free(p, node, path) else {
        return BTreeMap::new();
    };
    let mut rules = BTreeMap::new();
    for (key, value) in m.entries() {
        let Some(rule) = key.scalar() else { continue };
        let rule_path = fields::join(path, rule);
        let Some(mapping) = Map::open_free(p, value, &rule_path) else {
            continue;
        };
        let mut values = BTreeMap::new();
        for (k, v) in mapping.entries() {
            let Some(from) = k.scalar() else { continue };
            if let Some(system) = fields::id(p, v, &format!("{rule_path}[{}]", quote(from))) {
                values.insert(from.to_owned(), system);
            }
        }
        rules.insert(rule.to_owned(), values);
    }
    rules
}

fn read_waiver(p: &mut Problems, node: &Node, path: &str) -> Option<Waiver> {
    let m = Map::open(p, node, path, keys::WAIVER)?;
    // Read every field before giving up, so that all of a waiver's problems are reported.
    let system = m.req(p, "system", fields::id);
    let check = m.req(p, "check", fields::string).filter(|id| {
        let known = crate::checks::find(id).is_some();
        if !known {
            let hint = suggestion(id, crate::checks::ALL.iter().map(|c| c.id))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let pos = m.get("check").map_or(node.pos, |n| n.pos);
            p.add(
                pos,
                &m.path_of("check"),
                format!("unknown check `{id}`{hint}; `drproof explain` lists them"),
            );
        }
        known
    });
    let reason = m.req(p, "reason", fields::string);
    let approved_by = m.req(p, "approved_by", fields::string);
    let expires = m.req(p, "expires", fields::date);
    Some(Waiver {
        system: system?,
        check: check?,
        reason: reason?,
        approved_by: approved_by?,
        expires: expires?,
        pos: node.pos,
    })
}

/// Duplicate system ids, and duplicate backup ids within a system, straight from the tree so
/// that they are found even in entries that have other problems.
fn duplicate_ids(p: &mut Problems, systems: &Node) {
    fn id_of(node: &Node) -> Option<(&str, Pos)> {
        let super::yaml::Value::Map(entries) = &node.value else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| k.scalar() == Some("id"))
            .and_then(|(_, v)| v.scalar().map(|s| (s, v.pos)))
    }
    let super::yaml::Value::Seq(items) = &systems.value else {
        return;
    };
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    for (i, system) in items.iter().enumerate() {
        if let Some((id, pos)) = id_of(system) {
            match seen.get(id) {
                Some(first) => p.add(
                    pos,
                    &format!("systems[{i}].id"),
                    format!(
                        "duplicate system id `{id}` (first declared at line {})",
                        first.line
                    ),
                ),
                None => {
                    seen.insert(id, pos);
                }
            }
        }
        let super::yaml::Value::Map(entries) = &system.value else {
            continue;
        };
        let Some((_, backups)) = entries.iter().find(|(k, _)| k.scalar() == Some("backups")) else {
            continue;
        };
        let super::yaml::Value::Seq(backups) = &backups.value else {
            continue;
        };
        let mut seen_backups: HashMap<&str, Pos> = HashMap::new();
        for (j, backup) in backups.iter().enumerate() {
            let Some((id, pos)) = id_of(backup) else {
                continue;
            };
            match seen_backups.get(id) {
                Some(first) => p.add(
                    pos,
                    &format!("systems[{i}].backups[{j}].id"),
                    format!(
                        "duplicate backup id `{id}` in this system (first declared at line {})",
                        first.line
                    ),
                ),
                None => {
                    seen_backups.insert(id, pos);
                }
            }
        }
    }
}

/// The field path (`systems[3]`) of every item of the top-level lists, by the position of its
/// node: items that could not be read are missing from the checked lists, so an item's index
/// there is not its index in the file.
fn item_paths(root: &Node) -> HashMap<Pos, String> {
    let mut paths = HashMap::new();
    let super::yaml::Value::Map(entries) = &root.value else {
        return paths;
    };
    for (key, value) in entries {
        let (Some(name), super::yaml::Value::Seq(items)) = (key.scalar(), &value.value) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            paths.insert(item.pos, index(name, i));
        }
    }
    paths
}

/// Rules that need the whole file: references and cycles.
fn cross_check(p: &mut Problems, decl: &Declarations, paths: &HashMap<Pos, String>) {
    let path_of =
        |pos: &Pos, list: &str| paths.get(pos).cloned().unwrap_or_else(|| list.to_owned());
    let first_seen: HashMap<&str, Pos> = decl
        .systems
        .iter()
        .map(|s| (s.id.as_str(), s.pos))
        .collect();
    let ids: Vec<&str> = decl.systems.iter().map(|s| s.id.as_str()).collect();
    let unknown_system = |p: &mut Problems, pos: Pos, path: &str, name: &str| {
        let hint = suggestion(name, ids.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        p.add(pos, path, format!("unknown system `{name}`{hint}"));
    };
    for s in &decl.systems {
        for (j, dep) in s.depends_on.iter().enumerate() {
            if !first_seen.contains_key(dep.as_str()) {
                let at = format!("{}.depends_on[{j}]", path_of(&s.pos, "systems"));
                unknown_system(p, s.pos, &at, dep);
            }
        }
    }
    for src in &decl.evidence {
        let item = path_of(&src.pos, "evidence");
        if let Some(system) = &src.system {
            if !first_seen.contains_key(system.as_str()) {
                unknown_system(p, src.pos, &format!("{item}.system"), system);
            }
        }
        for (rule, values) in &src.systems_by {
            for (from, system) in values {
                if !first_seen.contains_key(system.as_str()) {
                    unknown_system(
                        p,
                        src.pos,
                        &format!("{item}.systems_by.{rule}[{}]", quote(from)),
                        system,
                    );
                }
            }
        }
    }
    for w in &decl.waivers {
        if !first_seen.contains_key(w.system.as_str()) {
            let at = format!("{}.system", path_of(&w.pos, "waivers"));
            unknown_system(p, w.pos, &at, &w.system);
        }
    }
    for cycle in dependency_cycles(decl) {
        let pos = decl.system(&cycle[0]).map_or(Pos::default(), |s| s.pos);
        p.add(
            pos,
            &format!("{}.depends_on", path_of(&pos, "systems")),
            format!("dependency cycle: {}", cycle.join(" → ")),
        );
    }
}

/// Each elementary cycle once, named from its smallest id and closed (`a → b → a`).
pub(crate) fn dependency_cycles(decl: &Declarations) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let index: HashMap<&str, usize> = decl
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut marks = vec![Mark::New; decl.systems.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut cycles: Vec<Vec<String>> = Vec::new();

    fn visit(
        v: usize,
        decl: &Declarations,
        index: &HashMap<&str, usize>,
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        cycles: &mut Vec<Vec<String>>,
    ) {
        marks[v] = Mark::Active;
        stack.push(v);
        for dep in &decl.systems[v].depends_on {
            let Some(&w) = index.get(dep.as_str()) else {
                continue;
            };
            match marks[w] {
                Mark::New => visit(w, decl, index, marks, stack, cycles),
                Mark::Active => {
                    let start = stack.iter().position(|&x| x == w).unwrap_or(0);
                    let mut ids: Vec<String> = stack[start..]
                        .iter()
                        .map(|&x| decl.systems[x].id.clone())
                        .collect();
                    let min = ids
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.cmp(b.1))
                        .map_or(0, |(i, _)| i);
                    ids.rotate_left(min);
                    ids.push(ids[0].clone());
                    if !cycles.contains(&ids) {
                        cycles.push(ids);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[v] = Mark::Done;
    }

    for v in 0..decl.systems.len() {
        if marks[v] == Mark::New {
            visit(v, decl, &index, &mut marks, &mut stack, &mut cycles);
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(text: &str) -> Result<Declarations, LoadError> {
        parse(text, Path::new("d.yaml"))
    }

    fn cycles_of(edges: &[(&str, &[&str])]) -> Vec<Vec<String>> {
        let mut d = crate::declarations::test_support::declarations(Vec::new());
        for (id, deps) in edges {
            let mut s = crate::declarations::test_support::system(id);
            s.depends_on = deps.iter().map(|d| (*d).to_owned()).collect();
            d.systems.push(s);
        }
        dependency_cycles(&d)
    }

    #[test]
    fn cycles_are_found_once_and_named_from_their_smallest_id() {
        assert!(cycles_of(&[("a", &["b"]), ("b", &["c"]), ("c", &[])]).is_empty());
        assert_eq!(
            cycles_of(&[("b", &["c"]), ("c", &["a"]), ("a", &["b"])]),
            vec![vec!["a", "b", "c", "a"]]
        );
        assert_eq!(cycles_of(&[("x", &["x"])]), vec![vec!["x", "x"]]);
        // Two separate cycles, and a diamond that is not a cycle.
        let found = cycles_of(&[
            ("a", &["b"]),
            ("b", &["a"]),
            ("c", &["d", "e"]),
            ("d", &["f"]),
            ("e", &["f"]),
            ("f", &[]),
            ("g", &["h"]),
            ("h", &["g"]),
        ]);
        assert_eq!(found, vec![vec!["a", "b", "a"], vec!["g", "h", "g"]]);
    }

    #[test]
    fn rpo_and_rto_resolve_from_the_system_then_its_tier() {
        let d = decl("version: 1\ntiers:\n  t: { rpo: 1h, rto: 4h, restore_test_max_age: 90d }\nsystems:\n  - { id: a, tier: t, rpo: 5m, backups: [{ id: b, every: 1m }] }\n").unwrap();
        let a = &d.systems[0];
        assert_eq!(
            (a.rpo.secs(), a.rto.secs(), a.restore_test_max_age.secs()),
            (300, 14_400, 90 * 86_400)
        );
        assert_eq!(a.warn_ratio, crate::ratio::Ratio::new(8, 10));
    }

    #[test]
    fn every_problem_is_reported_in_one_run_sorted_by_position() {
        let err = decl("version: 1\nsystems:\n  - { id: a, rpo: 1x, rto: 1h }\n  - { id: a, rpo: 1h, rto: 2y }\n").unwrap_err();
        let lines: Vec<(usize, &str)> = err
            .problems
            .iter()
            .map(|p| (p.pos.line, p.path.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (3, "systems[0].rpo"),
                (4, "systems[1].id"),
                (4, "systems[1].rto")
            ]
        );
    }
}
