//! The command line (spec §4): clap definitions and dispatch. Thin by design:
//! each subcommand parses its flags, calls the library, and hands results to
//! `output`. Owns exit statuses: 0 ok, 1 a `--fail-on` gate tripped, 2 bad input
//! or usage. Diagnostics go to stderr, data to stdout or `--out`.

mod analyze;
mod check;
mod diff;
mod export;
mod generate;
mod help;
mod import;
mod mitigate;
mod render;
mod report;
mod scenario;

use chokepoint::load::{self, LoadError, Loaded};
use chokepoint::model::{iso, Case, CountryCode, Lang};
use chokepoint::output::json::Document;
use chokepoint::output::term::ColorChoice;
use clap::{Args, FromArgMatches, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "chokepoint",
    version,
    about = "Supply-graph risk analysis for medical imaging equipment",
    long_about = "Models the bill of materials of medical imaging equipment as a supply graph \
annotated with import dependence and risk; finds choke points, runs what-if scenarios, \
scores risk, and draws diagrams and reports. Graphs are directories of YAML files (see docs/format.md)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour diagnostics and help.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// CSV for Excel: every CSV written (tables, `export --format csv`, the
    /// report's data files) starts with a UTF-8 byte-order mark, so that Excel
    /// on Windows shows Chinese names correctly. Formula-like cells are always
    /// neutralised (docs/robustness.md).
    #[arg(long, global = true)]
    pub excel: bool,
}

#[derive(Subcommand, Debug)]
// Parsed once per process; boxing the larger argument structs would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Validate a graph directory and print a summary.
    #[command(after_help = help::CHECK)]
    Check(check::CheckArgs),
    /// Find choke points (minimal cut sets), import dependence, concentration and risk.
    #[command(after_help = help::ANALYZE)]
    Analyze(analyze::AnalyzeArgs),
    /// Run what-if scenarios: embargoes, supplier loss, tariffs, stock over time.
    Scenario(scenario::ScenarioArgs),
    /// Draw diagrams: BOM, supply, choke-point map, scenario view (DOT/SVG/PNG).
    #[command(after_help = help::RENDER)]
    Render(render::RenderArgs),
    /// Write the HTML and Markdown report with diagrams, tables and data.
    Report(report::ReportArgs),
    /// Import a BOM from CSV or CycloneDX into graph YAML.
    #[command(after_help = help::IMPORT)]
    Import(import::ImportArgs),
    /// Export the graph and its analysis (JSON, CSV, GraphML, CycloneDX, Neo4j CSV).
    #[command(after_help = help::EXPORT)]
    Export(export::ExportArgs),
    /// Generate a realistic synthetic graph (for benchmarks and tests).
    #[command(after_help = help::GENERATE)]
    Generate(generate::GenerateArgs),
    /// Plan mitigations: which actions remove the most exposure.
    Mitigate(mitigate::MitigateArgs),
    /// Compare two graphs: changed data and changed metrics.
    Diff(diff::DiffArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to stdout.
    #[command(after_help = help::COMPLETIONS)]
    Completions(help::CompletionsArgs),
    /// Print the man page (roff), or write one per subcommand with --out.
    #[command(after_help = help::MAN)]
    Man(help::ManArgs),
}

/// Which graph to load, and from whose perspective.
#[derive(Args, Debug, Clone)]
pub struct GraphOpts {
    /// Graph directory (every *.yaml / *.yml below it is loaded) or a single graph file.
    #[arg(default_value = "graphs")]
    pub dir: PathBuf,
    /// Perspective country (ISO 3166-1 alpha-2), overriding meta.home: "import" means
    /// "not from this country".
    #[arg(long, value_name = "CC")]
    pub home: Option<String>,
    #[command(flatten)]
    pub warnings: WarningArgs,
}

/// How a command that loads a graph reports its warnings.
#[derive(Args, Debug, Clone, Copy)]
pub struct WarningArgs {
    /// Do not print warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print every warning in full. By default `check` shows the first 100 in
    /// full, and every other command one line per warning code.
    #[arg(long)]
    pub all_warnings: bool,
}

