//! Diagnostic codes, enumerated as cargo-deny enumerates its checks: every
//! code of the tool is a `load::Code` (loading, importing, actions and weights
//! files, the command line), unique, documented in docs/ (a table row
//! `| CODE |`), and every one has a hint.

use crate::support::root;
use chokepoint::load::{Code, Severity};

/// The variants of `enum Code` as the source declares them, each with the
/// code its doc comment names (`/// E001: …`).
fn declared() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("src/load/diagnostic.rs")).unwrap();
    let body = text
        .split("pub enum Code {")
        .nth(1)
        .unwrap()
        .split("\n}")
        .next()
        .unwrap();
    let mut out = Vec::new();
    let mut doc = String::new();
    for line in body.lines().map(str::trim) {
        if let Some(d) = line.strip_prefix("/// ") {
            if doc.is_empty() {
                doc = d.split(':').next().unwrap().to_string();
            }
        } else if let Some(v) = line.strip_suffix(',') {
            out.push((v.to_string(), std::mem::take(&mut doc)));
        }
    }
    out
}

/// The prefixes of the codes, one per source of problems.
const PREFIXES: &[char] = &['E', 'W', 'I', 'A', 'R', 'U'];

#[test]
fn every_code_is_listed_unique_documented_and_has_a_hint() {
    let declared = declared();
    assert_eq!(
        declared.len(),
        Code::ALL.len(),
        "Code::ALL misses a variant"
    );
    let mut seen = std::collections::BTreeSet::new();
    let docs: String = ["docs/format.md", "docs/interop.md"]
        .iter()
        .map(|p| std::fs::read_to_string(root().join(p)).unwrap())
        .collect();
    for (code, (variant, doc_code)) in Code::ALL.iter().zip(&declared) {
        let s = code.as_str();
        assert_eq!(
            format!("{code:?}"),
            *variant,
            "Code::ALL is in declaration order"
        );
        assert_eq!(s, doc_code, "{variant}: the doc comment names another code");
        assert!(seen.insert(s), "{s} is used twice");
        assert!(
            s.len() == 4 && s.starts_with(PREFIXES) && s[1..].bytes().all(|b| b.is_ascii_digit()),
            "{s}: a code is a prefix of {PREFIXES:?} and three digits"
        );
        assert!(
            docs.contains(&format!("| {s} |")),
            "{s} is not documented in docs/format.md or docs/interop.md"
        );
        assert!(!code.hint().is_empty(), "{s} has no hint");
        let warning = s.starts_with('W') || s == "I028";
        assert_eq!(code.severity() == Severity::Warning, warning, "{s}");
    }
}

/// No code outside the enum: a string literal shaped like a code (`"I001"`,
/// `"U001"`, any of the tool's prefixes) anywhere in src/ outside
/// diagnostic.rs would be a second list.
#[test]
fn no_code_is_written_outside_the_enum() {
    let mut stray = Vec::new();
    let mut dirs = vec![root().join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("load/diagnostic.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let bytes = line.as_bytes();
                for w in 0..bytes.len().saturating_sub(5) {
                    let t = &bytes[w..w + 6];
                    if t[0] == b'"'
                        && matches!(t[1], b'E' | b'W' | b'I' | b'A' | b'R' | b'U')
                        && t[2..5].iter().all(u8::is_ascii_digit)
                        && t[5] == b'"'
                    {
                        stray.push(format!("{}:{}: {line}", path.display(), i + 1));
                    }
                }
            }
        }
    }
    assert_eq!(stray, Vec::<String>::new());
}

/// The command line's own errors are diagnostics: code, message and hint,
/// exit 2 — the general hint naming the command, or the site's own fix.
#[test]
fn a_usage_error_prints_its_code_message_and_hint() {
    use crate::support::{bin, shipped};
    let out = bin()
        .args(["analyze", "-q", "--order", "0"])
        .arg(shipped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[U001]: --order 0: must be between 1 and 6\n  \
         help: run `chokepoint analyze --help` for the flags and an example\n"
    );
    let out = bin()
        .args(["analyze", "-q", "--samples", "10", "--case", "low"])
        .arg(shipped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[U001]: --case low with --samples: sampling draws every estimate on its range \
         instead of taking one case (the deterministic column is the mid case)\n  \
         help: drop --case\n"
    );
}
