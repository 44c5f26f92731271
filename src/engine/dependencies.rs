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
        lacking_below: HashMap::new(),
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
    /// Systems below each computed system (its dependencies, transitively) without a test,
    /// kept whatever the system's own estimate is, so that every blocker is named.
    lacking_below: HashMap<&'a str, BTreeSet<String>>,
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
                RecoveryEstimate::DependenciesWithoutTest { .. } => {}
                RecoveryEstimate::Cycle => cycle = true,
            }
            if let Some(deeper) = self.lacking_below.get(dependency.as_str()) {
                lacking.extend(deeper.iter().cloned());
            }
        }
        self.lacking_below.insert(id, lacking.clone());
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

    mod brute_force {
        use super::*;
        use proptest::prelude::*;

        /// The definition, recomputed naively for every system and every path.
        fn total(id: usize, deps: &[Vec<usize>], own: &[Option<i64>]) -> i64 {
            own[id].unwrap_or(0)
                + deps[id]
                    .iter()
                    .map(|&d| total(d, deps, own))
                    .max()
                    .unwrap_or(0)
        }

        fn closure(id: usize, deps: &[Vec<usize>], into: &mut BTreeSet<usize>) {
            for &d in &deps[id] {
                if into.insert(d) {
                    closure(d, deps, into);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]
            /// Random acyclic estates (a system depends only on systems declared after it).
            #[test]
            fn estimates_match_the_definition(
                n in 1usize..8,
                edges in proptest::collection::vec((0usize..8, 0usize..8), 0..16),
                tests in proptest::collection::vec(proptest::option::weighted(0.8, 1i64..100), 8),
            ) {
                let mut deps = vec![Vec::new(); n];
                for (a, b) in edges {
                    let (a, b) = (a % n, b % n);
                    if a < b && !deps[a].contains(&b) {
                        deps[a].push(b);
                    }
                }
                let name = |i: usize| format!("s{i}");
                let names: Vec<String> = (0..n).map(name).collect();
                let systems = (0..n).map(|i| {
                    let mut s = system(&names[i]);
                    s.depends_on = deps[i].iter().map(|&d| name(d)).collect();
                    s
                }).collect();
                let decl = declarations(systems);
                let own_tests = &tests[..n];
                let own: HashMap<&str, Option<i64>> = names.iter().map(String::as_str).zip(own_tests.iter().copied()).collect();
                let estimates = recovery_estimates(&decl, &own);
                for i in 0..n {
                    let mut reach = BTreeSet::new();
                    closure(i, &deps, &mut reach);
                    let mut lacking: Vec<String> = reach.iter().filter(|&&d| own_tests[d].is_none()).map(|&d| name(d)).collect();
                    lacking.sort();
                    let got = &estimates[&names[i]];
                    if own_tests[i].is_none() {
                        prop_assert_eq!(got, &RecoveryEstimate::NoOwnTest);
                    } else if !lacking.is_empty() {
                        prop_assert_eq!(got.lacking(), &lacking[..]);
                        prop_assert_eq!(got.total_nanos(), None);
                    } else {
                        let expected = total(i, &deps, own_tests);
                        prop_assert_eq!(got.total_nanos(), Some(expected));
                        // The critical path is a real chain ending at the system whose tests add
                        // up to the estimate.
                        let path = got.critical_path();
                        prop_assert_eq!(path.last(), Some(&names[i]));
                        let index = |id: &String| names.iter().position(|x| x == id).unwrap();
                        let sum: i64 = path.iter().map(|id| own_tests[index(id)].unwrap()).sum();
                        prop_assert_eq!(sum, expected);
                        for pair in path.windows(2) {
                            prop_assert!(deps[index(&pair[1])].contains(&index(&pair[0])), "{:?}", path);
                        }
                    }
                }
            }
        }
    }
}