/// `--samples N [--seed S]`: Monte Carlo over the estimates (docs/metrics.md,
/// "Uncertainty"), shared by analyze, scenario, report and mitigate.
#[derive(Args, Debug, Clone, Copy)]
pub struct SampleArgs {
    /// Monte Carlo: draw every estimate that is a range N times (triangular,
    /// `value` as mode) and print P5/P50/P95, top-5 rank stability and
    /// sensitivity instead of the single-case result (docs/metrics.md, "Uncertainty").
    #[arg(long, value_name = "N")]
    pub samples: Option<usize>,
    /// Seed of the draws: the same seed gives the same output on any number of
    /// threads [default: 1].
    #[arg(long, value_name = "S", requires = "samples")]
    pub seed: Option<u64>,
    /// The command's `--case`, set by the command before [`SampleArgs::options`]
    /// (`None`: the command's single-case output keeps its case, as `report`'s).
    #[arg(skip)]
    pub case: Option<chokepoint::model::Case>,
}

impl SampleArgs {
    /// The sampling options, or `None` without `--samples`.
    pub fn options(
        &self,
        assumptions: chokepoint::graph::Assumptions,
        by: chokepoint::analysis::EventKind,
    ) -> Result<Option<chokepoint::uncertainty::SampleOptions>, CliError> {
        use chokepoint::uncertainty::{SampleOptions, DEFAULT_SEED, MAX_SAMPLES};
        let Some(n) = self.samples else {
            return Ok(None);
        };
        if self.case != Some(chokepoint::model::Case::Mid) && self.case.is_some() {
            return Err(usage_hint(
                format!(
                    "--case {} with --samples: sampling draws every estimate on its range instead \
                     of taking one case (the deterministic column is the mid case)",
                    self.case.map_or("mid", |c| c.as_str())
                ),
                "drop --case",
            ));
        }
        if n == 0 || n > MAX_SAMPLES {
            return Err(usage_hint(
                format!("--samples {n}: must be a whole number from 1 to {MAX_SAMPLES}"),
                "1000 is usual",
            ));
        }
        if by == chokepoint::analysis::EventKind::Parent {
            return Err(usage_hint(
                "--by parent with --samples: the rank stability sweeps losses by country or by \
                 supplier only",
                "use --by supplier (a parent's plants are its suppliers)",
            ));
        }
        let mut o = SampleOptions::new(n, self.seed.unwrap_or(DEFAULT_SEED));
        o.assumptions = assumptions;
        o.by = by;
        Ok(Some(o))
    }
}

