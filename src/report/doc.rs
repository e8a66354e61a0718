//! A small document model shared by the HTML and Markdown writers.
//!
//! The report's content is built once as a list of [`Block`]s (headings,
//! paragraphs, tables, figures) and then written twice, so index.html and
//! report.md always hold the same tables with the same numbers. Text here is
//! plain (unescaped); each writer escapes it for its own format.

/// A run of text in a paragraph or list item.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    /// A link to an anchor of the report (`#…`), or an external URL.
    Link {
        href: String,
        text: String,
    },
}

/// A table cell: display text (line breaks allowed), an optional numeric sort
/// key, an optional CSS class and an optional in-report link.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Cell {
    pub text: String,
    pub sort: Option<f64>,
    pub class: Option<String>,
    pub href: Option<String>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }
    pub fn num(s: impl Into<String>, v: f64) -> Cell {
        Cell {
            text: s.into(),
            sort: v.is_finite().then_some(v),
            ..Cell::default()
        }
    }
    pub fn class(mut self, c: impl Into<String>) -> Cell {
        self.class = Some(c.into());
        self
    }
    pub fn link(mut self, href: impl Into<String>) -> Cell {
        self.href = Some(href.into());
        self
    }
}

/// A data table. `kind` and `key` name it for machines: the Markdown writer puts
/// them in an HTML comment (`<!-- table: kind key -->`) that the report test
/// reads to check every table against the JSON output.
#[derive(Clone, Debug, PartialEq)]
pub struct DocTable {
    pub kind: &'static str,
    /// The system or scenario id the table belongs to ("" for global tables).
    pub key: String,
    /// HTML id of the table element.
    pub id: String,
    pub caption: String,
    pub headers: Vec<String>,
    /// Columns that hold numbers (right-aligned, sorted numerically).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<Cell>>,
    /// HTML ids of the rows (link targets), aligned with `rows`; may be shorter.
    pub anchors: Vec<Option<String>>,
    /// Rows are items: the search box filters them.
    pub filterable: bool,
    /// Shown instead of an empty body.
    pub empty: String,
}

impl DocTable {
    pub fn new(
        kind: &'static str,
        key: &str,
        id: String,
        caption: String,
        headers: &[(&str, bool)],
    ) -> DocTable {
        DocTable {
            kind,
            key: key.to_string(),
            id,
            caption,
            headers: headers.iter().map(|(h, _)| h.to_string()).collect(),
            numeric: headers.iter().map(|(_, n)| *n).collect(),
            rows: Vec::new(),
            anchors: Vec::new(),
            filterable: false,
            empty: String::new(),
        }
    }
}

/// A chart or diagram: the SVG (standalone, for a file beside report.md, and
/// inlined in index.html), its file name under `diagrams/`, alt text and caption.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub file: String,
    pub svg: String,
    pub alt: String,
    pub caption: String,
    /// Wide diagrams get a horizontal scroller in HTML.
    pub wide: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Opens a `<section>` (HTML) with this anchor.
    Open(String),
    Close,
    /// Level 2–4; `anchor` is the HTML id (also listed in the table of contents
    /// for levels 2 and 3).
    Heading {
        level: u8,
        anchor: String,
        text: String,
    },
    Para(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Table(DocTable),
    Figure(Figure),
}

/// Shorthand for a paragraph of plain text.
pub fn para(s: impl Into<String>) -> Block {
    Block::Para(vec![Inline::Text(s.into())])
}
