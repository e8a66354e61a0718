//! A YAML document as a tree of nodes that remember where they were written.
//!
//! serde_yaml reports positions only for its own errors; the validation rules of
//! spec §2 need the line and column of every id, share and reference. This module
//! builds that tree from yaml-rust2's event stream, iteratively (no recursion, so
//! hostile nesting cannot overflow the stack), with limits on depth and on alias
//! expansion ("billion laughs").

use crate::model::Location;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting of sequences and mappings accepted (the schema needs 6).
pub const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may add by expansion, per file.
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub loc: Location,
}

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    /// A scalar's text; `plain` is false for quoted and block scalars, which are
    /// always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What a user would call this value in an error message.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Scalar { plain: false, .. } => "a string",
            Value::Scalar { text, .. } if text.parse::<f64>().is_ok() => "a number",
            // YAML 1.2's core schema reads these plain words as booleans.
            Value::Scalar { text, .. }
                if matches!(
                    text.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                ) =>
            {
                "a boolean"
            }
            Value::Scalar { .. } => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A parse failure with its position.
#[derive(Debug)]
pub struct ParseError {
    pub message: String,
    pub loc: Location,
    pub limit: bool,
    /// How to fix it, when the position alone does not say.
    pub hint: Option<&'static str>,
}

/// Byte offsets where the lines of `text` start. Line breaks are counted as
/// YAML (and miette) count them: `\n`, `\r\n` and a lone `\r`.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .map(|(i, _)| i + 1),
    );
    starts
}

/// Computes byte offsets and 1-based columns from yaml-rust2 markers.
struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// In ASCII text a column is a byte count: no need to walk the characters.
    ascii: bool,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let line_starts = line_starts(text);
        LineIndex {
            text,
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// The 1-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&start| start <= offset) as u32
    }

    fn location_of_offset(&self, file: u32, offset: usize) -> Location {
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize - 1];
        Location {
            file,
            line,
            column: self.text[start..offset].chars().count() as u32 + 1,
            offset: offset as u32,
        }
    }

    fn location(&self, file: u32, mark: &Marker) -> Location {
        let line = mark.line().max(1);
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        // yaml-rust2 columns count characters from 0.
        let offset = if self.ascii {
            (start + mark.col()).min(self.text.len())
        } else {
            self.text[start..]
                .char_indices()
                .nth(mark.col())
                .map(|(i, _)| start + i)
                .unwrap_or(self.text.len())
        };
        Location {
            file,
            line: line as u32,
            column: mark.col() as u32 + 1,
            offset: offset as u32,
        }
    }
}

