//! JSON Schema of one line of drproof's JSON Lines evidence, published as
//! `docs/evidence-event.schema.json` (a test keeps the file equal to this).

use serde_json::{json, Value};

/// The JSON Schema (draft 2020-12) of one `drproof-jsonl` line.
pub fn jsonl_schema() -> Value {
    let time = |what: &str| {
        json!({
            "type": "string",
            "description": format!("{what}. RFC 3339 with an offset (`Z`, `+02:00`) and any fraction of a second; a time without an offset is accepted only from a source that declares a `timezone`."),
            "examples": ["2026-11-02T02:00:00Z", "2026-11-02T03:00:00.123+01:00"]
        })
    };
    let optional = |mut schema: Value| {
        if let Some(t) = schema.get("type").cloned() {
            schema["type"] = json!([t, "null"]);
        }
        schema
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "drproof evidence event",
        "description": "One line of drproof's JSON Lines evidence (`.jsonl`): a backup job or a restore test of one system. Unknown keys are ignored; `null` or an empty string means absent.",
        "type": "object",
        "required": ["system", "kind", "status", "started_at", "finished_at"],
        "properties": {
            "system": {
                "type": "string",
                "description": "Id of the system in the declarations file. May be omitted when the declared source gives `system:`.",
                "examples": ["payments-db"]
            },
            "kind": { "enum": ["backup", "restore_test"], "description": "A backup job or a restore test." },
            "status": { "enum": ["success", "failed", "partial"], "description": "Outcome; only `success` gives a recovery point or a passed test." },
            "started_at": time("When the job started"),
            "finished_at": time("When the job ended; not before `started_at`"),
            "point_in_time": optional(time("The instant the data reflects (snapshot time); not after `finished_at`. Absent: `started_at`")),
            "policy": optional(json!({
                "type": "string",
                "description": "Id of the system's backup policy (`backups[].id`) this job ran for.",
                "examples": ["nightly"]
            })),
            "size_bytes": optional(json!({ "type": "integer", "minimum": 0, "description": "Size of the backup in bytes." })),
            "location": optional(json!({
                "type": "string",
                "description": "Where the copy is kept: region, vault or repository.",
                "examples": ["eu-west-1"]
            }))
        },
        "additionalProperties": true
    })
}
