//! Safety of text that came from input files. The two neutralising rules
//! (docs/robustness.md, "Terminal and spreadsheet safety"):
//!
//! * [`printable`]: text for a terminal. Every line the program prints —
//!   diagnostics, help lines, headings, narratives, tables, progress — passes
//!   through it, so an id or a name cannot drive the terminal.
//! * [`csv_document`]: CSV for a spreadsheet. Every CSV writer builds its
//!   document here, so a cell cannot become a formula.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: a control character (C0,
/// DEL, C1 — ESC, BEL, CSI, …) other than a line feed, or a bidirectional
/// formatting character that reorders what is shown (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069: "Trojan Source").
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to print on a terminal: every character of
/// [`is_unsafe_for_terminal`] becomes U+FFFD (�), so the reader sees that
/// something was there.
pub fn printable(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe_for_terminal) {
        s.chars()
            .map(|c| {
                if is_unsafe_for_terminal(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// [`printable`] that keeps every byte offset: for a source text whose spans
/// point into it (diagnostic snippets). A character to neutralise becomes
/// U+FFFD when that takes as many bytes (three), else as many `?` as its
/// bytes. Tabs and carriage returns are kept: the snippet renderer lays them
/// out itself.
pub fn printable_same_length(s: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| c != '\t' && c != '\r' && is_unsafe_for_terminal(c);
    if !s.chars().any(unsafe_here) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !unsafe_here(c) {
            out.push(c);
        } else if c.len_utf8() == 3 {
            out.push('\u{fffd}');
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    out.into()
}

/// Whether a spreadsheet would read `s` as a formula (OWASP, "CSV
/// Injection"): it starts — after any apostrophes already there — with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, and is not a plain number.
/// Plain numbers (`-12`, `+0.5`, `-1e-9`) stay numbers.
fn csv_needs_quote(s: &str) -> bool {
    let rest = s.trim_start_matches('\'');
    matches!(
        rest.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    ) && !(rest.len() == s.len() && is_plain_number(s))
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, or with the digits after the point
/// only: what every spreadsheet reads as a number and nothing else.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A CSV cell as written: a cell a spreadsheet would run as a formula gets a
/// leading apostrophe (the sign spreadsheets take for "text"). A cell that
/// already starts with apostrophes before such a character gets one more, so
/// that [`csv_cell_read`] gives back exactly the original.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if csv_needs_quote(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The inverse of [`csv_cell`], for the CSV importer: one leading apostrophe
/// is removed where [`csv_cell`] would have added it.
pub fn csv_cell_read(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if csv_needs_quote(rest) => rest,
        _ => s,
    }
}

static EXCEL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Sets, once per process (from `--excel`), whether CSV documents start with a
/// UTF-8 byte-order mark: Excel on Windows reads a CSV without one in the
/// system's ANSI code page, so Chinese names come out garbled. Off by default,
/// because pandas, csvkit and most other readers keep the mark as part of the
/// first column's name.
pub fn set_excel_csv(on: bool) {
    let _ = EXCEL.set(on);
}

/// Whether [`csv_document`] writes the byte-order mark (see [`set_excel_csv`]).
pub fn excel_csv() -> bool {
    EXCEL.get().copied().unwrap_or(false)
}

/// A CSV document (RFC 4180 quoting, `\n` line ends) with a header row; every
/// cell, the header's too, passes through [`csv_cell`]. Starts with a UTF-8
/// byte-order mark under `--excel` ([`set_excel_csv`]).
pub fn csv_document<H, R, C>(header: &[H], rows: impl IntoIterator<Item = R>) -> String
where
    H: AsRef<str>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let start: Vec<u8> = if excel_csv() {
        "\u{FEFF}".into()
    } else {
        Vec::new()
    };
    let mut w = csv::Writer::from_writer(start);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header.iter().map(|h| csv_cell(h.as_ref()).into_owned()));
    for r in rows {
        let _ = w.write_record(r.into_iter().map(|c| csv_cell(c.as_ref()).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_loses_controls_and_bidi_overrides() {
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}c\u{202e}d\u{2066}e\u{9b}f\ng\th"),
            "a\u{fffd}[2Jb\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f\ng\u{fffd}h"
        );
        assert!(matches!(printable("球管 ok\n"), Cow::Borrowed(_)));
        let same = printable_same_length("a\u{202e}b\u{85}c\u{61c}d\te\r\n");
        assert_eq!(same, "a\u{fffd}b??c??d\te\r\n");
        assert_eq!(same.len(), "a\u{202e}b\u{85}c\u{61c}d\te\r\n".len());
    }

    #[test]
    fn formulas_are_quoted_numbers_are_not() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-1+1", "'-1+1"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("'=x", "''=x"),
            ("''-y", "'''-y"),
            ("-12", "-12"),
            ("+0.5", "+0.5"),
            ("-1e-9", "-1e-9"),
            ("-.5", "-.5"),
            ("'x", "'x"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
            assert_eq!(csv_cell_read(&csv_cell(cell)), cell, "{cell:?} round trip");
        }
        assert_eq!(csv_cell_read("'x"), "'x");
    }

    #[test]
    fn csv_documents_quote_every_cell() {
        let doc = csv_document(&["id", "=h"], [vec!["=1+1", "-3"], vec!["a,b", "@x"]]);
        assert_eq!(doc, "id,'=h\n'=1+1,-3\n\"a,b\",'@x\n");
    }
}
