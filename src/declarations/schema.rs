//! JSON Schema of the declarations file, for editors (`# yaml-language-server: $schema=...`).
//!
//! Generated with schemars from types that mirror the file's shape one-to-one. The loader
//! reads the file through its own position-aware walker (to report every problem with its
//! line); a test below keeps the two in step, key for key.

#![allow(dead_code)] // the fields exist to be described, never read

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// `version: 1 ... systems: [...]`: the estate's critical systems and how to prove them.
#[derive(JsonSchema)]
#[schemars(title = "drproof declarations", deny_unknown_fields)]
struct DeclarationsFile {
    /// Format version of this file; always 1.
    #[schemars(range(min = 1, max = 1))]
    version: u32,
    /// Name shown on reports.
    organization: Option<String>,
    /// Default IANA timezone of cron schedules and `onboarded` dates; UTC when absent.
    timezone: Option<Timezone>,
    defaults: Option<DefaultsFile>,
    /// Named tiers giving default targets to their systems.
    tiers: Option<BTreeMap<String, TierFile>>,
    systems: Vec<SystemFile>,
    /// Severity of any check by id: violation, warning, info, or off.
    checks: Option<BTreeMap<String, Level>>,
    /// Where the evidence of backups and restore tests is read from.
    evidence: Option<Vec<EvidenceFile>>,
    /// Approved, time-limited exceptions to findings.
    waivers: Option<Vec<WaiverFile>>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct DefaultsFile {
    /// Review window of `check` (default 30d).
    window: Option<DurationText>,
    /// Warn when exposure passes this share of the RPO (default 0.8).
    warn_ratio: Option<Ratio>,
    /// Longest acceptable age of the latest successful restore test (default 365d).
    restore_test_max_age: Option<DurationText>,
    /// Longest acceptable time since a runbook's `last_reviewed` (default 365d).
    runbook_review_max_age: Option<DurationText>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct TierFile {
    /// Recovery point objective: the most data, in time, that may be lost.
    rpo: Option<DurationText>,
    /// Recovery time objective: the longest acceptable time to recover.
    rto: Option<DurationText>,
    restore_test_max_age: Option<DurationText>,
    /// Systems of this tier must have a runbook that exists.
    runbook_required: Option<bool>,
    runbook_review_max_age: Option<DurationText>,
    warn_ratio: Option<Ratio>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct SystemFile {
    /// Unique id: lowercase letters, digits, '.', '_', '-'.
    id: Id,
    name: Option<String>,
    tier: Option<Id>,
    owner: Option<String>,
    /// Overrides the tier's RPO.
    rpo: Option<DurationText>,
    /// Overrides the tier's RTO.
    rto: Option<DurationText>,
    warn_ratio: Option<Ratio>,
    /// Systems that must be recovered before this one.
    depends_on: Option<Vec<Id>>,
    /// Path of the recovery runbook (Markdown with YAML front matter), relative to this file.
    runbook: Option<String>,
    /// Date the system came under review (YYYY-MM-DD); no evidence is required before it.
    onboarded: Option<Date>,
    backups: Option<Vec<BackupFile>>,
    restore_tests: Option<RestoreTestsFile>,
}

/// A backup policy: exactly one of `schedule` (cron) or `every` (interval).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct BackupFile {
    /// Policy id, unique within the system; evidence names it in `policy`.
    id: Id,
    /// Interval between runs, such as `1m` or `6h`.
    every: Option<DurationText>,
    /// 5-field cron expression (minute hour day-of-month month day-of-week).
    schedule: Option<String>,
    /// IANA timezone of `schedule`; the file's `timezone` when absent.
    timezone: Option<Timezone>,
    /// How far from the scheduled time a run may start and still count.
    grace: Option<DurationText>,
    retention: Option<DurationText>,
    /// Copies leave the primary site.
    offsite: Option<bool>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RestoreTestsFile {
    /// Longest acceptable age of the latest successful restore test.
    max_age: Option<DurationText>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct EvidenceFile {
    /// File, folder or glob, relative to this file.
    path: String,
    /// drproof-csv, drproof-jsonl, restic, borg, pgbackrest, velero or aws-backup; by extension when absent.
    format: Option<String>,
    /// Every record of this source belongs to this system.
    system: Option<Id>,
    /// Attribution rule → tool value → system id, such as `{ tag: { fileshare: file-share } }`.
    systems_by: Option<BTreeMap<String, BTreeMap<String, Id>>>,
    /// Timezone of timestamps that carry no offset (Borg 1.x listings).
    timezone: Option<Timezone>,
    /// Policy id given to records that do not name one.
    policy: Option<Id>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct WaiverFile {
    system: Id,
    /// Check id, see `drproof explain`.
    check: String,
    reason: String,
    approved_by: String,
    /// Last day the waiver applies (YYYY-MM-DD).
    expires: Date,
}

macro_rules! string_schema {
    ($name:ident, $title:literal, $schema:tt) => {
        struct $name;
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $title.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_schema!(DurationText, "Duration", {
    "type": "string",
    "pattern": "^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$",
    "description": "Whole numbers with units s, m, h, d (24 h), w (7 d), largest first: 90s, 15m, 1h30m, 2w."
});
string_schema!(Id, "Id", { "type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$" });
string_schema!(Date, "Date", { "type": "string", "format": "date" });
string_schema!(Timezone, "Timezone", { "type": "string", "description": "IANA timezone such as Europe/London or UTC." });
string_schema!(Level, "Level", { "enum": ["violation", "warning", "info", "off"] });
string_schema!(Ratio, "Ratio", { "type": "number", "exclusiveMinimum": 0, "maximum": 1 });

/// The schema as pretty JSON with a trailing newline.
pub fn declarations_schema() -> String {
    let schema = schemars::schema_for!(DeclarationsFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::load::keys;
    use serde_json::Value;

    fn properties<'a>(schema: &'a Value, def: Option<&str>) -> Vec<&'a str> {
        let node = match def {
            Some(name) => &schema["$defs"][name],
            None => schema,
        };
        let mut keys: Vec<&str> = node["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }

    fn sorted(keys: &[&'static str]) -> Vec<&'static str> {
        let mut k = keys.to_vec();
        k.sort_unstable();
        k
    }

    #[test]
    fn schema_and_loader_know_the_same_keys() {
        let schema: Value = serde_json::from_str(&super::declarations_schema()).unwrap();
        assert_eq!(properties(&schema, None), sorted(keys::ROOT));
        assert_eq!(
            properties(&schema, Some("DefaultsFile")),
            sorted(keys::DEFAULTS)
        );
        assert_eq!(properties(&schema, Some("TierFile")), sorted(keys::TIER));
        assert_eq!(
            properties(&schema, Some("SystemFile")),
            sorted(keys::SYSTEM)
        );
        assert_eq!(
            properties(&schema, Some("BackupFile")),
            sorted(keys::BACKUP)
        );
        assert_eq!(
            properties(&schema, Some("RestoreTestsFile")),
            sorted(keys::RESTORE_TESTS)
        );
        assert_eq!(
            properties(&schema, Some("EvidenceFile")),
            sorted(keys::EVIDENCE)
        );
        assert_eq!(
            properties(&schema, Some("WaiverFile")),
            sorted(keys::WAIVER)
        );
    }

    #[test]
    fn shipped_schema_file_is_current() {
        let shipped = include_str!("../../docs/drproof.schema.json");
        assert_eq!(
            shipped,
            super::declarations_schema(),
            "run `cargo run -- schema > docs/drproof.schema.json`"
        );
    }
}
