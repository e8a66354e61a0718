//! CycloneDX 1.5/1.6 JSON → a `load` draft (docs/interop.md, "CycloneDX").
//!
//! One path: serde_json reads the document once, from the start to the end,
//! through seeds ([`DeserializeSeed`]) that hand each element of `components`
//! and `dependencies` to the mapping as soon as it is read and drop it after: a
//! million components never exist as one tree. The reader counts the bytes
//! serde_json has taken, which locates every component and dependency in the
//! text (line and column), for the diagnostics of the importer and of
//! `load::validate`, which checks what was mapped.

use super::{IMPORT_VERSIONS, NS};
use crate::interop::csv_import::MetaOverrides;
use crate::interop::Unmapped;
use crate::load::{Code, Diagnostic};
use crate::model::*;
use indexmap::IndexMap;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

/// An imported CycloneDX document: the draft for `load::validate_draft`, the text
/// its locations point into, and everything left unmapped.
pub struct CdxImported {
    pub draft: crate::load::Draft,
    /// The document's text (without a byte-order mark): the source of snippets.
    pub text: String,
    pub unmapped: Vec<Unmapped>,
}

impl fmt::Debug for CdxImported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CdxImported")
            .field("items", &self.draft.items)
            .field("suppliers", &self.draft.suppliers)
            .field("unmapped", &self.unmapped)
            .finish()
    }
}

impl CdxImported {
    /// Validates the draft through `load` (the one validation path), with
    /// diagnostics located in `path`'s text.
    pub fn load(
        self,
        path: impl Into<std::path::PathBuf>,
    ) -> Result<crate::load::Loaded, crate::load::LoadError> {
        crate::load::validate_draft(
            self.draft,
            vec![SourceFile {
                path: path.into(),
                text: self.text,
                sheet: None,
            }],
        )
    }
}

/// Why a document could not be read at all: diagnostics located in its text
/// ([`CdxError::load_error`]).
#[derive(Debug)]
pub struct CdxError {
    pub diagnostics: Vec<Diagnostic>,
    /// The text the diagnostics point into (empty when it is not UTF-8).
    pub text: String,
}

impl fmt::Display for CdxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .diagnostics
            .iter()
            .map(|d| match d.loc {
                Some(l) => format!("{}:{}: {}", l.line, l.column, d.message),
                None => d.message.clone(),
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for CdxError {}

impl CdxError {
    /// The diagnostics with the document as their file, for rendering.
    pub fn load_error(self, path: impl Into<std::path::PathBuf>) -> crate::load::LoadError {
        crate::load::LoadError {
            diagnostics: self.diagnostics,
            files: vec![SourceFile {
                path: path.into(),
                text: self.text,
                sheet: None,
            }],
        }
    }
}

/// Software component types (mapped to kind `software`).
const SOFTWARE_TYPES: [&str; 6] = [
    "application",
    "firmware",
    "operating-system",
    "device-driver",
    "library",
    "framework",
];

/// `bytes` as text with each byte of an invalid UTF-8 sequence replaced by `?`:
/// the same length, so byte offsets into `bytes` are offsets into the text (and
/// on character boundaries). `String::from_utf8_lossy` writes U+FFFD, three
/// bytes for one, which would move every later offset.
fn same_offsets_lossy(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    text
}

/// Reads a CycloneDX JSON document (a UTF-8 byte-order mark is dropped). The
/// bytes become the text of the result without a copy (a million components
/// are some 60 MB of JSON).
pub fn import(
    bytes: impl Into<Vec<u8>>,
    overrides: &MetaOverrides,
) -> Result<CdxImported, CdxError> {
    let mut bytes: Vec<u8> = bytes.into();
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let (text, not_utf8) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => (String::new(), Some(e.into_bytes())),
    };
    let bytes: &[u8] = not_utf8.as_deref().unwrap_or(text.as_bytes());
    let pos = Rc::new(Cell::new(0usize));
    let reader = CountingReader {
        bytes,
        pos: pos.clone(),
    };
    let text_if_utf8 = not_utf8.is_none().then_some(text.as_str());
    let locator = RefCell::new(Locator::default());
    let ctx = Ctx {
        bytes,
        pos,
        locator: &locator,
        im: RefCell::new(Importer::default()),
        top: RefCell::new(Map::new()),
        top_locs: RefCell::new(HashMap::new()),
        seen: RefCell::new(HashSet::new()),
        pending_dependencies: RefCell::new(Vec::new()),
        components_done: Cell::new(false),
        not_object: Cell::new(false),
        component_locs: RefCell::new(Vec::new()),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = DocSeed(&ctx).deserialize(&mut de).and_then(|()| de.end());
    // The text diagnostics are shown in: the document itself, or for one that
    // is not UTF-8 a copy with every invalid byte read as `?`, so that each
    // location's byte offset still points at the same place.
    let text_copy = || match text_if_utf8 {
        Some(text) => text.to_string(),
        None => same_offsets_lossy(bytes),
    };
    if let Err(e) = parsed {
        let loc = locator
            .borrow_mut()
            .at_line_column(bytes, e.line(), e.column());
        let d = Diagnostic::new(Code::YamlSyntax, loc, format!("not valid JSON: {e}"))
            .hint(json_hint(&e));
        return Err(CdxError {
            diagnostics: vec![d],
            text: text_copy(),
        });
    }
    let Some(text_ref) = text_if_utf8 else {
        // serde_json accepted it, so the bad bytes are in a string it skipped.
        let valid = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let loc = locator.borrow_mut().at(bytes, valid);
        let d = Diagnostic::new(
            Code::YamlSyntax,
            loc,
            format!("not valid UTF-8 at byte {valid}"),
        )
        .hint("save the document as UTF-8");
        return Err(CdxError {
            diagnostics: vec![d],
            text: text_copy(),
        });
    };
    let start = Location {
        file: 0,
        line: 1,
        column: 1,
        offset: 0,
    };
    let fail = |d: Diagnostic| CdxError {
        diagnostics: vec![d],
        text: text_ref.to_string(),
    };
    if ctx.not_object.get() {
        return Err(fail(
            Diagnostic::new(
                Code::InvalidValue,
                start,
                "not a CycloneDX BOM: the document is not a JSON object",
            )
            .hint("a CycloneDX JSON BOM is one object with `bomFormat`, `specVersion` and `components`"),
        ));
    }
    let top = ctx.top.into_inner();
    let top_locs = ctx.top_locs.into_inner();
    let at = |key: &str| top_locs.get(key).copied().unwrap_or(start);
    if top.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(fail(
            Diagnostic::new(
                Code::InvalidValue,
                at("bomFormat"),
                "not a CycloneDX BOM: `bomFormat` is not \"CycloneDX\"",
            )
            .hint("only CycloneDX JSON is read here; for CSV or Excel use `--from csv` or `--from xlsx`"),
        ));
    }
    let version = match top.get("specVersion") {
        Some(Value::String(v)) => v.clone(),
        None => "without `specVersion`".to_string(),
        Some(other) => format!("`specVersion` {other} (not a string)"),
    };
    if !IMPORT_VERSIONS.contains(&version.as_str()) {
        return Err(fail(
            Diagnostic::new(
                Code::InvalidValue,
                at("specVersion"),
                format!("CycloneDX {version} is not supported (this importer reads 1.5 and 1.6)"),
            )
            .hint(
                "convert the BOM to CycloneDX 1.6 (e.g. `cyclonedx convert --output-version v1_6`)",
            ),
        ));
    }
    let mut im = ctx.im.into_inner();
    // Dependencies written before the components name items that came later.
    for (i, (d, loc)) in ctx
        .pending_dependencies
        .into_inner()
        .into_iter()
        .enumerate()
    {
        im.dependency(&d, format!("/dependencies/{i}"), loc);
    }
    im.finish(overrides, text)
}

/// The hint for a JSON syntax error.
fn json_hint(e: &serde_json::Error) -> &'static str {
    let m = e.to_string();
    if m.starts_with("recursion limit") {
        "serde_json reads at most 128 levels of nesting; flatten the nested `components` into `dependencies`"
    } else if m.starts_with("number out of range") {
        "write a finite number (a double holds up to about 1.8e308)"
    } else if e.is_eof() {
        "the document ends early: is the file complete (closing brackets and braces)?"
    } else {
        "fix the JSON syntax at this position (a JSON validator shows the same place)"
    }
}

/// The document's bytes as an `io::Read` that counts what serde_json took:
/// serde_json reads one byte at a time from a reader and looks at most one
/// byte ahead, so the count locates the value being read.
struct CountingReader<'a> {
    bytes: &'a [u8],
    pos: Rc<Cell<usize>>,
}

impl std::io::Read for CountingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let p = self.pos.get();
        let n = buf.len().min(self.bytes.len() - p);
        buf[..n].copy_from_slice(&self.bytes[p..p + n]);
        self.pos.set(p + n);
        Ok(n)
    }
}

