//! Issue 21: every input and output path holds under hostile use, as root.
//!
//! Output targets that are devices, FIFOs, sockets, directories or symbolic
//! links; multi-file outputs with one bad target; standard output that cannot
//! be written; graph files that are FIFOs or devices; SIGTERM in the middle of
//! a report; control characters and bidi overrides on the terminal; formulas in
//! CSV cells. Each case runs the real binary under the hang guard and memory
//! limit of `robustness.rs` (10 s, 1 GiB) and pins the exact message, the exit
//! status and the files left behind (docs/robustness.md has the table).

use crate::robustness::{run_limited, tempdir, Outcome, DEFAULT_LIMITS};
use crate::support::*;
use std::ffi::OsString;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FULL: &str = "tests/fixtures/valid/full";

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Outcome {
    run_limited(
        args.iter()
            .map(|a| OsString::from(a.as_ref()))
            .collect::<Vec<_>>(),
        DEFAULT_LIMITS,
    )
}

/// The hint of U002, an output that cannot be made (as printed).
const U002_HELP: &str = "  help: check that the output's directory exists and is writable, that \
the path is a regular file or absent, and that the disk has room";

/// The hint of E015, an input that cannot be read (as printed).
const E015_HELP: &str = "  help: check that the path exists, is a regular file and is readable";

/// Exit 2, nothing on stdout, and exactly these `error:` lines on stderr —
/// with the `help:` line of an error of the command line (not placed in a file).
#[track_caller]
fn assert_refused(o: &Outcome, what: &str, expected: &[String]) {
    o.assert_finished(what);
    let mut got: Vec<&str> = Vec::new();
    let mut unplaced = false;
    for l in o.stderr.lines() {
        if l.starts_with("error") || l.contains("error[") {
            got.push(l);
            unplaced = l.starts_with("error[");
        } else {
            if unplaced && l.starts_with("  help: ") {
                got.push(l);
            }
            unplaced = false;
        }
    }
    assert_eq!(got, expected, "{what}: stderr was\n{}", o.stderr);
    assert_eq!(o.status, Some(2), "{what}: exit status");
    assert!(o.stdout.is_empty(), "{what}: wrote to stdout");
}

/// Every path under `dir` with its bytes (directories as `None`), sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                pending.push(p.clone());
                out.push((p, None));
            } else if meta.is_file() {
                out.push((p.clone(), Some(std::fs::read(&p).unwrap())));
            } else {
                out.push((p, None));
            }
        }
    }
    out.sort();
    out
}

/// Hidden temporary files (`.chokepoint-*.tmp`) anywhere under `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".chokepoint-")
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn is_char_device(path: &str) -> bool {
    std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_char_device())
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------
// Output targets
// ---------------------------------------------------------------------------

