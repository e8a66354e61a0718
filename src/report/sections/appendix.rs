//! Extra sections at the end (a mitigation plan, a diff), built by the caller.

use crate::report::doc::{para, Block, Cell, DocTable};

/// Lays out an [`crate::report::Appendix`]: a section with its heading, paragraphs
/// and tables (kind `appendix`, keyed by the section's anchor).
pub fn push(b: &mut Vec<Block>, appendix: &crate::report::Appendix) {
    b.push(Block::Open(appendix.anchor.clone()));
    b.push(Block::Heading {
        level: 2,
        anchor: format!("{}-h", appendix.anchor),
        text: appendix.title.clone(),
    });
    for p in &appendix.paragraphs {
        b.push(para(p.clone()));
    }
    for (n, table) in appendix.tables.iter().enumerate() {
        let headers: Vec<(&str, bool)> =
            table.headers.iter().map(|h| (h.as_str(), false)).collect();
        let mut t = DocTable::new(
            "appendix",
            &appendix.anchor,
            format!("{}-t{n}", appendix.anchor),
            table.title.clone(),
            &headers,
        );
        t.rows = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::text(c.clone())).collect())
            .collect();
        t.empty = "—".into();
        b.push(Block::Table(t));
    }
    b.push(Block::Close);
}
