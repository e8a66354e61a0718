//! Reports: self-contained HTML and Markdown.
