//! Loading: graph directory → validated [`Model`].
//!
//! Owns: finding the `*.yaml`/`*.yml` files of a graph, reading them, parsing them
//! with locations, the schema and validation rules of spec §2, and the
//! diagnostics that explain every problem. This is the only module that reads
//! input files. It never writes anything and never panics on bad input: every
//! problem becomes a [`Diagnostic`] with a stable code and a location.

mod convert;
mod diagnostic;
pub mod summary;
mod validate;
pub mod yaml;

pub use convert::{closest, convert_document, convert_entry, edit_distance, Draft, RefKind, Usage};
pub use diagnostic::{count_by_code, Code, Diagnostic, Severity, SharedSources};
pub use validate::SUM_TOLERANCE;

use crate::model::{Location, Model, SourceFile};
use std::path::{Path, PathBuf};

/// Largest graph file read (bytes); bigger files are refused with E018.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Most files read from one graph directory.
pub const MAX_FILES: usize = 100_000;

/// A model that passed validation, with its warnings.
#[derive(Debug)]
pub struct Loaded {
    pub model: Model,
    pub warnings: Vec<Diagnostic>,
}

/// Validation failed: every problem found, and the files for rendering snippets.
#[derive(Debug, thiserror::Error)]
#[error("the graph has {} error(s)", self.errors().count())]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<SourceFile>,
}

