//! Hostile input and faults (issue 9; docs/robustness.md explains the limits).
//!
//! Every case runs the real `chokepoint` binary under a wall-clock limit and an
//! address-space limit ([`run_limited`]) and asserts its outcome: a located error
//! (code and file:line:column, or the path where a problem has no place in a
//! file) with exit status 2 and nothing on stdout — or, where the input is valid,
//! the correct output. The corpus lives in tests/fixtures/hostile/ (yaml, csv,
//! cyclonedx); what is too big to commit (50 MB strings, a million items,
//! 20,000-deep nesting) and what git cannot hold (symlink loops, unreadable
//! files) is generated into a temporary directory by the test.
//!
//! Also here: output safety (a killed run leaves the old file or the new one,
//! never a mix; `dot` runs without a shell and is killed at its time limit) and
//! the regression tests of what fuzzing found (fuzz/, docs/robustness.md).

use crate::support::*;
use serde_json::Value;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

// ---------------------------------------------------------------------------
// Harness: the real binary under a time and a memory limit.
// ---------------------------------------------------------------------------

/// Wall-clock limit of one run: a hang guard, not a benchmark.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Address-space limit of one run (RLIMIT_AS).
const MEMORY_LIMIT: u64 = 1 << 30;

/// Held by the tests that feed tens of megabytes or a million items: one at a
/// time, so that their time limits measure the program, not contention among
/// themselves on a two-core machine.
static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) time: Duration,
    pub(crate) memory: u64,
}

pub(crate) const DEFAULT_LIMITS: Limits = Limits {
    time: TIME_LIMIT,
    memory: MEMORY_LIMIT,
};
/// 50 MB strings, the importers' 100,000 and 1,000,000 rows and the
/// million-item YAML file: the default memory limit (1 GiB), a longer hang
/// guard (they take seconds of honest work in a debug build, and the machine
/// is shared: a loaded 2-core machine took over 30 s for the million items).
const LARGE_LIMITS: Limits = Limits {
    time: Duration::from_secs(120),
    memory: MEMORY_LIMIT,
};

/// What one limited run did.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// `None` when killed by a signal (e.g. an allocation refused under the
    /// memory limit aborts the process).
    pub(crate) status: Option<i32>,
    pub(crate) timed_out: bool,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
}

/// The command that applies `limits.memory` and then execs the binary:
/// `prlimit --as=N` (util-linux), else `sh -c 'ulimit -v ...; exec'`.
pub(crate) fn limited_command(memory: u64) -> Command {
    let bin = env!("CARGO_BIN_EXE_chokepoint");
    let has_prlimit = Command::new("prlimit")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut cmd = if has_prlimit {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={memory}")).arg("--").arg(bin);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", memory / 1024))
            .arg(bin);
        c
    };
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `chokepoint ARGS` under `limits`; never waits longer than the time limit.
pub(crate) fn run_limited<I, S>(args: I, limits: Limits) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    run_limited_env(args, limits, &[])
}

pub(crate) fn run_limited_env<I, S>(args: I, limits: Limits, env: &[(&str, &str)]) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut cmd = limited_command(limits.memory);
    cmd.args(args.into_iter().map(Into::into));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("chokepoint starts");
    // Drain both pipes on threads: a large output must not block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let (status, timed_out) = match child.wait_timeout(limits.time).unwrap() {
        Some(s) => (s, false),
        None => {
            let _ = child.kill();
            (child.wait().unwrap(), true)
        }
    };
    let elapsed = start.elapsed();
    Outcome {
        status: status.code(),
        timed_out,
        stdout: out_reader.join().unwrap(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        elapsed,
    }
}

impl Outcome {
    /// The run finished within its limits (no hang, no abort).
    #[track_caller]
    pub(crate) fn assert_finished(&self, what: &str) {
        assert!(
            !self.timed_out,
            "{what}: did not finish within the time limit ({:?})",
            self.elapsed
        );
        assert!(
            self.status.is_some(),
            "{what}: killed by a signal (memory limit?) after {:?}; stderr:\n{}",
            self.elapsed,
            tail(&self.stderr)
        );
    }

    /// Exit 2, nothing on stdout, and exactly these diagnostic lines on stderr
    /// (lines starting with `prefix`, with `prefix` removed).
    #[track_caller]
    pub(crate) fn assert_errors(&self, what: &str, prefix: &str, expected: &[&str]) {
        self.assert_finished(what);
        let got = diagnostic_lines(&self.stderr, prefix);
        assert_eq!(
            got,
            expected,
            "{what}: diagnostics differ; stderr:\n{}",
            tail(&self.stderr)
        );
        assert_eq!(self.status, Some(2), "{what}: exit status");
        assert!(
            self.stdout.is_empty(),
            "{what}: wrote to stdout on error: {}",
            tail(&String::from_utf8_lossy(&self.stdout))
        );
    }

    /// Exit 0; stdout parsed as JSON.
    #[track_caller]
    pub(crate) fn json(&self, what: &str) -> Value {
        self.assert_finished(what);
        assert_eq!(
            self.status,
            Some(0),
            "{what}: expected success; stderr:\n{}",
            tail(&self.stderr)
        );
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("{what}: stdout is not JSON: {e}"))
    }
}

/// The last 3,000 characters of a (possibly huge) message.
pub(crate) fn tail(s: &str) -> String {
    let start = s.len().saturating_sub(3000);
    let start = (start..=s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    s[start..].to_string()
}

/// Diagnostic lines (`PATH:L:C: error[CODE]: ...`, `PATH: error[...]`) of `prefix`.
pub(crate) fn diagnostic_lines(stderr: &str, prefix: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with(prefix) && (l.contains("error[") || l.contains("warning[")))
        .map(|l| l[prefix.len()..].to_string())
        .collect()
}

/// A fresh temporary directory.
pub(crate) fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("chokepoint-hostile-")
        .tempdir()
        .unwrap()
}

/// `check --format json` of a graph that must be valid.
#[track_caller]
fn check_json(path: &Path, limits: Limits) -> Value {
    let o = run_limited(
        [
            OsString::from("check"),
            path.into(),
            "--format".into(),
            "json".into(),
            "-q".into(),
        ],
        limits,
    );
    o.json(&path.display().to_string())
}

/// `export --format json --no-analysis` of a graph that must be valid.
#[track_caller]
fn export_json(path: &Path) -> Value {
    export_json_limited(path, DEFAULT_LIMITS)
}

#[track_caller]
fn export_json_limited(path: &Path, limits: Limits) -> Value {
    let o = run_limited(
        [
            OsString::from("export"),
            path.into(),
            "--format".into(),
            "json".into(),
            "--no-analysis".into(),
            "-q".into(),
        ],
        limits,
    );
    o.json(&path.display().to_string())
}

