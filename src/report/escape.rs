//! The one escaping function of the report writer, and the anchor/file-name
//! encoding of ids.
//!
//! Every piece of text that reaches index.html, an SVG chart or the HTML
//! fragments of report.md goes through [`esc`]: the same function is safe in
//! HTML/XML text and in double- or single-quoted attribute values, so no input
//! (item names, notes, titles, URLs) can open a tag, close an attribute or start
//! an entity. Ids that become `id="…"` attributes or file names go through
//! [`slug`], which keeps `[A-Za-z0-9-]` and encodes everything else
//! reversibly, so distinct ids never collide.

/// Escapes `text` for HTML/XML text content and attribute values:
/// `&` `<` `>` `"` `'` become entities; control characters other than tab and
/// line breaks (invalid in XML 1.0) become U+FFFD.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An id as a token safe in an `id` attribute, a URL fragment and a file name:
/// `[A-Za-z0-9-]` kept, any other character written as `_<hex code point>_`
/// (so `_` itself is `_5f_`), which keeps the mapping one-to-one.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", c as u32));
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_quotes_and_entities() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y' &amp;"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &amp;amp;"
        );
    }

    #[test]
    fn esc_keeps_cjk_and_replaces_xml_invalid_controls() {
        assert_eq!(esc("球管\u{0}\u{1b}x\ty"), "球管\u{FFFD}\u{FFFD}x\ty");
    }

    #[test]
    fn esc_output_never_contains_a_raw_markup_character() {
        let hostile = "\"><img src=x onerror=alert(1)>'<!--]]>&#x3C;";
        let e = esc(hostile);
        assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
        // Every `&` starts one of the five entities esc writes.
        for (i, _) in e.match_indices('&') {
            let rest = &e[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|ent| rest.starts_with(ent)),
                "stray & in {e}"
            );
        }
    }

    #[test]
    fn slug_is_one_to_one_and_safe() {
        assert_eq!(slug("ct-64"), "ct-64");
        assert_eq!(slug("a_b"), "a_5f_b");
        assert_eq!(slug("a b/../x"), "a_20_b_2f__2e__2e__2f_x");
        assert_eq!(slug("球"), "_7403_");
        assert_eq!(slug(""), "_");
        assert_ne!(slug("a_5f_b"), slug("a_b"));
        assert!(slug("\"><x")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