#[test]
fn output_to_a_device_fifo_socket_or_directory_is_refused_and_left_alone() {
    let dir = tempdir();
    let fifo = dir.path().join("out.fifo");
    mkfifo(&fifo);
    let socket = dir.path().join("out.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let subdir = dir.path().join("out.d");
    std::fs::create_dir(&subdir).unwrap();
    let kinds = [
        (PathBuf::from("/dev/full"), "a character device"),
        (fifo.clone(), "a named pipe (FIFO)"),
        (socket.clone(), "a socket"),
        (subdir.clone(), "a directory"),
    ];
    for (target, kind) in &kinds {
        let message = format!(
            "error[U002]: cannot write {}: {kind}, not a regular file (chokepoint replaces only regular files)",
            target.display()
        );
        let expected = [message.clone(), U002_HELP.to_string()];
        for args in [
            vec!["analyze", FULL, "-q", "--out"],
            vec!["export", FULL, "-q", "--format", "json", "--out"],
            vec!["render", FULL, "-q", "--out"],
            vec!["scenario", FULL, "-q", "--timeline"],
        ] {
            let mut a: Vec<&dyn AsRef<std::ffi::OsStr>> = args
                .iter()
                .map(|s| s as &dyn AsRef<std::ffi::OsStr>)
                .collect();
            a.push(target);
            let o = run(&a);
            let what = format!("{args:?} {}", target.display());
            if args[0] == "scenario" {
                // The timeline is refused before the scenario table is printed.
                o.assert_finished(&what);
                assert_eq!(o.status, Some(2), "{what}");
                assert!(o.stderr.contains(&message), "{what}: {}", o.stderr);
            } else {
                assert_refused(&o, &what, &expected);
            }
        }
    }
    assert!(is_char_device("/dev/full"), "/dev/full is still a device");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata(&socket)
        .unwrap()
        .file_type()
        .is_socket());
    assert_eq!(std::fs::read_dir(&subdir).unwrap().count(), 0);
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tempdir();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let o = run(&[
        &"export",
        &FULL,
        &"-q",
        &"--format",
        &"json",
        &"--out",
        &link,
    ]);
    o.assert_finished("export through a link");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(v["schema"], "chokepoint/model/1");

    // A link to a device is refused, the device untouched.
    let to_null = dir.path().join("null.json");
    std::os::unix::fs::symlink("/dev/null", &to_null).unwrap();
    let o = run(&[&"analyze", &FULL, &"-q", &"--out", &to_null]);
    assert_refused(
        &o,
        "link to /dev/null",
        &[format!(
            "error[U002]: cannot write {}: a symbolic link to /dev/null, a character device, not a regular file (chokepoint replaces only regular files)",
            to_null.display()
        ), U002_HELP.into()],
    );
    assert!(is_char_device("/dev/null"));

    // A dangling link is refused; its target is not created.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("nowhere/x.json", &dangling).unwrap();
    let o = run(&[&"analyze", &FULL, &"-q", &"--out", &dangling]);
    assert_refused(
        &o,
        "dangling link",
        &[format!(
            "error[U002]: cannot write {}: a symbolic link to nowhere/x.json, which does not exist (create the target or remove the link)",
            dangling.display()
        ), U002_HELP.into()],
    );
    assert!(!dir.path().join("nowhere").exists());
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn out_dash_is_standard_output() {
    let dir = tempdir();
    let o = run_limited(
        [
            OsString::from("export"),
            FULL.into(),
            "-q".into(),
            "--format".into(),
            "json".into(),
            "--out".into(),
            "-".into(),
        ],
        DEFAULT_LIMITS,
    );
    let v = o.json("export --out -");
    assert_eq!(v["schema"], "chokepoint/model/1");
    assert!(!root().join("-").exists(), "no file named `-`");
    drop(dir);
}

/// The report of the full fixture in another language: the same file names,
/// other bytes.
fn old_report(out: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let o = run(&[&"report", &FULL, &"-q", &"--lang", &"zh", &"--out", &out]);
    o.assert_finished("old report");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    snapshot(out)
}

#[test]
fn multi_file_outputs_are_checked_whole_before_anything_is_replaced() {
    let dir = tempdir();
    // report: one of its files is a directory.
    let out = dir.path().join("report");
    let _ = old_report(&out);
    let blocker = out.join("timeline.csv");
    std::fs::remove_file(&blocker).unwrap();
    std::fs::create_dir(&blocker).unwrap();
    let before = snapshot(&out);
    let o = run(&[&"report", &FULL, &"-q", &"--out", &out]);
    assert_refused(
        &o,
        "report with a directory in the way",
        &[format!(
            "error[U002]: cannot write {}: a directory, not a regular file (chokepoint replaces only regular files); nothing was written",
            blocker.display()
        ), U002_HELP.into()],
    );
    assert_eq!(snapshot(&out), before, "the old report is untouched");

    // report: `diagrams` is a file, so none of the SVGs can be written.
    std::fs::remove_dir(&blocker).unwrap();
    std::fs::remove_dir_all(out.join("diagrams")).unwrap();
    std::fs::write(out.join("diagrams"), "not a directory").unwrap();
    let before = snapshot(&out);
    let o = run(&[&"report", &FULL, &"-q", &"--out", &out]);
    assert_refused(
        &o,
        "report with a file for diagrams/",
        &[
            format!(
            "error[U002]: cannot write {}: a regular file, not a directory; nothing was written",
            out.join("diagrams").display()
        ),
            U002_HELP.into(),
        ],
    );
    assert_eq!(snapshot(&out), before);

    // export --format csv: items.csv is a FIFO (never opened: no hang).
    let csv = dir.path().join("csv");
    std::fs::create_dir(&csv).unwrap();
    std::fs::write(csv.join("requirements.csv"), "old").unwrap();
    mkfifo(&csv.join("items.csv"));
    let o = run(&[&"export", &FULL, &"-q", &"--format", &"csv", &"--out", &csv]);
    assert_refused(
        &o,
        "export csv with a FIFO",
        &[format!(
            "error[U002]: cannot write {}: a named pipe (FIFO), not a regular file (chokepoint replaces only regular files); nothing was written",
            csv.join("items.csv").display()
        ), U002_HELP.into()],
    );
    assert_eq!(std::fs::read(csv.join("requirements.csv")).unwrap(), b"old");
    assert_eq!(std::fs::read_dir(&csv).unwrap().count(), 2);

    // import: unmapped.json is /dev/null through a link; graph.yaml stays old.
    let imported = dir.path().join("imported");
    std::fs::create_dir(&imported).unwrap();
    std::fs::write(imported.join("graph.yaml"), "old").unwrap();
    std::os::unix::fs::symlink("/dev/null", imported.join("unmapped.json")).unwrap();
    let o = run(&[
        &"import",
        &"--from",
        &"cyclonedx",
        &"tests/fixtures/interop/generic-cdx.json",
        &"-q",
        &"--out",
        &imported,
    ]);
    o.assert_finished("import");
    assert_eq!(o.status, Some(2));
    assert!(
        o.stderr.ends_with(&format!(
            "error[U002]: cannot write {}: a symbolic link to /dev/null, a character device, not a regular file (chokepoint replaces only regular files); nothing was written\n{U002_HELP}\n",
            imported.join("unmapped.json").display()
        )),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(imported.join("graph.yaml")).unwrap(), b"old");
    assert!(is_char_device("/dev/null"));
    assert!(temp_files(dir.path()).is_empty());
}

// ---------------------------------------------------------------------------
// Standard output
// ---------------------------------------------------------------------------

/// Runs `chokepoint ARGS` with standard output on `/dev/full`.
fn run_to_dev_full(args: &[&str]) -> (Option<i32>, String) {
    use wait_timeout::ChildExt;
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = crate::robustness::limited_command(DEFAULT_LIMITS.memory)
        .args(args)
        .stdout(Stdio::from(full))
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = match child.wait_timeout(DEFAULT_LIMITS.time).unwrap() {
        Some(s) => s,
        None => {
            let _ = child.kill();
            panic!("{args:?}: did not finish within the time limit");
        }
    };
    (status.code(), reader.join().unwrap())
}

#[test]
fn a_full_standard_output_is_exit_2_with_a_message() {
    let dir = tempdir();
    let report = dir.path().join("report").display().to_string();
    for args in [
        vec!["check", FULL, "-q"],
        vec!["analyze", FULL, "-q"],
        vec!["analyze", FULL, "-q", "--format", "json"],
        vec!["analyze", FULL, "-q", "--format", "csv"],
        vec!["scenario", FULL, "-q"],
        vec!["export", FULL, "-q", "--format", "json"],
        vec!["export", FULL, "-q", "--format", "graphml"],
        vec!["render", FULL, "-q"],
        vec!["mitigate", FULL, "-q", "--budget", "2"],
        vec!["report", FULL, "-q", "--out", &report],
        vec!["analyze", FULL, "-q", "--out", "-"],
    ] {
        let (status, stderr) = run_to_dev_full(&args);
        assert_eq!(status, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.ends_with(
                &format!("error[U002]: cannot write to standard output: No space left on device (os error 28)\n{U002_HELP}\n")
            ),
            "{args:?}: {stderr}"
        );
    }
    assert!(is_char_device("/dev/full"));
}

#[test]
fn a_full_standard_output_stops_a_document_of_several_chunks() {
    // The write fails while the serializer is still producing chunks.
    let dir = crate::json::generated_dir(crate::json::SEVERAL_CHUNKS);
    let graph = dir.path().to_str().unwrap();
    let (status, stderr) = run_to_dev_full(&["analyze", graph, "-q", "--format", "json"]);
    assert_eq!(status, Some(2), "{stderr}");
    assert_eq!(
        stderr,
        format!("error[U002]: cannot write to standard output: No space left on device (os error 28)\n{U002_HELP}\n")
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chokepoint"))
        .args(["export", FULL, "-q", "--format", "json"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once, like `| head -c0`
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

// ---------------------------------------------------------------------------
// Input files
// ---------------------------------------------------------------------------

#[test]
fn fifos_and_devices_named_like_graph_files_are_refused_without_blocking() {
    let dir = tempdir();
    let g = dir.path().join("g");
    std::fs::create_dir(&g).unwrap();
    for f in ["a-meta.yaml", "b-items.yml"] {
        std::fs::copy(root().join(FULL).join(f), g.join(f)).unwrap();
    }
    mkfifo(&g.join("pipe.yaml"));
    std::os::unix::fs::symlink("/dev/zero", g.join("zero.yml")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", g.join("random.yaml")).unwrap();
    mkfifo(&g.join("other.fifo")); // not a graph file name: not part of the graph
    let p = |n: &str| g.join(n).display().to_string();
    let o = run(&[&"check", &g, &"-q"]);
    assert_refused(
        &o,
        "check a directory with a FIFO and devices",
        &[
            format!(
                "{}: error[E015]: cannot read {}: a named pipe (FIFO), not a regular file",
                p("pipe.yaml"),
                p("pipe.yaml")
            ),
            format!(
                "{}: error[E015]: cannot read {}: a character device, not a regular file",
                p("random.yaml"),
                p("random.yaml")
            ),
            format!(
                "{}: error[E015]: cannot read {}: a character device, not a regular file",
                p("zero.yml"),
                p("zero.yml")
            ),
            "error: 3 error(s) in the graph; nothing was written".into(),
        ],
    );
    // The help is wrapped to the terminal width under its own indent.
    assert!(o.stderr.replace("\n        ", " ").contains(
        "  help: graph files must be regular files: remove it, or rename it so that it does not end in .yaml or .yml"
    ));

    // The FIFO given as the graph.
    let o = run(&[&"check", &g.join("pipe.yaml")]);
    assert_refused(
        &o,
        "check FIFO",
        &[
            format!(
                "{}: error[E015]: cannot read {}: a named pipe (FIFO), not a regular file or a directory",
                p("pipe.yaml"),
                p("pipe.yaml")
            ),
            "error: 1 error(s) in the graph; nothing was written".into(),
        ],
    );

    // The importers and the weights file read the same way.
    let out = dir.path().join("out");
    let o = run(&[
        &"import",
        &"--from",
        &"csv",
        &g.join("pipe.yaml"),
        &"--out",
        &out,
    ]);
    assert_refused(
        &o,
        "import csv FIFO",
        &[
            format!(
                "{}: error[I001]: cannot read the file: a named pipe (FIFO), not a regular file",
                p("pipe.yaml")
            ),
            "error: 1 error(s) in the input; nothing was written".into(),
        ],
    );
    let o = run(&[
        &"import",
        &"--from",
        &"cyclonedx",
        &g.join("zero.yml"),
        &"--out",
        &out,
    ]);
    assert_refused(
        &o,
        "import cyclonedx /dev/zero",
        &[
            format!(
                "error[E015]: cannot read {}: a character device, not a regular file",
                p("zero.yml")
            ),
            E015_HELP.into(),
        ],
    );
    assert!(!out.exists());
    let o = run(&[&"analyze", &FULL, &"-q", &"--weights", &g.join("pipe.yaml")]);
    assert_refused(
        &o,
        "weights FIFO",
        &[
            format!(
                "error[E015]: cannot read weights file {}: a named pipe (FIFO), not a regular file",
                p("pipe.yaml")
            ),
            E015_HELP.into(),
        ],
    );
}

#[test]
fn reads_are_bounded_by_the_limit_whatever_size_the_file_claims() {
    use chokepoint::load::{read_input, ReadFailure};
    // /proc files claim 0 bytes and hold more: the limit applies to what is read.
    let status = Path::new("/proc/self/status");
    if status.exists() {
        assert!(matches!(
            read_input(status, 10),
            Err(ReadFailure::TooLarge(None))
        ));
        assert!(read_input(status, 1 << 20).unwrap().len() > 10);
    }
    let dir = tempdir();
    let f = dir.path().join("big.yaml");
    std::fs::write(&f, [b'#'; 100]).unwrap();
    assert!(matches!(
        read_input(&f, 99),
        Err(ReadFailure::TooLarge(Some(100)))
    ));
    assert_eq!(read_input(&f, 100).unwrap().len(), 100);
    assert!(matches!(
        read_input(Path::new("/dev/zero"), 10),
        Err(ReadFailure::NotRegular("a character device"))
    ));
}

// ---------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------

/// SIGTERM as soon as the report starts writing (its first temporary file
/// appears), and at other moments: each time the directory holds exactly the
/// old report or a whole new one, and no temporary file. (The old set is
/// marked file by file rather than compared with a reference run: the
/// built-in layout used without Graphviz does not draw byte-identical SVGs.)
#[test]
fn sigterm_during_report_leaves_the_old_or_the_new_set_and_no_temp_file() {
    let dir = tempdir();
    let out = dir.path().join("report");
    let names: Vec<PathBuf> = old_report(&out)
        .into_iter()
        .filter(|(_, bytes)| bytes.is_some())
        .map(|(p, _)| p)
        .collect();
    assert!(names.len() > 10, "{names:?}");
    let restore = || {
        for p in &names {
            std::fs::write(p, "old\n").unwrap();
        }
    };
    let (mut saw_old, mut saw_new, mut caught_staging) = (0, 0, 0);
    for trial in 0..12 {
        restore();
        let mut child = Command::new(env!("CARGO_BIN_EXE_chokepoint"))
            .args(["report", FULL, "-q", "--out"])
            .arg(&out)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        let start = Instant::now();
        if trial % 2 == 0 {
            // Wait for the first temporary file, then terminate.
            while start.elapsed() < Duration::from_secs(10) {
                if !temp_files(&out).is_empty() {
                    caught_staging += 1;
                    break;
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
            }
        } else {
            std::thread::sleep(Duration::from_millis(5 * trial as u64));
        }
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = child.wait().unwrap();
        assert!(
            temp_files(&out).is_empty(),
            "trial {trial}: temporary files left: {:?}",
            temp_files(&out)
        );
        let now = snapshot(&out);
        let files: Vec<&PathBuf> = now
            .iter()
            .filter(|(_, b)| b.is_some())
            .map(|(p, _)| p)
            .collect();
        assert_eq!(files, names.iter().collect::<Vec<_>>(), "trial {trial}");
        let old = now
            .iter()
            .filter(|(_, b)| b.as_deref() == Some(b"old\n".as_slice()))
            .count();
        if old == names.len() {
            saw_old += 1;
        } else if old == 0 {
            saw_new += 1;
        } else {
            panic!(
                "trial {trial}: SIGTERM left a mix: {old} old files of {}",
                names.len()
            );
        }
    }
    eprintln!(
        "report: 12 SIGTERMs ({caught_staging} while staging) left the old set {saw_old} times, the new one {saw_new} times"
    );
    assert!(
        caught_staging > 0,
        "no SIGTERM landed while the report was staged"
    );
}

// ---------------------------------------------------------------------------
// Terminal and spreadsheet safety
// ---------------------------------------------------------------------------

/// A graph whose ids and names carry ESC, BEL and RIGHT-TO-LEFT OVERRIDE (as
/// YAML escapes: raw control characters are refused by the loader), and
/// names that a spreadsheet would run as formulas.
const HOSTILE_TEXT: &str = r#"meta: { title: "T\e]0;owned\a", home: CN, currency: CNY }
suppliers:
  - { id: "s\e[2J", name: "=HYPERLINK(\"http://x\",\"s\")", country: US }
items:
  - id: "sys\u202Eabc"
    kind: system
    name: "@SUM(1+1)\e[31m"
    market_value: 1000
    requires: [{ item: "-part", qty: 1, cost_share: 0.5 }]
  - id: "-part"
    kind: part
    name: "+cmd|' /C calc'!A0"
    import_share: 0.5
    stock_days: 10
    supply: [{ supplier: "s\e[2J", share: 1 }]
scenarios:
  - { id: "emb\a", name: "Embargo \u202Eevil", fail: { countries: [US] }, duration_days: 30 }
"#;

fn assert_terminal_safe(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !text.contains(bad),
            "{what}: {bad:?} reached the terminal:\n{text}"
        );
    }
}

#[test]
fn control_characters_and_bidi_overrides_never_reach_the_terminal() {
    let dir = tempdir();
    let g = dir.path().join("g.yaml");
    std::fs::write(&g, HOSTILE_TEXT).unwrap();
    for args in [
        vec!["check"],
        vec!["analyze"],
        vec!["analyze", "--format", "md"],
        vec!["scenario"],
        vec!["scenario", "--format", "md"],
        vec!["mitigate", "--budget", "2"],
    ] {
        let mut a: Vec<OsString> = args.iter().map(OsString::from).collect();
        a.push(g.clone().into());
        let o = run_limited(a, DEFAULT_LIMITS);
        o.assert_finished(&format!("{args:?}"));
        assert_eq!(o.status, Some(0), "{args:?}: {}", o.stderr);
        let stdout = String::from_utf8(o.stdout).unwrap();
        assert!(stdout.contains('\u{fffd}'), "{args:?}: {stdout}");
        assert_terminal_safe(&format!("{args:?} stdout"), &stdout);
        assert_terminal_safe(&format!("{args:?} stderr"), &o.stderr);
    }
    // The analysis names the system (heading) and the scenario narrative names it too.
    let o = run(&[&"scenario", &g, &"-q"]);
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("Embargo \u{fffd}evil"), "{stdout}");

    // Diagnostics: the header, the snippet and the help line.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        HOSTILE_TEXT.replace(
            "requires: [{ item: \"-part\"",
            "requires: [{ item: \"x\\e[8m\\u202E\"",
        ) + "# \u{202e} in a comment\n",
    )
    .unwrap();
    let o = run(&[&"check", &bad]);
    o.assert_finished("check bad");
    assert_eq!(o.status, Some(2));
    assert_terminal_safe("diagnostics", &o.stderr);
    assert!(
        o.stderr.contains("unknown item `x\u{fffd}[8m\u{fffd}`"),
        "{}",
        o.stderr
    );

    // A usage error quoting an argument.
    let o = run(&[&"analyze", &g, &"-q", &"--system", &"\u{1b}[2Jx\u{202e}"]);
    o.assert_finished("--system");
    assert_eq!(o.status, Some(2));
    assert_terminal_safe("usage error", &o.stderr);
}

#[test]
fn csv_outputs_neutralise_formulas_and_import_reads_them_back() {
    let dir = tempdir();
    let g = dir.path().join("g.yaml");
    std::fs::write(&g, HOSTILE_TEXT).unwrap();
    let formula_starts = |csv: &str| -> Vec<String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        r.records()
            .flat_map(|rec| {
                rec.unwrap()
                    .iter()
                    .filter(|c| {
                        c.starts_with(['=', '+', '@', '\t', '\r'])
                            || (c.starts_with('-') && c.parse::<f64>().is_err())
                    })
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // analyze --format csv
    let o = run(&[&"analyze", &g, &"-q", &"--format", &"csv"]);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    let csv = String::from_utf8(o.stdout).unwrap();
    assert_eq!(formula_starts(&csv), Vec::<String>::new(), "{csv}");
    assert!(csv.contains("'-part"), "{csv}");
    assert!(csv.contains(",'+cmd|' /C calc'!A0,"), "{csv}");

    // the report's CSVs
    let out = dir.path().join("report");
    let o = run(&[&"report", &g, &"-q", &"--out", &out]);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert_eq!(
                formula_starts(&text),
                Vec::<String>::new(),
                "{}",
                p.display()
            );
        }
    }
    let items = std::fs::read_to_string(out.join("items.csv")).unwrap();
    assert!(items.contains("'@SUM(1+1)"), "{items}");

    // export csv, and the import of it gives back the same graph.
    let tables = dir.path().join("tables");
    let o = run(&[&"export", &g, &"-q", &"--format", &"csv", &"--out", &tables]);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    for e in std::fs::read_dir(&tables).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            formula_starts(&text),
            Vec::<String>::new(),
            "{}",
            p.display()
        );
    }
    let suppliers = std::fs::read_to_string(tables.join("suppliers.csv")).unwrap();
    assert!(
        suppliers.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"s\"\")\""),
        "{suppliers}"
    );
    let copy = dir.path().join("copy");
    let o = run(&[
        &"import", &"--from", &"csv", &tables, &"-q", &"--out", &copy,
    ]);
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    let original = chokepoint::interop::export::json(&load(&g).model, None);
    let imported = chokepoint::interop::export::json(&load(&copy).model, None);
    let names = |doc: &str| -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        let mut out: Vec<(String, String)> = ["items", "suppliers"]
            .iter()
            .flat_map(|k| v[k].as_array().unwrap().clone())
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    e["name"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(names(&imported), names(&original));
    assert!(names(&original).contains(&(
        "s\u{1b}[2J".to_string(),
        "=HYPERLINK(\"http://x\",\"s\")".to_string()
    )));
}

