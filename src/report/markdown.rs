//! report.md: the same blocks as index.html in GitHub-flavoured Markdown, with
//! the diagrams as SVG files in `diagrams/` beside it.
//!
//! Every table is preceded by a machine-readable comment
//! `<!-- table: KIND KEY -->` (KEY = the slug of its system or scenario id, or
//! `-`), which the report test uses to check each table against the JSON output.
//! Text is escaped with [`md_text`]: Markdown punctuation and the characters
//! that could start HTML (`<`, `>`, an `&` that would begin an entity) are
//! backslash-escaped, so no name can inject markup and the file carries no
//! HTML entities (`China's`, never `China&#39;s`); in table cells `|` is
//! escaped and line breaks become `<br>`.

use super::content::Built;
use super::doc::{Block, DocTable, Inline};
use super::escape::{esc, slug};
use super::labels::Labels;

/// Escapes text for Markdown prose with backslashes (GFM's escape for ASCII
/// punctuation, so readers see the plain character): `\ * _ [ ] ` ~ | # < >`,
/// and `&` when a letter or `#` follows (where it could begin an entity).
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let entity_start = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if entity_start
            || matches!(
                c,
                '\\' | '*' | '_' | '[' | ']' | '`' | '~' | '|' | '#' | '<' | '>'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn cell_text(s: &str) -> String {
    md_text(s).replace("\r\n", "\n").replace('\n', "<br>")
}

fn inline(parts: &[Inline]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Inline::Text(t) => s.push_str(&md_text(t)),
            Inline::Strong(t) => s.push_str(&format!("**{}**", md_text(t))),
            Inline::Link { href, text } => {
                s.push_str(&format!("[{}](<{}>)", md_text(text), esc(href)))
            }
        }
    }
    s
}

fn table(out: &mut String, t: &DocTable, print_caption: bool) {
    let key = if t.key.is_empty() {
        "-".to_string()
    } else {
        slug(&t.key)
    };
    out.push_str(&format!("<!-- table: {} {key} -->\n", t.kind));
    if print_caption {
        out.push_str(&format!("**{}**\n\n", md_text(&t.caption)));
    }
    let header: Vec<String> = t.headers.iter().map(|h| cell_text(h)).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = (0..t.headers.len())
        .map(|k| {
            if t.numeric.get(k).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    if t.rows.is_empty() {
        let mut cells = vec![cell_text(&t.empty)];
        cells.resize(t.headers.len().max(1), String::new());
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell_text(&c.text)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

/// Writes report.md; figures point at `diagrams/<file>`.
pub fn write(built: &Built, l: &Labels, data_files: &[String]) -> String {
    let mut out = String::with_capacity(1 << 18);
    out.push_str(&format!("# {}\n\n", md_text(&built.title)));
    out.push_str(&format!("{}\n\n", md_text(&built.subtitle)));
    out.push_str(&format!("**{}**\n\n", md_text(l.contents)));
    for b in &built.blocks {
        if let Block::Heading {
            level,
            anchor,
            text,
        } = b
        {
            let indent = match level {
                2 => "",
                3 => "  ",
                _ => continue,
            };
            out.push_str(&format!(
                "{indent}- [{}](#{})\n",
                md_text(text),
                esc(anchor)
            ));
        }
    }
    out.push('\n');
    let mut last_heading: Option<&str> = None;
    for b in &built.blocks {
        match b {
            Block::Open(_) | Block::Close => {}
            Block::Heading {
                level,
                anchor,
                text,
            } => {
                out.push_str(&format!(
                    "<a id=\"{}\"></a>\n\n{} {}\n\n",
                    esc(anchor),
                    "#".repeat(*level as usize),
                    md_text(text)
                ));
                last_heading = Some(text);
                continue;
            }
            Block::Para(parts) => out.push_str(&format!("{}\n\n", inline(parts))),
            Block::List(items) => {
                for it in items {
                    out.push_str(&format!("- {}\n", inline(it)));
                }
                out.push('\n');
            }
            Block::Table(t) => table(&mut out, t, last_heading != Some(t.caption.as_str())),
            Block::Figure(f) => out.push_str(&format!(
                "![{}](diagrams/{})\n\n*{}*\n\n",
                md_text(&f.alt),
                f.file,
                md_text(&f.caption)
            )),
        }
        last_heading = None;
    }
    out.push_str("---\n\n");
    out.push_str(&format!(
        "{} {} · {}\n",
        md_text(l.generated),
        env!("CARGO_PKG_VERSION"),
        data_files
            .iter()
            .map(|f| format!("[{}]({})", md_text(f), f))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_text_escapes_markup_and_markdown() {
        assert_eq!(
            md_text("a*b_c [x](y) <img> & | `# China's \"q\" &amp; R&D"),
            "a\\*b\\_c \\[x\\](y) \\<img\\> & \\| \\`\\# China's \"q\" \\&amp; R\\&D"
        );
    }

    #[test]
    fn tables_carry_their_kind_and_escape_cells() {
        let mut t = DocTable::new(
            "risk",
            "ct 64",
            "risk-ct".into(),
            "Risk".into(),
            &[("id", false), ("score", true)],
        );
        t.rows.push(vec![
            super::super::doc::Cell::text("a|b\nc"),
            super::super::doc::Cell::num("1.00", 1.0),
        ]);
        let mut out = String::new();
        table(&mut out, &t, false);
        assert_eq!(
            out,
            "<!-- table: risk ct_20_64 -->\n| id | score |\n|---|---:|\n| a\\|b<br>c | 1.00 |\n\n"
        );
    }
}
