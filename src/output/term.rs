//! What the terminal allows: its width and whether colour is wanted.
//!
//! Owns: the one answer to "how wide" (tables, narrative lines, `--help`) and
//! "colour or not" (diagnostics, `--help`, progress), for the whole process.
//! Never: prints anything.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// The narrowest layout we draw; below this tables could not hold a word.
pub const MIN_WIDTH: u16 = 40;
/// Prose (narrative lines, `--help`) is never wider than this, however wide the
/// terminal: long lines are hard to read.
pub const MAX_PROSE_WIDTH: usize = 100;
/// The width when output is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: u16 = 80;

/// The width tables are drawn to: `COLUMNS` when set (scripts, tests), else the
/// terminal's width when stdout is a terminal, else 80; never below [`MIN_WIDTH`].
pub fn terminal_width() -> u16 {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w > 0);
    let width = from_env
        .or_else(|| {
            let stdout = std::io::stdout();
            if stdout.is_terminal() {
                terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0)
            } else {
                None
            }
        })
        .unwrap_or(DEFAULT_WIDTH);
    width.max(MIN_WIDTH)
}

/// The width narrative lines and `--help` are wrapped to: the terminal's, at
/// most [`MAX_PROSE_WIDTH`].
pub fn prose_width() -> usize {
    usize::from(terminal_width()).min(MAX_PROSE_WIDTH)
}

/// `--color auto|always|never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set to a non-empty value.
    #[default]
    Auto,
    /// Colour even when piped, and despite `NO_COLOR`.
    Always,
    /// Never colour.
    Never,
}

static COLOR: OnceLock<ColorChoice> = OnceLock::new();

/// Sets the process-wide colour choice (once, from the command line).
pub fn set_color_choice(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// The colour choice in force, `Auto` unless set.
pub fn color_choice() -> ColorChoice {
    COLOR.get().copied().unwrap_or_default()
}

/// Whether `NO_COLOR` asks for no colour (https://no-color.org: present and
/// not empty).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether to colour output going to a stream that is (or is not) a terminal.
pub fn color_for(is_terminal: bool) -> bool {
    match color_choice() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && !no_color_env(),
    }
}

/// Whether to colour what goes to stderr (diagnostics).
pub fn color_stderr() -> bool {
    color_for(std::io::stderr().is_terminal())
}