/// The case and language shared by analysis commands.
#[derive(Args, Debug, Clone, Copy)]
pub struct CaseLang {
    /// Which value of every estimate to use.
    #[arg(long, value_enum, default_value_t = CaseArg::Mid)]
    pub case: CaseArg,
    /// Language of names in tables, diagrams and reports.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

/// How the graph is read (spec §3 notation, §3.4, §3.6), shared by the
/// commands that compute cut sets or scenarios.
#[derive(Args, Debug, Clone, Copy)]
pub struct AssumptionArgs {
    /// `home`: what the home market loses (foreign makers need only what their
    /// entry says); `world`: a producer lost to everyone (every source needs the
    /// bill of materials, version 1's view).
    #[arg(long, value_enum, default_value_t = ScopeArg::Home)]
    pub scope: ScopeArg,
    /// What an unattributed remainder of supply does: `proportional` (the known
    /// sources stand for all of it) or `survives` (it never fails).
    #[arg(long, value_enum, default_value_t = UnattributedArg::Proportional)]
    pub unattributed: UnattributedArg,
    /// Export-control reach (spec §3.11): a foreign source of an item under a
    /// regime of `meta.regimes` also fails when the issuing country fails (cut
    /// sets by country, scenarios). Off by default.
    #[arg(long)]
    pub reach: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ScopeArg {
    Home,
    World,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum UnattributedArg {
    Proportional,
    Survives,
}

impl From<AssumptionArgs> for chokepoint::graph::Assumptions {
    fn from(a: AssumptionArgs) -> Self {
        chokepoint::graph::Assumptions {
            scope: match a.scope {
                ScopeArg::Home => chokepoint::graph::Scope::Home,
                ScopeArg::World => chokepoint::graph::Scope::World,
            },
            unattributed: match a.unattributed {
                UnattributedArg::Proportional => chokepoint::graph::Unattributed::Proportional,
                UnattributedArg::Survives => chokepoint::graph::Unattributed::Survives,
            },
            reach: a.reach,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CaseArg {
    Low,
    Mid,
    High,
}

impl From<CaseArg> for Case {
    fn from(c: CaseArg) -> Case {
        match c {
            CaseArg::Low => Case::Low,
            CaseArg::Mid => Case::Mid,
            CaseArg::High => Case::High,
        }
    }
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

/// Why a command did not finish with status 0.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The graph failed validation (exit 2).
    #[error("{0}")]
    Load(Box<LoadError>),
    /// A problem of the command line or its output (exit 2), as the one
    /// diagnostic type of the tool: a code (U001 usage, U002 output, U003 a
    /// limit reached, E015 an input that cannot be read), the message, a hint.
    #[error("{0}")]
    Problem(Box<load::Diagnostic>),
    /// Problems of an input named on the command line (an actions file, an
    /// import's tables), already printed as diagnostics: how many (exit 2).
    #[error("{0}")]
    Reported(String),
    /// `--fail-on` tripped (exit 1); the results were printed.
    #[error("{0}")]
    Gate(String),
}

/// A flag, argument or combination that does not fit (U001); its hint is the
/// command's `--help`.
pub fn usage(message: String) -> CliError {
    problem(load::Code::Usage, message)
}

/// [`usage`] with its own fix.
pub fn usage_hint(
    message: impl Into<String>,
    hint: impl Into<std::borrow::Cow<'static, str>>,
) -> CliError {
    CliError::Problem(Box::new(
        load::Diagnostic::plain(load::Code::Usage, message).hint(hint),
    ))
}

/// Output that cannot be made: a file or stdout not written, a tool that failed (U002).
pub fn output_error(message: String) -> CliError {
    problem(load::Code::Output, message)
}

/// An input named on the command line that cannot be read (E015).
pub fn read_error(message: String) -> CliError {
    problem(load::Code::Io, message)
}

/// A diagnostic of `code` with the code's general hint.
pub fn problem(code: load::Code, message: impl Into<String>) -> CliError {
    CliError::Problem(Box::new(load::Diagnostic::plain(code, message)))
}

impl From<chokepoint::analysis::CutSetLimit> for CliError {
    fn from(e: chokepoint::analysis::CutSetLimit) -> Self {
        CliError::Problem(Box::new(
            load::Diagnostic::plain(load::Code::SearchLimit, e.what)
                .hint(format!("narrow the question: {}", e.narrow)),
        ))
    }
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> Self {
        CliError::Load(Box::new(e))
    }
}

/// Loads the graph, applies `--home`, prints warnings to stderr.
///
/// The graph is never dropped: a command runs once and exits, the operating
/// system takes the memory back at once, and freeing a million-item model
/// allocation by allocation took seconds at exit.
pub fn load_graph(opts: &GraphOpts) -> Result<std::mem::ManuallyDrop<Loaded>, CliError> {
    load_graph_with(opts, WarningDetail::Summary)
}

/// [`load_graph`] with the warnings printed as `detail` says (`check` locates them).
pub fn load_graph_with(
    opts: &GraphOpts,
    detail: WarningDetail,
) -> Result<std::mem::ManuallyDrop<Loaded>, CliError> {
    if opts.dir.is_dir() {
        start_worker_threads();
    }
    let started = std::time::Instant::now();
    let spinner = spinner(&format!("loading {}", opts.dir.display()));
    let loaded = load::load_dir(&opts.dir);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let mut loaded = loaded?;
    if let Some(home) = &opts.home {
        if !iso::is_assigned(home) {
            return Err(usage_hint(
                format!("--home {home}: not an ISO 3166-1 alpha-2 country code"),
                load::Code::InvalidCountryCode.hint(),
            ));
        }
        loaded.model.meta.home = CountryCode::new(home.clone());
    }
    print_warnings(
        &loaded,
        opts.warnings,
        detail,
        &opts.dir.display().to_string(),
    );
    let _ = LOAD_TIME.set(started.elapsed());
    Ok(std::mem::ManuallyDrop::new(loaded))
}

/// Starts rayon's worker threads before a directory of graph files is loaded
/// on several threads, so that each worker takes a malloc arena of its own.
/// Started later (on first use), they took the arenas the loader's threads
/// had left, full of the small blocks parsing and validation freed, and each
/// worker's first allocation merged all of those blocks at once: 0.19 s per
/// worker at a million items, with the caller waiting. Now nothing merges
/// them. Not for a single file, which loads on this thread and leaves no
/// arena behind: there the two extra arenas would only reserve address space
/// (docs/performance.md, "Sixth round").
fn start_worker_threads() {
    rayon::broadcast(|_| ());
}

/// Warnings `check` shows in full before the rest are only counted.
pub const SHOWN_WARNINGS: usize = 100;

/// How much of a load's warnings a command prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningDetail {
    /// `check`: the first [`SHOWN_WARNINGS`] located, with snippets.
    Located,
    /// Every other command: one line per code.
    Summary,
}

/// Prints a load's warnings to stderr: nothing with `--quiet`; every one in
/// full with `--all-warnings`; else as `detail` says. A catalogue imported from
/// an ERP can carry a warning per item; a million snippets help no one, and
/// the shipped data's 52 notes buried every command's output.
pub fn print_warnings(loaded: &Loaded, opts: WarningArgs, detail: WarningDetail, dir: &str) {
    if opts.quiet || loaded.warnings.is_empty() {
        return;
    }
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    if detail == WarningDetail::Summary && !opts.all_warnings {
        let _ = write!(err, "{}", warning_summary(loaded, dir));
        let _ = err.flush();
        return;
    }
    let color = chokepoint::output::term::color_stderr();
    let width = usize::from(chokepoint::output::terminal_width());
    let files = &loaded.model.files;
    let shared = load::SharedSources::new(files);
    let shown = if opts.all_warnings {
        loaded.warnings.len()
    } else {
        SHOWN_WARNINGS.min(loaded.warnings.len())
    };
    for w in &loaded.warnings[..shown] {
        let text = w.render_shared(files, &shared, color);
        let _ = write!(
            err,
            "{}",
            chokepoint::output::text::clip_snippets(&text, width)
        );
    }
    let hidden = &loaded.warnings[shown..];
    if !hidden.is_empty() {
        let counts: Vec<String> = load::count_by_code(hidden)
            .iter()
            .map(|(code, n)| format!("{code} ×{n}"))
            .collect();
        let _ = writeln!(
            err,
            "warning: {} more warning(s) not shown ({}); pass --all-warnings to print every one",
            hidden.len(),
            counts.join(", ")
        );
    }
    let _ = err.flush();
}

/// One line per warning code — its count and its first example, cut to the
/// terminal width — and how to see them all.
pub fn warning_summary(loaded: &Loaded, dir: &str) -> String {
    let width = usize::from(chokepoint::output::terminal_width());
    let files = &loaded.model.files;
    let mut out = String::new();
    for (code, n) in load::count_by_code(&loaded.warnings) {
        let Some(first) = loaded.warnings.iter().find(|w| w.code.as_str() == code) else {
            continue;
        };
        let at = first
            .location(files)
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        let example = chokepoint::output::printable(&first.message).into_owned();
        let line = if n == 1 {
            format!("warning[{code}]: {at}{example}")
        } else {
            format!("warning[{code}] ×{n}, first {at}{example}")
        };
        out.push_str(&chokepoint::output::text::ellipsize(&line, width));
        out.push('\n');
    }
    let total = loaded.warnings.len();
    let hint = format!(
        "{total} warning(s): `chokepoint check {dir}` shows each with its place in the file \
(--all-warnings prints them here, -q hides them)"
    );
    out.push_str(&chokepoint::output::text::wrap(&hint, width, ""));
    out
}

/// A spinner on stderr for work that may take a while — only on a terminal, so
/// pipes, files and CI logs stay clean. `None` when stderr is not a terminal.
pub fn spinner(message: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner()
        .with_message(chokepoint::output::printable(message).into_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// A progress bar with percentage and ETA on stderr for long work (cut sets
/// over many systems, sweeps, mitigation search) — only when stderr is a
/// terminal and warnings are not silenced (`-q`), so pipes, files and CI logs
/// stay clean. `None` otherwise.
pub fn progress_bar(message: &str, quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {percent:>3}% {pos}/{len} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(chokepoint::output::printable(message).into_owned());
    Some(bar)
}

/// Runs `work` with a [`progress_bar`]: `work` reports (done, total).
pub fn with_progress<T>(
    message: &str,
    quiet: bool,
    work: impl FnOnce(&mut dyn FnMut(u64, u64)) -> T,
) -> T {
    match progress_bar(message, quiet) {
        Some(bar) => {
            let result = work(&mut |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            });
            bar.finish_and_clear();
            result
        }
        None => work(&mut |_, _| {}),
    }
}

/// Prints `diagnostics` of an input named on the command line (an actions or
/// weights file: placed by text, no snippet) with their hints, and the usage
/// error that stops the command.
pub fn input_problems(what: &str, diagnostics: &[load::Diagnostic]) -> CliError {
    let color = chokepoint::output::term::color_stderr();
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = write!(err, "{}", d.render(&[], color));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == load::Severity::Error)
        .count();
    CliError::Reported(format!("{errors} error(s) in the {what}"))
}

/// Reads a small UTF-8 input named on the command line (a weights or actions
/// file) like every input file ([`load::read_input`]: regular files only, at
/// most [`load::MAX_FILE_BYTES`]).
pub fn read_text_file(path: &std::path::Path, what: &str) -> Result<String, CliError> {
    let fail = |why: String| read_error(format!("cannot read {what} {}: {why}", path.display()));
    let bytes = load::read_input(path, load::MAX_FILE_BYTES).map_err(|e| match e {
        load::ReadFailure::Io(e) => fail(e.to_string()),
        load::ReadFailure::NotRegular(kind) => fail(format!("{kind}, not a regular file")),
        load::ReadFailure::TooLarge(_) => fail(format!(
            "larger than the limit of {} bytes",
            load::MAX_FILE_BYTES
        )),
    })?;
    String::from_utf8(bytes).map_err(|e| fail(format!("not valid UTF-8: {e}")))
}

/// `--out -` means standard output, as for most Unix tools.
pub fn out_path(out: Option<&std::path::Path>) -> Option<&std::path::Path> {
    out.filter(|p| p.as_os_str() != "-")
}

/// Writes to standard output and flushes. A closed pipe (`| head`) is not an
/// error worth reporting; any other failure (a full disk, `>/dev/full`) is
/// exit 2 naming standard output.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout_result(stdout.write_all(bytes).and_then(|()| stdout.flush()))
}

fn stdout_result(r: std::io::Result<()>) -> Result<(), CliError> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(output_error(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

fn write_error(path: &std::path::Path, e: std::io::Error) -> CliError {
    output_error(format!("cannot write {}: {e}", path.display()))
}

/// Writes data (JSON, CSV, GraphML, …) to `--out` (atomically) or stdout,
/// byte for byte — except on a terminal, where it goes through
/// [`chokepoint::output::printable`] like every other text shown there.
pub fn emit(out: Option<&std::path::Path>, content: &str) -> Result<(), CliError> {
    match out_path(out) {
        Some(path) => chokepoint::output::write_atomic(path, content.as_bytes())
            .map_err(|e| write_error(path, e)),
        None if std::io::stdout().is_terminal() => {
            write_stdout(chokepoint::output::printable(content).as_bytes())
        }
        None => write_stdout(content.as_bytes()),
    }
}

/// Writes text for people (tables, Markdown, narratives) to `--out` or stdout,
/// always through [`chokepoint::output::printable`]: a Markdown file is read on a
/// terminal too.
pub fn emit_text(out: Option<&std::path::Path>, content: &str) -> Result<(), CliError> {
    let content = chokepoint::output::printable(content);
    match out_path(out) {
        Some(path) => chokepoint::output::write_atomic(path, content.as_bytes())
            .map_err(|e| write_error(path, e)),
        None => write_stdout(content.as_bytes()),
    }
}

/// [`emit`] for the data formats (JSON, CSV), [`emit_text`] for the others.
pub fn emit_as(
    out: Option<&std::path::Path>,
    content: &str,
    format: chokepoint::output::Format,
) -> Result<(), CliError> {
    use chokepoint::output::Format;
    match format {
        Format::Json | Format::Csv => emit(out, content),
        Format::Table | Format::Md => emit_text(out, content),
    }
}

/// Like [`emit`] for a pretty JSON document with a final newline, streamed
/// through a buffer: the same bytes, without holding the whole text in memory
/// (an analysis of a 1M-item graph is ~700 MB of JSON).
pub fn emit_json<T: serde::Serialize + Sync + ?Sized, I: serde::Serialize + Sync>(
    out: Option<&std::path::Path>,
    doc: &Document<'_, T, I>,
) -> Result<(), CliError> {
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        write_json_pipelined(doc, w)?;
        w.flush()
    };
    match out_path(out) {
        Some(path) => {
            chokepoint::output::write_atomic_with(path, write).map_err(|e| write_error(path, e))
        }
        None if std::io::stdout().is_terminal() => {
            let mut text = Vec::new();
            write(&mut text).map_err(|e| output_error(e.to_string()))?;
            emit(None, &String::from_utf8_lossy(&text))
        }
        None => stdout_result(write(&mut std::io::stdout().lock())),
    }
}

/// Writes `doc` and a final newline to `w`, serializing on a second thread
/// in 1 MiB chunks while this one writes them: the kernel's copy of a large
/// document into the page cache costs about as much as the serialization, so
/// the two overlap. The bytes are `to_writer_pretty`'s.
fn write_json_pipelined<T: serde::Serialize + Sync + ?Sized, I: serde::Serialize + Sync>(
    doc: &Document<'_, T, I>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    use std::sync::mpsc;
    const CHUNK: usize = 1 << 20;
    /// Chunks in circulation: one filling, the others queued or being written.
    const IN_FLIGHT: usize = 3;
    /// Fills a chunk, hands it over when the next write would not fit, and
    /// refills the chunks written: it never allocates one itself.
    struct Chunks {
        buf: Vec<u8>,
        full: mpsc::SyncSender<Vec<u8>>,
        empty: mpsc::Receiver<Vec<u8>>,
    }
    fn writer_stopped() -> std::io::Error {
        // The writer stops receiving only after a write error, which it reports.
        std::io::Error::other("the writer stopped")
    }
    impl Chunks {
        /// Sends the chunk being filled and continues in `next`.
        fn send(&mut self, next: Vec<u8>) -> std::io::Result<()> {
            let full = std::mem::replace(&mut self.buf, next);
            self.full.send(full).map_err(|_| writer_stopped())
        }
        fn hand_over(&mut self) -> std::io::Result<()> {
            let next = self.empty.recv().map_err(|_| writer_stopped())?;
            self.send(next)
        }
        fn finish(mut self) -> std::io::Result<()> {
            self.send(Vec::new())
        }
    }
    impl Write for Chunks {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            // Growing a chunk would allocate on this thread (see below).
            if self.buf.len() + bytes.len() > self.buf.capacity() && !self.buf.is_empty() {
                self.hand_over()?;
            }
            self.buf.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // The chunks are allocated here, not on the serializing thread: a new
    // thread takes over an arena that a loader thread left behind, full of
    // freed small blocks, and glibc merges them all on its first large
    // allocation (24 ms of the thread's time at 100k items).
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
    for _ in 1..IN_FLIGHT {
        let _ = empty_tx.send(Vec::with_capacity(CHUNK));
    }
    let first = Vec::with_capacity(CHUNK);
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || -> std::io::Result<()> {
            let mut chunks = Chunks {
                buf: first,
                full: full_tx,
                empty: empty_rx,
            };
            doc.write(&mut chunks)?;
            chunks.write_all(b"\n")?;
            chunks.finish()
        });
        let written = write_chunks(w, full_rx, empty_tx);
        let produced = match producer.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // A write error first: the serializer's is then only its consequence.
        written.and(produced)
    })
}

/// Writes the chunks of [`write_json_pipelined`] as they come and returns
/// each one emptied. Both channel ends are dropped on return, so after the
/// first write error a serializer waiting to send a chunk or to get one back
/// stops at once.
fn write_chunks(
    w: &mut dyn Write,
    full: std::sync::mpsc::Receiver<Vec<u8>>,
    empty: std::sync::mpsc::SyncSender<Vec<u8>>,
) -> std::io::Result<()> {
    for mut chunk in full {
        w.write_all(&chunk)?;
        chunk.clear();
        let _ = empty.send(chunk);
    }
    Ok(())
}

/// Time `load_graph` took, for `CHOKEPOINT_TIMINGS` (docs/performance.md).
static LOAD_TIME: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();
/// Time [`build_graph`] took, for `CHOKEPOINT_TIMINGS`: the index-based graph
/// built from the loaded model, the counterpart of the reference's own graph
/// building, which its "load" includes (docs/performance.md).
static GRAPH_TIME: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// The supply graph of a loaded model under the command's assumptions, timed
/// for `CHOKEPOINT_TIMINGS`.
pub fn build_graph(
    model: &chokepoint::model::Model,
    assumptions: chokepoint::graph::Assumptions,
) -> chokepoint::graph::SupplyGraph<'_> {
    let started = std::time::Instant::now();
    let g = chokepoint::graph::SupplyGraph::with_assumptions(model, assumptions);
    let _ = GRAPH_TIME.set(started.elapsed());
    g
}

/// Runs the command line; returns the process exit status.
pub fn main() -> ExitCode {
    let start = std::time::Instant::now();
    let matches = help::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let command = matches.subcommand_name().unwrap_or("<command>").to_string();
    chokepoint::output::term::set_color_choice(cli.color);
    chokepoint::output::set_excel_csv(cli.excel);
    chokepoint::output::clean_up_on_signals();
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Scenario(args) => scenario::run(args),
        Command::Render(args) => render::run(args),
        Command::Report(args) => report::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Mitigate(args) => mitigate::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Completions(args) => help::completions(args),
        Command::Man(args) => help::man(args),
    };
    // For scripts/bench: split a run into loading and the work after it, so
    // that the metrics can be compared with the reference apart from parsing.
    if std::env::var_os("CHOKEPOINT_TIMINGS").is_some() {
        if let Some(load) = LOAD_TIME.get() {
            // "graph G" only when the command built the supply graph.
            let graph = GRAPH_TIME
                .get()
                .map(|g| format!(" graph {:.4}", g.as_secs_f64()))
                .unwrap_or_default();
            eprintln!(
                "timing: load {:.4}{graph} total {:.4}",
                load.as_secs_f64(),
                start.elapsed().as_secs_f64()
            );
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Load(e)) => {
            let width = usize::from(chokepoint::output::terminal_width());
            let text = e.render(chokepoint::output::term::color_stderr());
            eprint!("{}", chokepoint::output::text::clip_snippets(&text, width));
            eprintln!(
                "error: {} error(s) in the graph; nothing was written",
                e.errors().count()
            );
            ExitCode::from(2)
        }
        Err(CliError::Problem(mut d)) => {
            if d.hint.is_none() && d.code == load::Code::Usage {
                // The general fix, naming the command that was run.
                d.hint = Some(
                    format!("run `chokepoint {command} --help` for the flags and an example")
                        .into(),
                );
            }
            eprint!(
                "{}",
                d.render(&[], chokepoint::output::term::color_stderr())
            );
            ExitCode::from(2)
        }
        Err(CliError::Reported(m)) => {
            eprintln!("error: {}", chokepoint::output::printable(&m));
            ExitCode::from(2)
        }
        Err(CliError::Gate(m)) => {
            eprintln!("{}", chokepoint::output::printable(&m));
            ExitCode::from(1)
        }
    }
}