/// The innermost flow collection (`{` or `[`) still open at byte `upto`, as
/// its offset and bracket; `None` when every one opened before `upto` is closed.
///
/// A light scan, used only to locate a syntax error: quoted scalars and
/// comments are skipped, and outside a flow collection a bracket opens one only
/// where a value starts (after `:`, `-`, `?`, `,` or at a line's start), so
/// that a brace inside plain block text such as `note: a { b` does not count.
fn unclosed_flow(text: &str, upto: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let end = upto.min(bytes.len());
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut i = 0;
    // The last byte before `i` that is not a space or tab, on the same line.
    let mut prev: Option<u8> = None;
    while i < end {
        let b = bytes[i];
        match b {
            b'\n' | b'\r' => prev = None,
            b' ' | b'\t' => {}
            b'#' if prev.is_none()
                || matches!(bytes.get(i.wrapping_sub(1)), Some(b' ' | b'\t')) =>
            {
                while i < end && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' if value_starts(prev, !open.is_empty()) => {
                let quote = b;
                i += 1;
                while i < end {
                    match bytes[i] {
                        b'\\' if quote == b'"' => i += 1,
                        c if c == quote => {
                            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                                i += 1;
                            } else {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                prev = Some(quote);
            }
            b'{' | b'[' if !open.is_empty() || value_starts(prev, false) => {
                open.push((i, b as char));
                prev = Some(b);
            }
            b'}' | b']' if !open.is_empty() => {
                open.pop();
                prev = Some(b);
            }
            _ => prev = Some(b),
        }
        i += 1;
    }
    open.pop()
}

/// Whether a scalar or collection can start after `prev` (the last non-blank
/// byte on the line, `None` at its start).
fn value_starts(prev: Option<u8>, in_flow: bool) -> bool {
    match prev {
        None => true,
        Some(b':' | b'-' | b'?') => true,
        Some(b',' | b'[' | b'{') => in_flow,
        _ => false,
    }
}

enum Frame<'r> {
    Seq {
        items: Vec<Node>,
        loc: Location,
        anchor: usize,
        /// The key (from the stream rules) whose entries go to the sink as
        /// they complete.
        streamed: Option<&'r str>,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        loc: Location,
        anchor: usize,
    },
}

/// Whether YAML 1.2 allows `c` in a stream (`c-printable`, spec §5.1).
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// The first character YAML does not allow, located. yaml-rust2 takes a NUL
/// byte for the end of the stream (silently dropping the rest of the file) and
/// accepts other control characters, so they are refused before parsing.
fn non_printable(text: &str, file: u32) -> Option<ParseError> {
    let (offset, c) = text.char_indices().find(|&(_, c)| !is_yaml_printable(c))?;
    // Lines as YAML counts them (a lone `\r` breaks a line too), like every
    // other location.
    let starts = line_starts(&text[..offset]);
    let line_start = *starts.last().expect("line_starts begins with 0");
    Some(ParseError {
        message: format!(
            "the file contains the control character U+{:04X}, which YAML does not allow \
(write it escaped in a double-quoted string if it is meant)",
            c as u32
        ),
        loc: Location {
            file,
            line: starts.len() as u32,
            column: text[line_start..offset].chars().count() as u32 + 1,
            offset: offset as u32,
        },
        limit: false,
        hint: None,
    })
}

/// Parses every document of `text` (file index `file`) into node trees.
pub fn parse_documents(text: &str, file: u32) -> Result<Vec<Node>, ParseError> {
    parse_streaming(text, file, &StreamRules::NONE, &mut |_, _| {})
}

/// Which lists [`parse_streaming`] hands over entry by entry.
pub struct StreamRules<'a> {
    /// Keys of a document's root mapping whose lists are streamed.
    pub top: &'a [&'a str],
    /// For entries of a streamed top-level list (`items`), keys of the entry's
    /// own lists that are streamed too (`requires`, `supply`): a system with a
    /// million requirements is one entry, and its tree alone would be hundreds
    /// of megabytes.
    pub nested: &'a [(&'a str, &'a [&'a str])],
}

impl StreamRules<'_> {
    pub const NONE: StreamRules<'static> = StreamRules {
        top: &[],
        nested: &[],
    };
}

/// The key of the entry in `entries`/`key` that a list starting now would be
/// the value of, when it is one of `keys` and its first occurrence.
fn streamable_key<'r>(entries: &[(Node, Node)], key: &Node, keys: &[&'r str]) -> Option<&'r str> {
    let Value::Scalar { text: k, .. } = &key.value else {
        return None;
    };
    let rule = keys.iter().find(|r| **r == k)?;
    let repeated = entries
        .iter()
        .any(|(e, _)| matches!(&e.value, Value::Scalar { text, .. } if text == k));
    (!repeated).then_some(*rule)
}

