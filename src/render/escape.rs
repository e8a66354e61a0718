//! The one escaping function of the DOT writer.
//!
//! graphviz-rust prints every `Id` verbatim, so anything that reaches the AST
//! must already be a well-formed DOT token. [`quoted`] is the only way the
//! renderer turns text (node ids, cluster ids, labels, tooltips, attribute
//! values) into an `Id`: it always produces a double-quoted string in which no
//! input character can end the string, start a comment or a preprocessor line,
//! or be read by Graphviz as a label escape (`\N`, `\l`, `\G`...).
//!
//! Rules, in the order a reader meets them:
//! - `"` → `\"` and `\` → `\\` (the only two characters DOT strings escape);
//! - a line break (`\n`, `\r\n` or a lone `\r`) → the label escape `\n`, so the
//!   printed DOT never contains a raw newline inside a string;
//! - `&` → `&amp;`, because Graphviz decodes HTML entities even in plain string
//!   labels: without this `R&lt;D` would be drawn as `R<D`;
//! - any other control character (tab, NUL, ...) → a space.
//!
//! [`unquote`] is the exact inverse on everything [`quote`] produces; the
//! built-in layout uses it to recover the text of a label.

use graphviz_rust::dot_structures::Id;

/// `text` as a quoted DOT id (see the module docs for the rules).
pub fn quoted(text: &str) -> Id {
    Id::Escaped(quote(text))
}

/// `text` as a quoted DOT string, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The display text of a DOT id: strips the quotes of a quoted string and
/// undoes [`quote`] (label escapes `\n`, `\l`, `\r` become line breaks, the
/// entity `&amp;` becomes `&`). Plain ids come back unchanged.
pub fn unquote(id: &str) -> String {
    let Some(inner) = id.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return id.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') | Some('l') | Some('r') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
}

/// The text of any [`Id`] (see [`unquote`]).
pub fn id_text(id: &Id) -> String {
    match id {
        Id::Escaped(s) | Id::Plain(s) => unquote(s),
        Id::Html(s) => s.clone(),
        Id::Anonymous(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_every_special_character() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote(r"back\slash"), r#""back\\slash""#);
        assert_eq!(quote("two\nlines"), r#""two\nlines""#);
        assert_eq!(quote("crlf\r\nand\rcr"), r#""crlf\nand\ncr""#);
        assert_eq!(quote("R&D"), "\"R&amp;D\"");
        assert_eq!(quote("tab\there\0"), "\"tab here \"");
        assert_eq!(quote(r"\N\l"), r#""\\N\\l""#);
        assert_eq!(quote("64排CT"), "\"64排CT\"");
        assert_eq!(quote("x\"];digraph{a->b"), r#""x\"];digraph{a->b""#);
    }

    #[test]
    fn quoted_string_never_ends_early() {
        // A trailing backslash must not escape the closing quote.
        assert_eq!(quote("ends with \\"), r#""ends with \\""#);
        assert_eq!(quote("\\\""), r#""\\\"""#);
    }

    #[test]
    fn unquote_inverts_quote() {
        for s in [
            "",
            "a",
            "a\"b",
            "a\\b",
            "x\ny",
            "R&D",
            "&amp;",
            "\\n",
            "\\",
            "}{][;-><b>",
            "美国",
        ] {
            assert_eq!(unquote(&quote(s)), s, "round trip of {s:?}");
        }
        assert_eq!(unquote("plain_id"), "plain_id");
    }
}
