//! Output plumbing shared by every command: formats, tables, atomic files.
//!
//! Owns: the `table|json|csv|md` formats of spec §4, rendering a [`Table`] in each,
//! the one terminal sanitiser ([`printable`]) and the one CSV writer
//! ([`csv_document`], spreadsheet-formula safe) (`text.rs`), and
//! [`write_atomic`] / [`write_files`] (temp file + rename; regular files only;
//! sets land together; signals clean up) (`write.rs`), the only way this crate
//! writes files; `json.rs`: pretty JSON as serde_json writes it, faster (a long
//! array member serialized in parallel).
//! Never: computes anything; it formats what it is given.

pub mod json;
pub mod layout;
mod safe;
pub mod term;
pub mod text;
mod write;

pub use safe::{
    csv_cell, csv_cell_read, csv_document, excel_csv, is_unsafe_for_terminal, printable,
    printable_same_length, set_excel_csv,
};
pub use term::terminal_width;

use crate::model::Lang;
pub use write::{
    clean_up_on_signals, describe, resolve_target, write_atomic, write_atomic_with, write_files,
    WriteError,
};

/// Tabular output formats of spec §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal (its width; 80 when piped; `COLUMNS` overrides).
    #[default]
    Table,
    Json,
    Csv,
    /// GitHub-flavoured Markdown tables.
    Md,
}

/// A titled table of strings, rendered in any [`Format`] but JSON (JSON output is
/// built from the typed results instead).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Table {
            title: title.into(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Renders for a terminal: cells wrapped at word boundaries to fit `width`
    /// columns (see [`layout`]), then a legend line for the abbreviations the
    /// headers use (TTS, PI, …).
    pub fn to_terminal(&self, width: u16) -> String {
        self.to_terminal_in(width, Lang::En)
    }

    /// [`Table::to_terminal`] with the legend in `lang`.
    pub fn to_terminal_in(&self, width: u16, lang: Lang) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|h| printable(h).into_owned())
            .collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| printable(c).into_owned()).collect())
            .collect();
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&text::wrap(&printable(&self.title), usize::from(width), ""));
        }
        out.push_str(&layout::render(&headers, &rows, usize::from(width)));
        out.push('\n');
        if let Some(legend) = self.legend_in(lang) {
            let prose = usize::from(width).min(term::MAX_PROSE_WIDTH);
            out.push_str(&text::wrap(&legend, prose, "  "));
        }
        out
    }

    /// The glossary line for the abbreviations in the headers, if any.
    pub fn legend(&self) -> Option<String> {
        self.legend_in(Lang::En)
    }

    /// The glossary line in `lang`.
    pub fn legend_in(&self, lang: Lang) -> Option<String> {
        text::legend_in(self.headers.iter().map(String::as_str), lang)
    }

    /// CSV with a header row (RFC 4180 quoting; formulas neutralised, see
    /// [`csv_document`]).
    pub fn to_csv(&self) -> String {
        csv_document(&self.headers, &self.rows)
    }

    /// A Markdown table under a `###` heading; `|` and newlines in cells are escaped.
    pub fn to_markdown(&self) -> String {
        self.to_markdown_in(Lang::En)
    }

    /// [`Table::to_markdown`] with the legend in `lang`.
    pub fn to_markdown_in(&self, lang: Lang) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&format!("### {}\n\n", cell(&self.title)));
        }
        out.push_str(&format!(
            "| {} |\n",
            self.headers
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        out.push_str(&format!("|{}\n", "---|".repeat(self.headers.len())));
        for r in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        if let Some(legend) = self.legend_in(lang) {
            out.push_str(&format!("\n{}\n", cell(&legend)));
        }
        out
    }

    pub fn render(&self, format: Format) -> String {
        self.render_in(format, Lang::En)
    }

    /// [`Table::render`] with the legend in `lang` (the cells are the caller's).
    pub fn render_in(&self, format: Format, lang: Lang) -> String {
        match format {
            Format::Table => self.to_terminal_in(terminal_width(), lang),
            Format::Csv => self.to_csv(),
            Format::Md | Format::Json => self.to_markdown_in(lang),
        }
    }
}

/// A money amount for people: 4.80e10 → "48.0 bn", 3.2e6 → "3.2 m", 999.4 → "999".
/// Machine formats (JSON, CSV) carry the full number instead.
pub fn amount(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    // An empty sum is -0.0: never print "-0".
    let v = if v == 0.0 { 0.0 } else { v };
    if v.abs() >= 1e9 {
        format!("{:.1} bn", v / 1e9)
    } else if v.abs() >= 1e6 {
        format!("{:.1} m", v / 1e6)
    } else {
        format!("{v:.0}")
    }
}

/// Formats a fraction as a percentage with one decimal: 0.8027 → "80.3 %".
pub fn pct(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else {
        format!("{:.1} %", x * 100.0)
    }
}

/// Rounds for stable machine output (JSON/CSV): 9 significant decimals.
/// `x` rounded to 12 significant digits, without negative zero: the value
/// whose shortest text has no binary noise (`0.775`, not `0.7749999999999999`).
pub fn significant12(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x) + 0.0
}

pub fn round9(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e9).round() / 1e9
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        let mut t = Table::new("T", &["a", "b"]);
        t.row(vec!["x|y".into(), "1\n2".into()]);
        assert_eq!(
            t.to_markdown(),
            "### T\n\n| a | b |\n|---|---|\n| x\\|y | 1<br>2 |\n"
        );
    }

    #[test]
    fn amounts_are_short() {
        assert_eq!(amount(4.8e10), "48.0 bn");
        assert_eq!(amount(52_076_712_329.0), "52.1 bn");
        assert_eq!(amount(3_249_999.0), "3.2 m");
        assert_eq!(amount(-12_000_000.0), "-12.0 m");
        assert_eq!(amount(999.4), "999");
        assert_eq!(amount(-0.0), "0");
        assert_eq!(amount(f64::NAN), "—");
    }

    #[test]
    fn terminal_tables_neutralise_control_characters() {
        let mut t = Table::new("t\u{1b}[2J", &["a"]);
        t.row(vec!["x\u{1b}]0;owned\u{7}y".into()]);
        let out = t.to_terminal(80);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("x\u{fffd}]0;owned\u{fffd}y"));
    }

    #[test]
    fn csv_quotes_commas() {
        let mut t = Table::new("", &["a", "b"]);
        t.row(vec!["x,y".into(), "z".into()]);
        assert_eq!(t.to_csv(), "a,b\n\"x,y\",z\n");
    }
}
