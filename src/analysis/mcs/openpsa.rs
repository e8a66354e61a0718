//! Open-PSA Model Exchange Format (MEF) XML of a fault tree, so that SCRAM and
//! other MEF tools can analyse the failure logic chokepoint computes.
//!
//! Shape: one `define-fault-tree` with a gate per root (named by the caller),
//! a gate `g<index>` per AND/OR node that some gate references, and `model-data`
//! with a `define-basic-event` per event that occurs, carrying `<float value=…/>`
//! when the caller gives the event a probability (none otherwise: analysts add
//! their data). Probabilities are written in the shortest form that reads back
//! to the same `f64`, so another tool computes with exactly our numbers. Every name becomes a valid MEF
//! identifier (letters, digits, `_`, single inner `-`; see [`mef_id`]) and unique
//! among all events, case-insensitively; the original name is kept as the
//! element's `label`. An AND/OR with one child is written as that child (MEF's
//! "null" gate); an empty AND as `<constant value="true"/>`, an empty OR and
//! `Never` as `<constant value="false"/>`. Repeated children are written once.

use super::{FaultTree, Node, NodeIx};
use std::collections::HashSet;
use std::fmt::Write;

/// A valid MEF identifier for `name`: ASCII letters, digits and `_` kept, `-`
/// kept between other characters (never doubled, leading or trailing), every
/// other character `_`; `_` in front when the result would be empty or start
/// with a digit or `-`.
pub fn mef_id(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1);
    for c in name.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '_' => out.push(c),
            '-' if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            '-' => {}
            _ => out.push('_'),
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `text` escaped for XML character data and attribute values, with characters
/// XML cannot carry and line breaks/tabs (a MEF label is one normalised line)
/// turned into spaces.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Hands out unique identifiers (case-insensitive, as MEF tools compare them).
#[derive(Default)]
struct Names {
    used: HashSet<String>,
}

impl Names {
    fn claim(&mut self, name: &str) -> String {
        let base = mef_id(name);
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.to_ascii_lowercase()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

fn label(out: &mut String, indent: &str, text: &str) {
    let t = xml_text(text);
    if !t.trim().is_empty() {
        let _ = writeln!(out, "{indent}<label>{}</label>", t.trim());
    }
}

/// The MEF document for `roots` (name, node). `event_names` gives the display
/// name of a raw event (made into an id and kept as the label).
pub fn write_open_psa(
    tree: &FaultTree,
    roots: &[(String, NodeIx)],
    event_names: &dyn Fn(u32) -> String,
) -> String {
    write_open_psa_with(tree, roots, event_names, &|_| None)
}

/// [`write_open_psa`] with `probability` giving each event's probability
/// (`None`: the event is written without one).
pub fn write_open_psa_with(
    tree: &FaultTree,
    roots: &[(String, NodeIx)],
    event_names: &dyn Fn(u32) -> String,
    probability: &dyn Fn(u32) -> Option<f64>,
) -> String {
    // Nodes reachable from a root, and which of them some gate references.
    let mut reach = vec![false; tree.nodes.len()];
    let mut referenced = vec![false; tree.nodes.len()];
    let mut stack: Vec<NodeIx> = roots.iter().map(|r| r.1).collect();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut reach[n as usize], true) {
            continue;
        }
        if let Node::And(c) | Node::Or(c) = &tree.nodes[n as usize] {
            for &x in c {
                referenced[x as usize] = true;
                stack.push(x);
            }
        }
    }
    let mut names = Names::default();
    let root_ids: Vec<String> = roots.iter().map(|(name, _)| names.claim(name)).collect();
    // Events in index order of first occurrence in the tree: deterministic.
    let mut event_id: Vec<Option<String>> = vec![None; tree.event_count as usize];
    let mut events: Vec<u32> = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        if let (true, Node::Event(e)) = (reach[i], node) {
            if event_id[*e as usize].is_none() {
                event_id[*e as usize] = Some(names.claim(&event_names(*e)));
                events.push(*e);
            }
        }
    }
    let gate_id: Vec<Option<String>> = tree
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| match node {
            Node::And(c) | Node::Or(c) if referenced[i] && c.len() > 1 => {
                Some(names.claim(&format!("g{i}")))
            }
            _ => None,
        })
        .collect();

    // A reference to node `n` as an argument (single-child gates collapse).
    let arg = |mut n: NodeIx| -> String {
        loop {
            match &tree.nodes[n as usize] {
                Node::Event(e) => {
                    let id = event_id[*e as usize].as_deref().expect("reachable event");
                    return format!("<basic-event name=\"{id}\"/>");
                }
                Node::Never | Node::Or(_) if is_empty(&tree.nodes[n as usize]) => {
                    return "<constant value=\"false\"/>".into()
                }
                Node::And(c) if c.is_empty() => return "<constant value=\"true\"/>".into(),
                Node::And(c) | Node::Or(c) if c.len() == 1 => n = c[0],
                _ => {
                    let id = gate_id[n as usize].as_deref().expect("referenced gate");
                    return format!("<gate name=\"{id}\"/>");
                }
            }
        }
    };
    let formula = |out: &mut String, n: NodeIx, indent: &str| match &tree.nodes[n as usize] {
        Node::And(c) | Node::Or(c) if c.len() > 1 => {
            let tag = if matches!(tree.nodes[n as usize], Node::And(_)) {
                "and"
            } else {
                "or"
            };
            let mut seen = HashSet::new();
            let args: Vec<String> = c
                .iter()
                .map(|&x| arg(x))
                .filter(|a| seen.insert(a.clone()))
                .collect();
            if let [only] = args.as_slice() {
                let _ = writeln!(out, "{indent}{only}");
                return;
            }
            let _ = writeln!(out, "{indent}<{tag}>");
            for a in args {
                let _ = writeln!(out, "{indent}  {a}");
            }
            let _ = writeln!(out, "{indent}</{tag}>");
        }
        _ => {
            let _ = writeln!(out, "{indent}{}", arg(n));
        }
    };

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opsa-mef>\n");
    out.push_str("  <define-fault-tree name=\"chokepoint\">\n");
    for ((name, n), id) in roots.iter().zip(&root_ids) {
        let _ = writeln!(out, "    <define-gate name=\"{id}\">");
        label(&mut out, "      ", name);
        formula(&mut out, *n, "      ");
        out.push_str("    </define-gate>\n");
    }
    for (i, id) in gate_id.iter().enumerate() {
        if let Some(id) = id {
            let _ = writeln!(out, "    <define-gate name=\"{id}\">");
            formula(&mut out, i as NodeIx, "      ");
            out.push_str("    </define-gate>\n");
        }
    }
    out.push_str("  </define-fault-tree>\n  <model-data>\n");
    for &e in &events {
        let id = event_id[e as usize].as_deref().expect("listed event");
        let _ = writeln!(out, "    <define-basic-event name=\"{id}\">");
        label(&mut out, "      ", &event_names(e));
        if let Some(p) = probability(e).filter(|p| p.is_finite()) {
            // `{:?}` is the shortest text that parses back to the same f64.
            let _ = writeln!(out, "      <float value=\"{p:?}\"/>");
        }
        out.push_str("    </define-basic-event>\n");
    }
    out.push_str("  </model-data>\n</opsa-mef>\n");
    out
}

