//! The engines against each other and against brute force on random trees.

use super::{brute, families, zbdd, FaultTree, LimitExceeded, Limits, Node, NodeIx};
use proptest::prelude::*;

/// A random tree: `events` event nodes (some events twice), then gates over
/// earlier nodes (so subtrees are shared), with `Never`, empty ANDs and ORs.
fn arb_tree() -> impl Strategy<Value = (FaultTree, Vec<NodeIx>, usize)> {
    (1u32..=9, 1usize..=14, 1usize..=6).prop_flat_map(|(events, gates, order)| {
        let leaves = (events + 2) as usize;
        let gate = (
            0u8..10,
            prop::collection::vec(any::<prop::sample::Index>(), 0..5),
        );
        (
            prop::collection::vec(0..events, leaves),
            prop::collection::vec(gate, gates),
            prop::collection::vec(any::<prop::sample::Index>(), 1..4),
            Just(events),
            Just(order),
        )
            .prop_map(|(leaf_events, gates, roots, events, order)| {
                let mut t = FaultTree {
                    nodes: Vec::new(),
                    event_count: events,
                };
                // Every event once, then a few repeats and a Never.
                for e in 0..events {
                    t.push(Node::Event(e));
                }
                for &e in &leaf_events[..2] {
                    t.push(Node::Event(e));
                }
                t.push(Node::Never);
                for (kind, children) in gates {
                    let n = t.nodes.len();
                    let c: Vec<NodeIx> = children.iter().map(|i| i.index(n) as NodeIx).collect();
                    // Mostly 2+ children; empty gates and single children now and then.
                    let c = if c.is_empty() && kind % 3 != 0 {
                        vec![(n - 1) as NodeIx, (n / 2) as NodeIx]
                    } else {
                        c
                    };
                    t.push(if kind < 5 { Node::And(c) } else { Node::Or(c) });
                }
                let n = t.nodes.len();
                let mut roots: Vec<NodeIx> = roots.iter().map(|i| i.index(n) as NodeIx).collect();
                // The last gate is always a root: the deepest one.
                roots.push((n - 1) as NodeIx);
                (t, roots, order)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn zbdd_and_families_equal_brute_force((tree, roots, order) in arb_tree()) {
        let limits = Limits::default();
        let expected = brute::cut_sets(&tree, &roots, order);
        let z = zbdd::cut_sets(&tree, &roots, order, &limits).unwrap();
        prop_assert_eq!(&z, &expected, "zbdd, order {}", order);
        let f = families::cut_sets(&tree, &roots, order, &limits).unwrap();
        prop_assert_eq!(&f, &expected, "families, order {}", order);
    }
}

/// An AND of `systems` ORs of `parts` distinct events each.
fn and_of_ors(systems: u32, parts: u32) -> (FaultTree, NodeIx) {
    let mut t = FaultTree {
        nodes: Vec::new(),
        event_count: systems * parts,
    };
    let mut ors = Vec::new();
    for s in 0..systems {
        let ev: Vec<NodeIx> = (0..parts)
            .map(|p| t.push(Node::Event(s * parts + p)))
            .collect();
        ors.push(t.push(Node::Or(ev)));
    }
    let top = t.push(Node::And(ors));
    (t, top)
}

#[test]
fn six_subsystems_of_thirty_parts_hit_the_set_limit_quickly() {
    // Issue 18: one of six subsystems, each needing 30 single-sourced parts;
    // order 6 has 30^6 = 729,000,000 minimal cut sets.
    let (t, top) = and_of_ors(6, 30);
    let start = std::time::Instant::now();
    for max_sets in [Limits::default().max_sets, 1000] {
        let limits = Limits {
            max_sets,
            ..Limits::default()
        };
        assert_eq!(
            zbdd::cut_sets(&t, &[top], 6, &limits),
            Err(LimitExceeded::Sets { limit: max_sets })
        );
    }
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    // Order 5 has no set at all; order 6 below the limit lists them.
    assert_eq!(
        zbdd::cut_sets(&t, &[top], 5, &Limits::default()),
        Ok(vec![vec![]])
    );
    let (small, top) = and_of_ors(6, 3);
    let sets = zbdd::cut_sets(&small, &[top], 6, &Limits::default()).unwrap();
    assert_eq!(sets[0].len(), 729);
    assert_eq!(sets[0][0], vec![0, 3, 6, 9, 12, 15]);
}

#[test]
fn work_limit_ends_the_run() {
    let (t, top) = and_of_ors(6, 30);
    let limits = Limits {
        max_sets: usize::MAX,
        max_work: 100,
    };
    assert_eq!(
        zbdd::cut_sets(&t, &[top], 6, &limits),
        Err(LimitExceeded::Work { limit: 100 })
    );
    assert_eq!(
        families::cut_sets(&t, &[top], 6, &limits),
        Err(LimitExceeded::Work { limit: 100 })
    );
}

#[test]
fn deep_chains_do_not_overflow_the_stack() {
    // 100,000 nested gates, alternately OR and AND with a fresh event, and an OR
    // of 100,000 events (a 100,000-node chain in the diagram).
    let n = 100_000u32;
    let mut t = FaultTree {
        nodes: Vec::new(),
        event_count: n + 1,
    };
    let mut g = t.push(Node::Event(n));
    for e in 0..n {
        let ev = t.push(Node::Event(e));
        g = t.push(if e % 2 == 0 {
            Node::Or(vec![g, ev])
        } else {
            Node::And(vec![g, ev])
        });
    }
    let flat: Vec<NodeIx> = (0..t.nodes.len() as NodeIx)
        .filter(|&i| matches!(t.nodes[i as usize], Node::Event(_)))
        .collect();
    let wide = t.push(Node::Or(flat));
    let got = zbdd::cut_sets(&t, &[g, wide], 2, &Limits::default()).unwrap();
    assert_eq!(got[1].len(), n as usize + 1);
    // The top is AND(…, e_{n-1}) over OR(…, e_{n-2}): {e_{n-2}, e_{n-1}} is a cut.
    assert!(got[0].contains(&vec![n - 2, n - 1]));
}

#[test]
fn constants_and_degenerate_roots() {
    let mut t = FaultTree {
        nodes: Vec::new(),
        event_count: 1,
    };
    let never = t.push(Node::Never);
    let always = t.push(Node::And(vec![]));
    let empty_or = t.push(Node::Or(vec![]));
    let e = t.push(Node::Event(0));
    let roots = [never, always, empty_or, e];
    let want = vec![vec![], vec![vec![]], vec![], vec![vec![0]]];
    assert_eq!(
        zbdd::cut_sets(&t, &roots, 3, &Limits::default()).unwrap(),
        want
    );
    assert_eq!(
        families::cut_sets(&t, &roots, 3, &Limits::default()).unwrap(),
        want
    );
    assert_eq!(brute::cut_sets(&t, &roots, 3), want);
}

/// Random DAGs large enough for collections (in tests after 64 nodes) and for
/// single-event cut sets of one or several roots: the ZBDD against the families.
#[test]
fn larger_dags_agree_with_the_family_engine() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for round in 0..12 {
        let events = 20 + below(30) as u32;
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: events,
        };
        for e in 0..events {
            t.push(Node::Event(e));
        }
        for g in 0..150 + below(150) {
            let n = t.nodes.len();
            let c: Vec<NodeIx> = (0..2 + below(4))
                .map(|_| {
                    if below(4) != 0 {
                        (n - 1 - below(n.min(20))) as NodeIx
                    } else {
                        below(n) as NodeIx
                    }
                })
                .collect();
            t.push(if (g + below(3)) % 3 == 0 {
                Node::And(c)
            } else {
                Node::Or(c)
            });
        }
        let n = t.nodes.len() as NodeIx;
        let roots: Vec<NodeIx> = if round % 2 == 0 {
            vec![n - 1]
        } else {
            vec![n - 1, n - 2, n - 1 - below(40) as NodeIx]
        };
        for order in 1..=3 {
            let limits = Limits::default();
            let z = zbdd::cut_sets(&t, &roots, order, &limits).unwrap();
            let f = families::cut_sets(&t, &roots, order, &limits).unwrap();
            assert_eq!(z, f, "round {round}, order {order}");
        }
    }
}

#[test]
fn progress_counts_every_gate_of_both_passes_and_ends_at_the_total() {
    // An OR chain of 5,000 events: 10,000 nodes needed, two passes at order 2.
    let n = 5_000u32;
    let mut t = FaultTree {
        nodes: Vec::new(),
        event_count: n,
    };
    let mut g = t.push(Node::Event(0));
    for e in 1..n {
        let ev = t.push(Node::Event(e));
        g = t.push(Node::Or(vec![g, ev]));
    }
    let needed = t.nodes.len() as u64;
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let got = zbdd::cut_sets_with_progress(&t, &[g], 2, &Limits::default(), &mut |d, total| {
        seen.push((d, total))
    })
    .unwrap();
    assert_eq!(got[0].len(), n as usize);
    assert!(
        seen.iter().all(|&(_, total)| total == 2 * needed),
        "{seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "not monotonic");
    assert_eq!(seen.last(), Some(&(2 * needed, 2 * needed)));
    // Reported every 1,024 gates of each pass, then once at the end.
    assert_eq!(seen.len() as u64, 2 * (needed / 1024) + 1);
}
