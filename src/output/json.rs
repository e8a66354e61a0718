//! Pretty JSON: exactly the bytes of `serde_json::to_writer_pretty`, written faster.
//!
//! Owns: [`Pretty`], a `serde_json` formatter with `PrettyFormatter`'s layout
//! (two-space indent, `": "` after keys, `[]` and `{}` for empty containers)
//! that writes a line break and its indentation as one slice and can start at
//! any depth; and [`Document`], which writes a value with it, optionally
//! serializing one long array member of the top-level object in parallel
//! (the `items` of an analysis: nearly all of a 70 MB document at 100k items).
//! Never: decides what is written or where; callers bring the writer (the CLI's
//! `emit_json`, the report's data files).

use rayon::prelude::*;
use serde::ser::{self, Impossible};
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Depths up to this are indented from one static slice; deeper ones (never in
/// our documents) add the rest two spaces at a time.
const SLICE_DEPTH: usize = 32;
const INDENT_BYTES: usize = 2 + 2 * SLICE_DEPTH;

/// `",\n"` and the indentation of [`SLICE_DEPTH`] levels: every separator
/// `PrettyFormatter` writes before a value or a closing bracket is a prefix of
/// it, or of it without the comma.
static COMMA_INDENT: [u8; INDENT_BYTES] = {
    let mut bytes = [b' '; INDENT_BYTES];
    bytes[0] = b',';
    bytes[1] = b'\n';
    bytes
};

/// Writes `,\n` (or `\n` without `comma`) and `depth` levels of indentation.
/// `PrettyFormatter` makes one `write_all` per level: into a buffer each is a
/// call and a capacity check, the bulk of its cost on a large document.
#[inline]
fn line_break<W: ?Sized + Write>(w: &mut W, comma: bool, depth: usize) -> io::Result<()> {
    let from = usize::from(!comma);
    if depth <= SLICE_DEPTH {
        w.write_all(&COMMA_INDENT[from..2 + 2 * depth])
    } else {
        w.write_all(&COMMA_INDENT[from..])?;
        (SLICE_DEPTH..depth).try_for_each(|_| w.write_all(b"  "))
    }
}

/// `serde_json::ser::PrettyFormatter` with its default two-space indent, the
/// same state machine and bytes, line breaks written by [`line_break`].
/// [`Pretty::at_depth`] formats a value as it appears nested `depth` levels
/// deep in a document (its inner lines indented from there, its first line not).
#[derive(Clone, Debug, Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn at_depth(depth: usize) -> Self {
        Pretty {
            depth,
            has_value: false,
        }
    }
}

impl Pretty {
    /// `[` or `{`: one level deeper, nothing in it yet.
    #[inline]
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own unless the container is empty.
    #[inline]
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            line_break(w, false, self.depth)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        line_break(w, !first, self.depth)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        line_break(w, !first, self.depth)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Serializes `value` with [`Pretty`] at `depth`. A write error comes back
/// as it was (serde_json's conversion keeps it).
fn serialize_at<W: Write, T: Serialize + ?Sized>(w: W, value: &T, depth: usize) -> io::Result<()> {
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            w,
            Pretty::at_depth(depth),
        ))
        .map_err(io::Error::from)
}

/// A long array member of a document's top-level object: its key and the
/// very vector the document serializes under that key.
struct LongList<'a, I> {
    key: &'static str,
    items: &'a Vec<I>,
}

/// A JSON document for [`Document::write`]: a value, and possibly the long
/// array member of its top-level object to serialize in parallel.
pub struct Document<'a, T: ?Sized, I = ()> {
    value: &'a T,
    list: Option<LongList<'a, I>>,
}

impl<'a, T: ?Sized> Document<'a, T> {
    /// A document written in one pass.
    pub fn new(value: &'a T) -> Self {
        Document { value, list: None }
    }
}