fn is_empty(node: &Node) -> bool {
    match node {
        Node::Never => true,
        Node::Or(c) => c.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_mef_identifiers() {
        assert_eq!(mef_id("acme-gmbh"), "acme-gmbh");
        assert_eq!(mef_id("a.b c"), "a_b_c");
        assert_eq!(mef_id("--a--b--"), "a-b");
        assert_eq!(mef_id("3m"), "_3m");
        assert_eq!(mef_id(""), "_");
        assert_eq!(mef_id("Überall"), "_berall");
        let mut names = Names::default();
        assert_eq!(names.claim("a b"), "a_b");
        assert_eq!(names.claim("a_b"), "a_b-2");
        assert_eq!(names.claim("A_B"), "A_B-3");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(
            xml_text("R&D <\"x\">\n'y'"),
            "R&amp;D &lt;&quot;x&quot;&gt; &apos;y&apos;"
        );
    }

    #[test]
    fn writes_gates_events_and_constants() {
        let mut t = FaultTree {
            nodes: Vec::new(),
            event_count: 3,
        };
        let a = t.push(Node::Event(0));
        let b = t.push(Node::Event(1));
        let c = t.push(Node::Event(2));
        let never = t.push(Node::Never);
        let ab = t.push(Node::And(vec![a, b, a]));
        let single = t.push(Node::Or(vec![ab]));
        let top = t.push(Node::Or(vec![single, c, never]));
        let names = ["Acme & Co", "b.corp", "c"];
        let xml = write_open_psa(&t, &[("MRI 1.5T".into(), top)], &|e| {
            names[e as usize].to_string()
        });
        assert!(xml.contains("<define-gate name=\"MRI_1_5T\">"), "{xml}");
        assert!(xml.contains("<label>MRI 1.5T</label>"));
        assert!(xml.contains("<gate name=\"g4\"/>"));
        assert!(xml.contains("<constant value=\"false\"/>"));
        assert!(xml.contains("<define-basic-event name=\"Acme___Co\">"));
        assert!(xml.contains("<label>Acme &amp; Co</label>"));
        // The repeated child `a` is written once.
        assert_eq!(xml.matches("<basic-event name=\"Acme___Co\"/>").count(), 1);
    }
}