impl LoadError {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
    /// Renders every diagnostic for a terminal.
    pub fn render(&self, color: bool) -> String {
        let shared = diagnostic::SharedSources::new(&self.files);
        self.diagnostics
            .iter()
            .map(|d| d.render_shared(&self.files, &shared, color))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Loads a graph directory (or a single graph file).
pub fn load_dir(path: &Path) -> Result<Loaded, LoadError> {
    let mut diags = Vec::new();
    let paths = match collect_files(path) {
        Ok(p) => p,
        Err(d) => {
            return Err(LoadError {
                diagnostics: vec![d],
                files: Vec::new(),
            })
        }
    };
    if paths.is_empty() {
        let d = Diagnostic::unlocated(
            Code::Io,
            path.display().to_string(),
            format!("no *.yaml or *.yml files under {}", path.display()),
        )
        .hint("point to a graph directory, e.g. `chokepoint check graphs/`");
        return Err(LoadError {
            diagnostics: vec![d],
            files: Vec::new(),
        });
    }
    let mut sources = Vec::with_capacity(paths.len());
    for p in paths {
        match read_file(&p) {
            Ok(text) => sources.push(SourceFile::new(p, text)),
            Err(d) => {
                diags.push(d);
                sources.push(SourceFile::new(p, String::new()));
            }
        }
    }
    load_sources_with(sources, diags)
}

/// Loads a graph from in-memory files (path, text), as if read from disk.
pub fn load_sources(files: Vec<(PathBuf, String)>) -> Result<Loaded, LoadError> {
    let sources = files
        .into_iter()
        .map(|(path, text)| SourceFile::new(path, text))
        .collect();
    load_sources_with(sources, Vec::new())
}

fn load_sources_with(
    mut sources: Vec<SourceFile>,
    mut io_diags: Vec<Diagnostic>,
) -> Result<Loaded, LoadError> {
    for file in sources.iter_mut() {
        // A byte-order mark is legal at the start of a UTF-8 file; YAML need not see it.
        if let Some(stripped) = file.text.strip_prefix('\u{feff}') {
            file.text = stripped.to_string();
        }
    }
    let unreadable: std::collections::HashSet<String> =
        io_diags.iter().filter_map(|d| d.path.clone()).collect();
    // Files are independent until validation: parse and convert them on all cores,
    // then merge the drafts in path order so results do not depend on scheduling.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(sources.len())
        .max(1);
    let mut drafts: Vec<(usize, convert::Draft)> = if threads == 1 {
        // One file (the usual import or a single-file graph): no thread, so the
        // draft is not built in a second malloc arena that the model later
        // cannot reuse.
        sources
            .iter()
            .enumerate()
            .map(|(i, file)| (i, convert_file(i, file, &unreadable)))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let sources = &sources;
                    let unreadable = &unreadable;
                    scope.spawn(move || {
                        (t..sources.len())
                            .step_by(threads)
                            .map(|i| (i, convert_file(i, &sources[i], unreadable)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("a loader thread panicked"))
                .collect()
        })
    };
    drafts.sort_by_key(|(i, _)| *i);
    let mut draft = convert::Draft::default();
    for (_, d) in drafts {
        draft.merge(d);
    }
    // The texts move into the model (no copy: a 1M-item graph is ~350 MB of YAML).
    let (model, mut diags) = validate::validate(draft, sources);
    if !io_diags.is_empty() {
        io_diags.append(&mut diags);
        return Err(LoadError {
            diagnostics: io_diags,
            files: match model {
                Ok(model) => model.files,
                Err(files) => files,
            },
        });
    }
    match model {
        Ok(model) => Ok(Loaded {
            model,
            warnings: diags,
        }),
        Err(files) => Err(LoadError {
            diagnostics: diags,
            files,
        }),
    }
}

/// Validates a draft built by another reader (the CSV, workbook and CycloneDX importers),
/// located in `files`: the one validation path of every input
/// (`validate::validate`), with the reader's own diagnostics already in
/// `draft.diagnostics`.
pub fn validate_draft(draft: Draft, files: Vec<SourceFile>) -> Result<Loaded, LoadError> {
    let (model, diagnostics) = validate::validate(draft, files);
    match model {
        Ok(model) => Ok(Loaded {
            model,
            warnings: diagnostics,
        }),
        Err(files) => Err(LoadError { diagnostics, files }),
    }
}

/// Parses and converts one file into its own draft.
fn convert_file(
    i: usize,
    file: &SourceFile,
    unreadable: &std::collections::HashSet<String>,
) -> convert::Draft {
    let mut draft = convert::Draft::default();
    let rules = yaml::StreamRules {
        top: convert::LIST_KEYS,
        nested: convert::NESTED_LIST_KEYS,
    };
    let parsed = yaml::parse_streaming(&file.text, i as u32, &rules, &mut |key, node| {
        convert::convert_entry(&mut draft, key, &node)
    });
    match parsed {
        Ok(docs) => {
            if docs.is_empty() && !unreadable.contains(&file.path.display().to_string()) {
                draft.diagnostics.push(
                    Diagnostic::new(
                        Code::EmptyFile,
                        Location {
                            file: i as u32,
                            line: 1,
                            column: 1,
                            offset: 0,
                        },
                        "file holds no YAML document",
                    )
                    .hint("remove the file or add graph entries"),
                );
            }
            for doc in &docs {
                convert::convert_document(&mut draft, doc);
            }
        }
        Err(e) => {
            // What was converted before the error is dropped: one mistake, one diagnostic.
            draft = convert::Draft::default();
            let (code, hint) = if e.limit {
                (Code::Limit, "see docs/robustness.md for the input limits")
            } else if let Some(hint) = e.hint {
                (Code::YamlSyntax, hint)
            } else {
                (
                    Code::YamlSyntax,
                    "fix the YAML syntax at this position (indentation, quotes, brackets)",
                )
            };
            draft
                .diagnostics
                .push(Diagnostic::new(code, e.loc, e.message).hint(hint));
        }
    }
    draft
}

/// All graph files under `root`, sorted by path. Symlinked directories are
/// followed once (a loop is visited once, not forever).
fn collect_files(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let io_error = |p: &Path, e: std::io::Error| {
        let d = Diagnostic::unlocated(
            Code::Io,
            p.display().to_string(),
            format!("cannot read {}: {e}", p.display()),
        )
        .hint("check that the path exists and is readable");
        d
    };
    let meta = std::fs::metadata(root).map_err(|e| io_error(root, e))?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    if !meta.is_dir() {
        // A FIFO or a device given as the graph: never opened (a FIFO would
        // block, a device would be read without end).
        return Err(Diagnostic::unlocated(
            Code::Io,
            root.display().to_string(),
            format!(
                "cannot read {}: {}, not a regular file or a directory",
                root.display(),
                crate::output::describe(&meta.file_type())
            ),
        )
        .hint("point to a graph directory or a *.yaml file"));
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let canonical = std::fs::canonicalize(&dir).map_err(|e| io_error(&dir, e))?;
        if !seen.insert(canonical) {
            continue;
        }
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let path = entry.path();
            let is_graph_file = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            );
            let Ok(meta) = std::fs::metadata(&path) else {
                // A dangling or looping symlink: named like a graph file, it is
                // one that cannot be read (E015 from read_file), never skipped
                // silently; otherwise it is not part of the graph.
                if is_graph_file {
                    out.push(path);
                }
                continue;
            };
            if meta.is_dir() {
                pending.push(path);
            } else if is_graph_file {
                out.push(path);
            }
            if out.len() > MAX_FILES {
                let d = Diagnostic::unlocated(
                    Code::Limit,
                    root.display().to_string(),
                    format!("more than {MAX_FILES} graph files"),
                )
                .hint("point chokepoint at the graph's own directory, or merge small files into larger ones");
                return Err(d);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Why an input file was not read ([`read_input`]).
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system refused (missing, permissions, …).
    Io(std::io::Error),
    /// Not a regular file (after following symbolic links): what it is, e.g.
    /// "a named pipe (FIFO)".
    NotRegular(&'static str),
    /// More bytes than the limit: the size when the file system told it
    /// (`None` when the excess was found by reading, e.g. a file that grew).
    TooLarge(Option<u64>),
}

/// Reads an input file (a graph file, a CSV table, a CycloneDX document)
/// safely: only a regular file, after following symbolic links, is read — a
/// FIFO, a device or a socket is refused before it is opened, and checked
/// again on the opened file (opened non-blocking, so a FIFO swapped in between
/// cannot hang the program); at most `limit` bytes are read, whatever size the
/// file claims.
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(crate::output::describe(
            &meta.file_type(),
        )));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular(crate::output::describe(
            &meta.file_type(),
        )));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge(Some(meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge(None));
    }
    Ok(bytes)
}

fn read_file(path: &Path) -> Result<String, Diagnostic> {
    let located = |code, msg: String, hint: &'static str| {
        Diagnostic::unlocated(code, path.display().to_string(), msg).hint(hint)
    };
    let bytes = read_input(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadFailure::Io(e) => located(
            Code::Io,
            format!("cannot read {}: {e}", path.display()),
            "check the file's permissions",
        ),
        ReadFailure::NotRegular(what) => located(
            Code::Io,
            format!("cannot read {}: {what}, not a regular file", path.display()),
            "graph files must be regular files: remove it, or rename it so that it does not end in .yaml or .yml",
        ),
        ReadFailure::TooLarge(Some(len)) => located(
            Code::Limit,
            format!(
                "{} is {len} bytes, above the limit of {MAX_FILE_BYTES}",
                path.display()
            ),
            "split the graph into several files",
        ),
        ReadFailure::TooLarge(None) => located(
            Code::Limit,
            format!(
                "{} holds more than the limit of {MAX_FILE_BYTES} bytes",
                path.display()
            ),
            "split the graph into several files",
        ),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid
            - bytes[..valid]
                .iter()
                .rposition(|b| *b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0)
            + 1;
        // UTF-16 (Windows "Unicode" from Notepad or Excel) is the usual culprit:
        // a byte-order mark, or a NUL beside every ASCII byte.
        let utf16 = match bytes {
            [0xFF, 0xFE, ..] => Some("UTF-16 little-endian"),
            [0xFE, 0xFF, ..] => Some("UTF-16 big-endian"),
            [a, 0, ..] if *a != 0 => Some("UTF-16 little-endian (no byte-order mark)"),
            [0, b, ..] if *b != 0 => Some("UTF-16 big-endian (no byte-order mark)"),
            _ => None,
        };
        match utf16 {
            Some(encoding) => located(
                Code::YamlSyntax,
                format!("{}: the file is {encoding}, not UTF-8", path.display()),
                "save the file as UTF-8 (in Notepad or Excel: Save As → encoding UTF-8)",
            ),
            None => located(
                Code::YamlSyntax,
                format!(
                    "{}:{line}:{col}: the file is not valid UTF-8 (byte offset {valid})",
                    path.display()
                ),
                "save the file as UTF-8",
            ),
        }
    })
}
