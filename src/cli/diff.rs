//! `chokepoint diff`: compare two graphs — two directories, or two git revisions
//! of a graph directory — and print the data and metric changes.
//!
//! Thin: loads both graphs (extracting revisions with `git ls-tree` and
//! `git show`, run directly without a shell, into temporary directories), calls
//! [`chokepoint::diff::diff`], renders. Never writes inside the repository.

use super::{emit_as, CliError};
use chokepoint::analysis::{EventKind, MAX_ORDER};
use chokepoint::diff::{self, DiffOptions};
use chokepoint::load::{self, Loaded};
use chokepoint::model::Case;
use chokepoint::output::Format;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
chokepoint diff old-graphs/ graphs/\n  \
chokepoint diff --rev v1.0 --rev HEAD --format md\n  \
chokepoint diff --rev HEAD~3            (that revision against the working tree)\n  \
chokepoint diff --rev A --rev B --repo ../data --path graphs")]
pub struct DiffArgs {
    /// The old graph directory (not with --rev).
    #[arg(value_name = "OLD", conflicts_with = "revs")]
    pub old: Option<PathBuf>,
    /// The new graph directory (not with --rev).
    #[arg(value_name = "NEW", conflicts_with = "revs")]
    pub new: Option<PathBuf>,
    /// A git revision: twice for old and new, once to compare it with the working tree.
    #[arg(long = "rev", value_name = "REV", num_args = 1)]
    pub revs: Vec<String>,
    /// The git repository for --rev.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// The graph directory inside the repository for --rev.
    #[arg(long, value_name = "PATH", default_value = "graphs")]
    pub path: String,
    /// Which value of every estimate to use.
    #[arg(long, value_enum, default_value_t = super::CaseArg::Mid)]
    pub case: super::CaseArg,
    /// Basic events of the compared cut sets.
    #[arg(long, value_enum, default_value_t = super::mitigate::ByArg::Country)]
    pub by: super::mitigate::ByArg,
    /// Highest order of compared cut sets (1–6).
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub order: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Language of tables and sentences (JSON and CSV do not change).
    #[arg(long, value_enum, default_value_t = super::LangArg::En)]
    pub lang: super::LangArg,
    #[command(flatten)]
    pub warnings: super::WarningArgs,
    /// Write the output to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: DiffArgs) -> Result<(), CliError> {
    if args.order == 0 || args.order > MAX_ORDER {
        return Err(super::usage(format!(
            "--order {}: must be between 1 and {MAX_ORDER}",
            args.order
        )));
    }
    // Temporary directories live until the end of the run.
    let mut temps: Vec<tempfile::TempDir> = Vec::new();
    let (old_label, old_dir, new_label, new_dir) =
        match (args.revs.as_slice(), &args.old, &args.new) {
            ([], Some(o), Some(n)) => (
                o.display().to_string(),
                o.clone(),
                n.display().to_string(),
                n.clone(),
            ),
            ([], _, _) => {
                return Err(super::usage(
                    "give two graph directories (OLD NEW) or --rev A [--rev B]".into(),
                ))
            }
            ([a], None, None) => {
                let dir = extract(&args.repo, a, &args.path, &mut temps)?;
                let work = args.repo.join(&args.path);
                (
                    format!("{a}:{}", args.path),
                    dir,
                    work.display().to_string(),
                    work,
                )
            }
            ([a, b], None, None) => {
                let da = extract(&args.repo, a, &args.path, &mut temps)?;
                let db = extract(&args.repo, b, &args.path, &mut temps)?;
                (
                    format!("{a}:{}", args.path),
                    da,
                    format!("{b}:{}", args.path),
                    db,
                )
            }
            _ => {
                return Err(super::usage(
                    "--rev takes one or two revisions, without OLD/NEW directories".into(),
                ))
            }
        };
    let old = load_quietly(&old_dir, args.warnings)?;
    let new = load_quietly(&new_dir, args.warnings)?;
    let opts = DiffOptions {
        case: Case::from(args.case),
        by: match args.by {
            super::mitigate::ByArg::Supplier => EventKind::Supplier,
            super::mitigate::ByArg::Country => EventKind::Country,
            super::mitigate::ByArg::Parent => EventKind::Parent,
        },
        order: args.order,
        ..DiffOptions::default()
    };
    let d = diff::diff(&old.model, &new.model, &old_label, &new_label, &opts)?;
    let text = d.render_in(args.format, chokepoint::model::Lang::from(args.lang));
    emit_as(args.out.as_deref(), &text, args.format)
}

fn load_quietly(dir: &Path, warnings: super::WarningArgs) -> Result<Loaded, CliError> {
    let loaded = load::load_dir(dir)?;
    super::print_warnings(
        &loaded,
        warnings,
        super::WarningDetail::Summary,
        &dir.display().to_string(),
    );
    Ok(loaded)
}

/// Runs git with `args` in `repo` (no shell) and returns its stdout.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, CliError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| super::output_error(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(super::usage(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// Writes the graph files (`*.yaml`, `*.yml`) under `path` at revision `rev` into
/// a new temporary directory; returns the graph directory inside it.
fn extract(
    repo: &Path,
    rev: &str,
    path: &str,
    temps: &mut Vec<tempfile::TempDir>,
) -> Result<PathBuf, CliError> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(super::usage(format!("--rev {rev:?}: not a revision")));
    }
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        super::usage(format!(
            "--rev {rev}: no such revision in {}",
            repo.display()
        ))
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let listing = git(
        repo,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            "--full-tree",
            &commit,
            "--",
            path,
        ],
    )?;
    let files: Vec<String> = listing
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
        .collect();
    if files.is_empty() {
        return Err(super::usage(format!(
            "--rev {rev}: no *.yaml files under `{path}` at that revision"
        )));
    }
    let tmp = tempfile::Builder::new()
        .prefix("chokepoint-diff-")
        .tempdir()
        .map_err(|e| super::output_error(format!("cannot create a temporary directory: {e}")))?;
    for f in &files {
        // ls-tree paths are repository-relative and never absolute or `..`.
        if Path::new(f)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let text = git(repo, &["show", &format!("{commit}:{f}")])?;
        let target = tmp.path().join(f);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                super::output_error(format!("cannot write {}: {e}", target.display()))
            })?;
        }
        std::fs::write(&target, text)
            .map_err(|e| super::output_error(format!("cannot write {}: {e}", target.display())))?;
    }
    let dir = tmp.path().join(path);
    temps.push(tmp);
    Ok(dir)
}