fn item_ids(model: &Value) -> Vec<String> {
    model["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// The limits themselves: a test that cannot fail is a defect.
// ---------------------------------------------------------------------------

#[test]
fn harness_enforces_the_time_and_memory_limits() {
    let dir = tempdir();
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, million_items_yaml(200_000)).unwrap();
    // 16 MiB of address space cannot hold a Rust binary's heap for 10 MB of YAML.
    let starved = run_limited(
        [OsString::from("check"), big.clone().into(), "-q".into()],
        Limits {
            time: TIME_LIMIT,
            memory: 16 << 20,
        },
    );
    assert!(
        starved.status != Some(0),
        "the memory limit did not bite: {starved:?}"
    );
    // 1 ms is too short for anything: the run is reported as a hang.
    let rushed = run_limited(
        [OsString::from("check"), big.into(), "-q".into()],
        Limits {
            time: Duration::from_millis(1),
            memory: MEMORY_LIMIT,
        },
    );
    assert!(rushed.timed_out, "the time limit did not bite: {rushed:?}");
}

// ---------------------------------------------------------------------------
// YAML: the committed corpus (tests/fixtures/hostile/yaml).
// ---------------------------------------------------------------------------

const YAML_DIR: &str = "tests/fixtures/hostile/yaml/";

/// (file, exact diagnostic lines without the path): each must exit 2.
const YAML_ERRORS: &[(&str, &[&str])] = &[
    // Syntax.
    (
        "syntax-unclosed-flow-map.yaml",
        &[":2:5: error[E001]: `{` is never closed (the parser stopped at line 3: while parsing a flow mapping, did not find expected ',' or '}')"],
    ),
    (
        "syntax-unclosed-flow-seq.yaml",
        &[":1:8: error[E001]: `[` is never closed (the parser stopped at line 3: while parsing a node, did not find expected node content)"],
    ),
    (
        "syntax-bad-indent.yaml",
        &[":3:10: error[E001]: mapping values are not allowed in this context"],
    ),
    (
        "syntax-tab-indent.yaml",
        &[":2:2: error[E001]: tabs disallowed within this context (block indentation)"],
    ),
    (
        "syntax-unclosed-single-quote.yaml",
        &[":2:9: error[E001]: invalid indentation in quoted scalar"],
    ),
    (
        "syntax-unknown-alias.yaml",
        &[":3:11: error[E001]: while parsing node, found unknown anchor"],
    ),
    (
        "syntax-colon-in-plain.yaml",
        &[":2:10: error[E001]: mapping values are not allowed in this context"],
    ),
    (
        "syntax-stray-scalar.yaml",
        &[":5:1: error[E001]: simple key expect ':'"],
    ),
    (
        "syntax-extra-brace.yaml",
        &[":2:26: error[E001]: while parsing a block collection, did not find expected '-' indicator"],
    ),
    (
        "syntax-directive-without-document.yaml",
        &[":2:1: error[E001]: did not find expected <document start>"],
    ),
    // Wrong types and values.
    (
        "type-top-level-list.yaml",
        &[":1:1: error[E003]: the top level must be a mapping, found a list"],
    ),
    (
        "type-top-level-scalar.yaml",
        &[":1:1: error[E003]: the top level must be a mapping, found a string"],
    ),
    (
        "type-items-scalar.yaml",
        &[":1:8: error[E003]: `items` must be a list, found a string"],
    ),
    (
        "type-id-list.yaml",
        &[":2:11: error[E003]: `id` must be a string, found a list"],
    ),
    (
        "type-requires-number.yaml",
        &[":2:38: error[E003]: `requires` must be a list, found a number"],
    ),
    (
        "type-share-word.yaml",
        &[":4:57: error[E003]: `share` must be a number, found a string"],
    ),
    (
        "type-qty-bool.yaml",
        &[":2:55: error[E003]: `qty` must be a number, found a boolean"],
    ),
    (
        "type-estimate-list.yaml",
        &[":2:47: error[E003]: `stock_days` `value` must be a number, found a list"],
    ),
    (
        "type-quoted-number.yaml",
        &[":2:40: error[E003]: `import_share` must be a number, found a string"],
    ),
    // `!!binary` is not honoured: the value stays a string, not a number.
    (
        "tag-binary.yaml",
        &[":2:49: error[E003]: `import_share` must be a number, found a string"],
    ),
    (
        "value-unknown-kind.yaml",
        &[":2:20: error[E017]: unknown item kind `gizmo`"],
    ),
    (
        "key-unknown.yaml",
        &[":2:45: error[E002]: unknown key `colour` in an item"],
    ),
    (
        "key-duplicate-top.yaml",
        &[":3:1: error[E016]: key `items` appears twice in the top level (first at line 2)"],
    ),
    // Numbers: NaN, infinities, 1e400 (overflows to infinity), negatives, hex.
    (
        "number-import-share-nan.yaml",
        &[":2:40: error[E008]: `import_share` is `.nan`; it must be a finite number"],
    ),
    (
        "number-import-share-NaN.yaml",
        &[":2:40: error[E008]: `import_share` is `NaN`; it must be a finite number"],
    ),
    (
        "number-import-share-inf.yaml",
        &[":2:40: error[E008]: `import_share` is `.inf`; it must be a finite number"],
    ),
    (
        "number-import-share--inf.yaml",
        &[":2:40: error[E008]: `import_share` is `-.inf`; it must be a finite number"],
    ),
    (
        "number-import-share-1e400.yaml",
        &[":2:40: error[E008]: `import_share` is `1e400`; it must be a finite number"],
    ),
    (
        "number-import-share--1e400.yaml",
        &[":2:40: error[E008]: `import_share` is `-1e400`; it must be a finite number"],
    ),
    (
        "number-import-share--05.yaml",
        &[":2:40: error[E008]: `import_share` is -0.5; it must be between 0 and 1"],
    ),
    (
        "number-import-share-10000001.yaml",
        &[":2:40: error[E008]: `import_share` is 1.0000001; it must be between 0 and 1"],
    ),
    (
        "number-import-share-0x10.yaml",
        &[":2:40: error[E003]: `import_share` must be a number, found a string"],
    ),
    (
        "number-negative-stock-days.yaml",
        &[":2:57: error[E008]: `stock_days` is -10; it must be at least 0"],
    ),
    (
        "number-recovery-days-1e400.yaml",
        &[":2:60: error[E008]: `recovery_days` is `1e400`; it must be a finite number"],
    ),
    (
        "number-negative-qty.yaml",
        &[":2:55: error[E008]: `qty` is -1; it must be above 0"],
    ),
    (
        "number-zero-qty.yaml",
        &[":2:55: error[E008]: `qty` is 0; it must be above 0"],
    ),
    (
        "number-negative-market-value.yaml",
        &[":2:42: error[E008]: `market_value` is -5.0e9; it must be between 0 and 1e18 (per year)"],
    ),
    (
        "number-negative-duration.yaml",
        &[":2:56: error[E008]: `duration_days` is -1; it must be at least 0"],
    ),
    (
        "number-duration-1e400.yaml",
        &[":2:56: error[E008]: `duration_days` is `1e400`; it must be a finite number"],
    ),
    (
        "number-tariff-nan.yaml",
        &[":2:56: error[E008]: the tariff on US is `.nan`; it must be a finite number"],
    ),
    // Aliases: a billion laughs, an entity copied by alias, a self-reference.
    (
        "alias-billion-laughs.yaml",
        &[":6:8: error[E018]: aliases expand to more than 100000 nodes (an alias bomb?)"],
    ),
    (
        "alias-duplicates-entity.yaml",
        &[":2:14: error[E005]: duplicate item id `a` (first declared at tests/fixtures/hostile/yaml/alias-duplicates-entity.yaml:2:14)"],
    ),
    (
        "alias-self-reference.yaml",
        &[":2:59: error[E001]: alias to an unknown anchor"],
    ),
    // Encodings: the position of the first bad byte is in the message.
    (
        "encoding-latin1.yaml",
        &[": error[E001]: tests/fixtures/hostile/yaml/encoding-latin1.yaml:2:36: the file is not valid UTF-8 (byte offset 42)"],
    ),
    (
        "encoding-truncated-utf8.yaml",
        &[": error[E001]: tests/fixtures/hostile/yaml/encoding-truncated-utf8.yaml:2:34: the file is not valid UTF-8 (byte offset 40)"],
    ),
    (
        "encoding-utf16le.yaml",
        &[": error[E001]: tests/fixtures/hostile/yaml/encoding-utf16le.yaml: the file is UTF-16 little-endian, not UTF-8"],
    ),
    // A raw NUL used to end the file silently (fuzz/docs): now located.
    (
        "nul-raw-byte.yaml",
        &[":2:34: error[E001]: the file contains the control character U+0000, which YAML does not allow (write it escaped in a double-quoted string if it is meant)"],
    ),
    (
        "nul-truncates-nothing.yaml",
        &[":3:1: error[E001]: the file contains the control character U+0000, which YAML does not allow (write it escaped in a double-quoted string if it is meant)"],
    ),
    (
        "control-escape-raw.yaml",
        &[":1:18: error[E001]: the file contains the control character U+001B, which YAML does not allow (write it escaped in a double-quoted string if it is meant)"],
    ),
    // Byte-order marks anywhere but the start are content.
    (
        "bom-twice.yaml",
        &[":1:1: error[E002]: unknown key `\u{feff}items` in the top level"],
    ),
    (
        "bom-mid-file.yaml",
        &[":3:19: error[E001]: mapping values are not allowed in this context"],
    ),
    // Ids: surrounding spaces, empty, look-alikes of a declared id.
    (
        "id-leading-space.yaml",
        &[":2:11: error[E017]: id ` ct-tube` is empty or has surrounding spaces"],
    ),
    (
        "id-empty.yaml",
        &[":2:11: error[E017]: id `` is empty or has surrounding spaces"],
    ),
    (
        "id-confusable-hyphen.yaml",
        &[":2:47: error[E006]: unknown item `ct\u{2010}tube`"],
    ),
    (
        "id-confusable-cyrillic.yaml",
        &[":2:47: error[E006]: unknown item `\u{441}t-tube`"],
    ),
    (
        "id-zero-width-space.yaml",
        &[":2:47: error[E006]: unknown item `ct\u{200b}-tube`"],
    ),
    (
        "id-duplicate.yaml",
        &[":3:11: error[E005]: duplicate item id `ct-tube` (first declared at tests/fixtures/hostile/yaml/id-duplicate.yaml:2:11)"],
    ),
    // `requires` cycles of length 1 and 2 (1,000 is generated below).
    (
        "cycle-length-1.yaml",
        &[":2:39: error[E007]: `requires` cycle: p → p"],
    ),
    (
        "cycle-length-2.yaml",
        &[":3:39: error[E007]: `requires` cycle: p → q → p"],
    ),
    (
        "cycle-through-any-of.yaml",
        &[":3:39: error[E007]: `requires` cycle: p → q → p"],
    ),
];

#[test]
fn yaml_corpus_errors_are_located_with_exit_2() {
    let mut failures = Vec::new();
    for (file, expected) in YAML_ERRORS {
        let path = format!("{YAML_DIR}{file}");
        let o = run_limited(["check", &path], DEFAULT_LIMITS);
        let result = std::panic::catch_unwind(|| o.assert_errors(file, &path, expected));
        if let Err(e) = result {
            failures.push(
                e.downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| format!("{file}: failed")),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Valid hostile files: `check` succeeds and the model holds exactly what was written.
#[test]
fn yaml_corpus_valid_files_load_exactly() {
    let path = |f: &str| root().join(YAML_DIR).join(f);
    // A leading byte-order mark is dropped.
    assert_eq!(
        check_json(&path("bom-utf8.yaml"), DEFAULT_LIMITS)["items"],
        1
    );
    // Empty files are a warning (W004), not an error; a lone `~` is a null document.
    for (file, w004) in [
        ("empty-zero-bytes.yaml", 1),
        ("empty-whitespace.yaml", 1),
        ("empty-comment.yaml", 1),
        ("empty-document-markers.yaml", 0),
        ("empty-null-document.yaml", 0),
    ] {
        let s = check_json(&path(file), DEFAULT_LIMITS);
        assert_eq!(s["items"], 0, "{file}");
        assert_eq!(
            s["warnings_by_code"]["W004"].as_u64().unwrap_or(0),
            w004,
            "{file}"
        );
    }
    // Spaces and quotes inside ids are legal and kept verbatim.
    assert_eq!(
        item_ids(&export_json(&path("id-spaces-quotes-valid.yaml"))),
        ["ct tube", "say \"hi\"", "it's"]
    );
    // Look-alike ids are distinct ids.
    assert_eq!(
        item_ids(&export_json(&path("id-confusable-twins-valid.yaml"))),
        ["ct-tube", "ct\u{2010}tube"]
    );
    // An escaped NUL is a character like any other.
    let m = export_json(&path("nul-escaped.yaml"));
    assert_eq!(m["items"][0]["name"], "x\u{0}y");
    // Language-specific tags are ignored: the value is a plain string, nothing runs.
    let m = export_json(&path("tag-python-object.yaml"));
    assert_eq!(m["items"][0]["note"], "rm -rf /");
}

// ---------------------------------------------------------------------------
// YAML: generated cases (too big to commit).
// ---------------------------------------------------------------------------

/// `items:` with `n` valid parts, one flow mapping per line (~48 bytes each).
fn million_items_yaml(n: usize) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(n * 48 + 8);
    s.push_str("items:\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "  - {{ id: i{i}, kind: part, supply: [{{ country: US, share: 1.0 }}] }}"
        );
    }
    s
}

/// Writes `text` to `dir/name` and returns the path as a string.
fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn yaml_million_items_check_succeeds() {
    let _heavy = heavy();
    let dir = tempdir();
    let path = write(dir.path(), "million.yaml", million_items_yaml(1_000_000));
    let s = check_json(Path::new(&path), LARGE_LIMITS);
    assert_eq!(s["items"], 1_000_000);
    assert_eq!(s["items_by_kind"]["part"], 1_000_000);
    assert_eq!(s["warnings"], 0);
}

#[test]
fn yaml_20000_deep_nesting_is_a_limit_error() {
    let dir = tempdir();
    let deep = 20_000;
    // Flow: yaml-rust2's own recursion limit, reported as a limit (E018).
    let flow = write(
        dir.path(),
        "flow.yaml",
        format!("items: {}{}\n", "[".repeat(deep), "]".repeat(deep)),
    );
    run_limited(["check", &flow], DEFAULT_LIMITS).assert_errors(
        "flow",
        &flow,
        &[":1:263: error[E018]: recursion limit exceeded"],
    );
    let flow_maps = write(
        dir.path(),
        "flow-maps.yaml",
        format!("items: {}{}\n", "{a: ".repeat(deep), "}".repeat(deep)),
    );
    run_limited(["check", &flow_maps], DEFAULT_LIMITS).assert_errors(
        "flow maps",
        &flow_maps,
        &[":1:260: error[E018]: nesting deeper than 64 levels"],
    );
    // Block sequences: `- - - … x`, capped by the loader's MAX_DEPTH (64).
    let block = write(
        dir.path(),
        "block.yaml",
        format!("items:\n{}x\n", "- ".repeat(deep)),
    );
    run_limited(["check", &block], DEFAULT_LIMITS).assert_errors(
        "block",
        &block,
        &[":2:127: error[E018]: nesting deeper than 64 levels"],
    );
    // Block mappings, one more space of indentation per level (2,000 levels:
    // 20,000 would be a 200 MB file of spaces).
    let mut maps = String::new();
    for d in 0..2_000 {
        maps.push_str(&" ".repeat(d));
        maps.push_str("a:\n");
    }
    let maps = write(dir.path(), "block-maps.yaml", maps);
    run_limited(["check", &maps], DEFAULT_LIMITS).assert_errors(
        "block maps",
        &maps,
        &[":65:66: error[E018]: nesting deeper than 64 levels"],
    );
}

const FIFTY_MB: usize = 50_000_000;

#[test]
fn yaml_50_mb_strings() {
    let _heavy = heavy();
    let dir = tempdir();
    let d = dir.path();
    let big = "x".repeat(FIFTY_MB);
    // A 50 MB quoted name and a 50 MB block-literal note: valid, kept whole.
    let name = write(
        d,
        "name.yaml",
        format!(
            "items:\n  - id: a\n    kind: part\n    supply: [{{ country: US, share: 1.0 }}]\n    name: \"{big}\"\n    note: |\n      {big}\n"
        ),
    );
    let m = export_json_limited(Path::new(&name), LARGE_LIMITS);
    assert_eq!(m["items"][0]["name"].as_str().unwrap().len(), FIFTY_MB);
    assert_eq!(m["items"][0]["note"].as_str().unwrap().len(), FIFTY_MB + 1); // + "\n"
                                                                             // A 50 MB plain id and a 50 MB comment: valid.
    let id = write(
        d,
        "id.yaml",
        format!("# {big}\nitems:\n  - {{ id: {big}, kind: part, supply: [{{ country: US, share: 1.0 }}] }}\n"),
    );
    assert_eq!(check_json(Path::new(&id), LARGE_LIMITS)["items"], 1);
    // A 50 MB string that never closes: located at its opening quote.
    let open = write(d, "open.yaml", format!("items:\n  - {{ id: \"{big}\n"));
    let o = run_limited(["check", &open], LARGE_LIMITS);
    o.assert_errors(
        "unclosed",
        &open,
        &[":2:11: error[E001]: while scanning a quoted scalar, found unexpected end of stream"],
    );
    // The snippet of a 50 MB line is left out, not copied into the report.
    assert!(
        o.stderr.len() < 1_000,
        "{} bytes of diagnostics",
        o.stderr.len()
    );
    // A 50 MB unknown key: reported once, within the limits (the "did you
    // mean" search used to take minutes over it).
    let key = write(
        d,
        "key.yaml",
        format!("items:\n  - {{ id: a, kind: part, supply: [{{ country: US, share: 1.0 }}], {big}: 1 }}\n"),
    );
    let o = run_limited(["check", &key], LARGE_LIMITS);
    o.assert_finished("50 MB key");
    assert_eq!(o.status, Some(2));
    let lines = diagnostic_lines(&o.stderr, &key);
    assert_eq!(lines.len(), 1, "{}", tail(&o.stderr));
    assert!(
        lines[0].starts_with(":2:65: error[E002]: unknown key `xxx"),
        "{}",
        &lines[0][..80]
    );
    // A 50 MB reference to an unknown item: no "did you mean" search over it.
    let reference = write(
        d,
        "reference.yaml",
        format!("items:\n  - {{ id: s, kind: system, requires: [{{ item: {big} }}] }}\n"),
    );
    let o = run_limited(["check", &reference], LARGE_LIMITS);
    o.assert_finished("50 MB reference");
    assert_eq!(o.status, Some(2));
    let lines = diagnostic_lines(&o.stderr, &reference);
    assert_eq!(lines.len(), 1, "{}", tail(&o.stderr));
    assert!(
        lines[0].starts_with(":2:47: error[E006]: unknown item `xxx"),
        "{}",
        &lines[0][..80]
    );
}

/// `n` items `c0 … c{n-1}`, each requiring the next, the last requiring `c{first}`.
fn chain_yaml(n: usize, close_at: Option<usize>) -> String {
    use std::fmt::Write;
    let mut s = String::from("items:\n");
    for i in 0..n {
        let next = if i + 1 < n { Some(i + 1) } else { close_at };
        match next {
            Some(j) => {
                let _ = writeln!(
                    s,
                    "  - {{ id: c{i}, kind: part, requires: [{{ item: c{j} }}] }}"
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "  - {{ id: c{i}, kind: part, supply: [{{ country: US, share: 1.0 }}] }}"
                );
            }
        }
    }
    s
}

#[test]
fn yaml_requires_cycle_of_1000_is_printed_whole() {
    let dir = tempdir();
    let path = write(dir.path(), "cycle.yaml", chain_yaml(1_000, Some(0)));
    // The cycle is reported once, at the requirement that closes it (line 1001:
    // c999 → c0), and names all 1,000 items in order.
    let ids: Vec<String> = (0..1_000).chain([0]).map(|i| format!("c{i}")).collect();
    let expected = format!(
        ":1001:42: error[E007]: `requires` cycle: {}",
        ids.join(" → ")
    );
    run_limited(["check", &path], DEFAULT_LIMITS).assert_errors("cycle", &path, &[&expected]);
}

#[test]
fn yaml_requires_chain_of_20000_loads_and_analyzes() {
    // Deep requirement chains are graph depth, not YAML depth: every graph
    // algorithm must be iterative or bounded (no stack overflow).
    let dir = tempdir();
    let mut text = chain_yaml(20_000, None).replacen(
        "  - { id: c0, kind: part,",
        "  - { id: c0, kind: system,",
        1,
    );
    text.push_str("suppliers:\n  - { id: v, country: US }\n");
    let path = write(dir.path(), "chain.yaml", text);
    let s = check_json(Path::new(&path), DEFAULT_LIMITS);
    assert_eq!(s["items"], 20_000);
    let o = run_limited(["analyze", &path, "--format", "json", "-q"], DEFAULT_LIMITS);
    let a = o.json("analyze chain");
    assert!(a.is_object(), "{a}");
}

// ---------------------------------------------------------------------------
// Files and directories: generated (git holds neither loops nor modes).
// ---------------------------------------------------------------------------

const ONE_ITEM: &str = "items:\n  - { id: a, kind: part, supply: [{ country: US, share: 1.0 }] }\n";

#[test]
fn directory_without_yaml_is_an_error_at_its_path() {
    let dir = tempdir();
    let d = dir.path().display().to_string();
    let expected = format!(": error[E015]: no *.yaml or *.yml files under {d}");
    // Empty, then holding only other files and an empty subdirectory.
    run_limited(["check", &d], DEFAULT_LIMITS).assert_errors("empty dir", &d, &[&expected]);
    write(dir.path(), "notes.txt", "items: []\n");
    write(dir.path(), "graph.json", "{\"items\": []}\n");
    write(dir.path(), "graph.yaml.bak", ONE_ITEM);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    run_limited(["check", &d], DEFAULT_LIMITS).assert_errors("no yaml", &d, &[&expected]);
    // A missing path.
    let missing = format!("{d}/nope");
    run_limited(["check", &missing], DEFAULT_LIMITS).assert_errors(
        "missing",
        &missing,
        &[&format!(
            ": error[E015]: cannot read {missing}: No such file or directory (os error 2)"
        )],
    );
}

#[test]
fn symlink_loops_are_visited_once_or_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    let d = dir.path();
    write(d, "graph.yaml", ONE_ITEM);
    // Directory loops: to itself, to its parent, and a two-directory cycle.
    std::fs::create_dir_all(d.join("x/y")).unwrap();
    symlink(d, d.join("self")).unwrap();
    symlink("..", d.join("x/up")).unwrap();
    symlink(d.join("x"), d.join("x/y/back")).unwrap();
    let s = check_json(d, DEFAULT_LIMITS);
    assert_eq!(s["items"], 1, "each file is loaded once");
    assert_eq!(s["files"], 1);
    // A graph-file symlink loop (a.yaml → b.yaml → a.yaml) and a dangling
    // graph-file symlink cannot be read: reported, never skipped silently.
    symlink(d.join("b.yaml"), d.join("a.yaml")).unwrap();
    symlink(d.join("a.yaml"), d.join("b.yaml")).unwrap();
    symlink(d.join("gone"), d.join("c.yml")).unwrap();
    // Non-graph names stay out of the graph, looping or not.
    symlink(d.join("loop.txt"), d.join("loop.txt")).unwrap();
    let ds = d.display().to_string();
    let o = run_limited(["check", &ds], DEFAULT_LIMITS);
    o.assert_errors(
        "file loops",
        &ds,
        &[
            &format!("/a.yaml: error[E015]: cannot read {ds}/a.yaml: Too many levels of symbolic links (os error 40)"),
            &format!("/b.yaml: error[E015]: cannot read {ds}/b.yaml: Too many levels of symbolic links (os error 40)"),
            &format!("/c.yml: error[E015]: cannot read {ds}/c.yml: No such file or directory (os error 2)"),
        ],
    );
    // The path given may itself be a loop.
    let l = format!("{ds}/a.yaml");
    run_limited(["check", &l], DEFAULT_LIMITS).assert_errors(
        "loop as argument",
        &l,
        &[&format!(
            ": error[E015]: cannot read {l}: Too many levels of symbolic links (os error 40)"
        )],
    );
}

/// Whether permissions are enforced for this process (not root / CAP_DAC_OVERRIDE).
fn permissions_apply(probe: &Path) -> bool {
    std::fs::File::open(probe).is_err()
}

#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let d = dir.path();
    let file = write(d, "graph.yaml", ONE_ITEM);
    std::fs::create_dir(d.join("sub")).unwrap();
    write(
        &d.join("sub"),
        "more.yaml",
        "items:\n  - { id: b, kind: part, supply: [{ country: US, share: 1.0 }] }\n",
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = permissions_apply(Path::new(&file));
    let ds = d.display().to_string();
    let o = run_limited(["check", &ds, "--format", "json", "-q"], DEFAULT_LIMITS);
    if enforced {
        o.assert_errors(
            "chmod 000 file",
            &ds,
            &[&format!(
                "/graph.yaml: error[E015]: cannot read {file}: Permission denied (os error 13)"
            )],
        );
    } else {
        // Running as root: permissions do not apply, and the file reads fine.
        eprintln!("note: running with permission override; chmod 000 is readable");
        assert_eq!(o.json("chmod 000 as root")["items"], 2);
    }
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let sub = d.join("sub");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = run_limited(["check", &ds, "--format", "json", "-q"], DEFAULT_LIMITS);
    if enforced {
        let s = sub.display().to_string();
        o.assert_errors(
            "chmod 000 dir",
            &s,
            &[&format!(
                ": error[E015]: cannot read {s}: Permission denied (os error 13)"
            )],
        );
    } else {
        assert_eq!(o.json("chmod 000 dir as root")["items"], 2);
    }
    // Restore so the temporary directory can be removed.
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// ---------------------------------------------------------------------------
// Output safety: atomic files, `dot` without a shell and under a time limit.
// ---------------------------------------------------------------------------

/// A run killed at any moment leaves `out` holding exactly the old content or
/// exactly the complete new content (write_atomic: temp file, fsync, rename).
/// `args` must write `out`; `trials` kills are spread over 10–110 % of the
/// duration of a full run.
fn assert_kill_leaves_old_or_new(what: &str, args: &[String], out: &Path, trials: u32) {
    use std::os::unix::process::ExitStatusExt;
    let old = "old report, complete\n".repeat(10_000).into_bytes();
    // The complete new file, and how long a run takes.
    std::fs::write(out, &old).unwrap();
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_chokepoint"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let full = start.elapsed();
    assert!(status.success(), "{what}: the reference run failed");
    let new = std::fs::read(out).unwrap();
    assert_ne!(
        new, old,
        "{what}: the reference run did not replace the file"
    );
    // A small deterministic generator: the kill moments differ per trial and
    // per run of the suite (seeded from the clock), and are printed on failure.
    let mut seed = Instant::now().elapsed().as_nanos() as u64 | 1;
    seed ^= std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let (mut saw_old, mut saw_new) = (0, 0);
    for trial in 0..trials {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let fraction = 0.1 + 1.0 * ((seed >> 33) as f64 / (1u64 << 31) as f64);
        let delay = full.mul_f64(fraction);
        std::fs::write(out, &old).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_chokepoint"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no handler, no clean-up
        let status = child.wait().unwrap();
        let now = std::fs::read(out).unwrap();
        let killed = status.signal().is_some();
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!(
                "{what}: trial {trial} killed after {delay:?} (signal: {killed}) left a mix: {} bytes, old {} / new {}",
                now.len(),
                old.len(),
                new.len()
            );
        }
    }
    eprintln!(
        "{what}: a full run takes {full:?}; {trials} kills left the old file {saw_old} times, the new one {saw_new} times"
    );
}

/// A generated graph big enough that writing its outputs takes a while.
fn big_graph(dir: &Path) -> String {
    let g = dir.join("graph");
    let o = run_limited(
        [
            OsString::from("generate"),
            "--items".into(),
            "8000".into(),
            "--suppliers".into(),
            "300".into(),
            "--out".into(),
            g.clone().into(),
        ],
        DEFAULT_LIMITS,
    );
    o.assert_finished("generate");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    g.display().to_string()
}

#[test]
fn killed_export_and_render_leave_the_old_or_the_new_file() {
    let dir = tempdir();
    let graph = big_graph(dir.path());
    let json = dir.path().join("model.json");
    assert_kill_leaves_old_or_new(
        "export json",
        &[
            "export".into(),
            graph.clone(),
            "--format".into(),
            "json".into(),
            "-q".into(),
            "--out".into(),
            json.display().to_string(),
        ],
        &json,
        6,
    );
    let dot = dir.path().join("supply.dot");
    assert_kill_leaves_old_or_new(
        "render dot",
        &[
            "render".into(),
            graph,
            "--view".into(),
            "supply".into(),
            "-q".into(),
            "--out".into(),
            dot.display().to_string(),
        ],
        &dot,
        6,
    );
}

#[test]
fn killed_report_leaves_old_or_new_files() {
    let dir = tempdir();
    let out = dir.path().join("report");
    std::fs::create_dir(&out).unwrap();
    let index = out.join("index.html");
    assert_kill_leaves_old_or_new(
        "report",
        &[
            "report".into(),
            "tests/fixtures/valid/full".into(),
            "-q".into(),
            "--out".into(),
            out.display().to_string(),
        ],
        &index,
        6,
    );
}

/// A fake `dot` (a shell script: the test's, not the product's) that records
/// its arguments and stdin, then behaves as `tail` says.
fn fake_dot(dir: &Path, tail: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("dot");
    let log = dir.join("dot");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho $$ > '{log}.pid'\nprintf '%s\\n' \"$@\" > '{log}.args'\ncat > '{log}.stdin'\n{tail}\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn path_with(bin: &Path) -> String {
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn dot_that_hangs_is_killed_at_the_time_limit() {
    let dir = tempdir();
    // `exec` so that the process the renderer kills is the sleeper itself.
    let bin = fake_dot(dir.path(), "exec sleep 1000");
    let o = run_limited_env(
        [
            "render",
            "tests/fixtures/valid/full",
            "--view",
            "supply",
            "--format",
            "svg",
            "--timeout",
            "1",
            "-q",
        ],
        DEFAULT_LIMITS,
        &[("PATH", &path_with(&bin)), ("CHOKEPOINT_DOT", "dot")],
    );
    o.assert_finished("hanging dot");
    assert_eq!(o.status, Some(2), "{}", o.stderr);
    assert_eq!(
        o.stderr,
        "error[U002]: Graphviz failed: `dot` did not finish within 1 s (the graph may be too large; \
         try --depth or a narrower view)\n  \
         help: write --format dot to keep the diagram without a layout, or draw less (--depth N, \
         --system ID)\n"
    );
    assert!(o.stdout.is_empty());
    assert!(
        o.elapsed < Duration::from_secs(8),
        "took {:?} for a 1 s limit",
        o.elapsed
    );
    // The sleeper is gone (killed and reaped), not left running.
    let pid = std::fs::read_to_string(dir.path().join("dot.pid")).unwrap();
    let proc_status = format!("/proc/{}/status", pid.trim());
    let alive = std::fs::read_to_string(&proc_status)
        .map(|s| s.contains("sleep"))
        .unwrap_or(false);
    assert!(!alive, "dot (pid {}) still runs", pid.trim());
}

#[test]
fn dot_runs_without_a_shell() {
    let dir = tempdir();
    let d = dir.path().display().to_string();
    // Names that a shell would execute, in a graph whose path has spaces and `;`.
    let graph_dir = dir.path().join("my graphs; $(touch x)");
    std::fs::create_dir(&graph_dir).unwrap();
    let name = format!("$(touch {d}/pwned1) `touch {d}/pwned2`; touch {d}/pwned3 | x & y");
    write(
        &graph_dir,
        "g.yaml",
        format!(
            "suppliers:\n  - {{ id: v, name: {q}, country: US }}\nitems:\n  - {{ id: s, kind: system, name: {q}, requires: [{{ item: p }}] }}\n  - {{ id: p, kind: part, name: {q}, supply: [{{ supplier: v, share: 1 }}] }}\n",
            q = serde_json::to_string(&name).unwrap()
        ),
    );
    let bin = fake_dot(dir.path(), "echo '<svg/>'");
    let o = run_limited_env(
        [
            OsString::from("render"),
            graph_dir.clone().into(),
            "--system".into(),
            "s".into(),
            "--format".into(),
            "svg".into(),
            "-q".into(),
        ],
        DEFAULT_LIMITS,
        &[("PATH", &path_with(&bin)), ("CHOKEPOINT_DOT", "dot")],
    );
    o.assert_finished("render with fake dot");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(o.stdout, b"<svg/>\n", "dot's output is passed through");
    // One argument, the format: the graph travels on stdin, never on a command line.
    let args = std::fs::read_to_string(dir.path().join("dot.args")).unwrap();
    assert_eq!(args, "-Tsvg\n");
    let stdin = std::fs::read_to_string(dir.path().join("dot.stdin")).unwrap();
    assert!(stdin.starts_with("digraph "), "{stdin}");
    assert!(stdin.contains("`touch "), "the name reached dot as text");
    for f in ["pwned1", "pwned2", "pwned3", "x"] {
        assert!(!dir.path().join(f).exists(), "{f} was created: a shell ran");
    }
}

// ---------------------------------------------------------------------------
// CSV importer: `chokepoint import --from csv` (tests/fixtures/hostile/csv).
// ---------------------------------------------------------------------------

const CSV_DIR: &str = "tests/fixtures/hostile/csv/";

/// (BOM file, supply file, exact problem lines without CSV_DIR): each exits 2,
/// prints "N error(s) in the input; nothing was written", and writes nothing.
/// Row-level errors leave their row out, so a child whose only row was bad is
/// also reported as a parentless system that requires nothing (E014).
const CSV_ERRORS: &[(&str, Option<&str>, &[&str])] = &[
    ("empty.csv", None, &["empty.csv:1:1: error[I004]: the file is empty; a header row is required"]),
    (
        "missing-child-column.csv",
        None,
        &[
            "missing-child-column.csv:1:1: error[I004]: missing column `child` (the header has: parent, kid); name it `child` or one of its synonyms (component, child part, child item, component part, component number, component item, component material, 子件, 子项, 子件编码, 子项编码, 子项物料编码, 子件物料编码, 子项物料, 组件), or map it with --columns",
            "missing-child-column.csv:1:2: warning[I028]: column `kid` is not used by the importer",
        ],
    ),
    (
        "duplicate-column.csv",
        None,
        &[
            "duplicate-column.csv:1:3: error[I005]: column `child` appears twice (columns 2 and 3)",
        ],
    ),
    (
        "ragged-row.csv",
        None,
        &[
            "ragged-row.csv:3:4: error[I003]: the row has 4 fields; the header has 3",
        ],
    ),
    // The csv crate reads an unterminated quote to the end of the file: the
    // rest of the file became one name, and the system lost its child.
    (
        "unclosed-quote.csv",
        None,
        &["unclosed-quote.csv:2:3: error[I003]: a quoted cell is never closed: the quote opened here runs to the end of the file"],
    ),
    (
        "qty-nan.csv",
        None,
        &[
            "qty-nan.csv:3:3: error[I009]: `qty` is `NaN`; it must be a finite number",
        ],
    ),
    (
        "qty-inf.csv",
        None,
        &[
            "qty-inf.csv:3:3: error[I009]: `qty` is `inf`; it must be a finite number",
        ],
    ),
    (
        "qty-1e400.csv",
        None,
        &[
            "qty-1e400.csv:3:3: error[I009]: `qty` is `1e400`; it must be a finite number",
        ],
    ),
    (
        "qty-negative.csv",
        None,
        &[
            "qty-negative.csv:3:3: error[I008]: `qty` is -2; it must be above 0",
        ],
    ),
    (
        "qty-word.csv",
        None,
        &[
            "qty-word.csv:3:3: error[I007]: `qty` is `two`, not a number; write a number such as `2`, `0.5` or `50%`",
        ],
    ),
    (
        "cost-share-150pct.csv",
        None,
        &[
            "cost-share-150pct.csv:3:3: error[I008]: `cost_share` is 150%; it must be between 0 and 1",
        ],
    ),
    (
        "cost-share-low-above-high.csv",
        None,
        &[
            "cost-share-low-above-high.csv:3:4: error[I010]: `cost_share_low` 0.5 is above `cost_share_high` 0.2",
        ],
    ),
    (
        "unknown-kind.csv",
        None,
        &[
            "unknown-kind.csv:2:3: error[I011]: unknown kind `gizmo` (one of: system, subsystem, part, component, material, software)",
        ],
    ),
    ("cycle-length-1.csv", None, &["cycle-length-1.csv:4:2: error[E007]: `requires` cycle: a → a"]),
    ("cycle-length-2.csv", None, &["cycle-length-2.csv:5:2: error[E007]: `requires` cycle: a → b → a"]),
    (
        "system-requires-nothing.csv",
        None,
        &["system-requires-nothing.csv:2:2: error[E014]: system `s` requires nothing and has no supply"],
    ),
    (
        "bom-for-supply.csv",
        Some("supply-confusable.csv"),
        &["supply-confusable.csv:2:1: error[I020]: item `ct\u{2010}tube` is not in the BOM or the items table"],
    ),
    (
        "bom-for-supply.csv",
        Some("supply-bad-country.csv"),
        &["supply-bad-country.csv:2:3: error[I012]: `supplier_country` is `USX`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name"],
    ),
    (
        "bom-for-supply.csv",
        Some("supply-share-nan.csv"),
        &["supply-share-nan.csv:2:4: error[I009]: `share` is `NaN`; it must be a finite number"],
    ),
    (
        "bom-for-supply.csv",
        Some("supply-share-negative.csv"),
        &["supply-share-negative.csv:2:4: error[I008]: `share` is -0.1; it must be between 0 and 1"],
    ),
    (
        "bom-for-supply.csv",
        Some("supply-share-sum.csv"),
        &["supply-share-sum.csv:2:4: error[E009]: supply shares of `ct-tube` sum to 1.3 (above 1)"],
    ),
];

/// `import --from csv BOM [--supply SUPPLY] --out OUT -q`.
fn import_csv(bom: &str, supply: Option<&str>, out: &Path, limits: Limits) -> Outcome {
    let mut args: Vec<OsString> = vec!["import".into(), "--from".into(), "csv".into(), bom.into()];
    if let Some(s) = supply {
        args.extend(["--supply".into(), s.into()]);
    }
    args.extend(["--out".into(), out.into(), "-q".into()]);
    run_limited(args, limits)
}

/// Import failed: exactly `expected` problem lines, the closing line, nothing written.
#[track_caller]
fn assert_import_refused(o: &Outcome, what: &str, prefix: &str, expected: &[&str], out: &Path) {
    o.assert_errors(what, prefix, expected);
    let errors = expected.iter().filter(|l| l.contains("error[")).count();
    assert!(
        o.stderr.ends_with(&format!(
            "error: {errors} error(s) in the input; nothing was written\n"
        )),
        "{what}: {}",
        tail(&o.stderr)
    );
    assert!(!out.exists(), "{what}: {} was created", out.display());
}

#[test]
fn csv_corpus_errors_are_located_with_exit_2() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let mut failures = Vec::new();
    for (bom, supply, expected) in CSV_ERRORS {
        let bom_path = format!("{CSV_DIR}{bom}");
        let supply_path = supply.map(|s| format!("{CSV_DIR}{s}"));
        let o = import_csv(&bom_path, supply_path.as_deref(), &out, DEFAULT_LIMITS);
        let what = supply.unwrap_or(bom);
        if let Err(e) =
            std::panic::catch_unwind(|| assert_import_refused(&o, what, CSV_DIR, expected, &out))
        {
            failures.push(
                e.downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| format!("{what}: failed")),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Loads an imported graph.yaml through `export --format json`.
fn imported_model(out: &Path) -> Value {
    export_json(&out.join("graph.yaml"))
}

#[test]
fn csv_corpus_valid_files_import_exactly() {
    let dir = tempdir();
    // A byte-order mark (Excel's "CSV UTF-8") is dropped.
    let out = dir.path().join("bom");
    let o = import_csv(
        &format!("{CSV_DIR}bom-valid.csv"),
        None,
        &out,
        DEFAULT_LIMITS,
    );
    o.assert_finished("bom");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(item_ids(&imported_model(&out)), ["s", "a"]);
    // Ids with spaces and quotes are kept (cells are trimmed); names too.
    let out = dir.path().join("ids");
    let o = import_csv(
        &format!("{CSV_DIR}ids-spaces-quotes-valid.csv"),
        None,
        &out,
        DEFAULT_LIMITS,
    );
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    let m = imported_model(&out);
    assert_eq!(item_ids(&m), ["s", "ct tube", "say \"hi\"", "padded"]);
    assert_eq!(m["items"][1]["name"], "a \"quoted\" name");
    // A NUL inside a cell is a character: written escaped, loaded back intact.
    let out = dir.path().join("nul");
    let o = import_csv(
        &format!("{CSV_DIR}nul-byte.csv"),
        None,
        &out,
        DEFAULT_LIMITS,
    );
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(imported_model(&out)["items"][0]["name"], "x\u{0}y");
    // Windows-1252 and UTF-16 (issue 20) are read, not refused.
    let out = dir.path().join("latin1");
    let o = import_csv(&format!("{CSV_DIR}latin1.csv"), None, &out, DEFAULT_LIMITS);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(imported_model(&out)["items"][0]["name"], "café");
    let out = dir.path().join("utf16");
    let o = import_csv(&format!("{CSV_DIR}utf16le.csv"), None, &out, DEFAULT_LIMITS);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(imported_model(&out)["items"], serde_json::json!([]));
    // A header alone is an empty graph.
    let out = dir.path().join("header");
    let o = import_csv(
        &format!("{CSV_DIR}header-only.csv"),
        None,
        &out,
        DEFAULT_LIMITS,
    );
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(imported_model(&out)["items"], serde_json::json!([]));
}

#[test]
fn csv_generated_cases() {
    let _heavy = heavy();
    let dir = tempdir();
    let d = dir.path();
    let out = d.join("out");
    // A requires cycle through 1,000 items, printed whole at the row closing it.
    let mut rows = String::from("parent,child\n,s\ns,c0\n");
    for i in 0..1_000 {
        rows.push_str(&format!("c{i},c{}\n", (i + 1) % 1_000));
    }
    let cycle = write(d, "cycle.csv", rows);
    let ids: Vec<String> = (0..1_000).chain([0]).map(|i| format!("c{i}")).collect();
    assert_import_refused(
        &import_csv(&cycle, None, &out, DEFAULT_LIMITS),
        "cycle 1000",
        &cycle,
        &[&format!(
            ":1003:2: error[E007]: `requires` cycle: {}",
            ids.join(" → ")
        )],
        &out,
    );
    // A 50 MB cell: a valid name, kept whole.
    let big = "x".repeat(FIFTY_MB);
    let name = write(
        d,
        "big.csv",
        format!("parent,child,name\n,s,{big}\ns,a,A\n"),
    );
    let o = import_csv(&name, None, &out, LARGE_LIMITS);
    o.assert_finished("50 MB cell");
    assert_eq!(o.status, Some(0), "{}", tail(&o.stderr));
    let m = export_json_limited(&out.join("graph.yaml"), LARGE_LIMITS);
    assert_eq!(m["items"][0]["name"].as_str().unwrap().len(), FIFTY_MB);
    std::fs::remove_dir_all(&out).unwrap();
    // A 50 MB quoted cell that never closes is an error where it opens.
    let open = write(
        d,
        "open.csv",
        format!("parent,child,name\n,s,\"{big}\ns,a,A\n"),
    );
    assert_import_refused(
        &import_csv(&open, None, &out, LARGE_LIMITS),
        "50 MB unclosed",
        &open,
        &[":2:3: error[I003]: a quoted cell is never closed: the quote opened here runs to the end of the file"],
        &out,
    );
    // Input paths that cannot be read: a directory without tables, a symlink
    // loop, a missing file.
    let empty = d.join("no-tables");
    std::fs::create_dir(&empty).unwrap();
    let e = empty.display().to_string();
    assert_import_refused(
        &import_csv(&e, None, &out, DEFAULT_LIMITS),
        "dir without tables",
        &e,
        &[": error[I001]: neither requirements.csv nor items.csv is in this directory"],
        &out,
    );
    let l = d.join("loop.csv");
    std::os::unix::fs::symlink(&l, &l).unwrap();
    let l = l.display().to_string();
    assert_import_refused(
        &import_csv(&l, None, &out, DEFAULT_LIMITS),
        "loop",
        &l,
        &[": error[I001]: cannot read the file: Too many levels of symbolic links (os error 40)"],
        &out,
    );
}

#[test]
fn csv_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let out = dir.path().join("out");
    let f = write(
        dir.path(),
        "bom.csv",
        "parent,child,kind\n,s,system\ns,a,part\n",
    );
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = import_csv(&f, None, &out, DEFAULT_LIMITS);
    if permissions_apply(Path::new(&f)) {
        assert_import_refused(
            &o,
            "chmod 000",
            &f,
            &[": error[I001]: cannot read the file: Permission denied (os error 13)"],
            &out,
        );
    } else {
        o.assert_finished("chmod 000 as root");
        assert_eq!(o.status, Some(0), "{}", o.stderr);
        assert_eq!(item_ids(&imported_model(&out)), ["s", "a"]);
    }
}

/// A BOM of one system and `n - 1` parts, imported and checked.
fn csv_rows_import(n: usize, limits: Limits) {
    let _heavy = heavy();
    let dir = tempdir();
    let mut bom = String::with_capacity(n * 16);
    bom.push_str("parent,child,kind\n,s,system\n");
    for i in 0..n - 1 {
        bom.push_str(&format!("s,p{i},part\n"));
    }
    let bom = write(dir.path(), "rows.csv", bom);
    let out = dir.path().join("out");
    let o = import_csv(&bom, None, &out, limits);
    o.assert_finished("rows");
    assert_eq!(o.status, Some(0), "{}", tail(&o.stderr));
    assert_eq!(
        o.stderr.lines().last().unwrap(),
        format!(
            "imported {n} items, 0 suppliers, 0 supply edges into {}",
            out.join("graph.yaml").display()
        )
    );
    let s = check_json(&out.join("graph.yaml"), limits);
    assert_eq!(s["items"], n);
    assert_eq!(s["items_by_kind"]["system"], 1);
}

#[test]
fn csv_100000_rows_import() {
    csv_rows_import(100_000, LARGE_LIMITS);
}

/// The issue's million rows, under the common 1 GiB (docs/robustness.md, "Scale").
#[test]
fn csv_million_rows_import() {
    csv_rows_import(1_000_000, LARGE_LIMITS);
}

// ---------------------------------------------------------------------------
// CycloneDX importer: `chokepoint import --from cyclonedx`.
// ---------------------------------------------------------------------------

const CDX_DIR: &str = "tests/fixtures/hostile/cyclonedx/";

/// (file, the one diagnostic after "PATH:"): documents that cannot be read at
/// all, located in their text; serde_json's own words and place for syntax.
const CDX_UNREADABLE: &[(&str, &str)] = &[
    (
        "empty.json",
        "1:1: error[E001]: not valid JSON: EOF while parsing a value at line 1 column 0",
    ),
    (
        "truncated.json",
        "3:1: error[E001]: not valid JSON: EOF while parsing a list at line 3 column 0",
    ),
    (
        "not-json.json",
        "1:2: error[E001]: not valid JSON: expected ident at line 1 column 2",
    ),
    (
        "latin1.json",
        "1:96: error[E001]: not valid JSON: invalid unicode code point at line 1 column 96",
    ),
    (
        "nan-literal.json",
        "1:126: error[E001]: not valid JSON: expected value at line 1 column 126",
    ),
    (
        "number-1e400.json",
        "1:66: error[E001]: not valid JSON: number out of range at line 1 column 66",
    ),
    (
        "top-level-array.json",
        "1:1: error[E017]: not a CycloneDX BOM: the document is not a JSON object",
    ),
    (
        "wrong-bom-format.json",
        "1:15: error[E017]: not a CycloneDX BOM: `bomFormat` is not \"CycloneDX\"",
    ),
    (
        "old-spec-version.json",
        "1:43: error[E017]: CycloneDX 1.2 is not supported (this importer reads 1.5 and 1.6)",
    ),
    (
        "spec-version-number.json",
        "1:43: error[E017]: CycloneDX `specVersion` 1.6 (not a string) is not supported (this importer reads 1.5 and 1.6)",
    ),
];

fn import_cdx(input: &str, out: &Path, limits: Limits) -> Outcome {
    run_limited(
        [
            OsString::from("import"),
            "--from".into(),
            "cyclonedx".into(),
            input.into(),
            "--out".into(),
            out.into(),
            "-q".into(),
        ],
        limits,
    )
}

#[test]
fn cyclonedx_unreadable_documents_exit_2() {
    let dir = tempdir();
    let out = dir.path().join("out");
    for (file, message) in CDX_UNREADABLE {
        let path = format!("{CDX_DIR}{file}");
        let o = import_cdx(&path, &out, DEFAULT_LIMITS);
        o.assert_errors(file, &format!("{path}:"), &[message]);
        assert!(o.stderr.contains("  help: "), "{file}: {}", o.stderr);
        assert!(
            o.stderr
                .ends_with("error: 1 error(s) in the graph; nothing was written\n"),
            "{file}: {}",
            o.stderr
        );
        assert!(!out.exists(), "{file}");
    }
}

/// Unmapped-element lines (`FILE#/pointer: reason`) and the diagnostics of
/// `load`'s validation, located in the JSON; nothing is written.
#[test]
fn cyclonedx_graph_problems_are_reported_and_nothing_is_written() {
    let dir = tempdir();
    let out = dir.path().join("out");
    for (file, unmapped, diagnostics) in [
        // Two components with one bom-ref and different content stop the import.
        (
            "duplicate-bom-ref.json",
            vec![],
            vec!["1:114: error[E005]: a second component with bom-ref `s` differs from the first (line 1, column 65)"],
        ),
        // A self-dependency is a cycle of length 1, reported by `load`.
        (
            "cycle-length-1.json",
            vec![],
            vec!["1:215: error[E007]: `requires` cycle: p → p"],
        ),
        (
            "cycle-length-2.json",
            vec![],
            vec!["1:298: error[E007]: `requires` cycle: p → q → p"],
        ),
        (
            "system-requires-nothing.json",
            vec![],
            vec!["1:65: error[E014]: system `s` requires nothing and has no supply"],
        ),
        (
            "confusable-dependency.json",
            vec!["#/dependencies/0/dependsOn/0: `ct\u{2010}tube` is not an imported component"],
            // Nothing requires ct-tube now: it is a parentless system too.
            vec![
                "1:65: error[E014]: system `s` requires nothing and has no supply",
                "1:114: error[E014]: system `ct-tube` requires nothing and has no supply",
            ],
        ),
        (
            "share-1e400-property.json",
            vec!["#/components/0/properties/0: `1e400` must be between 0 and 1; the value was not imported"],
            vec![
                "1:65: error[E014]: system `s` requires nothing and has no supply",
                "1:65: warning[W003]: supplier `Varex` supplies no item",
            ],
        ),
    ] {
        let path = format!("{CDX_DIR}{file}");
        let o = import_cdx(&path, &out, DEFAULT_LIMITS);
        o.assert_errors(file, &format!("{path}:"), &diagnostics);
        let listed: Vec<&str> = o
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix(path.as_str()))
            .filter(|l| l.starts_with('#'))
            .collect();
        assert_eq!(listed, unmapped, "{file}");
        assert!(!out.exists(), "{file}: wrote {}", out.display());
    }
}

#[test]
fn cyclonedx_valid_hostile_documents_import_exactly() {
    let dir = tempdir();
    // A byte-order mark is dropped.
    let out = dir.path().join("bom");
    let o = import_cdx(&format!("{CDX_DIR}bom-valid.json"), &out, DEFAULT_LIMITS);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(item_ids(&imported_model(&out)), ["s", "p"]);
    // NUL and ESC in a name, spaces and quotes in ids: kept as text.
    let out = dir.path().join("ids");
    let o = import_cdx(
        &format!("{CDX_DIR}ids-controls-quotes-valid.json"),
        &out,
        DEFAULT_LIMITS,
    );
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    let m = imported_model(&out);
    assert_eq!(item_ids(&m), ["s", "ct tube"]);
    assert_eq!(m["items"][0]["name"], "S\u{0}\u{1b}[31m");
    assert_eq!(m["items"][1]["name"], "say \"hi\"");
    // Values out of range are listed as unmapped, and the rest imports.
    for (file, pointer) in [
        (
            "qty-negative-property.json",
            "#/components/0/components/0/properties/0: qty `-3` is not a number above 0; qty 1 was used",
        ),
        (
            "cost-share-nan-property.json",
            "#/components/0/components/0/properties/0: `NaN` must be between 0 and 1; the value was not imported",
        ),
    ] {
        let out = dir.path().join(file);
        let path = format!("{CDX_DIR}{file}");
        let o = import_cdx(&path, &out, DEFAULT_LIMITS);
        assert_eq!(o.status, Some(0), "{file}: {}", o.stderr);
        assert!(o.stderr.contains(&format!("{path}{pointer}\n")), "{file}: {}", o.stderr);
        let m = imported_model(&out);
        assert_eq!(item_ids(&m), ["s", "p"], "{file}");
        assert_eq!(m["items"][0]["requires"][0]["qty"], 1.0, "{file}");
        let unmapped: Value =
            serde_json::from_slice(&std::fs::read(out.join("unmapped.json")).unwrap()).unwrap();
        let (ptr, reason) = pointer[1..].split_once(": ").unwrap();
        assert!(
            unmapped
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["pointer"] == ptr && u["reason"] == reason),
            "{file}: {unmapped}"
        );
    }
}

/// Where the cycle through 1,000 components is reported: the dependency
/// `{"ref":"c999","dependsOn":["c0"]}`, the requirement that closes it.
const CYCLE_AT: usize = 84677;

#[test]
fn cyclonedx_generated_cases() {
    let _heavy = heavy();
    let dir = tempdir();
    let d = dir.path();
    let out = d.join("out");
    let head = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#;
    // 20,000-deep arrays and 20,000-deep nested components: serde_json's
    // recursion limit (128) stops them, located.
    let deep = 20_000;
    let arrays = write(
        d,
        "arrays.json",
        format!("{head}{}{}}}", "[".repeat(deep), "]".repeat(deep)),
    );
    let nested = write(
        d,
        "nested.json",
        format!(
            "{head}[{}{}]}}",
            r#"{"type":"device","bom-ref":"x","name":"x","components":["#.repeat(deep),
            "]}".repeat(deep)
        ),
    );
    for (path, column) in [(&arrays, 185), (&nested, 3587)] {
        let o = import_cdx(path, &out, DEFAULT_LIMITS);
        o.assert_errors(
            path,
            &format!("{path}:"),
            &[&format!("1:{column}: error[E001]: not valid JSON: recursion limit exceeded at line 1 column {column}")],
        );
    }
    // A cycle through 1,000 components' dependencies.
    let mut comps = vec![r#"{"type":"device","bom-ref":"s","name":"S"}"#.to_string()];
    let mut deps = vec![r#"{"ref":"s","dependsOn":["c0"]}"#.to_string()];
    for i in 0..1_000 {
        comps.push(format!(
            r#"{{"type":"device","bom-ref":"c{i}","name":"C{i}"}}"#
        ));
        deps.push(format!(
            r#"{{"ref":"c{i}","dependsOn":["c{}"]}}"#,
            (i + 1) % 1_000
        ));
    }
    let cycle = write(
        d,
        "cycle.json",
        format!(
            "{head}[{}],\"dependencies\":[{}]}}",
            comps.join(","),
            deps.join(",")
        ),
    );
    let ids: Vec<String> = (0..1_000).chain([0]).map(|i| format!("c{i}")).collect();
    import_cdx(&cycle, &out, DEFAULT_LIMITS).assert_errors(
        "cycle 1000",
        &format!("{cycle}:"),
        &[&format!(
            "1:{CYCLE_AT}: error[E007]: `requires` cycle: {}",
            ids.join(" → ")
        )],
    );
    // A 50 MB name.
    let big = "x".repeat(FIFTY_MB);
    let name = write(
        d,
        "big.json",
        format!(
            r#"{head}[{{"type":"device","bom-ref":"s","name":"{big}","components":[{{"type":"device","bom-ref":"p","name":"P"}}]}}]}}"#
        ),
    );
    let o = import_cdx(&name, &out, LARGE_LIMITS);
    o.assert_finished("50 MB name");
    assert_eq!(o.status, Some(0), "{}", tail(&o.stderr));
    assert_eq!(
        export_json_limited(&out.join("graph.yaml"), LARGE_LIMITS)["items"][0]["name"]
            .as_str()
            .unwrap()
            .len(),
        FIFTY_MB
    );
    // Input paths that cannot be read.
    let l = d.join("loop.json");
    std::os::unix::fs::symlink(&l, &l).unwrap();
    let l = l.display().to_string();
    let o = import_cdx(&l, &out.with_file_name("loop-out"), DEFAULT_LIMITS);
    assert_eq!(o.status, Some(2));
    assert_eq!(
        o.stderr,
        format!(
            "error[E015]: cannot read {l}: Too many levels of symbolic links (os error 40)\n  \
             help: check that the path exists, is a regular file and is readable\n"
        )
    );
}

/// One system depending on `n - 1` components, imported.
fn cyclonedx_components_import(n: usize, limits: Limits) {
    let _heavy = heavy();
    let dir = tempdir();
    let mut text = String::with_capacity(n * 80);
    text.push_str(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"device","bom-ref":"s","name":"S"}"#);
    for i in 0..n - 1 {
        text.push_str(&format!(
            r#",{{"type":"device","bom-ref":"p{i}","name":"P{i}"}}"#
        ));
    }
    text.push_str(r#"],"dependencies":[{"ref":"s","dependsOn":["#);
    for i in 0..n - 1 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("\"p{i}\""));
    }
    text.push_str("]}]}");
    let input = write(dir.path(), "components.json", text);
    let out = dir.path().join("out");
    let o = import_cdx(&input, &out, limits);
    o.assert_finished("components");
    assert_eq!(o.status, Some(0), "{}", tail(&o.stderr));
    assert!(
        o.stderr.ends_with(&format!(
            "imported {n} items, 0 suppliers, 0 supply edges into {}\n",
            out.join("graph.yaml").display()
        )),
        "{}",
        tail(&o.stderr)
    );
    // What was written checks, under the same limits: one system requiring
    // every other component.
    let s = check_json(&out.join("graph.yaml"), limits);
    assert_eq!(s["items"], n);
    assert_eq!(s["items_by_kind"]["system"], 1);
    assert_eq!(s["items_by_kind"]["part"], n - 1);
    assert_eq!(s["warnings_by_code"]["W002"], n - 1);
}

/// 100,000 dependencies of one component: quadratic before the fix (17.8 s),
/// now linear.
#[test]
fn cyclonedx_100000_components_import() {
    cyclonedx_components_import(100_000, LARGE_LIMITS);
}

/// The issue's million components, under the common 1 GiB (docs/robustness.md, "Scale").
#[test]
fn cyclonedx_million_components_import() {
    cyclonedx_components_import(1_000_000, LARGE_LIMITS);
}
