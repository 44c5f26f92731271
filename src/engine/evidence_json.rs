//! The structured `evidence` objects attached to findings, and the report's point/test records:
//! the facts behind each message, with the file and line every figure came from.

use super::exposure::{Breach, RecoveryPoint};
use super::restore::RestoreTest;
use crate::evidence::Evidence;
use crate::findings::Finding;
use crate::report::model::{PointReport, TestReport};
use crate::time::seconds_json;
use serde_json::{json, Value};

/// Adds the fields of `object` to the finding's evidence.
pub fn attach(finding: &mut Finding, object: Value) {
    if let Value::Object(fields) = object {
        finding.evidence.extend(fields);
    }
}

pub fn point_report(point: RecoveryPoint, evidence: &Evidence) -> PointReport {
    PointReport {
        point_in_time: point.point,
        available_at: point.available,
        origin: point.origin.map(|o| evidence.describe(o)),
    }
}

pub fn test_report(test: &RestoreTest, evidence: &Evidence) -> TestReport {
    TestReport {
        started_at: test.started_at,
        finished_at: test.finished_at,
        status: test.status,
        duration_seconds: test.duration_nanos,
        origin: evidence.describe(test.origin),
    }
}

pub fn point_json(point: RecoveryPoint, evidence: &Evidence) -> Value {
    serde_json::to_value(point_report(point, evidence)).unwrap_or(Value::Null)
}

pub fn test_json(test: &RestoreTest, evidence: &Evidence) -> Value {
    serde_json::to_value(test_report(test, evidence)).unwrap_or(Value::Null)
}

pub fn breach_json(breach: &Breach, evidence: &Evidence) -> Value {
    json!({
        "start": breach.start,
        "end": breach.end,
        "duration_seconds": seconds_json(breach.duration_nanos()),
        "peak_exposure_seconds": breach.peak_nanos.map(seconds_json),
        "ongoing": breach.ongoing,
        "last_point_before": breach.last_point_before.map(|p| point_json(p, evidence)),
        "closed_by": breach.closed_by.map(|p| point_json(p, evidence)),
    })
}
