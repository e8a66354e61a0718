//! `--help` as people read it: wrapped to the terminal (at most 100 columns, 80
//! when not a terminal), an example for every subcommand, colour as `--color`
//! and `NO_COLOR` say; and the shell completions and man pages generated from
//! the same clap definitions (`chokepoint completions SHELL`, `chokepoint man`).

use super::{Cli, CliError};
use chokepoint::output::term::{self, ColorChoice};
use clap::CommandFactory;
use std::path::PathBuf;

/// The examples printed under `--help` of the subcommands whose arguments
/// do not carry their own (scenario, report, mitigate and diff do).
pub const CHECK: &str = "\
Examples:
  chokepoint check                      validate graphs/ and print a summary
  chokepoint check my-graph/ --format json
  chokepoint check my-graph/ --all-warnings > warnings.txt";

pub const ANALYZE: &str = "\
Examples:
  chokepoint analyze --system ct-64 --by country --top 5
  chokepoint analyze --order 3 --format md --out analysis.md
  chokepoint analyze --format json --out analysis.json
  chokepoint analyze --fail-on high -q   exit 1 when an item is high-risk (CI gate)";

pub const RENDER: &str = "\
Examples:
  chokepoint render --view bom --system ct-64 --format svg --out ct-64.svg
  chokepoint render --view supply --system ct-64 --collapse suppliers --lang zh --format svg --out s.svg
  chokepoint render --view chokepoints --by country --format png --out map.png
  chokepoint render --view bom --system mri-3t --scenario helium-qatar --format dot";

pub const IMPORT: &str = "\
Examples:
  chokepoint import --from csv bom.csv --supply supply.csv --out my-graph
  chokepoint import --from cyclonedx sbom.json --out my-graph
  chokepoint check my-graph             then validate what was written";

pub const EXPORT: &str = "\
Examples:
  chokepoint export --format json --out graph.json
  chokepoint export --format graphml --out graph.graphml
  chokepoint export --format neo4j-csv --out neo4j/";

pub const GENERATE: &str = "\
Examples:
  chokepoint generate --items 100000 --out /tmp/big
  chokepoint check /tmp/big -q";

pub const COMPLETIONS: &str = "\
Examples:
  chokepoint completions bash > ~/.local/share/bash-completion/completions/chokepoint
  chokepoint completions zsh > ~/.zfunc/_chokepoint
  chokepoint completions fish > ~/.config/fish/completions/chokepoint.fish";

pub const MAN: &str = "\
Examples:
  chokepoint man | man -l -
  chokepoint man --out /usr/local/share/man/man1";

/// `chokepoint completions SHELL`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `chokepoint man`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write chokepoint.1 and one page per subcommand (chokepoint-check.1, …)
    /// into this directory instead of printing chokepoint.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The clap command with the width and colour in force.
pub fn command() -> clap::Command {
    let color = match color_flag(std::env::args_os()) {
        Some(ColorChoice::Always) => clap::ColorChoice::Always,
        Some(ColorChoice::Never) => clap::ColorChoice::Never,
        // anstream honours NO_COLOR for `auto`; say it anyway.
        _ if term::no_color_env() => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    Cli::command().term_width(term::prose_width()).color(color)
}

/// The `--color` value on the command line, read before clap parses it (clap
/// needs it to print its own help and errors).
pub fn color_flag(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<ColorChoice> {
    let mut args = args.into_iter().map(|a| a.to_string_lossy().into_owned());
    let mut found = None;
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--color" {
            args.next()
        } else {
            a.strip_prefix("--color=").map(str::to_string)
        };
        found = match value.as_deref() {
            Some("always") => Some(ColorChoice::Always),
            Some("never") => Some(ColorChoice::Never),
            Some("auto") => Some(ColorChoice::Auto),
            _ => found,
        };
    }
    found
}

pub fn completions(args: CompletionsArgs) -> Result<(), CliError> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "chokepoint", &mut out);
    super::emit(None, &String::from_utf8_lossy(&out))
}

pub fn man(args: ManArgs) -> Result<(), CliError> {
    // Man pages are formatted by `man` itself: no terminal width applies.
    let cmd = Cli::command().term_width(0);
    let page = |cmd: clap::Command| -> Result<Vec<u8>, CliError> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut buf)
            .map_err(|e| super::output_error(format!("cannot render the man page: {e}")))?;
        Ok(buf)
    };
    let Some(dir) = args.out else {
        return super::emit(None, &String::from_utf8_lossy(&page(cmd)?));
    };
    let mut written = vec![dir.join("chokepoint.1")];
    chokepoint::output::write_atomic(&written[0], &page(cmd.clone())?)
        .map_err(|e| super::output_error(format!("cannot write {}: {e}", written[0].display())))?;
    for sub in cmd.get_subcommands() {
        let name = format!("chokepoint-{}", sub.get_name());
        let path = dir.join(format!("{name}.1"));
        let sub = sub
            .clone()
            .name(name)
            .display_name(format!("chokepoint {}", sub.get_name()));
        chokepoint::output::write_atomic(&path, &page(sub)?)
            .map_err(|e| super::output_error(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    eprintln!("wrote {} man pages in {}", written.len(), dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_color_flag_is_read_before_parsing() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_flag(args(&["x", "--color", "never"])),
            Some(ColorChoice::Never)
        );
        assert_eq!(
            color_flag(args(&["x", "check", "--color=always"])),
            Some(ColorChoice::Always)
        );
        assert_eq!(color_flag(args(&["x", "--", "--color=always"])), None);
        assert_eq!(color_flag(args(&["x"])), None);
    }
}
