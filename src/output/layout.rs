//! Terminal tables that fit the width without cutting a word or a number.
//!
//! comfy-table's dynamic arrangement breaks cells at any character once a
//! column is narrower than its longest word (`Netherla|nds`,
//! `62,022,4|45,700`). Here the column widths are chosen first, from what
//! each column needs, and every cell is wrapped at spaces before comfy-table
//! draws the borders:
//!
//! 1. every column as wide as its longest line, when that fits;
//! 2. else every column as wide as its longest word (a number and its unit,
//!    "52.1 bn", "85.0 %", count as one word), and the room left given to
//!    the lines of the body first, then of the headers, the smallest wants
//!    first (max-min fair);
//! 3. else long hyphenated ids break after a hyphen (`cn-rare-` / `earths`);
//! 4. only then is a word that still does not fit shortened with an ellipsis.
//!
//! Never: computes anything; it lays out what it is given.

use super::text::{ellipsize, options};
use comfy_table::{presets, ContentArrangement};
use textwrap::core::display_width;

/// Stands for a space that must not break (a number and its unit) while wrapping.
const GLUE: char = '\u{a0}';
/// Narrowest a column is shrunk to before the table overflows instead.
const MIN_COLUMN: usize = 3;

/// Renders `headers` and `rows` as a bordered table at most `width` columns wide
/// (when the words allow it).
pub fn render(headers: &[String], rows: &[Vec<String>], width: usize) -> String {
    let ncols = rows
        .iter()
        .map(Vec::len)
        .chain(std::iter::once(headers.len()))
        .max()
        .unwrap_or(0);
    if ncols == 0 {
        return String::new();
    }
    fn cell_at(r: &[String], i: usize) -> &str {
        r.get(i).map(String::as_str).unwrap_or("")
    }
    let glued_header: Vec<String> = (0..ncols).map(|i| glue(cell_at(headers, i))).collect();
    let glued_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| (0..ncols).map(|i| glue(cell_at(r, i))).collect())
        .collect();
    let mut needs = vec![Needs::default(); ncols];
    for (k, row) in std::iter::once(&glued_header)
        .chain(&glued_rows)
        .enumerate()
    {
        for (n, cell) in needs.iter_mut().zip(row) {
            n.add(cell, k == 0);
        }
    }
    // "│ a ┆ b │": a border before every column and after the last, one space
    // of padding on each side of every cell.
    let overhead = 3 * ncols + 1;
    let widths = column_widths(&needs, width.saturating_sub(overhead));
    let lay = |row: &[String]| -> Vec<String> {
        row.iter()
            .zip(&widths)
            .zip(&needs)
            .map(|((cell, w), n)| wrap_cell(cell, *w, *w < n.word))
            .collect()
    };
    let mut t = comfy_table::Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(lay(&glued_header));
    for r in &glued_rows {
        t.add_row(lay(r));
    }
    t.to_string()
}

/// What one column needs: its longest word, its longest piece of a word
/// broken after hyphens, its longest line.
#[derive(Clone, Copy, Debug, Default)]
struct Needs {
    word: usize,
    piece: usize,
    line: usize,
    /// The longest line outside the header.
    body: usize,
}

impl Needs {
    fn add(&mut self, cell: &str, header: bool) {
        for line in cell.split('\n') {
            self.line = self.line.max(display_width(line));
            if !header {
                self.body = self.body.max(display_width(line));
            }
            for word in super::text::pieces(line).map(|p| p.trim_end_matches(' ')) {
                self.word = self.word.max(display_width(word));
                for piece in hyphen_pieces(word) {
                    self.piece = self.piece.max(display_width(piece));
                }
            }
        }
    }
}

/// A word cut after each hyphen, slash or colon that stands between two
/// letters or digits (`cn-` `rare-` `earths`, `Thales/` `Siemens`,
/// `domestic:` `fpga`): where a word too long for its column may break.
fn hyphen_pieces(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for k in 1..chars.len().saturating_sub(1) {
        let (at, c) = chars[k];
        if matches!(c, '-' | '/' | ':')
            && chars[k - 1].1.is_alphanumeric()
            && chars[k + 1].1.is_alphanumeric()
        {
            pieces.push(&word[start..at + 1]);
            start = at + 1;
        }
    }
    pieces.push(&word[start..]);
    pieces
}

/// Chooses the content width of every column for `avail` columns in all.
fn column_widths(needs: &[Needs], avail: usize) -> Vec<usize> {
    let total = |w: &[usize]| w.iter().sum::<usize>();
    let full: Vec<usize> = needs.iter().map(|n| n.line.max(1)).collect();
    if total(&full) <= avail {
        return full;
    }
    let mut w: Vec<usize> = needs.iter().map(|n| n.word.max(1)).collect();
    if total(&w) <= avail {
        // The body's lines first (a header may take two lines, a cell of
        // every row should not), then the headers' lines, each time the
        // smallest wants satisfied first.
        let mut room = avail - total(&w);
        let body: Vec<usize> = needs.iter().map(|n| n.body.max(n.word).max(1)).collect();
        fill(&mut w, &body, &mut room);
        fill(&mut w, &full, &mut room);
        return w;
    }
    // Too narrow for whole words: break hyphenated ids, widest column first.
    while total(&w) > avail {
        let breakable = (0..w.len())
            .filter(|&i| w[i] > needs[i].piece.max(MIN_COLUMN))
            .max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        match breakable {
            Some(i) => w[i] -= 1,
            None => break,
        }
    }
    // Still too wide: shorten the widest column; its long words get an ellipsis.
    while total(&w) > avail {
        let widest = (0..w.len()).max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        match widest {
            Some(i) if w[i] > MIN_COLUMN => w[i] -= 1,
            _ => break,
        }
    }
    w
}

