//! Dependency-aware recovery time: a system cannot be back before what it depends on.
//!
//! estimate(s) = duration of s's latest successful restore test + max over its dependencies of
//! estimate(dependency). Independent dependencies recover in parallel, hence the max. The
//! critical path is the chain realising that max, listed in recovery order: the deepest
//! dependency first, the system itself last (`[db, api, web]` reads "db, then api, then web").

use crate::declarations::Declarations;
use std::collections::{BTreeSet, HashMap};

/// What can be said about a system's recovery time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryEstimate {
    Known {
        total_nanos: i64,
        critical_path: Vec<String>,
    },
    /// The system has no successful restore test (already a `restore-test-missing` finding).
    NoOwnTest,
    /// The system has a test but some system it depends on (directly or not) has none.
    DependenciesWithoutTest { lacking: Vec<String> },
    /// A dependency cycle (rejected when loading; kept so a bad input cannot loop forever).
    Cycle,
}

impl RecoveryEstimate {
    pub fn total_nanos(&self) -> Option<i64> {
        match self {
            RecoveryEstimate::Known { total_nanos, .. } => Some(*total_nanos),
            _ => None,
        }
    }
    pub fn critical_path(&self) -> &[String] {
        match self {
            RecoveryEstimate::Known { critical_path, .. } => critical_path,
            _ => &[],
        }
    }
    /// Systems in the dependency closure that lack a successful test.
    pub fn lacking(&self) -> &[String] {
        match self {
            RecoveryEstimate::DependenciesWithoutTest { lacking } => lacking,
            _ => &[],
        }
    }
}

/// Estimates every system's recovery time from the duration of its own latest successful test
/// (`own_test`: system id → duration, absent or `None` when the system has none). Memoized
/// depth-first search: each system is computed once, O(systems + dependency edges).
pub fn recovery_estimates(
    decl: &Declarations,
    own_test: &HashMap<&str, Option<i64>>,
) -> HashMap<String, RecoveryEstimate> {
    let mut search = Search {
        decl,
        own_test,
        state: HashMap::new(),
    };
    for system in &decl.systems {
        search.estimate(&system.id);
    }
    search
        .state
        .into_iter()
        .filter_map(|(id, state)| match state {
            Visit::Done(estimate) => Some((id.to_owned(), estimate)),
            Visit::InProgress => None,
        })
        .collect()
}

enum Visit {
    InProgress,
    Done(RecoveryEstimate),
}

struct Search<'a> {
    decl: &'a Declarations,
    own_test: &'a HashMap<&'a str, Option<i64>>,
    state: HashMap<&'a str, Visit>,
}

impl<'a> Search<'a> {
    fn estimate(&mut self, id: &'a str) -> RecoveryEstimate {
        match self.state.get(id) {
            Some(Visit::Done(estimate)) => return estimate.clone(),
            Some(Visit::InProgress) => return RecoveryEstimate::Cycle,
            None => {}
        }
        self.state.insert(id, Visit::InProgress);
        let estimate = self.compute(id);
        self.state.insert(id, Visit::Done(estimate.clone()));
        estimate
    }

    fn compute(&mut self, id: &'a str) -> RecoveryEstimate {
        let own = self.own_test.get(id).copied().flatten();
        let depends_on: &'a [String] = self
            .decl
            .system(id)
            .map_or(&[], |s| s.depends_on.as_slice());
        let mut slowest: Option<(i64, Vec<String>)> = None;
        let mut lacking = BTreeSet::new();
        let mut cycle = false;
        for dependency in depends_on {
            match self.estimate(dependency) {
                RecoveryEstimate::Known {
                    total_nanos,
                    critical_path,
                } => {
                    if slowest.as_ref().is_none_or(|(t, _)| total_nanos > *t) {
                        slowest = Some((total_nanos, critical_path));
                    }
                }
                RecoveryEstimate::NoOwnTest => {
                    lacking.insert(dependency.clone());
                }
                RecoveryEstimate::DependenciesWithoutTest { lacking: deeper } => {
                    lacking.extend(deeper)
                }
                RecoveryEstimate::Cycle => cycle = true,
            }
        }
        let Some(own) = own else {
            return RecoveryEstimate::NoOwnTest;
        };
        if cycle {
            return RecoveryEstimate::Cycle;
        }
        if !lacking.is_empty() {
            return RecoveryEstimate::DependenciesWithoutTest {
                lacking: lacking.into_iter().collect(),
            };
        }
        let (before, mut critical_path) = slowest.unwrap_or_default();
        critical_path.push(id.to_owned());
        RecoveryEstimate::Known {
            total_nanos: own.saturating_add(before),
            critical_path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declarations::test_support::{declarations, system};

    #[test]
    fn chain_adds_up_along_the_slowest_dependency() {
        let mut web = system("web");
        web.depends_on = vec!["api".into(), "cache".into()];
        let mut api = system("api");
        api.depends_on = vec!["db".into()];
        let decl = declarations(vec![web, api, system("cache"), system("db")]);
        let own = HashMap::from([
            ("web", Some(10)),
            ("api", Some(20)),
            ("cache", Some(25)),
            ("db", Some(30)),
        ]);
        let estimates = recovery_estimates(&decl, &own);
        assert_eq!(
            estimates["web"],
            RecoveryEstimate::Known {
                total_nanos: 60,
                critical_path: vec!["db".into(), "api".into(), "web".into()]
            }
        );
        assert_eq!(estimates["cache"].total_nanos(), Some(25));
    }

    #[test]
    fn a_dependency_without_test_leaves_the_estimate_unknown_and_is_named() {
        let mut web = system("web");
        web.depends_on = vec!["api".into()];
        let mut api = system("api");
        api.depends_on = vec!["db".into()];
        let decl = declarations(vec![web, api, system("db")]);
        let own = HashMap::from([("web", Some(10)), ("api", Some(20)), ("db", None)]);
        let estimates = recovery_estimates(&decl, &own);
        assert_eq!(estimates["db"], RecoveryEstimate::NoOwnTest);
        assert_eq!(estimates["api"].lacking(), ["db".to_string()]);
        assert_eq!(estimates["web"].lacking(), ["db".to_string()]);
        assert_eq!(estimates["web"].total_nanos(), None);
    }

    #[test]
    fn cycles_terminate() {
        let mut a = system("a");
        a.depends_on = vec!["b".into()];
        let mut b = system("b");
        b.depends_on = vec!["a".into()];
        let decl = declarations(vec![a, b]);
        let own = HashMap::from([("a", Some(1)), ("b", Some(1))]);
        let estimates = recovery_estimates(&decl, &own);
        assert_eq!(estimates["a"].total_nanos(), None);
        assert_eq!(estimates["b"].total_nanos(), None);
    }
}
