//! Waivers: approved, time-limited exceptions. A waived finding stays in the report, marked with
//! its reason and approver, but no longer counts toward status or exit code.

use crate::declarations::{Declarations, Waiver};
use crate::findings::{AppliedWaiver, Finding};
use crate::time::Timestamp;

/// The first instant after the waiver's last day (`expires` is inclusive, in the declarations'
/// timezone). `None` only for dates at the very end of the calendar, which never expire.
pub fn waiver_end(waiver: &Waiver, decl: &Declarations) -> Option<Timestamp> {
    let next_day = waiver.expires.succ_opt()?;
    Timestamp::start_of_day(next_day, &decl.timezone)
}

/// Whether the waiver still applies at `as_of`: on or before the end of its `expires` day.
pub fn is_in_force(waiver: &Waiver, decl: &Declarations, as_of: Timestamp) -> bool {
    // Dates are range-checked when loaded, so the end always exists; if it did not, the safe
    // reading is "expired": a waiver must never apply forever by accident.
    waiver_end(waiver, decl).is_some_and(|end| as_of < end)
}

/// Marks the findings that a waiver in force matches (same system and check id). Returns the
/// waivers that have expired, for `waiver-expired` findings.
pub fn apply_waivers<'d>(
    decl: &'d Declarations,
    findings: &mut [Finding],
    as_of: Timestamp,
) -> Vec<&'d Waiver> {
    let mut expired = Vec::new();
    for waiver in &decl.waivers {
        if !is_in_force(waiver, decl, as_of) {
            expired.push(waiver);
            continue;
        }
        for finding in findings
            .iter_mut()
            .filter(|f| matches(waiver, f) && f.waiver.is_none())
        {
            finding.waiver = Some(AppliedWaiver {
                reason: waiver.reason.clone(),
                approved_by: waiver.approved_by.clone(),
                expires: waiver.expires,
            });
        }
    }
    expired
}

/// Applies the waivers in force to `findings` and appends a `waiver-expired` finding for each
/// expired waiver: the one step both `validate` and `check` take.
pub fn judge(decl: &Declarations, findings: &mut Vec<Finding>, as_of: Timestamp) {
    let expired = apply_waivers(decl, findings, as_of);
    let mut sink = crate::findings::Findings::new(decl.checks.clone());
    for waiver in expired {
        crate::checks::waiver_expired::raise(&mut sink, waiver);
    }
    findings.extend(sink.into_vec());
}

fn matches(waiver: &Waiver, finding: &Finding) -> bool {
    finding.system.as_deref() == Some(waiver.system.as_str()) && finding.check.id == waiver.check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declarations::test_support::{declarations, system};
    use crate::declarations::{Pos, Severity};
    use chrono::NaiveDate;

    fn waiver(expires: NaiveDate) -> Waiver {
        Waiver {
            system: "crm".into(),
            check: "restore-test-stale".into(),
            reason: "migration".into(),
            approved_by: "cio@example.com".into(),
            expires,
            pos: Pos::default(),
        }
    }

    fn finding(check: &'static crate::checks::Check, system: &str) -> Finding {
        Finding {
            system: Some(system.into()),
            check,
            severity: Severity::Violation,
            message: "m".into(),
            evidence: Default::default(),
            waiver: None,
        }
    }

    #[test]
    fn expires_is_inclusive_in_the_declarations_timezone() {
        let mut decl = declarations(vec![system("crm")]);
        decl.timezone = "Europe/Berlin".parse().unwrap();
        let w = waiver(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        // end of 31 Dec in Berlin is 2026-12-31T23:00:00Z
        assert!(is_in_force(
            &w,
            &decl,
            Timestamp::parse_rfc3339("2026-12-31T22:59:59.999999999Z").unwrap()
        ));
        assert!(!is_in_force(
            &w,
            &decl,
            Timestamp::parse_rfc3339("2026-12-31T23:00:00Z").unwrap()
        ));
    }

    #[test]
    fn waives_only_matching_findings_and_reports_expired_ones() {
        let mut decl = declarations(vec![system("crm")]);
        decl.waivers = vec![waiver(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())];
        let mut findings = vec![
            finding(&crate::checks::restore_test_stale::CHECK, "crm"),
            finding(&crate::checks::restore_test_failed::CHECK, "crm"),
            finding(&crate::checks::restore_test_stale::CHECK, "erp"),
        ];
        let expired = apply_waivers(
            &decl,
            &mut findings,
            Timestamp::parse_rfc3339("2026-12-01T00:00:00Z").unwrap(),
        );
        assert!(expired.is_empty());
        assert_eq!(
            findings
                .iter()
                .map(|f| f.waiver.is_some())
                .collect::<Vec<_>>(),
            [true, false, false]
        );

        let mut findings = vec![finding(&crate::checks::restore_test_stale::CHECK, "crm")];
        let expired = apply_waivers(
            &decl,
            &mut findings,
            Timestamp::parse_rfc3339("2027-01-01T00:00:00Z").unwrap(),
        );
        assert_eq!(expired.len(), 1);
        assert!(findings[0].waiver.is_none());
    }
}
