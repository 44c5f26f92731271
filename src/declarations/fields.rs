//! Typed readers over the position-carrying YAML tree.
//!
//! Each reader records a problem and returns `None` instead of failing, so the loader can keep
//! walking and report everything wrong with the file in one run.

use super::model::Pos;
use super::problems::{quote, suggestion, Problems};
use super::yaml::{Node, Type, Value};
use crate::duration::Duration;
use crate::ratio::Ratio;
use chrono::NaiveDate;
use chrono_tz::Tz;

/// A mapping being read: its entries, its path, and its known keys.
pub(crate) struct Map<'a> {
    pub(crate) node: &'a Node,
    pub(crate) path: String,
    entries: &'a [(Node, Node)],
}

impl<'a> Map<'a> {
    /// Opens `node` as a mapping whose keys must be among `known`; reports unknown keys (with
    /// a suggestion) and repeated keys.
    pub(crate) fn open(
        p: &mut Problems,
        node: &'a Node,
        path: &str,
        known: &[&str],
    ) -> Option<Self> {
        Self::open_checked(p, node, path, Some(known))
    }

    /// Opens a mapping whose keys are names chosen by the user (tiers, check ids, rules).
    pub(crate) fn open_free(p: &mut Problems, node: &'a Node, path: &str) -> Option<Self> {
        Self::open_checked(p, node, path, None)
    }

    fn open_checked(
        p: &mut Problems,
        node: &'a Node,
        path: &str,
        known: Option<&[&str]>,
    ) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            p.mismatch(node.pos, path, "a mapping", node.type_of().describe());
            return None;
        };
        let mut seen: Vec<&str> = Vec::with_capacity(entries.len());
        for (key, _) in entries {
            let Some(name) = key.scalar() else {
                p.mismatch(key.pos, path, "a plain key", key.type_of().describe());
                continue;
            };
            if seen.contains(&name) {
                p.add(
                    key.pos,
                    &join(path, name),
                    format!("key `{name}` appears more than once"),
                );
                continue;
            }
            seen.push(name);
            let Some(known) = known else { continue };
            if !known.contains(&name) {
                let hint = match suggestion(name, known.iter().copied()) {
                    Some(s) => format!(" (did you mean `{s}`?)"),
                    None => String::new(),
                };
                p.add(
                    key.pos,
                    &join(path, name),
                    format!(
                        "unknown key `{name}`{hint}; expected one of: {}",
                        known.join(", ")
                    ),
                );
            }
        }
        Some(Self {
            node,
            path: path.to_owned(),
            entries,
        })
    }

    /// The value of `key`, treating an explicit null as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    pub(crate) fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    pub(crate) fn require(&self, p: &mut Problems, key: &str) -> Option<&'a Node> {
        let found = self.get(key);
        if found.is_none() {
            p.add(
                self.node.pos,
                &self.path,
                format!("missing required key `{key}`"),
            );
        }
        found
    }

    /// Reads `key` with `read` if present.
    pub(crate) fn opt<T>(&self, p: &mut Problems, key: &str, read: Reader<T>) -> Option<T> {
        let node = self.get(key)?;
        read(p, node, &self.path_of(key))
    }

    /// Reads required `key` with `read`.
    pub(crate) fn req<T>(&self, p: &mut Problems, key: &str, read: Reader<T>) -> Option<T> {
        let node = self.require(p, key)?;
        read(p, node, &self.path_of(key))
    }

    pub(crate) fn entries(&self) -> &'a [(Node, Node)] {
        self.entries
    }
}

pub(crate) type Reader<T> = fn(&mut Problems, &Node, &str) -> Option<T>;

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn found(node: &Node) -> String {
    match node.scalar() {
        Some(text) if node.type_of() != Type::Null => {
            format!("{} {}", node.type_of().describe(), quote(text))
        }
        _ => node.type_of().describe().to_owned(),
    }
}

/// Any scalar that is not null, boolean-looking text included only when quoted.
pub(crate) fn string(p: &mut Problems, node: &Node, path: &str) -> Option<String> {
    match node.type_of() {
        Type::String | Type::Number => node.scalar().map(str::to_owned),
        _ => {
            p.mismatch(node.pos, path, "a string", found(node));
            None
        }
    }
}