/// A 20,000-deep BOM chain: `check` succeeds, and `render` to SVG is refused
/// at once by the node limit instead of running Graphviz for half a minute;
/// the DOT text (never limited) is still written, and `--max-nodes` lifts it.
#[test]
fn a_20000_deep_chain_is_refused_for_layout_but_written_as_dot() {
    let dir = tempdir();
    let mut yaml =
        String::from("items:\n  - { id: sys, kind: system, requires: [{ item: p0 }] }\n");
    for i in 0..20_000 {
        if i + 1 < 20_000 {
            yaml.push_str(&format!(
                "  - {{ id: p{i}, kind: part, requires: [{{ item: p{} }}] }}\n",
                i + 1
            ));
        } else {
            yaml.push_str(&format!("  - {{ id: p{i}, kind: part }}\n"));
        }
    }
    std::fs::write(dir.path().join("g.yaml"), yaml).unwrap();
    let svg = dir.path().join("bom.svg");
    let o = run(&[
        &"render",
        &dir.path(),
        &"--system",
        &"sys",
        &"-q",
        &"--out",
        &svg,
    ]);
    assert_refused(
        &o,
        "svg of a 20,000-deep chain",
        &[
            "error[U001]: the diagram has 20001 nodes, above the layout limit of 5000: Graphviz takes \
minutes on such diagrams, and the picture is unreadable"
                .to_string(),
            "  help: draw less (--depth N, --system ID, --collapse suppliers), raise the limit \
with --max-nodes N, or write --format dot and lay it out with another tool"
                .to_string(),
        ],
    );
    assert!(!svg.exists(), "nothing written");
    let o = run(&[
        &"render",
        &dir.path(),
        &"--system",
        &"sys",
        &"-q",
        &"--format",
        &"dot",
    ]);
    o.assert_finished("dot of a 20,000-deep chain");
    assert_eq!(o.status, Some(0), "{}", o.stderr);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).matches(" -> ").count(),
        20_000
    );
    // Drawing less fits under the limit.
    let o = run(&[
        &"render",
        &dir.path(),
        &"--system",
        &"sys",
        &"-q",
        &"--depth",
        &"100",
        &"--format",
        &"svg",
    ]);
    if tool_available("dot") {
        assert_eq!(o.status, Some(0), "{}", o.stderr);
        assert!(String::from_utf8_lossy(&o.stdout).contains("<svg"));
    }
}