/// Byte offsets → line and column, moving forward through the text (values are
/// located in document order, so the whole text is walked once).
#[derive(Default)]
struct Locator {
    offset: usize,
    line: u32,
    /// Characters since the start of the line.
    column: u32,
}

impl Locator {
    fn at(&mut self, bytes: &[u8], offset: usize) -> Location {
        let offset = offset.min(bytes.len());
        if offset < self.offset {
            *self = Locator::default();
        }
        for &b in &bytes[self.offset..offset] {
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.offset = offset;
        Location {
            file: 0,
            line: self.line + 1,
            column: self.column + 1,
            offset: offset as u32,
        }
    }

    /// The place serde_json names by line and (byte) column.
    fn at_line_column(&mut self, bytes: &[u8], line: usize, column: usize) -> Location {
        let mut start = 0;
        for _ in 1..line {
            match bytes[start..].iter().position(|&b| b == b'\n') {
                Some(i) => start += i + 1,
                None => break,
            }
        }
        let offset = (start + column.saturating_sub(1)).min(bytes.len());
        let mut loc = Locator::default().at(bytes, offset);
        loc.line = line as u32;
        loc.column = column.max(1) as u32;
        loc
    }
}

/// What the seeds share while serde_json reads.
struct Ctx<'a> {
    bytes: &'a [u8],
    pos: Rc<Cell<usize>>,
    locator: &'a RefCell<Locator>,
    im: RefCell<Importer>,
    /// Top-level members but `components` and `dependencies`.
    top: RefCell<Map<String, Value>>,
    /// Where the values of `top` begin.
    top_locs: RefCell<HashMap<String, Location>>,
    /// Top-level keys met, to refuse one written twice.
    seen: RefCell<HashSet<String>>,
    /// Dependencies met before `components` (mapped after the document).
    pending_dependencies: RefCell<Vec<(Value, Location)>>,
    components_done: Cell<bool>,
    not_object: Cell<bool>,
    /// The locations of the components of one top-level component's tree, in
    /// pre-order (the order the mapping visits them).
    component_locs: RefCell<Vec<Location>>,
}

impl Ctx<'_> {
    /// The location of the value an element seed is called for: serde_json has
    /// taken its first byte to see that an element follows.
    fn element_start(&self) -> Location {
        let p = self.pos.get().saturating_sub(1);
        self.locator.borrow_mut().at(self.bytes, p)
    }
    /// The location of a member's value, after its key was read (serde_json
    /// has taken the colon when the value's seed is called, not before).
    fn member_value_start(&self) -> Location {
        let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let mut p = self.pos.get();
        while self.bytes.get(p).is_some_and(ws) {
            p += 1;
        }
        if self.bytes.get(p) == Some(&b':') {
            p += 1;
            while self.bytes.get(p).is_some_and(ws) {
                p += 1;
            }
        }
        self.locator.borrow_mut().at(self.bytes, p)
    }
    fn error(&self, d: Diagnostic) {
        self.im.borrow_mut().errors.push(d);
    }
}

/// A visitor's methods for JSON's booleans, numbers and strings, each
/// evaluating `$body` with `$this` the visitor, `$what` the kind read ("a
/// boolean", "a number", "a string") and `$value` what was read as a `Value`
/// (the visitors differ only in what they do with it).
macro_rules! visit_scalars {
    (|$this:ident, $what:ident, $value:ident| $body:expr) => {
        fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
            let ($this, $what, $value) = (self, "a boolean", serde_json::Value::Bool(b));
            Ok($body)
        }
        fn visit_i64<E>(self, x: i64) -> Result<Self::Value, E> {
            let ($this, $what, $value) = (self, "a number", serde_json::Value::from(x));
            Ok($body)
        }
        fn visit_u64<E>(self, x: u64) -> Result<Self::Value, E> {
            let ($this, $what, $value) = (self, "a number", serde_json::Value::from(x));
            Ok($body)
        }
        fn visit_f64<E>(self, x: f64) -> Result<Self::Value, E> {
            let ($this, $what, $value) = (self, "a number", serde_json::Value::from(x));
            Ok($body)
        }
        fn visit_str<E>(self, x: &str) -> Result<Self::Value, E> {
            let ($this, $what, $value) =
                (self, "a string", serde_json::Value::String(x.to_string()));
            Ok($body)
        }
    };
}

/// The whole document: an object whose members are read in text order.
struct DocSeed<'c, 'a>(&'c Ctx<'a>);

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CycloneDX document")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let ctx = self.0;
        while let Some(key) = map.next_key::<String>()? {
            if !ctx.seen.borrow_mut().insert(key.clone()) {
                let loc = ctx.member_value_start();
                ctx.error(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        loc,
                        format!("`{key}` appears twice at the top level"),
                    )
                    .hint("keep one of them (JSON readers disagree on which one counts)"),
                );
                map.next_value::<Value>()?;
                continue;
            }
            match key.as_str() {
                "components" | "dependencies" => {
                    let components = key == "components";
                    map.next_value_seed(ListSeed { ctx, components })?;
                    if components {
                        ctx.components_done.set(true);
                    }
                }
                "metadata" => {
                    // Mapped when read: the supplier registry must be known
                    // before the components name its suppliers.
                    let loc = ctx.member_value_start();
                    let value: Value = map.next_value()?;
                    let mut im = ctx.im.borrow_mut();
                    im.meta_loc = loc;
                    im.metadata(&value);
                    if let Some(c) = value.get("component") {
                        im.locs = vec![loc; 1 + nested_count(c)];
                        im.next_loc = 0;
                        im.component(c, "/metadata/component".into(), None);
                    }
                }
                "$schema" | "bomFormat" | "specVersion" | "serialNumber" | "version" => {
                    let loc = ctx.member_value_start();
                    let value: Value = map.next_value()?;
                    ctx.top_locs.borrow_mut().insert(key.clone(), loc);
                    ctx.top.borrow_mut().insert(key, value);
                }
                other => {
                    // Read as a value, not skipped: serde_json's nesting limit applies.
                    map.next_value::<Value>()?;
                    ctx.im.borrow_mut().unmapped(
                        format!("/{other}"),
                        format!("`{other}` has no place in a supply graph"),
                    );
                }
            }
        }
        Ok(())
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        // Read as values, not skipped: serde_json's nesting limit applies.
        while seq.next_element::<Value>()?.is_some() {}
        self.0.not_object.set(true);
        Ok(())
    }
    visit_scalars!(|this, _what, _value| this.0.not_object.set(true));
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.not_object.set(true);
        Ok(())
    }
}

/// `components` or `dependencies`: an array mapped element by element; any
/// other value but null is an error (mapping nothing would write an empty graph).
struct ListSeed<'c, 'a> {
    ctx: &'c Ctx<'a>,
    components: bool,
}

impl ListSeed<'_, '_> {
    fn name(&self) -> &'static str {
        if self.components {
            "components"
        } else {
            "dependencies"
        }
    }
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let loc = self.ctx.member_value_start();
        d.deserialize_any(ListVisitor { seed: self, loc })
    }
}

struct ListVisitor<'c, 'a> {
    seed: ListSeed<'c, 'a>,
    loc: Location,
}

impl ListVisitor<'_, '_> {
    fn wrong(&self, found: &str) {
        let name = self.seed.name();
        self.seed.ctx.error(
            Diagnostic::new(
                Code::WrongType,
                self.loc,
                format!("`{name}` must be an array, not {found}"),
            )
            .hint(if self.seed.components {
                "write the components as a list: `\"components\": [ { \"type\": \"device\", \"bom-ref\": \"…\" } ]`"
            } else {
                "write the dependencies as a list: `\"dependencies\": [ { \"ref\": \"…\", \"dependsOn\": [\"…\"] } ]`"
            }),
        );
    }
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let ctx = self.seed.ctx;
        let mut i = 0usize;
        if self.seed.components {
            loop {
                ctx.component_locs.borrow_mut().clear();
                let Some(value) = seq.next_element_seed(ComponentSeed(ctx))? else {
                    break;
                };
                let locs = std::mem::take(&mut *ctx.component_locs.borrow_mut());
                ctx.im
                    .borrow_mut()
                    .top_component(&value, format!("/components/{i}"), locs);
                i += 1;
            }
        } else {
            loop {
                let Some(value) = seq.next_element_seed(PlainSeed(ctx))? else {
                    break;
                };
                let (value, loc) = value;
                if ctx.components_done.get() {
                    ctx.im
                        .borrow_mut()
                        .dependency(&value, format!("/dependencies/{i}"), loc);
                } else {
                    ctx.pending_dependencies.borrow_mut().push((value, loc));
                }
                i += 1;
            }
        }
        Ok(())
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while map.next_entry::<String, Value>()?.is_some() {}
        self.wrong("an object");
        Ok(())
    }
    visit_scalars!(|this, what, _value| this.wrong(what));
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An element read as a `Value`, with its location.
struct PlainSeed<'c, 'a>(&'c Ctx<'a>);