/// Widens the columns `w` toward `target` with at most `room` more columns in
/// all: max-min fair, so that the columns wanting little get all of it and the
/// widest want shares what is left.
fn fill(w: &mut [usize], target: &[usize], room: &mut usize) {
    let mut wanting: Vec<usize> = (0..w.len()).filter(|&i| target[i] > w[i]).collect();
    wanting.sort_by_key(|&i| (target[i] - w[i], i));
    let mut left = wanting.len();
    for i in wanting {
        let share = (*room / left).max(usize::from(*room > 0));
        let give = (target[i] - w[i]).min(share).min(*room);
        w[i] += give;
        *room -= give;
        left -= 1;
    }
}

/// Wraps one (glued) cell to `width`, at spaces, and after hyphens and
/// slashes when `hyphenate` (only in a line that does not fit otherwise); a
/// word that still does not fit ends in an ellipsis.
fn wrap_cell(cell: &str, width: usize, hyphenate: bool) -> String {
    let opts = options(width);
    let mut lines = Vec::new();
    for raw in cell.split('\n') {
        for line in textwrap::wrap(raw, &opts) {
            let line = line.trim_end();
            if hyphenate && display_width(line) > width {
                lines.extend(break_after_hyphens(line, width));
            } else {
                lines.push(line.to_string());
            }
        }
    }
    lines
        .iter()
        .map(|l| ellipsize(l, width).replace(GLUE, " "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line too wide for `width` filled greedily from its words cut after
/// hyphens and slashes ([`hyphen_pieces`]).
fn break_after_hyphens(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for (k, word) in line.split(' ').enumerate() {
        for (p, piece) in hyphen_pieces(word).into_iter().enumerate() {
            // A space goes before a word's first piece, not between its pieces.
            let sep = if k > 0 && p == 0 && !current.is_empty() {
                " "
            } else {
                ""
            };
            if !current.is_empty()
                && display_width(&current) + sep.len() + display_width(piece) > width
            {
                out.push(std::mem::take(&mut current));
            } else {
                current.push_str(sep);
            }
            current.push_str(piece);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The cell with the spaces that must not break (between a number and its
/// unit) replaced by [`GLUE`].
fn glue(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    for (n, line) in cell.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // Whether the previous word is a number, or a unit glued to one
        // ("52.1 bn CNY" stays together).
        let mut after_number = false;
        for (k, word) in line.split(' ').enumerate() {
            let glued = after_number && is_unit(word);
            if k > 0 {
                out.push(if glued { GLUE } else { ' ' });
            }
            out.push_str(word);
            after_number = glued || word.ends_with(|c: char| c.is_ascii_digit());
        }
    }
    out
}

/// Whether a word is a unit that belongs to the number before it: %, bn, m,
/// days, a currency code, the "*" of an incomplete score.
fn is_unit(word: &str) -> bool {
    let w = word.trim_end_matches([')', ',', ';', '.']);
    matches!(w, "%" | "bn" | "m" | "k" | "day" | "days" | "*")
        || (w.len() == 3 && w.chars().all(|c| c.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn words_and_numbers_stay_whole_at_80_columns() {
        // The shape of the country sweep: seven columns of whole words fit.
        let headers = strings(&[
            "#",
            "country",
            "PI (CNY)",
            "REI",
            "LP (days)",
            "systems hit",
            "earliest TTS",
        ]);
        let rows = vec![strings(&[
            "6",
            "Netherlands (NL)",
            "62,022,445,700 CNY",
            "0.107",
            "193.7",
            "3",
            "0 (mri-1t5)",
        ])];
        let out = render(&headers, &rows, 80);
        for line in out.lines() {
            assert!(display_width(line) <= 80, "{line}");
        }
        for word in ["Netherlands", "earliest", "62,022,445,700 CNY", "(mri-1t5)"] {
            assert!(out.contains(word), "{word} split:\n{out}");
        }
    }

    #[test]
    fn numbers_keep_their_unit() {
        assert_eq!(
            glue("52.1 bn CNY · 85.0 % of x"),
            "52.1\u{a0}bn\u{a0}CNY · 85.0\u{a0}% of x"
        );
    }

    #[test]
    fn hyphenated_ids_break_after_a_hyphen_only_when_needed() {
        assert_eq!(hyphen_pieces("cn-rare-earths"), ["cn-", "rare-", "earths"]);
        assert_eq!(hyphen_pieces("(Thales/Siemens)"), ["(Thales/", "Siemens)"]);
        assert_eq!(
            wrap_cell("x (Thales/Siemens/Philips)", 10, true),
            "x\n(Thales/\nSiemens/\nPhilips)"
        );
        assert_eq!(wrap_cell("cn-rare-earths", 8, true), "cn-rare-\nearths");
        assert_eq!(wrap_cell("cn-rare-earths", 14, false), "cn-rare-earths");
    }

    #[test]
    fn a_word_too_long_for_any_layout_gets_an_ellipsis() {
        assert_eq!(ellipsize("Netherlands", 6), "Nethe…");
        let out = render(
            &strings(&["a"]),
            &[strings(&["x".repeat(100).as_str()])],
            40,
        );
        assert!(out.lines().all(|l| display_width(l) <= 40), "{out}");
        assert!(out.contains('…'));
    }
}