impl<'a, T: ?Sized, I> Document<'a, T, I> {
    /// A document whose top-level object has the member `key` holding `items`
    /// (the same vector, not a copy: the member is recognised by its key and
    /// address). [`Document::write`] fails if it has no such member.
    pub fn with_list(value: &'a T, key: &'static str, items: &'a Vec<I>) -> Self {
        Document {
            value,
            list: Some(LongList { key, items }),
        }
    }
}

/// Items per parallel batch: some hundreds of kilobytes of text, few enough
/// tasks that scheduling is noise.
const BATCH: usize = 256;
/// Batches per thread in a round (a round ends when all its batches are
/// serialized; several per thread even out their unequal costs). One round's
/// text is what is held in memory, whatever the length of the list.
const ROUND_PER_THREAD: usize = 4;

impl<T: Serialize + ?Sized, I: Serialize + Sync> Document<'_, T, I> {
    /// Writes the document: the bytes of `serde_json::to_writer_pretty`.
    /// Streams: at most a few batches of the long list are held as text.
    pub fn write<W: Write>(&self, w: W) -> io::Result<()> {
        self.write_in_batches(w, BATCH)
    }

    /// The document as a string (`serde_json::to_string_pretty`'s).
    pub fn to_string(&self) -> io::Result<String> {
        let mut bytes = Vec::new();
        self.write(&mut bytes)?;
        // Only serde_json's escaped output and ASCII punctuation were written.
        Ok(String::from_utf8(bytes).expect("serde_json writes UTF-8"))
    }

    fn write_in_batches<W: Write>(&self, mut w: W, batch: usize) -> io::Result<()> {
        let Some(list) = &self.list else {
            return serialize_at(w, self.value, 0);
        };
        let mut members = Members {
            w: &mut w,
            list,
            batch,
            first: true,
            key: None,
            found: false,
        };
        self.value.serialize(&mut members).map_err(|Failure(e)| e)?;
        if members.found {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "the JSON document has no member {:?} holding the list given",
                list.key
            )))
        }
    }
}

/// Writes `items` as a JSON array nested `depth` levels deep, the elements
/// serialized on rayon in rounds of batches and written in order.
fn write_list<W: Write, I: Serialize + Sync>(
    w: &mut W,
    items: &[I],
    depth: usize,
    batch: usize,
) -> io::Result<()> {
    if items.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    let round = batch * ROUND_PER_THREAD * rayon::current_num_threads();
    // One buffer per batch of a round, reused: fresh ones of this size would
    // be mapped and faulted in from the kernel again for every batch.
    let mut texts: Vec<Vec<u8>> = Vec::new();
    for (r, chunk) in items.chunks(round).enumerate() {
        let batches = chunk.len().div_ceil(batch);
        if texts.len() < batches {
            texts.resize_with(batches, Vec::new);
        }
        texts[..batches]
            .par_iter_mut()
            .zip(chunk.par_chunks(batch))
            .enumerate()
            .try_for_each(|(b, (slot, batch_items))| {
                // Filled as a local: the lengths of neighbouring slots share a
                // cache line, which threads updating them in place would bounce.
                let mut text = std::mem::take(slot);
                text.clear();
                for (i, item) in batch_items.iter().enumerate() {
                    let first = r == 0 && b == 0 && i == 0;
                    line_break(&mut text, !first, depth + 1)?;
                    serialize_at(&mut text, item, depth + 1)?;
                }
                *slot = text;
                io::Result::Ok(())
            })?;
        for text in &texts[..batches] {
            w.write_all(text)?;
        }
    }
    line_break(w, false, depth)?;
    w.write_all(b"]")
}

/// The serializer of a [`Document`] with a long list: takes the top-level
/// object (a struct, or a map as `#[serde(flatten)]` makes) member by member,
/// writing each with [`Pretty`] at depth 1 as `PrettyFormatter` would, and
/// the long list with [`write_list`].
struct Members<'w, 'l, W, I> {
    w: &'w mut W,
    list: &'l LongList<'l, I>,
    batch: usize,
    /// No member written yet.
    first: bool,
    /// The key of the map entry whose value comes next.
    key: Option<String>,
    found: bool,
}

