//! Shared test helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The stdout of a run that must have exited 0; its stderr is the failure message.
pub fn stdout_ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 on stdout")
}

/// The stdout of a run that must have exited 0, parsed as JSON.
pub fn json_ok(out: std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout_ok(out)).expect("JSON on stdout")
}

/// The crate root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The shipped graphs/ directory.
pub fn shipped() -> PathBuf {
    root().join("graphs")
}

/// The real `chokepoint` binary, run from the crate root.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("chokepoint").expect("binary builds");
    cmd.current_dir(root());
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

/// Loads a graph through the library, panicking with the rendered diagnostics.
pub fn load(path: &Path) -> chokepoint::load::Loaded {
    match chokepoint::load::load_dir(path) {
        Ok(l) => l,
        Err(e) => panic!("{} failed to load:\n{}", path.display(), e.render(false)),
    }
}

/// Loads in-memory YAML files (name, text).
pub fn load_str(
    files: &[(&str, &str)],
) -> Result<chokepoint::load::Loaded, chokepoint::load::LoadError> {
    chokepoint::load::load_sources(
        files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect(),
    )
}

/// Whether an external tool (dot, chromium, python3 module...) may be used.
/// Returns false (the test skips) when it is missing, unless
/// CHOKEPOINT_REQUIRE_TOOLS=1, where a missing tool fails the test.
pub fn tool_available(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if !found && std::env::var("CHOKEPOINT_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("{program} is required (CHOKEPOINT_REQUIRE_TOOLS=1) but not installed");
    }
    if !found {
        eprintln!("skipping: {program} is not installed");
    }
    found
}

/// Asserts approximate equality with a message.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: expected {expected}, got {actual}"
    );
}

/// The located lines of rendered diagnostics (`file:row:col: error[CODE]: …`,
/// a cell for a workbook, the path alone for a whole file) and the final
/// `error:` line, without the snippets and hints between them: for tests that
/// pin where and what; [`help_lines`] pins the hints.
pub fn located_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            !l.starts_with(' ') && !l.is_empty() && (l.contains("error") || l.contains("warning"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// How many `help:` lines `stderr` has: one per diagnostic, every one with a hint.
pub fn help_lines(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("help: ") || l.trim_start().starts_with("· help:"))
        .count()
}