impl<'de> DeserializeSeed<'de> for PlainSeed<'_, '_> {
    type Value = (Value, Location);
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let loc = self.0.element_start();
        Ok((Value::deserialize(d)?, loc))
    }
}

/// A component (an element of a `components` array): read as a `Value`, its
/// location recorded in [`Ctx::component_locs`], and those of its nested
/// components after it, in pre-order.
struct ComponentSeed<'c, 'a>(&'c Ctx<'a>);

impl<'de> DeserializeSeed<'de> for ComponentSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let loc = self.0.element_start();
        self.0.component_locs.borrow_mut().push(loc);
        d.deserialize_any(ComponentVisitor(self.0))
    }
}

struct ComponentVisitor<'c, 'a>(&'c Ctx<'a>);

impl<'de> Visitor<'de> for ComponentVisitor<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a component")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Value, M::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == "components" {
                map.next_value_seed(NestedSeed(self.0))?
            } else {
                map.next_value::<Value>()?
            };
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Value, S::Error> {
        // Read as values, not skipped: serde_json's nesting limit applies.
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Value::Array(Vec::new()))
    }
    visit_scalars!(|_this, _what, value| value);
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A component's `components`: an array of components, or any other value
/// (which the mapping lists as unmapped).
struct NestedSeed<'c, 'a>(&'c Ctx<'a>);

impl<'de> DeserializeSeed<'de> for NestedSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NestedSeed<'_, '_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of components")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Value, S::Error> {
        let mut out = Vec::new();
        while let Some(c) = seq.next_element_seed(ComponentSeed(self.0))? {
            out.push(c);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Value, M::Error> {
        while map.next_entry::<String, Value>()?.is_some() {}
        Ok(Value::Object(Map::new()))
    }
    visit_scalars!(|_this, _what, value| value);
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// The items in document order, and their index by id. A plain list, so that
/// it moves into the draft without a copy.
#[derive(Default)]
struct Items {
    list: Vec<Item>,
    index: HashMap<Box<str>, u32>,
}

impl Items {
    fn get_index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|&i| i as usize)
    }
    /// Appends a new item (its id is not in the list) and returns its index.
    fn push(&mut self, item: Item) -> usize {
        let ix = self.list.len();
        // A u32 holds any item index: four billion items would not fit in memory.
        self.index.insert(item.id.as_str().into(), ix as u32);
        self.list.push(item);
        ix
    }
}

impl std::ops::Index<usize> for Items {
    type Output = Item;
    fn index(&self, ix: usize) -> &Item {
        &self.list[ix]
    }
}

impl std::ops::IndexMut<usize> for Items {
    fn index_mut(&mut self, ix: usize) -> &mut Item {
        &mut self.list[ix]
    }
}

/// The value of a component's `chokepoint:entry` property.
fn entry_property(c: &Map<String, Value>) -> Option<&str> {
    c.get("properties")?.as_array()?.iter().find_map(|p| {
        (p.get("name")?.as_str()? == "chokepoint:entry").then_some(())?;
        p.get("value")?.as_str()
    })
}

/// Converts one entry of the graph format, written as JSON in a property, with
/// `load`'s own conversion (`key` is its top-level list, or `meta`); every
/// node is placed at the property's `loc`.
fn convert_entry_text(draft: &mut crate::load::Draft, key: &str, text: &str, loc: Location) {
    let doc = if key == "meta" {
        format!("{{\"meta\": {text}}}")
    } else {
        format!("{{\"{key}\": [{text}]}}")
    };
    match crate::load::yaml::parse_documents(&doc, 0) {
        Ok(mut docs) => {
            for node in docs.iter_mut() {
                let mut stack = vec![&mut *node];
                while let Some(n) = stack.pop() {
                    n.loc = loc;
                    match &mut n.value {
                        crate::load::yaml::Value::Seq(list) => stack.extend(list.iter_mut()),
                        crate::load::yaml::Value::Map(pairs) => {
                            for (k, v) in pairs.iter_mut() {
                                stack.push(k);
                                stack.push(v);
                            }
                        }
                        _ => {}
                    }
                }
                crate::load::convert_document(draft, node);
            }
        }
        Err(e) => draft.diagnostics.push(
            Diagnostic::new(
                Code::YamlSyntax,
                loc,
                format!("a `{NS}entry` property is not an entry of the graph format: {}", e.message),
            )
            .hint("write the entry as JSON in the graph format (docs/format.md), as `chokepoint export --format cyclonedx` does"),
        ),
    }
}

/// How many components are nested in `c`, at any depth (the locations the
/// mapping skips when it does not map them).
fn nested_count(c: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![c];
    while let Some(v) = stack.pop() {
        if let Some(Value::Array(children)) = v.get("components") {
            n += children.len();
            stack.extend(children.iter());
        }
    }
    n
}

#[derive(Default)]
struct Importer {
    unmapped: Vec<Unmapped>,
    meta: Meta,
    countries: BTreeMap<u64, (String, CountryDraft)>,
    /// Registry from metadata: index → (pointer, draft).
    registry: BTreeMap<u64, (String, SupplierDraft)>,
    /// Suppliers met in `supplier`/`manufacturer` fields, by id.
    seen_suppliers: IndexMap<String, Supplier>,
    /// The items as they are returned, in document order; built in place, as a
    /// second map of a million items would double the peak. Kinds are decided in
    /// `finish`.
    items: Items,
    /// By item index (items are only ever appended): what decides the kinds, and
    /// each item's first parent.
    drafts: Vec<Draft>,
    /// (parent, child) item indices of the links not in a child's
    /// `Draft::first_parent`; see [`Importer::link`].
    more_links: HashSet<(u32, u32)>,
    /// Problems that stop the import (a bom-ref used twice for different content,
    /// a list that is not an array).
    errors: Vec<Diagnostic>,
    /// The locations of the components of the tree being mapped, in pre-order,
    /// and the next one's index.
    locs: Vec<Location>,
    next_loc: usize,
    /// What `chokepoint:entry` properties declared, converted by `load` as
    /// they were read; the draft the others are added to.
    entry_draft: crate::load::Draft,
    /// The bom-refs of components read from their entry: their dependencies
    /// are in the entry already.
    entry_ids: HashSet<String>,
    /// `chokepoint:entry:*` properties of the metadata: (kind, text, pointer).
    meta_entries: Vec<(String, String, String)>,
    /// Where `metadata` is (the document's start: its members are not located).
    meta_loc: Location,
    /// The location of the component being mapped: of its requirements and
    /// sources (the members of a component are not located one by one).
    cur_loc: Location,
    /// Members of `chokepoint:requires` properties not imported yet, by id, with the
    /// indices of the items naming them: linked when they are.
    forward_links: HashMap<String, Vec<usize>>,
}

#[derive(Default)]
struct CountryDraft {
    id: Option<String>,
    name: Option<String>,
    name_zh: Option<String>,
}

#[derive(Default)]
struct SupplierDraft {
    id: Option<String>,
    name: Option<String>,
    name_zh: Option<String>,
    country: Option<String>,
    note: Option<String>,
}

/// The item of a component met for the first time.
fn new_item(id: &str, c: &Map<String, Value>) -> Item {
    Item {
        id: ItemId::new(id),
        // Decided in `finish`, from the draft and the requirements.
        kind: ItemKind::Part,
        name: c
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(id)
            .to_string(),
        name_zh: None,
        market_value: None,
        requires: Vec::new(),
        supply: Vec::new(),
        standby: Vec::new(),
        import_share: None,
        stock_days: None,
        recovery_days: None,
        export_controls: Vec::new(),
        cite: Vec::new(),
        note: None,
        loc: Location::default(),
    }
}

/// What decides an item's kind beside its requirements.
struct Draft {
    /// From `chokepoint:kind`.
    kind: Option<ItemKind>,
    software: bool,
    /// The index of the first item that requires this one, by any link: nested,
    /// dependency or property (an item a property names before it comes is linked
    /// when it does). Without one, an item is a system.
    first_parent: Option<u32>,
    /// A hash of the component's content without its nested components and
    /// its link to a parent: a second component with the same bom-ref must
    /// carry the same.
    fingerprint: u64,
}