/// What [`Members`] returns.
type Fallible<T> = Result<T, Failure>;

impl<W: Write, I: Serialize + Sync> Members<'_, '_, W, I> {
    fn open(&mut self) -> Fallible<()> {
        Ok(self.w.write_all(b"{")?)
    }

    fn key(&mut self, key: &str) -> Fallible<()> {
        line_break(self.w, !self.first, 1)?;
        self.first = false;
        serialize_at(&mut *self.w, key, 1)?;
        Ok(self.w.write_all(b": ")?)
    }

    fn value<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> Fallible<()> {
        if key == self.list.key && std::ptr::addr_eq(value, self.list.items) {
            self.found = true;
            Ok(write_list(self.w, self.list.items, 1, self.batch)?)
        } else {
            Ok(serialize_at(&mut *self.w, value, 1)?)
        }
    }

    fn close(&mut self) -> Fallible<()> {
        if !self.first {
            line_break(self.w, false, 0)?;
        }
        Ok(self.w.write_all(b"}")?)
    }
}

fn not_an_object() -> Failure {
    ser::Error::custom("a JSON document with a long list must be an object")
}

/// The error of [`Members`]: a write error as it came, or a refused shape.
#[derive(Debug)]
struct Failure(io::Error);

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure(e)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Failure {}

impl ser::Error for Failure {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        Failure(io::Error::new(io::ErrorKind::InvalidData, msg.to_string()))
    }
}

/// Only objects have members: everything else is refused (see [`not_an_object`]).
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Fallible<()> {
            Err(not_an_object())
        })*
    };
}