/// Parses like [`parse_documents`], but hands each entry of a top-level list
/// under one of `rules.top` to `sink` as soon as it is complete, so that a
/// file of a million items never holds a million-entry tree. In the returned
/// documents such a list is `Null` (its entries were consumed). Lists inside
/// those entries named by `rules.nested` go the same way, before the entry
/// that holds them (`sink` gets their key, e.g. `requires`).
///
/// A list is streamed only where streaming cannot change the meaning: under
/// the first occurrence of its key in its mapping, and without an anchor on
/// the list or the entry holding it (an alias would need the entries). On a
/// syntax error the caller discards what the sink received: the error is the
/// only outcome.
pub fn parse_streaming(
    text: &str,
    file: u32,
    rules: &StreamRules,
    sink: &mut dyn FnMut(&str, Node),
) -> Result<Vec<Node>, ParseError> {
    if let Some(e) = non_printable(text, file) {
        return Err(e);
    }
    let index = LineIndex::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut documents = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut sizes: Vec<usize> = Vec::new(); // node count per open frame

    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let at = index.location(file, e.marker());
            // The scanner caps flow nesting itself; report that as a limit too.
            let limit = e.info().contains("recursion limit");
            match unclosed_flow(text, at.offset as usize).filter(|_| !limit) {
                // The parser notices a missing `}` or `]` only where the next
                // entry begins, often lines later; the opener is the mistake.
                Some((open, c)) if index.line_of(open) < at.line => ParseError {
                    message: format!(
                        "`{c}` is never closed (the parser stopped at line {}: {})",
                        at.line,
                        e.info()
                    ),
                    loc: index.location_of_offset(file, open),
                    limit: false,
                    hint: Some(if c == '{' {
                        "close the mapping with `}` where the entry ends (usually the end of this line)"
                    } else {
                        "close the list with `]` where the entry ends (usually the end of this line)"
                    }),
                },
                _ => ParseError {
                    message: e.info().to_string(),
                    loc: at,
                    limit,
                    hint: None,
                },
            }
        })?;
        let loc = index.location(file, &mark);
        let finished: Option<(Node, usize, usize)> = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(ParseError {
                        message: "alias to an unknown anchor".into(),
                        loc,
                        limit: false,
                        hint: None,
                    });
                };
                alias_nodes += size;
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(ParseError {
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?)"
                        ),
                        loc,
                        limit: true,
                        hint: None,
                    });
                }
                Some((node.clone(), *size, 0))
            }
            Event::Scalar(text, style, anchor, tag) => {
                // The core schema's tags decide the type whatever the quoting
                // (`!!str 60` is a string, `!!float "60"` a number); any other
                // tag is ignored and the scalar read as written
                // (docs/robustness.md, "YAML tags").
                let core = tag
                    .as_ref()
                    .filter(|t| t.handle == "tag:yaml.org,2002:")
                    .map(|t| t.suffix.as_str());
                let plain = match core {
                    Some("str" | "binary") => false,
                    Some("int" | "float" | "null" | "bool") => true,
                    _ => matches!(style, TScalarStyle::Plain),
                };
                let value = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    Value::Null
                } else {
                    Value::Scalar { text, plain }
                };
                Some((Node { value, loc }, 1, anchor))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                        loc,
                        limit: true,
                        hint: None,
                    });
                }
                let is_seq = matches!(event, Event::SequenceStart(..));
                let streamed = match stack.as_slice() {
                    [Frame::Map {
                        entries,
                        key: Some(key),
                        ..
                    }] if anchor == 0 && is_seq => streamable_key(entries, key, rules.top),
                    [Frame::Map { .. }, Frame::Seq {
                        streamed: Some(parent),
                        ..
                    }, Frame::Map {
                        entries,
                        key: Some(key),
                        anchor: 0,
                        ..
                    }] if anchor == 0 && is_seq => rules
                        .nested
                        .iter()
                        .find(|(p, _)| p == parent)
                        .and_then(|(_, keys)| streamable_key(entries, key, keys)),
                    _ => None,
                };
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        loc,
                        anchor,
                        streamed,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        loc,
                        anchor,
                    }
                });
                sizes.push(1);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let size = sizes.pop().unwrap_or(1);
                match stack.pop() {
                    Some(Frame::Seq {
                        items,
                        loc,
                        anchor,
                        streamed,
                    }) => Some((
                        Node {
                            value: if streamed.is_some() {
                                Value::Null
                            } else {
                                Value::Seq(items)
                            },
                            loc,
                        },
                        size,
                        anchor,
                    )),
                    Some(Frame::Map {
                        entries,
                        loc,
                        anchor,
                        ..
                    }) => Some((
                        // yaml-rust2 marks a block mapping at its first colon; the
                        // first key is where a reader looks for the entry.
                        Node {
                            loc: entries.first().map(|(k, _)| k.loc).unwrap_or(loc),
                            value: Value::Map(entries),
                        },
                        size,
                        anchor,
                    )),
                    None => None,
                }
            }
        };
        let Some((node, size, anchor)) = finished else {
            continue;
        };
        if anchor > 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        if let Some(parent) = sizes.last_mut() {
            *parent += size;
        }
        match stack.last_mut() {
            None => documents.push(node),
            Some(Frame::Seq {
                streamed: Some(key),
                ..
            }) => sink(key, node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bracket scan behind "`{` is never closed": quotes, comments and
    /// braces inside plain block text are skipped; the innermost open one wins.
    #[test]
    fn unclosed_flow_finds_the_innermost_open_bracket() {
        let cases: [(&str, Option<(usize, char)>); 8] = [
            ("a: { b: 1 }\nc: 2", None),
            ("a: { b: [1, 2\nc: 2", Some((8, '['))),
            ("a: { b: 1\nc: 2", Some((3, '{'))),
            ("note: a { b\nc: 2", None),
            ("a: \"{\"\nb: {", Some((10, '{'))),
            ("a: '{''x'\nb: 1", None),
            ("a: 1 # {\nb: 2", None),
            ("- [ {a: '}'} \n- b", Some((2, '['))),
        ];
        for (text, want) in cases {
            assert_eq!(unclosed_flow(text, text.len()), want, "{text:?}");
        }
    }

    /// A control character is located as every other position is: lines broken
    /// by `\n`, `\r\n` or a lone `\r`, columns in characters.
    #[test]
    fn control_characters_are_located_under_every_line_break() {
        for (text, line, column) in [
            ("a: 1\nb: \u{0}", 2, 4),
            ("a: 1\r\nb: \u{0}", 2, 4),
            ("a: 1\rb: \u{0}", 2, 4),
            ("a: 1\r\r\u{7}", 3, 1),
            ("\u{4e2d}: \u{1b}", 1, 4),
        ] {
            let e = parse_documents(text, 0).unwrap_err();
            assert_eq!((e.loc.line, e.loc.column), (line, column), "{text:?}");
            let at = text[e.loc.offset as usize..].chars().next().unwrap();
            assert!(!is_yaml_printable(at), "{text:?}: offset of {at:?}");
            assert!(e
                .message
                .starts_with("the file contains the control character U+"));
        }
    }

    #[test]
    fn locations_are_one_based_line_and_column() {
        let docs = parse_documents("a:\n  b: [1, \"x\"]\n", 0).unwrap();
        let Value::Map(top) = &docs[0].value else {
            panic!()
        };
        let Value::Map(inner) = &top[0].1.value else {
            panic!()
        };
        let (k, v) = &inner[0];
        assert_eq!((k.loc.line, k.loc.column), (2, 3));
        let Value::Seq(items) = &v.value else {
            panic!()
        };
        assert_eq!((items[1].loc.line, items[1].loc.column), (2, 10));
        assert!(matches!(
            &items[1].value,
            Value::Scalar { plain: false, .. }
        ));
        assert_eq!(items[1].loc.offset as usize, "a:\n  b: [1, ".len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // Old Mac line ends: the offset must point at the same place as line and column.
        let text = "a: 1\rb: [x, yy]\r\nc: 3\n";
        let docs = parse_documents(text, 0).unwrap();
        let Value::Map(top) = &docs[0].value else {
            panic!()
        };
        let Value::Seq(items) = &top[1].1.value else {
            panic!()
        };
        assert_eq!((items[1].loc.line, items[1].loc.column), (2, 8));
        assert_eq!(&text[items[1].loc.offset as usize..][..2], "yy");
        assert_eq!(&text[top[2].0.loc.offset as usize..][..1], "c");
    }

    #[test]
    fn deep_nesting_is_a_limit_error_not_a_crash() {
        let text = "[".repeat(20_000) + &"]".repeat(20_000);
        let err = parse_documents(&text, 0).unwrap_err();
        assert!(err.limit, "{} at {:?}", err.message, err.loc);
        assert_eq!(err.loc.line, 1);
        // Block nesting is capped by our own MAX_DEPTH.
        let block: String = (0..200).map(|d| format!("{}a:\n", " ".repeat(d))).collect();
        let err = parse_documents(&block, 0).unwrap_err();
        assert!(err.limit, "{}", err.message);
        assert_eq!(err.message, "nesting deeper than 64 levels");
        assert_eq!(err.loc.line, 65);
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        // A NUL used to end the stream silently: nothing after it was loaded.
        let err = parse_documents("a: 1\nb: [x]\n\0\nc: {", 0).unwrap_err();
        assert!(!err.limit);
        assert_eq!((err.loc.line, err.loc.column, err.loc.offset), (3, 1, 12));
        assert!(err.message.contains("U+0000"), "{}", err.message);
        let err = parse_documents("t: \"é\u{1b}[31m\"\n", 0).unwrap_err();
        assert_eq!((err.loc.line, err.loc.column), (1, 6));
        assert!(err.message.contains("U+001B"), "{}", err.message);
        // Tabs, line breaks, CJK, emoji and escaped controls stay legal.
        assert!(parse_documents("a:\t\"x\\0y\\e\"\r\nb: 美😀\n", 0).is_ok());
    }

    /// Parses with streaming under `items` and returns (key, first scalar) per
    /// streamed entry and the documents left.
    fn streamed(text: &str) -> (Vec<(String, String)>, Vec<Node>) {
        let mut got = Vec::new();
        let rules = StreamRules {
            top: &["items"],
            nested: &[("items", &["requires"])],
        };
        let docs = parse_streaming(text, 0, &rules, &mut |key, node| {
            let first = match &node.value {
                Value::Map(entries) => match &entries[0].1.value {
                    Value::Scalar { text, .. } => text.clone(),
                    other => other.kind_name().to_string(),
                },
                other => other.kind_name().to_string(),
            };
            got.push((key.to_string(), first));
        })
        .unwrap();
        (got, docs)
    }

    #[test]
    fn top_level_entries_are_streamed_in_order() {
        let (got, docs) = streamed("meta: {home: CN}\nitems:\n  - {id: a}\n  - {id: b}\n");
        let ids: Vec<&str> = got.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(got.iter().all(|(k, _)| k == "items"));
        // The streamed list is left as null; the rest of the tree is intact.
        let Value::Map(top) = &docs[0].value else {
            panic!("{:?}", docs[0])
        };
        assert!(matches!(top[1].1.value, Value::Null));
        assert!(matches!(top[0].1.value, Value::Map(_)));
        // Each document of a stream is its own root.
        let (got, _) = streamed("items: [{id: a}]\n---\nitems: [{id: b}]\n");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn streaming_stops_where_it_could_change_the_meaning() {
        // A repeated key stays in the tree, for the duplicate-key error.
        let (got, docs) = streamed("items: [{id: a}]\nitems: [{id: b}]\n");
        assert_eq!(got, [("items".to_string(), "a".to_string())]);
        let Value::Map(top) = &docs[0].value else {
            panic!()
        };
        assert!(matches!(&top[1].1.value, Value::Seq(v) if v.len() == 1));
        // An anchored list may be aliased: it keeps its entries.
        let (got, _) = streamed("items: &all [{id: a}]\n");
        assert!(got.is_empty());
        // Top-level lists under a streamed key, and the nested lists named for
        // them: a requirement goes before the item that holds it.
        let (got, _) = streamed(
            "figures: [{id: f}]\nitems: [{id: a, requires: [{item: b}, {item: c}], supply: [{s: x}]}]\n",
        );
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, x)| (k.to_string(), x.to_string()))
                .collect()
        };
        assert_eq!(
            got,
            pairs(&[("requires", "b"), ("requires", "c"), ("items", "a")])
        );
        // Not in an anchored entry, not the second `requires`, not deeper down.
        let (got, _) = streamed("items: [&e {id: a, requires: [{item: b}]}]\n");
        assert_eq!(got, pairs(&[("items", "a")]));
        let (got, _) = streamed("items: [{id: a, requires: [{item: b}], requires: [{item: c}]}]\n");
        assert_eq!(got, pairs(&[("requires", "b"), ("items", "a")]));
        let (got, _) = streamed("items: [{id: a, x: {requires: [{item: b}]}}]\n");
        assert_eq!(got, pairs(&[("items", "a")]));
        let (got, _) = streamed("- items: [{id: a}]\n");
        assert!(got.is_empty());
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let err = parse_documents(&text, 0).unwrap_err();
        assert!(err.limit, "{}", err.message);
    }
}