/// Hashes a component's content: every field but nested `components`, and
/// every property but those of the link to an enclosing component (`qty`,
/// `cost_share*`, `alternate`), which may differ between occurrences.
fn fingerprint(c: &Map<String, Value>) -> u64 {
    use std::hash::{Hash, Hasher};
    fn value(v: &Value, h: &mut std::collections::hash_map::DefaultHasher) {
        match v {
            Value::Null => 0u8.hash(h),
            Value::Bool(b) => (1u8, b).hash(h),
            Value::Number(n) => (2u8, n.to_string()).hash(h),
            Value::String(s) => (3u8, s).hash(h),
            Value::Array(a) => {
                (4u8, a.len()).hash(h);
                a.iter().for_each(|x| value(x, h));
            }
            Value::Object(o) => {
                (5u8, o.len()).hash(h);
                for (k, x) in o {
                    k.hash(h);
                    value(x, h);
                }
            }
        }
    }
    let link = |p: &Value| {
        p.get("name").and_then(Value::as_str).is_some_and(|n| {
            n.strip_prefix(NS).is_some_and(|f| {
                f == "qty" || f == "alternate" || split_suffix(f).0 == "cost_share"
            })
        })
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (k, v) in c {
        match (k.as_str(), v) {
            ("components", _) => {}
            ("properties", Value::Array(props)) => {
                k.hash(&mut h);
                props
                    .iter()
                    .filter(|p| !link(p))
                    .for_each(|p| value(p, &mut h));
            }
            _ => {
                k.hash(&mut h);
                value(v, &mut h);
            }
        }
    }
    h.finish()
}

/// Requirement fields read from `chokepoint:requires:N:*`.
#[derive(Default)]
struct ReqProps {
    item: Option<String>,
    any_of: Vec<String>,
    qty: Option<String>,
    est: EstimateText,
    /// `chokepoint:requires:N:role` with its pointer.
    role: Option<(String, String)>,
}

#[derive(Default)]
struct SupplyProps {
    supplier: Option<String>,
    est: EstimateText,
    site_country: Option<String>,
    /// `chokepoint:supply:N:requires` (`bom`, `none`) with its pointer.
    requires_word: Option<(String, String)>,
    /// `chokepoint:supply:N:requires:K:item|any_of`.
    requires: BTreeMap<u64, ReqProps>,
}

/// The value/low/high strings of an estimate, with the pointer of each.
#[derive(Default)]
struct EstimateText {
    value: Option<(String, String)>,
    low: Option<(String, String)>,
    high: Option<(String, String)>,
}

impl EstimateText {
    fn set(&mut self, suffix: &str, value: String, pointer: String) -> bool {
        let slot = match suffix {
            "" => &mut self.value,
            "_low" => &mut self.low,
            "_high" => &mut self.high,
            _ => return false,
        };
        *slot = Some((value, pointer));
        true
    }
    fn is_empty(&self) -> bool {
        self.value.is_none() && self.low.is_none() && self.high.is_none()
    }
}

/// Splits `share_low` into (`share`, `_low`).
fn split_suffix(field: &str) -> (&str, &str) {
    for suffix in ["_low", "_high"] {
        if let Some(stem) = field.strip_suffix(suffix) {
            return (stem, suffix);
        }
    }
    (field, "")
}

impl Importer {
    fn unmapped(&mut self, pointer: String, reason: String) {
        self.unmapped.push(Unmapped { pointer, reason });
    }

    /// A number from a property value; unparsable or out of range → unmapped.
    fn number(&mut self, text: &str, pointer: &str, fraction: bool) -> Option<f64> {
        match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 && (!fraction || x <= 1.0) => Some(x),
            Ok(_) => {
                let rule = if fraction {
                    "between 0 and 1"
                } else {
                    "a finite number, 0 or more"
                };
                self.unmapped(
                    pointer.to_string(),
                    format!("`{text}` must be {rule}; the value was not imported"),
                );
                None
            }
            Err(_) => {
                self.unmapped(
                    pointer.to_string(),
                    format!("`{text}` is not a number; the value was not imported"),
                );
                None
            }
        }
    }

    fn estimate(&mut self, e: &EstimateText, fraction: bool) -> Option<Estimate> {
        let mut get = |slot: &Option<(String, String)>| {
            slot.as_ref().map(|(t, p)| self.number(t, p, fraction))
        };
        let (value, low, high) = (get(&e.value), get(&e.low), get(&e.high));
        if [value, low, high].iter().any(|x| matches!(x, Some(None))) {
            return None;
        }
        let (value, low, high) = (value.flatten(), low.flatten(), high.flatten());
        match (low, high) {
            (Some(l), Some(h)) if l > h => {
                let p = e.high.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
                self.unmapped(
                    p,
                    format!("low {l} is above high {h}; the estimate was not imported"),
                );
                return None;
            }
            (Some(_), None) | (None, Some(_)) => {
                let p = e
                    .low
                    .as_ref()
                    .or(e.high.as_ref())
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                self.unmapped(
                    p,
                    "a range needs both _low and _high; the estimate was not imported".into(),
                );
                return None;
            }
            _ => {}
        }
        Estimate::from_numbers(value, low, high)
    }

    /// A top-level component and its nested ones, with their locations in pre-order.
    fn top_component(&mut self, value: &Value, pointer: String, locs: Vec<Location>) {
        self.locs = locs;
        self.next_loc = 0;
        self.component(value, pointer, None);
    }

    /// The location of the component being mapped (pre-order), and moves on.
    fn take_loc(&mut self) -> Location {
        let loc = self.locs.get(self.next_loc).copied().unwrap_or_default();
        self.next_loc += 1;
        loc
    }

    fn metadata(&mut self, value: &Value) {
        let Some(meta) = value.as_object() else {
            self.unmapped("/metadata".into(), "`metadata` is not an object".into());
            return;
        };
        for (key, v) in meta {
            let pointer = format!("/metadata/{key}");
            match key.as_str() {
                // Provenance of the document itself, not of the supply chain.
                "timestamp" | "tools" => {}
                "component" => {} // imported as an item by the caller
                "properties" => {
                    let Some(props) = v.as_array() else {
                        self.unmapped(pointer, "`properties` is not an array".into());
                        continue;
                    };
                    for (i, p) in props.iter().enumerate() {
                        let pointer = format!("{pointer}/{i}");
                        let (Some(name), value) = (
                            p.get("name").and_then(Value::as_str),
                            p.get("value").and_then(Value::as_str).unwrap_or(""),
                        ) else {
                            self.unmapped(pointer, "a property without a name".into());
                            continue;
                        };
                        self.meta_property(name, value.to_string(), pointer);
                    }
                }
                other => self.unmapped(
                    pointer,
                    format!("metadata `{other}` has no place in a supply graph"),
                ),
            }
        }
    }

    fn meta_property(&mut self, name: &str, value: String, pointer: String) {
        let Some(rest) = name.strip_prefix(NS) else {
            self.unmapped(
                pointer,
                format!("property `{name}` is not in the `{NS}` namespace"),
            );
            return;
        };
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.as_slice() {
            ["entry", kind] => self.meta_entries.push((kind.to_string(), value, pointer)),
            ["title"] => self.meta.title = value,
            ["currency"] => self.meta.currency = value,
            ["as_of"] => self.meta.as_of = Some(value),
            ["home"] if iso::is_assigned(&value) => self.meta.home = CountryCode::new(value),
            ["country", n, field] | ["supplier", n, field] => {
                let Ok(n) = n.parse::<u64>() else {
                    self.unmapped(pointer, format!("`{name}`: `{n}` is not an index"));
                    return;
                };
                let ok = if parts[0] == "country" {
                    let (_, c) = self
                        .countries
                        .entry(n)
                        .or_insert_with(|| (pointer.clone(), CountryDraft::default()));
                    match *field {
                        "id" => c.id = Some(value),
                        "name" => c.name = Some(value),
                        "name_zh" => c.name_zh = Some(value),
                        _ => return self.unmapped(pointer, format!("unknown property `{name}`")),
                    }
                    true
                } else {
                    let (_, s) = self
                        .registry
                        .entry(n)
                        .or_insert_with(|| (pointer.clone(), SupplierDraft::default()));
                    match *field {
                        "id" => s.id = Some(value),
                        "name" => s.name = Some(value),
                        "name_zh" => s.name_zh = Some(value),
                        "country" => s.country = Some(value),
                        "note" => s.note = Some(value),
                        _ => return self.unmapped(pointer, format!("unknown property `{name}`")),
                    }
                    true
                };
                debug_assert!(ok);
            }
            ["home"] => self.unmapped(
                pointer,
                format!("home `{value}` is not an ISO 3166-1 alpha-2 code"),
            ),
            _ => self.unmapped(pointer, format!("unknown property `{name}`")),
        }
    }

    /// Imports a component (and its nested components) as an item. `parent` is the
    /// item index of the enclosing component, for nested components.
    fn component(&mut self, value: &Value, pointer: String, parent: Option<usize>) {
        let loc = self.take_loc();
        self.cur_loc = loc;
        // Nested components this one's mapping does not reach keep their places.
        let skip = |im: &mut Importer| im.next_loc += nested_count(value);
        let Some(c) = value.as_object() else {
            self.unmapped(pointer, "a component that is not an object".into());
            return;
        };
        if let Some(entry) = entry_property(c) {
            // Written by this exporter: the item is its entry, read by `load`;
            // the standard fields and the other properties repeat it for
            // other tools.
            convert_entry_text(&mut self.entry_draft, "items", entry, loc);
            if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
                self.entry_ids.insert(r.to_string());
            }
            if let Some(Value::Array(children)) = c.get("components") {
                for (i, child) in children.iter().enumerate() {
                    self.component(child, format!("{pointer}/components/{i}"), None);
                }
            }
            return;
        }
        let ctype = c.get("type").and_then(Value::as_str).unwrap_or("");
        let software = SOFTWARE_TYPES.contains(&ctype);
        if ctype != "device" && !software {
            self.unmapped(pointer, format!("component type `{ctype}` has no place in a supply graph (device and software types are imported)"));
            skip(self);
            return;
        }
        let id = c
            .get("bom-ref")
            .and_then(Value::as_str)
            .or_else(|| c.get("name").and_then(Value::as_str))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(id) = id else {
            self.unmapped(
                pointer,
                "a component with neither `bom-ref` nor `name`".into(),
            );
            skip(self);
            return;
        };
        // Edge properties of a nested component (its relation to `parent`).
        let mut edge_qty: Option<(String, String)> = None;
        let mut edge_cost = EstimateText::default();
        let mut edge_group: Option<String> = None;
        let print = fingerprint(c);
        let (ix, first_time) = match self.items.get_index_of(id) {
            Some(ix) => {
                if self.drafts[ix].fingerprint != print {
                    let first = self.items[ix].loc;
                    self.errors.push(
                        Diagnostic::new(
                            Code::DuplicateId,
                            loc,
                            format!(
                                "a second component with bom-ref `{id}` differs from the first (line {}, column {})",
                                first.line, first.column
                            ),
                        )
                        .hint("give it its own bom-ref, or make the two components the same"),
                    );
                    skip(self);
                    return;
                }
                (ix, false)
            }
            None => {
                let mut item = new_item(id, c);
                item.loc = loc;
                let ix = self.items.push(item);
                self.drafts.push(Draft {
                    kind: None,
                    software,
                    first_parent: None,
                    fingerprint: print,
                });
                if !self.forward_links.is_empty() {
                    for parent in self.forward_links.remove(id).unwrap_or_default() {
                        self.link(parent, ix);
                    }
                }
                (ix, true)
            }
        };
        let mut reqs: BTreeMap<u64, ReqProps> = BTreeMap::new();
        let mut supply: BTreeMap<u64, SupplyProps> = BTreeMap::new();
        let mut simple_share = EstimateText::default();
        let mut simple_site: Option<(String, String)> = None;
        let mut estimates: Vec<(&'static str, EstimateText)> = Vec::new();
        for (key, v) in c {
            // Built only where used: a pointer for every field of a million
            // components is millions of strings for nothing.
            let kp = || format!("{pointer}/{key}");
            match key.as_str() {
                "type" | "bom-ref" | "name" | "components" | "supplier" | "manufacturer" => {}
                "description" if first_time => {
                    if let Some(d) = v.as_str() {
                        self.items[ix].note = Some(d.to_string());
                    }
                }
                "properties" if first_time || parent.is_some() => {
                    let kp = kp();
                    let Some(props) = v.as_array() else {
                        self.unmapped(kp, "`properties` is not an array".into());
                        continue;
                    };
                    for (i, p) in props.iter().enumerate() {
                        let pp = format!("{kp}/{i}");
                        let Some(pname) = p.get("name").and_then(Value::as_str) else {
                            self.unmapped(pp, "a property without a name".into());
                            continue;
                        };
                        let value = p
                            .get("value")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        let Some(rest) = pname.strip_prefix(NS) else {
                            self.unmapped(
                                pp,
                                format!("property `{pname}` is not in the `{NS}` namespace"),
                            );
                            continue;
                        };
                        let parts: Vec<&str> = rest.split(':').collect();
                        // Edge properties apply to the relation with the parent, every occurrence.
                        match parts.as_slice() {
                            ["qty"] => {
                                edge_qty = Some((value, pp));
                                continue;
                            }
                            ["alternate"] => {
                                edge_group = Some(value);
                                continue;
                            }
                            [f] if split_suffix(f).0 == "cost_share" => {
                                edge_cost.set(split_suffix(f).1, value, pp);
                                continue;
                            }
                            _ => {}
                        }
                        if !first_time {
                            self.unmapped(pp, format!("`{id}` appeared before; item properties are read from its first occurrence"));
                            continue;
                        }
                        match parts.as_slice() {
                            ["kind"] => match ItemKind::parse(&value) {
                                Some(k) => self.drafts[ix].kind = Some(k),
                                None => self.unmapped(pp, format!("unknown kind `{value}`")),
                            },
                            ["name_zh"] => self.items[ix].name_zh = Some(value),
                            ["export_control"] => self.items[ix].export_controls.push(value),
                            ["site_country"] => simple_site = Some((value, pp)),
                            [f] => {
                                let (stem, suffix) = split_suffix(f);
                                let stem: &'static str = match stem {
                                    "market_value" => "market_value",
                                    "import_share" => "import_share",
                                    "stock_days" => "stock_days",
                                    "recovery_days" => "recovery_days",
                                    "share" => {
                                        simple_share.set(suffix, value, pp);
                                        continue;
                                    }
                                    _ => {
                                        self.unmapped(pp, format!("unknown property `{pname}`"));
                                        continue;
                                    }
                                };
                                match estimates.iter_mut().find(|(s, _)| *s == stem) {
                                    Some((_, e)) => {
                                        e.set(suffix, value, pp);
                                    }
                                    None => {
                                        let mut e = EstimateText::default();
                                        e.set(suffix, value, pp);
                                        estimates.push((stem, e));
                                    }
                                }
                            }
                            ["supply", n, "requires", k, field @ ("item" | "any_of")] => {
                                let (Ok(n), Ok(k)) = (n.parse::<u64>(), k.parse::<u64>()) else {
                                    self.unmapped(pp, format!("`{pname}`: not an index"));
                                    continue;
                                };
                                let r = supply.entry(n).or_default().requires.entry(k).or_default();
                                if *field == "item" {
                                    r.item = Some(value);
                                } else {
                                    r.any_of.push(value);
                                }
                            }
                            [group @ ("requires" | "supply"), n, field] => {
                                let Ok(n) = n.parse::<u64>() else {
                                    self.unmapped(pp, format!("`{pname}`: `{n}` is not an index"));
                                    continue;
                                };
                                let (stem, suffix) = split_suffix(field);
                                let known = if *group == "requires" {
                                    let r = reqs.entry(n).or_default();
                                    match stem {
                                        "item" => {
                                            r.item = Some(value);
                                            true
                                        }
                                        "any_of" => {
                                            r.any_of.push(value);
                                            true
                                        }
                                        "qty" => {
                                            r.qty = Some(value);
                                            true
                                        }
                                        "role" => {
                                            r.role = Some((value, pp.clone()));
                                            true
                                        }
                                        "cost_share" => r.est.set(suffix, value, pp.clone()),
                                        _ => false,
                                    }
                                } else {
                                    let s = supply.entry(n).or_default();
                                    match stem {
                                        "supplier" => {
                                            s.supplier = Some(value);
                                            true
                                        }
                                        "site_country" => {
                                            s.site_country = Some(value);
                                            true
                                        }
                                        "requires" => {
                                            s.requires_word = Some((value, pp.clone()));
                                            true
                                        }
                                        "share" => s.est.set(suffix, value, pp.clone()),
                                        _ => false,
                                    }
                                };
                                if !known {
                                    self.unmapped(pp, format!("unknown property `{pname}`"));
                                }
                            }
                            _ => self.unmapped(pp, format!("unknown property `{pname}`")),
                        }
                    }
                }
                other if first_time => self.unmapped(
                    kp(),
                    format!("component field `{other}` has no place in a supply graph"),
                ),
                other => self.unmapped(
                    kp(),
                    format!(
                        "`{id}` appeared before; `{other}` of this occurrence was not imported"
                    ),
                ),
            }
        }
        if first_time {
            for (stem, e) in estimates {
                let fraction = stem == "import_share";
                let est = self.estimate(&e, fraction).map(Box::new);
                let item = &mut self.items[ix];
                match stem {
                    "market_value" => item.market_value = est,
                    "import_share" => item.import_share = est,
                    "stock_days" => item.stock_days = est,
                    _ => item.recovery_days = est,
                }
            }
            self.requirements_from_props(ix, reqs, &pointer);
            if supply.is_empty() {
                self.supply_from_fields(ix, c, &pointer, simple_share, simple_site);
            } else {
                self.supply_from_props(ix, supply, &pointer);
                self.check_informational_supplier(ix, id, c, &pointer);
            }
        }
        if let Some(parent) = parent {
            let qty = match edge_qty {
                None => Some(1.0),
                Some((t, p)) => match t.trim().parse::<f64>() {
                    Ok(q) if q.is_finite() && q > 0.0 => Some(q),
                    _ => {
                        self.unmapped(
                            p,
                            format!("qty `{t}` is not a number above 0; qty 1 was used"),
                        );
                        Some(1.0)
                    }
                },
            };
            let cost = self.estimate(&edge_cost, true);
            self.add_requirement(parent, ix, qty.unwrap_or(1.0), cost, edge_group, loc);
        }
        if let Some(Value::Array(children)) = c.get("components") {
            for (i, child) in children.iter().enumerate() {
                self.component(child, format!("{pointer}/components/{i}"), Some(ix));
            }
        } else if let Some(other) = c.get("components") {
            if !other.is_null() {
                self.unmapped(
                    format!("{pointer}/components"),
                    "`components` is not an array".into(),
                );
            }
        }
    }

    /// Records that `parent` requires `child` (item indices); false when it already
    /// did. "The same link found twice counts once" without scanning the parent's
    /// list (quadratic in a component with a million dependencies), and without a
    /// set entry for the first parent of each item: in most BOMs the only one.
    /// Links `ix` to every member of `target` now, or when the member arrives.
    fn link_members(&mut self, ix: usize, target: &RequirementTarget) {
        for m in target.members() {
            match self.items.get_index_of(m.as_str()) {
                Some(child) => {
                    self.link(ix, child);
                }
                None => self
                    .forward_links
                    .entry(m.to_string())
                    .or_default()
                    .push(ix),
            }
        }
    }

    fn link(&mut self, parent: usize, child: usize) -> bool {
        // A u32 holds any item index: four billion items would not fit in memory.
        let parent = parent as u32;
        match self.drafts[child].first_parent {
            None => {
                self.drafts[child].first_parent = Some(parent);
                true
            }
            Some(first) if first == parent => false,
            Some(_) => self.more_links.insert((parent, child as u32)),
        }
    }

    /// A nested component or a dependency: `parent` requires `child`, unless it
    /// already does. A group name joins an `any_of` of the same parent.
    fn add_requirement(
        &mut self,
        parent: usize,
        child: usize,
        qty: f64,
        cost: Option<Estimate>,
        group: Option<String>,
        loc: Location,
    ) {
        if !self.link(parent, child) {
            return;
        }
        let child = self.items[child].id.clone();
        let p = &mut self.items[parent];
        if let Some(g) = &group {
            let tag = format!("{NS}alternate={g}");
            if let Some(r) = p
                .requires
                .iter_mut()
                .find(|r| r.note.as_deref() == Some(tag.as_str()))
            {
                if let RequirementTarget::AnyOf(ids) = &mut r.target {
                    ids.push(child);
                }
                return;
            }
        }
        p.requires.push(Requirement {
            target: match &group {
                None => RequirementTarget::Item(child),
                Some(_) => RequirementTarget::AnyOf(vec![child]),
            },
            qty,
            cost_share: cost.map(Box::new),
            role: Role::Production,
            cite: Vec::new(),
            // Marks the group while importing; cleared in `finish`.
            note: group.map(|g| format!("{NS}alternate={g}")),
            member_qualify: None,
            loc,
        });
    }

    fn requirements_from_props(&mut self, ix: usize, reqs: BTreeMap<u64, ReqProps>, pointer: &str) {
        for (n, r) in reqs {
            let at = format!("{pointer}/properties ({NS}requires:{n}:*)");
            let target = match (r.item, r.any_of.is_empty()) {
                (Some(item), true) => RequirementTarget::Item(ItemId::new(item)),
                (None, false) => {
                    RequirementTarget::AnyOf(r.any_of.into_iter().map(ItemId::new).collect())
                }
                _ => {
                    self.unmapped(at, "a requirement needs exactly one of `item` or `any_of`; it was not imported".into());
                    continue;
                }
            };
            let qty = match r.qty {
                None => 1.0,
                Some(t) => match t.trim().parse::<f64>() {
                    Ok(q) if q.is_finite() && q > 0.0 => q,
                    _ => {
                        self.unmapped(at, format!("qty `{t}` is not a number above 0; the requirement was not imported"));
                        continue;
                    }
                },
            };
            let role = match &r.role {
                None => Role::Production,
                Some((word, p)) => match Role::parse(word) {
                    Some(role) => role,
                    None => {
                        self.unmapped(p.clone(), format!("role `{word}` is neither `production` nor `design`; the requirement was not imported"));
                        continue;
                    }
                },
            };
            let cost = if r.est.is_empty() {
                None
            } else {
                self.estimate(&r.est, true)
            };
            self.link_members(ix, &target);
            self.items[ix].requires.push(Requirement {
                target,
                qty,
                cost_share: cost.map(Box::new),
                role,
                cite: Vec::new(),
                note: None,
                member_qualify: None,
                loc: self.cur_loc,
            });
        }
    }

    fn supply_from_props(&mut self, ix: usize, supply: BTreeMap<u64, SupplyProps>, pointer: &str) {
        for (n, s) in supply {
            let at = format!("{pointer}/properties ({NS}supply:{n}:*)");
            if s.supplier.is_none() && s.site_country.is_none() {
                self.unmapped(
                    at,
                    "a supply edge with neither `supplier` nor `site_country`; it was not imported"
                        .into(),
                );
                continue;
            }
            let who = match &s.supplier {
                Some(id) => format!("`{id}`"),
                None => "unnamed producers".into(),
            };
            let Some(share) = (if s.est.is_empty() {
                None
            } else {
                self.estimate(&s.est, true)
            }) else {
                self.unmapped(
                    at,
                    format!("the supply edge from {who} has no valid share; it was not imported"),
                );
                continue;
            };
            // `load` checks the code.
            let site = s.site_country.map(CountryCode::new);
            let Ok(requires) = self.source_inputs(ix, s.requires_word, s.requires, &at) else {
                continue;
            };
            self.items[ix].supply.push(SupplyEdge {
                supplier: s.supplier.map(SupplierId::new),
                share,
                country: site,
                requires: requires.map(Box::new),
                cite: Vec::new(),
                note: None,
                loc: self.cur_loc,
            });
        }
    }

    /// A source's own inputs from `supply:N:requires` (`bom`, `none`) and
    /// `supply:N:requires:K:item|any_of`; their members are linked like
    /// requirements (the exporter lists them in `dependsOn` too).
    fn source_inputs(
        &mut self,
        ix: usize,
        word: Option<(String, String)>,
        list: BTreeMap<u64, ReqProps>,
        at: &str,
    ) -> Result<Option<SourceInputs>, ()> {
        match word {
            Some((w, _)) if w == "bom" && list.is_empty() => return Ok(Some(SourceInputs::Bom)),
            Some((w, _)) if w == "none" && list.is_empty() => {
                return Ok(Some(SourceInputs::List(Vec::new())))
            }
            Some((w, p)) => {
                self.unmapped(p, format!("`{w}` with a list: a source's `requires` is `bom`, `none` or a list; the supply edge was not imported"));
                return Err(());
            }
            None if list.is_empty() => return Ok(None),
            None => {}
        }
        let mut out = Vec::with_capacity(list.len());
        for (_, r) in list {
            let target = match (r.item, r.any_of.is_empty()) {
                (Some(item), true) => RequirementTarget::Item(ItemId::new(item)),
                (None, false) => {
                    RequirementTarget::AnyOf(r.any_of.into_iter().map(ItemId::new).collect())
                }
                _ => {
                    self.unmapped(at.to_string(), "an input of a source needs exactly one of `item` or `any_of`; the supply edge was not imported".into());
                    return Err(());
                }
            };
            self.link_members(ix, &target);
            out.push(Requirement::source_input(target, self.cur_loc));
        }
        Ok(Some(SourceInputs::List(out)))
    }

    /// With indexed supply properties, `supplier`/`manufacturer` only repeat one of
    /// the registry's suppliers (as this exporter writes them); anything else is listed.
    fn check_informational_supplier(
        &mut self,
        ix: usize,
        id: &str,
        c: &Map<String, Value>,
        pointer: &str,
    ) {
        for field in ["supplier", "manufacturer"] {
            let Some(org) = c.get(field) else { continue };
            let name = org.get("name").and_then(Value::as_str).unwrap_or("");
            let known = self.items[ix].supply.iter().any(|e| {
                self.registry.values().any(|(_, s)| {
                    s.id.as_deref() == e.supplier.as_ref().map(|x| x.as_str())
                        && s.name.as_deref() == Some(name)
                })
            });
            if !known {
                self.unmapped(
                    format!("{pointer}/{field}"),
                    format!("`{name}` is not among the {NS}supply suppliers of `{id}`; it was not imported"),
                );
            }
        }
    }

    /// Plain CycloneDX: `supplier` (else `manufacturer`) is the one source.
    fn supply_from_fields(
        &mut self,
        ix: usize,
        c: &Map<String, Value>,
        pointer: &str,
        share: EstimateText,
        mut site: Option<(String, String)>,
    ) {
        let (field, org) = match (c.get("supplier"), c.get("manufacturer")) {
            (Some(s), m) => {
                // Beside a supplier, the manufacturer's country is where the
                // item is made: the source's site country (country of origin).
                let made_in = m
                    .and_then(|m| m.pointer("/address/country"))
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|c| !c.is_empty());
                match made_in {
                    Some(country) if site.is_none() => {
                        let code = iso::code_of(country).unwrap_or(country).to_string();
                        site = Some((code, format!("{pointer}/manufacturer/address/country")));
                    }
                    _ if m.is_some() => self.unmapped(
                        format!("{pointer}/manufacturer"),
                        "the `supplier` was used as the source; the manufacturer was not imported"
                            .into(),
                    ),
                    _ => {}
                }
                ("supplier", s)
            }
            (None, Some(m)) => ("manufacturer", m),
            (None, None) => {
                if !share.is_empty() {
                    let p = share
                        .value
                        .as_ref()
                        .or(share.low.as_ref())
                        .map(|(_, p)| p.clone())
                        .unwrap_or_default();
                    self.unmapped(p, "a share without a supplier or manufacturer".into());
                }
                return;
            }
        };
        let at = format!("{pointer}/{field}");
        let name = org
            .get("name")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let sid = org
            .get("bom-ref")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or(name);
        let Some(sid) = sid.map(str::to_string) else {
            self.unmapped(
                at,
                "an organization with neither `bom-ref` nor `name`".into(),
            );
            return;
        };
        let country = org
            .pointer("/address/country")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        // Either the registry knows the supplier, or the address must give its country.
        let in_registry = self
            .registry
            .values()
            .any(|(_, s)| s.id.as_deref() == Some(sid.as_str()));
        if !in_registry && !self.seen_suppliers.contains_key(&sid) {
            if country.is_empty() {
                self.unmapped(
                    at,
                    format!(
                        "supplier `{sid}` has no address.country; the supply edge was not imported"
                    ),
                );
                return;
            }
            // CycloneDX allows a country's name here ("Germany"); a text that
            // is neither is kept for `load` to report (E013, with a hint).
            let country = iso::code_of(country).unwrap_or(country);
            self.seen_suppliers.insert(
                sid.clone(),
                Supplier {
                    id: SupplierId::new(sid.clone()),
                    name: name.unwrap_or(&sid).to_string(),
                    name_zh: None,
                    country: CountryCode::new(country),
                    parent: None,
                    cite: Vec::new(),
                    note: None,
                    disruption_probability: None,
                    loc: self.cur_loc,
                },
            );
        }
        let share = if share.is_empty() {
            Some(Estimate::exact(1.0))
        } else {
            self.estimate(&share, true)
        };
        let Some(share) = share else { return };
        let site = site.map(|(c, _)| CountryCode::new(c));
        self.items[ix].supply.push(SupplyEdge {
            supplier: Some(SupplierId::new(sid)),
            share,
            country: site,
            requires: None,
            cite: Vec::new(),
            note: None,
            loc: self.cur_loc,
        });
    }

    /// A dependency: `ref` requires each of its `dependsOn`.
    fn dependency(&mut self, d: &Value, pointer: String, loc: Location) {
        let Some(from) = d.get("ref").and_then(Value::as_str) else {
            self.unmapped(pointer, "a dependency without `ref`".into());
            return;
        };
        if self.entry_ids.contains(from) {
            return;
        }
        let Some(parent) = self.items.get_index_of(from) else {
            self.unmapped(
                format!("{pointer}/ref"),
                format!("`{from}` is not an imported component"),
            );
            return;
        };
        match d.get("dependsOn") {
            Some(Value::Array(on)) => {
                for (i, to) in on.iter().enumerate() {
                    match to.as_str() {
                        Some(to) => match self.items.get_index_of(to) {
                            // A self-dependency is kept: `load` reports the cycle.
                            Some(child) => {
                                self.add_requirement(parent, child, 1.0, None, None, loc)
                            }
                            None => self.unmapped(
                                format!("{pointer}/dependsOn/{i}"),
                                format!("`{to}` is not an imported component"),
                            ),
                        },
                        None => self.unmapped(
                            format!("{pointer}/dependsOn/{i}"),
                            "not a bom-ref string".into(),
                        ),
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => self.unmapped(
                format!("{pointer}/dependsOn"),
                "`dependsOn` is not an array".into(),
            ),
        }
        if d.get("provides").is_some() {
            self.unmapped(
                format!("{pointer}/provides"),
                "`provides` has no place in a supply graph".into(),
            );
        }
    }

    /// The draft `load` validates: ids, references (a property naming an item
    /// that never came, a supplier not in the registry), country codes, cycles
    /// and sums are its checks, located where the importer found them.
    fn finish(mut self, overrides: &MetaOverrides, text: String) -> Result<CdxImported, CdxError> {
        if !self.errors.is_empty() {
            return Err(CdxError {
                diagnostics: std::mem::take(&mut self.errors),
                text,
            });
        }
        let mut draft = std::mem::take(&mut self.entry_draft);
        let mut meta_entry = false;
        for (kind, text, pointer) in std::mem::take(&mut self.meta_entries) {
            let key = match kind.as_str() {
                "meta" => "meta",
                "country" => "countries",
                "supplier" => "suppliers",
                "reference" => "references",
                "scenario" => "scenarios",
                "figure" => "figures",
                _ => {
                    self.unmapped(pointer, format!("unknown property `{NS}entry:{kind}`"));
                    continue;
                }
            };
            meta_entry |= key == "meta";
            convert_entry_text(&mut draft, key, &text, self.meta_loc);
        }
        for item in self.items.list.iter_mut() {
            for r in item.requires.iter_mut() {
                // Marks of `alternate` groups, needed only while importing.
                if r.note.as_deref().is_some_and(|n| n.starts_with(NS)) {
                    r.note = None;
                }
            }
        }
        let registry = std::mem::take(&mut self.registry);
        for (_, (pointer, s)) in registry {
            let (Some(id), Some(country)) = (s.id, s.country) else {
                self.unmapped(
                    pointer,
                    "a registry supplier needs `id` and `country`; it was not imported".into(),
                );
                continue;
            };
            draft.use_country(&country, self.meta_loc);
            draft.suppliers.push(Supplier {
                name: s.name.unwrap_or_else(|| id.clone()),
                id: SupplierId::new(id),
                name_zh: s.name_zh,
                country: CountryCode::new(country),
                parent: None,
                cite: Vec::new(),
                note: s.note,
                disruption_probability: None,
                loc: self.meta_loc,
            });
        }
        let registered: HashSet<String> = draft
            .suppliers
            .iter()
            .map(|s| s.id.as_str().to_string())
            .collect();
        for (id, s) in std::mem::take(&mut self.seen_suppliers) {
            if !registered.contains(&id) {
                draft.use_country(s.country.as_str(), s.loc);
                draft.suppliers.push(s);
            }
        }
        for (_, (pointer, c)) in std::mem::take(&mut self.countries) {
            match c.id {
                Some(id) => {
                    draft.use_country(&id, self.meta_loc);
                    draft.countries.push(Country {
                        id: CountryCode::new(id),
                        name: c.name,
                        name_zh: c.name_zh,
                        disruption_probability: None,
                        loc: self.meta_loc,
                    });
                }
                None => self.unmapped(
                    pointer,
                    "a registry country needs an `id`; it was not imported".into(),
                ),
            }
        }
        for (item, d) in self.items.list.iter_mut().zip(&self.drafts) {
            item.kind = d.kind.unwrap_or(if d.software {
                ItemKind::Software
            } else if d.first_parent.is_none() {
                ItemKind::System
            } else if !item.requires.is_empty() {
                ItemKind::Subsystem
            } else {
                ItemKind::Part
            });
        }
        let mut meta = match meta_entry {
            true => draft.metas.pop().map(|(m, _)| m).unwrap_or_default(),
            false => self.meta,
        };
        if let Some(t) = &overrides.title {
            meta.title = t.clone();
        }
        if let Some(h) = overrides.home.as_ref().filter(|h| iso::is_assigned(h)) {
            meta.home = CountryCode::new(h.clone());
        }
        if let Some(c) = &overrides.currency {
            meta.currency = c.clone();
        }
        draft.metas.push((meta, self.meta_loc));
        // What validation resolves: every id a requirement or a source names.
        // The items move into the draft as they are (no second list of a
        // million items); their index goes first.
        let Items { list: items, index } = self.items;
        drop(index);
        for item in &items {
            for r in &item.requires {
                for m in r.target.members() {
                    draft.use_item(m.as_str(), r.loc);
                }
            }
            for e in &item.supply {
                if let Some(s) = &e.supplier {
                    draft.use_supplier(s.as_str(), e.loc);
                }
                if let Some(c) = &e.country {
                    draft.use_country(c.as_str(), e.loc);
                }
                if let Some(SourceInputs::List(list)) = e.requires.as_deref() {
                    for m in list.iter().flat_map(|r| r.target.members()) {
                        draft.use_item(m.as_str(), e.loc);
                    }
                }
            }
        }
        if draft.items.is_empty() {
            draft.items = items;
        } else {
            draft.items.extend(items);
        }
        Ok(CdxImported {
            draft,
            text,
            unmapped: self.unmapped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(doc: &str) -> CdxImported {
        import(doc.as_bytes(), &MetaOverrides::default()).unwrap()
    }

    /// `import`'s diagnostics as `line:column: code: message (hint)`.
    fn errors(doc: &str) -> Vec<String> {
        import(doc.as_bytes(), &MetaOverrides::default())
            .unwrap_err()
            .diagnostics
            .iter()
            .map(|d| {
                let l = d.loc.unwrap();
                format!(
                    "{}:{}: {}: {} ({})",
                    l.line,
                    l.column,
                    d.code,
                    d.message,
                    d.hint.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    fn unmapped(im: &CdxImported) -> Vec<String> {
        im.unmapped.iter().map(|u| u.to_string()).collect()
    }

    /// Each item as `id kind line:column: requirements`.
    fn items(im: &CdxImported) -> Vec<String> {
        im.draft
            .items
            .iter()
            .map(|i| {
                let reqs: Vec<String> = i
                    .requires
                    .iter()
                    .map(|r| {
                        let m: Vec<&str> = r.target.members().iter().map(|m| m.as_str()).collect();
                        format!("{}@{}:{}", m.join("|"), r.loc.line, r.loc.column)
                    })
                    .collect();
                format!(
                    "{} {} {}:{}: {}",
                    i.id,
                    i.kind.as_str(),
                    i.loc.line,
                    i.loc.column,
                    reqs.join(", ")
                )
            })
            .collect()
    }

    const HEAD: &str = r#""bomFormat":"CycloneDX","specVersion":"1.6""#;

    #[test]
    fn components_nested_components_and_dependencies_are_located_in_the_text() {
        // Line 3: `s` at column 3, its nested `p` at column 48 and `q` (inside
        // a `data` component that is not mapped) is skipped; line 4: `r`
        // after a Chinese name (columns count characters).
        let doc = format!(
            "{{{HEAD},\n\"components\":[\n  {{\"type\":\"device\",\"bom-ref\":\"s\",\"components\":[{{\"type\":\"device\",\"bom-ref\":\"p\"}},{{\"type\":\"data\",\"bom-ref\":\"d\",\"components\":[{{\"type\":\"device\",\"bom-ref\":\"q\"}}]}},{{\"type\":\"device\",\"bom-ref\":\"t\"}}]}},\n  {{\"type\":\"device\",\"name\":\"探测器\",\"bom-ref\":\"r\"}}],\n\"dependencies\":[{{\"ref\":\"s\",\"dependsOn\":[\"r\"]}},\n {{\"ref\":\"r\",\"dependsOn\":[\"nope\"]}}]}}"
        );
        let im = imported(&doc);
        assert_eq!(
            items(&im),
            [
                "s system 3:3: p@3:48, t@3:157, r@5:17",
                "p part 3:48: ",
                "t part 3:157: ",
                "r part 4:3: "
            ]
        );
        assert_eq!(
            unmapped(&im),
            [
                "/components/0/components/1: component type `data` has no place in a supply graph (device and software types are imported)",
                "/dependencies/1/dependsOn/0: `nope` is not an imported component"
            ]
        );
    }

    #[test]
    fn dependencies_before_components_still_name_the_components_items() {
        let im = imported(&format!(
            r#"{{"dependencies":[{{"ref":"s","dependsOn":["p"]}}],{HEAD},"components":[{{"type":"device","bom-ref":"s"}},{{"type":"device","bom-ref":"p"}}]}}"#
        ));
        assert_eq!(items(&im), ["s system 1:107: p@1:18", "p part 1:139: "]);
        assert!(unmapped(&im).is_empty());
    }

    #[test]
    fn a_duplicate_bom_ref_with_other_content_is_an_error_located_at_both() {
        assert_eq!(
            errors(&format!(
                "{{{HEAD},\"components\":[\n{{\"type\":\"device\",\"bom-ref\":\"a\",\"name\":\"A\"}},\n{{\"type\":\"device\",\"bom-ref\":\"a\",\"name\":\"Other\"}}]}}"
            )),
            ["3:1: E005: a second component with bom-ref `a` differs from the first (line 2, column 1) (give it its own bom-ref, or make the two components the same)"]
        );
        // The same content twice is one item.
        let im = imported(&format!(
            r#"{{{HEAD},"components":[{{"type":"device","bom-ref":"a"}},{{"type":"device","bom-ref":"a"}}]}}"#
        ));
        assert_eq!(items(&im), ["a system 1:60: "]);
    }

    #[test]
    fn lists_of_the_wrong_shape_are_errors_located_at_the_value() {
        assert_eq!(
            errors(&format!(r#"{{{HEAD},"components": "notalist"}}"#)),
            ["1:60: E003: `components` must be an array, not a string (write the components as a list: `\"components\": [ { \"type\": \"device\", \"bom-ref\": \"…\" } ]`)"]
        );
        assert_eq!(
            errors(&format!(
                r#"{{{HEAD},"components":[],"dependencies":{{"ref":"s"}}}}"#
            )),
            ["1:77: E003: `dependencies` must be an array, not an object (write the dependencies as a list: `\"dependencies\": [ { \"ref\": \"…\", \"dependsOn\": [\"…\"] } ]`)"]
        );
        assert_eq!(
            errors(&format!(r#"{{{HEAD},"components":[],"components":[]}}"#)),
            ["1:75: E016: `components` appears twice at the top level (keep one of them (JSON readers disagree on which one counts))"]
        );
        // null is an empty list.
        assert!(imported(&format!(r#"{{{HEAD},"components":null}}"#))
            .draft
            .items
            .is_empty());
    }

    #[test]
    fn syntax_errors_keep_serde_jsons_words_and_place() {
        assert_eq!(
            errors(&format!("{{{HEAD},\n\"components\":[1e400]}}")),
            ["2:20: E001: not valid JSON: number out of range at line 2 column 20 (write a finite number (a double holds up to about 1.8e308))"]
        );
        let deep = format!(
            "{{{HEAD},\"components\":[{{\"type\":\"device\",\"bom-ref\":\"s\",\"x\":{}{}}}]}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(
            errors(&deep),
            ["1:219: E001: not valid JSON: recursion limit exceeded at line 1 column 219 (serde_json reads at most 128 levels of nesting; flatten the nested `components` into `dependencies`)"]
        );
    }

    #[test]
    fn countries_come_from_the_standard_address_fields_names_included() {
        let im = imported(&format!(
            r#"{{{HEAD},"components":[{{"type":"device","bom-ref":"s","supplier":{{"name":"Siemens Healthineers","address":{{"country":"Germany"}}}},"manufacturer":{{"name":"Plant","address":{{"country":"CN"}}}}}},{{"type":"device","bom-ref":"t","manufacturer":{{"name":"Canon","address":{{"country":"JP"}}}}}}]}}"#
        ));
        let s: Vec<String> = im
            .draft
            .suppliers
            .iter()
            .map(|s| format!("{} {}", s.id, s.country))
            .collect();
        assert_eq!(s, ["Siemens Healthineers DE", "Canon JP"]);
        let edges: Vec<String> = im
            .draft
            .items
            .iter()
            .flat_map(|i| {
                i.supply.iter().map(move |e| {
                    format!(
                        "{} ← {} site {}",
                        i.id,
                        e.supplier.as_ref().unwrap(),
                        e.country.as_ref().map_or("-", |c| c.as_str())
                    )
                })
            })
            .collect();
        assert_eq!(
            edges,
            ["s ← Siemens Healthineers site CN", "t ← Canon site -"]
        );
        assert!(unmapped(&im).is_empty(), "{:?}", unmapped(&im));
    }

    #[test]
    fn a_country_that_is_no_code_and_no_name_is_left_to_load_which_locates_it() {
        let doc = format!(
            r#"{{{HEAD},"components":[{{"type":"device","bom-ref":"s","supplier":{{"name":"X","address":{{"country":"Atlantis"}}}}}}]}}"#
        );
        let e = imported(&doc).load("bom.json").unwrap_err();
        let got: Vec<String> = e
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.loc.unwrap().line,
                    d.loc.unwrap().column,
                    d.code,
                    d.message
                )
            })
            .collect();
        assert_eq!(
            got,
            ["1:60 E013 `Atlantis` is not an ISO 3166-1 alpha-2 country code"]
        );
    }
}