impl<W: Write, I: Serialize + Sync> ser::Serializer for &mut Members<'_, '_, W, I> {
    type Ok = ();
    type Error = Failure;
    type SerializeSeq = Impossible<(), Failure>;
    type SerializeTuple = Impossible<(), Failure>;
    type SerializeTupleStruct = Impossible<(), Failure>;
    type SerializeTupleVariant = Impossible<(), Failure>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Failure>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<V: Serialize + ?Sized>(self, value: &V) -> Fallible<()> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &V,
    ) -> Fallible<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &V,
    ) -> Fallible<()> {
        Err(not_an_object())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Fallible<Self::SerializeSeq> {
        Err(not_an_object())
    }

    fn serialize_tuple(self, _len: usize) -> Fallible<Self::SerializeTuple> {
        Err(not_an_object())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Fallible<Self::SerializeTupleStruct> {
        Err(not_an_object())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Fallible<Self::SerializeTupleVariant> {
        Err(not_an_object())
    }

    fn serialize_map(self, _len: Option<usize>) -> Fallible<Self> {
        self.open()?;
        Ok(self)
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Fallible<Self> {
        self.open()?;
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Fallible<Self::SerializeStructVariant> {
        Err(not_an_object())
    }
}

impl<W: Write, I: Serialize + Sync> ser::SerializeStruct for &mut Members<'_, '_, W, I> {
    type Ok = ();
    type Error = Failure;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Fallible<()> {
        self.key(key)?;
        self.value(key, value)
    }

    fn end(self) -> Fallible<()> {
        self.close()
    }
}

impl<W: Write, I: Serialize + Sync> ser::SerializeMap for &mut Members<'_, '_, W, I> {
    type Ok = ();
    type Error = Failure;

    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Fallible<()> {
        // A member's name; serde_json would also quote number and bool keys,
        // which no document of ours has.
        let serde_json::Value::String(key) =
            serde_json::to_value(key).map_err(|e| Failure(e.into()))?
        else {
            return Err(ser::Error::custom(
                "the members of a JSON document with a long list must have string keys",
            ));
        };
        self.key(&key)?;
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Fallible<()> {
        let key = self.key.take().unwrap_or_default();
        self.value(&key, value)
    }

    fn end(self) -> Fallible<()> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn pretty(value: &impl Serialize) -> String {
        serde_json::to_string_pretty(value).unwrap()
    }

    fn written<T: Serialize + ?Sized, I: Serialize + Sync>(
        doc: &Document<'_, T, I>,
        batch: usize,
    ) -> String {
        let mut bytes = Vec::new();
        doc.write_in_batches(&mut bytes, batch).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    /// Strings with characters JSON escapes, non-ASCII and plain runs.
    fn text() -> impl Strategy<Value = String> {
        "[a-z\"\\\\\n\t\u{1}\u{7f}é中/ ]{0,8}"
    }

    /// Any JSON value, empty containers and deep nesting included.
    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from), // NaN and ±∞ become null
            (-1e3f64..1e3).prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((text(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    #[derive(Serialize)]
    struct Doc {
        before: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<Value>,
        list: Vec<Value>,
        after: Value,
    }

    #[derive(Serialize)]
    struct Flat<'a> {
        #[serde(flatten)]
        doc: &'a Doc,
        last: Value,
    }

    proptest! {
        #[test]
        fn writes_what_to_string_pretty_writes(v in value()) {
            prop_assert_eq!(Document::new(&v).to_string().unwrap(), pretty(&v));
        }

        #[test]
        fn writes_a_document_with_a_long_list_as_serde_json_does(
            before in value(),
            maybe in prop::option::of(value()),
            list in prop::collection::vec(value(), 0..40),
            after in value(),
            batch in 1usize..5,
        ) {
            let doc = Doc { before, maybe, list, after };
            let with_list = Document::with_list(&doc, "list", &doc.list);
            prop_assert_eq!(written(&with_list, batch), pretty(&doc));
            let flat = Flat { doc: &doc, last: json!({"k": [1, {}]}) };
            let with_list = Document::with_list(&flat, "list", &doc.list);
            prop_assert_eq!(written(&with_list, batch), pretty(&flat));
        }
    }

    #[test]
    fn indents_beyond_the_static_slice() {
        let mut deep = json!([1, {"a": []}]);
        for k in 0..2 * SLICE_DEPTH {
            deep = if k % 2 == 0 {
                json!([deep, {}])
            } else {
                json!({"x": deep, "y": "z"})
            };
        }
        assert_eq!(Document::new(&deep).to_string().unwrap(), pretty(&deep));
    }

    #[test]
    fn an_empty_object_and_an_empty_list() {
        #[derive(Serialize)]
        struct Only {
            list: Vec<u8>,
        }
        let only = Only { list: vec![] };
        let doc = Document::with_list(&only, "list", &only.list);
        assert_eq!(doc.to_string().unwrap(), "{\n  \"list\": []\n}");
        #[derive(Serialize)]
        struct Nothing {}
        assert_eq!(Document::new(&Nothing {}).to_string().unwrap(), "{}");
    }

    #[test]
    fn a_list_the_document_does_not_hold_is_refused() {
        let doc = Doc {
            before: json!(1),
            maybe: None,
            list: vec![json!(2)],
            after: json!(3),
        };
        let copy = doc.list.clone();
        let err = Document::with_list(&doc, "list", &copy)
            .to_string()
            .unwrap_err();
        assert!(err.to_string().contains("no member \"list\""), "{err}");
        let err = Document::with_list(&doc, "other", &doc.list)
            .to_string()
            .unwrap_err();
        assert!(err.to_string().contains("no member"), "{err}");
        let err = Document::with_list(&doc.list, "list", &doc.list)
            .to_string()
            .unwrap_err();
        assert!(err.to_string().contains("must be an object"), "{err}");
    }

    #[test]
    fn a_write_error_is_returned_as_it_came() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let doc = Doc {
            before: json!(1),
            maybe: None,
            list: vec![json!(2); 1000],
            after: json!(3),
        };
        let err = Document::with_list(&doc, "list", &doc.list)
            .write(Full)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    }
}
