//! Reading JSON text that serde_json has accepted as syntax: where values begin
//! and end and how deep they nest, for the importer's part-by-part path.
//!
//! Owns: the spans of an object's members and an array's elements.
//! Never: interprets a value (every value is parsed by serde_json before it is
//! used or dropped), or reads text serde_json has not accepted.

/// The fast path could not finish; the full parse takes over (see
/// `import::import_text`).
#[derive(Debug)]
pub(super) struct Fallback;

impl From<serde_json::Error> for Fallback {
    fn from(_: serde_json::Error) -> Self {
        Fallback
    }
}

// Reading JSON text that serde_json has accepted as syntax: where values begin and
// end and how deep they nest. Only what lies between values is looked at here;
// every value is parsed by serde_json before it is used or dropped. (serde_json's
// `RawValue` finds the same spans, but its feature makes every `Value` read an
// object whose first key is `$serde_json::private::RawValue` as embedded JSON.)

/// Nesting beyond which the fast path leaves a document to the full parse.
/// serde_json refuses more than 127 levels and says where; the parts the fast path
/// parses begin a few levels down, so it must count on the whole text. Well below
/// serde_json's limit, far above any real BOM.
pub(super) const FAST_MAX_DEPTH: usize = 100;

/// JSON whitespace (RFC 8259), the only bytes allowed between tokens.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while s.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

fn slice(text: &str, start: usize, end: usize) -> Result<&str, Fallback> {
    text.get(start..end).ok_or(Fallback)
}

/// The index after the closing quote of the string that starts at `s[start]`.
fn string_end(s: &[u8], start: usize) -> Result<usize, Fallback> {
    if s.get(start) != Some(&b'"') {
        return Err(Fallback);
    }
    let mut i = start + 1;
    loop {
        match s.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
            None => return Err(Fallback),
        }
    }
}

/// The end of the value that starts at `s[start]`, and how many arrays and objects
/// deep it nests (0 for a scalar).
fn value_end(s: &[u8], start: usize) -> Result<(usize, usize), Fallback> {
    match s.get(start) {
        Some(b'"') => Ok((string_end(s, start)?, 0)),
        Some(b'[' | b'{') => {
            let (mut i, mut depth, mut deepest) = (start, 0usize, 0usize);
            loop {
                match s.get(i) {
                    Some(b'"') => {
                        i = string_end(s, i)?;
                        continue;
                    }
                    Some(b'[' | b'{') => {
                        depth += 1;
                        deepest = deepest.max(depth);
                    }
                    Some(b']' | b'}') => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok((i + 1, deepest));
                        }
                    }
                    Some(_) => {}
                    None => return Err(Fallback),
                }
                i += 1;
            }
        }
        Some(_) => {
            let len = s[start..]
                .iter()
                .position(|&b| matches!(b, b',' | b']' | b'}') || is_ws(b))
                .unwrap_or(s.len() - start);
            if len == 0 {
                return Err(Fallback);
            }
            Ok((start + len, 0))
        }
        None => Err(Fallback),
    }
}

/// Walks the items of the array or object that is all of `text`: `item` reads the
/// item at an index and returns where it ends.
fn walk(
    text: &str,
    open: u8,
    close: u8,
    mut item: impl FnMut(usize) -> Result<usize, Fallback>,
) -> Result<(), Fallback> {
    let s = text.as_bytes();
    if s.first() != Some(&open) {
        return Err(Fallback);
    }
    let mut i = skip_ws(s, 1);
    if s.get(i) != Some(&close) {
        loop {
            i = skip_ws(s, item(i)?);
            match s.get(i) {
                Some(b',') => i = skip_ws(s, i + 1),
                Some(&b) if b == close => break,
                _ => return Err(Fallback),
            }
        }
    }
    if i + 1 == s.len() {
        Ok(())
    } else {
        Err(Fallback)
    }
}

/// The (key, value) texts of an object's members, in document order and repeated
/// keys included.
pub(super) type Members<'a> = Vec<(&'a str, &'a str)>;

/// The members of the object that is all of `text`, and how deep it nests.
pub(super) fn object_members(text: &str) -> Result<(Members<'_>, usize), Fallback> {
    let s = text.as_bytes();
    let (mut members, mut depth) = (Vec::new(), 0);
    walk(text, b'{', b'}', |key| {
        let key_end = string_end(s, key)?;
        let colon = skip_ws(s, key_end);
        if s.get(colon) != Some(&b':') {
            return Err(Fallback);
        }
        let start = skip_ws(s, colon + 1);
        let (end, d) = value_end(s, start)?;
        members.push((slice(text, key, key_end)?, slice(text, start, end)?));
        depth = depth.max(d);
        Ok(end)
    })?;
    Ok((members, depth + 1))
}

/// Calls `f` with the index and the text of each element of the array that is all
/// of `text`.
pub(super) fn each_span<'a>(
    text: &'a str,
    mut f: impl FnMut(usize, &'a str) -> Result<(), Fallback>,
) -> Result<(), Fallback> {
    let s = text.as_bytes();
    let mut n = 0;
    walk(text, b'[', b']', |start| {
        let (end, _) = value_end(s, start)?;
        f(n, slice(text, start, end)?)?;
        n += 1;
        Ok(end)
    })
}