pub(crate) fn boolean(p: &mut Problems, node: &Node, path: &str) -> Option<bool> {
    match (node.type_of(), node.scalar()) {
        (Type::Bool, Some(text)) => Some(text.eq_ignore_ascii_case("true")),
        _ => {
            p.mismatch(node.pos, path, "true or false", found(node));
            None
        }
    }
}

pub(crate) fn duration(p: &mut Problems, node: &Node, path: &str) -> Option<Duration> {
    let Some(text) = node
        .scalar()
        .filter(|_| matches!(node.type_of(), Type::String | Type::Number))
    else {
        p.mismatch(
            node.pos,
            path,
            "a duration such as `15m`, `4h`, `1d` or `1h30m`",
            found(node),
        );
        return None;
    };
    match Duration::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            p.mismatch(node.pos, path, e, quote(text));
            None
        }
    }
}

/// A ratio in (0, 1], such as `warn_ratio: 0.8`, kept exact (see [`Ratio`]).
pub(crate) fn ratio(p: &mut Problems, node: &Node, path: &str) -> Option<Ratio> {
    let value = node
        .scalar()
        .filter(|_| node.type_of() == Type::Number)
        .and_then(Ratio::parse);
    if value.is_none() {
        p.mismatch(
            node.pos,
            path,
            "a decimal number greater than 0 and at most 1, such as 0.8",
            found(node),
        );
    }
    value
}

pub(crate) fn date(p: &mut Problems, node: &Node, path: &str) -> Option<NaiveDate> {
    let parsed = node
        .scalar()
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok());
    if let Some(d) = parsed.filter(|d| !crate::time::date_in_range(*d)) {
        p.mismatch(
            node.pos,
            path,
            crate::time::DATE_RANGE,
            quote(&d.to_string()),
        );
        return None;
    }
    if parsed.is_none() {
        p.mismatch(
            node.pos,
            path,
            "a date such as 2026-03-01 (YYYY-MM-DD)",
            found(node),
        );
    }
    parsed
}

pub(crate) fn timezone(p: &mut Problems, node: &Node, path: &str) -> Option<Tz> {
    let text = string(p, node, path)?;
    match text.parse::<Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let hint = match suggestion(&text, names) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None => String::new(),
            };
            p.mismatch(
                node.pos,
                path,
                format!("an IANA timezone such as Europe/London or UTC{hint}"),
                quote(&text),
            );
            None
        }
    }
}

/// Identifiers of systems, backups and tiers: lowercase letters, digits, `.`, `_`, `-`, and
/// starting with a letter or digit, so they are safe in file names, URLs and metric labels.
pub(crate) fn id(p: &mut Problems, node: &Node, path: &str) -> Option<String> {
    let text = string(p, node, path)?;
    let valid = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if valid {
        Some(text)
    } else {
        p.mismatch(
            node.pos,
            path,
            "an id of lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
            quote(&text),
        );
        None
    }
}

/// A list whose items are read with `read`; a single scalar is not silently promoted.
pub(crate) fn list<T>(
    p: &mut Problems,
    node: &Node,
    path: &str,
    read: Reader<T>,
) -> Option<Vec<(T, Pos)>> {
    let Value::Seq(items) = &node.value else {
        p.mismatch(node.pos, path, "a list", found(node));
        return None;
    };
    Some(
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read(p, item, &index(path, i)).map(|v| (v, item.pos)))
            .collect(),
    )
}

/// The items of a list node (reporting a non-list).
pub(crate) fn items<'a>(p: &mut Problems, node: &'a Node, path: &str) -> &'a [Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => {
            p.mismatch(node.pos, path, "a list", found(node));
            &[]
        }
    }
}

/// Only the literal `1` is a version this drproof understands.
pub(crate) fn version(p: &mut Problems, node: &Node, path: &str) -> Option<u32> {
    match node.scalar() {
        Some("1") if node.type_of() == Type::Number => Some(1),
        _ => {
            p.mismatch(
                node.pos,
                path,
                "1 (the only declarations version this drproof reads)",
                found(node),
            );
            None
        }
    }
}
