//! Every output on the shipped graphs listed in tests/golden/shipped/commands.txt
//! is byte-identical to the committed golden file (issue 22: the engine's speed
//! work must change no output). The golden files were produced by the build of
//! `main` before that work; `scripts/regen-golden` regenerates them when an
//! output changes on purpose (see docs/performance.md).

use crate::support::{bin, root};
use std::path::{Path, PathBuf};

/// The (file, args) lines of commands.txt.
fn commands() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("tests/golden/shipped/commands.txt"))
        .expect("tests/golden/shipped/commands.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut words = l.split_whitespace().map(str::to_string);
            let file = words.next().expect("a file name");
            (file, words.collect())
        })
        .collect()
}

/// The kept files under `dir`, relative, sorted (the *.svg and *.html are not kept).
fn kept_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable directory") {
            let p = e.expect("directory entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("svg") | Some("html")
            ) {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn same_bytes(name: &str, golden: &Path, actual: &[u8], failures: &mut Vec<String>) {
    let want = std::fs::read(golden).unwrap_or_default();
    if want != actual {
        let line = want
            .split(|b| *b == b'\n')
            .zip(actual.split(|b| *b == b'\n'))
            .position(|(a, b)| a != b)
            .map(|k| k + 1)
            .unwrap_or(0);
        failures.push(format!(
            "{name}: differs from {} (first at line {line}; {} bytes expected, {} got)",
            golden.display(),
            want.len(),
            actual.len()
        ));
    }
}

#[test]
fn every_listed_output_on_the_shipped_graphs_is_byte_identical_to_its_golden_file() {
    let golden = root().join("tests/golden/shipped");
    let tmp = tempfile::tempdir().expect("temporary directory");
    let list = commands();
    assert!(
        list.len() >= 40,
        "commands.txt lists {} outputs",
        list.len()
    );
    let mut failures = Vec::new();
    for (file, args) in &list {
        let target = tmp.path().join(file.trim_end_matches('/'));
        let writes_itself = args.iter().any(|a| a == "{out}");
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                if a == "{out}" {
                    target.display().to_string()
                } else {
                    a.clone()
                }
            })
            .collect();
        let out = bin().args(&args).output().expect("runs");
        assert!(
            out.status.success(),
            "{file}: chokepoint {} exited {:?}: {}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        if !writes_itself {
            same_bytes(file, &golden.join(file), &out.stdout, &mut failures);
        } else if file.ends_with('/') {
            let want = kept_files(&golden.join(file));
            let got = kept_files(&target);
            assert_eq!(got, want, "{file}: the files written");
            for f in &got {
                let bytes = std::fs::read(target.join(f)).expect("written file");
                same_bytes(
                    &format!("{file}{}", f.display()),
                    &golden.join(file).join(f),
                    &bytes,
                    &mut failures,
                );
            }
        } else {
            let bytes = std::fs::read(&target).expect("written file");
            same_bytes(file, &golden.join(file), &bytes, &mut failures);
        }
    }
    assert!(
        failures.is_empty(),
        "{} outputs changed (if on purpose, run scripts/regen-golden and commit):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
