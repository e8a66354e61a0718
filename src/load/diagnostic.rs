//! Diagnostics: every problem found in a graph, with a stable code, a location,
//! the offending snippet and a hint. Rendering goes through miette.

use crate::model::{Location, SourceFile};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable diagnostic codes. Never renumber: users grep and filter on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// E001: the file is not valid YAML.
    YamlSyntax,
    /// E002: a key the schema does not know.
    UnknownKey,
    /// E003: a value of the wrong type.
    WrongType,
    /// E004: a required key is missing.
    MissingKey,
    /// E005: the same id declared twice (in any files).
    DuplicateId,
    /// E006: a reference to an undeclared item, supplier, country, reference or scenario.
    UnknownReference,
    /// E007: `requires` forms a cycle.
    RequiresCycle,
    /// E008: a number outside its allowed range, NaN or infinite.
    OutOfRange,
    /// E009: supply shares of one item sum above 1.
    SupplyShareSum,
    /// E010: cost shares of one parent sum above 1.
    CostShareSum,
    /// E011: an estimate with low > high.
    LowAboveHigh,
    /// E012: more than one `meta`.
    MultipleMeta,
    /// E013: not an ISO 3166-1 alpha-2 code.
    InvalidCountryCode,
    /// E014: a system that requires nothing.
    EmptySystem,
    /// E015: a file or directory that cannot be read.
    Io,
    /// E016: the same key twice in one mapping.
    DuplicateKey,
    /// E017: a value not among the allowed words (kind, confidence, ...).
    InvalidValue,
    /// E018: input beyond a safety limit (size, nesting, aliases).
    Limit,
    /// E019: an estimate's `value` outside its own `low`–`high`.
    ValueOutsideRange,
    /// E020: `as_of` is not a calendar date (YYYY-MM-DD).
    InvalidDate,
    /// E021: `qty`, `cost_share` or `role` in a source's own `requires`.
    SourceRequirementKey,
    /// E023: suppliers' `parent` chain forms a cycle.
    ParentCycle,
    /// E024: an item with standby sources and no regular source.
    StandbyOnly,
    /// W001: supply shares of an item sum below 1.
    SupplyUnattributed,
    /// W002: an item with neither supply, requires nor import_share.
    Unmapped,
    /// W003: a supplier that supplies nothing.
    UnusedSupplier,
    /// W004: a file that holds no document.
    EmptyFile,
    /// W005: an item known only by `import_share`: it can never fail.
    OnlyImportShare,
    /// W006: `requires: bom` on a source of an item without production requirements.
    EmptyBom,
}

/// `format!` with an exact allocation, for messages made once per item.
///
/// `format!` reserves about twice its literal text, and shrinking afterwards
/// leaves the slack as fragments no later message fits in: a million warnings
/// carried 60 MB of it.
pub fn exact_format(args: fmt::Arguments) -> String {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = fmt::write(&mut count, args);
    let mut text = String::with_capacity(count.0);
    let _ = fmt::write(&mut text, args);
    text
}

/// How many of `diagnostics` carry each code, in code order.
pub fn count_by_code(
    diagnostics: &[Diagnostic],
) -> std::collections::BTreeMap<&'static str, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code.as_str()).or_default() += 1;
    }
    counts
}

impl Code {
    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            YamlSyntax => "E001",
            UnknownKey => "E002",
            WrongType => "E003",
            MissingKey => "E004",
            DuplicateId => "E005",
            UnknownReference => "E006",
            RequiresCycle => "E007",
            OutOfRange => "E008",
            SupplyShareSum => "E009",
            CostShareSum => "E010",
            LowAboveHigh => "E011",
            MultipleMeta => "E012",
            InvalidCountryCode => "E013",
            EmptySystem => "E014",
            Io => "E015",
            DuplicateKey => "E016",
            InvalidValue => "E017",
            Limit => "E018",
            ValueOutsideRange => "E019",
            InvalidDate => "E020",
            SourceRequirementKey => "E021",
            ParentCycle => "E023",
            StandbyOnly => "E024",
            SupplyUnattributed => "W001",
            Unmapped => "W002",
            UnusedSupplier => "W003",
            EmptyFile => "W004",
            OnlyImportShare => "W005",
            EmptyBom => "W006",
        }
    }

    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem, located.
///
/// Kept small: a catalogue imported from an ERP can carry a warning per item,
/// a million of them. The "path:line:column" text is made when printed
/// ([`Diagnostic::location`]), and fixed hints are borrowed, not copied.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// `None` only for problems with no place in a file (e.g. an empty directory).
    pub loc: Option<Location>,
    pub hint: Option<Cow<'static, str>>,
    /// Where a path is not a file of the graph (I/O errors).
    pub path: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, loc: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            loc: Some(loc),
            hint: None,
            path: None,
        }
    }

    pub fn unlocated(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            loc: None,
            hint: None,
            path: Some(path.into()),
        }
    }

    pub fn hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// "path:line:column" of this diagnostic in `files` (the path alone for a
    /// problem with no place in a file; `None` when there is neither).
    pub fn location(&self, files: &[SourceFile]) -> Option<String> {
        match (self.loc, &self.path) {
            (Some(loc), _) => files
                .get(loc.file as usize)
                .map(|f| format!("{}:{}:{}", f.path.display(), loc.line, loc.column)),
            (None, Some(p)) => Some(p.clone()),
            (None, None) => None,
        }
    }

    /// Renders the diagnostic for a terminal: a `path:line:col: severity[code]: message`
    /// line that editors and grep understand, then miette's snippet with the hint.
    pub fn render(&self, files: &[SourceFile], color: bool) -> String {
        self.render_shared(files, &SharedSources::new(files), color)
    }

    /// Like [`Diagnostic::render`], with file texts shared across many diagnostics
    /// (miette needs owned sources; copying a large file per warning would be quadratic).
    pub fn render_shared(
        &self,
        files: &[SourceFile],
        shared: &SharedSources,
        color: bool,
    ) -> String {
        use miette::{
            GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
        };
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = self
            .location(files)
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        // Ids in messages, hints and paths come from input files: never let
        // them drive the terminal (output::printable, the one sanitiser).
        use crate::output::printable;
        let mut out = printable(&format!(
            "{location}{severity}[{}]: {}\n",
            self.code, self.message
        ))
        .into_owned();
        let Some(loc) = self.loc else {
            if let Some(h) = &self.hint {
                out.push_str(&format!("  help: {}\n", printable(h)));
            }
            return out;
        };
        let Some(file) = files.get(loc.file as usize) else {
            return out;
        };
        let offset = (loc.offset as usize).min(file.text.len());
        if snippet_too_long(&file.text, offset) {
            // Quoting a huge line (a 50 MB string, a minified file) would copy it
            // into the report: the location line above says where to look.
            if let Some(h) = &self.hint {
                out.push_str(&format!("  help: {}\n", printable(h)));
            }
            return out;
        }
        let len = snippet_len(&file.text[offset..]);
        let mut diag = MietteDiagnostic::new(printable(&self.message))
            .with_severity(match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(LabeledSpan::at(offset..offset + len, "here"));
        if let Some(h) = &self.hint {
            diag = diag.with_help(printable(h));
        }
        let report = miette::Report::new(diag).with_source_code(NamedSource::new(
            printable(&file.path.display().to_string()),
            shared.0[loc.file as usize].clone(),
        ));
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let mut rendered = String::new();
        if handler
            .render_report(&mut rendered, report.as_ref())
            .is_ok()
        {
            out.push_str(without_header(&rendered));
        }
        out
    }
}

/// miette's report without its first lines ("× message"): the located line
/// above already says it, and each message is printed once. Starts at the
/// snippet's frame (`╭─[file:line:col]`); the whole text when there is none.
fn without_header(rendered: &str) -> &str {
    let mut at = 0;
    for line in rendered.split_inclusive('\n') {
        if line.trim_start().starts_with('╭') || line.contains("\u{1b}[0m╭") {
            return &rendered[at..];
        }
        at += line.len();
    }
    rendered
}

/// File texts behind reference counts, for rendering many diagnostics cheaply.
pub struct SharedSources(Vec<SharedText>);

impl SharedSources {
    pub fn new(files: &[SourceFile]) -> Self {
        SharedSources(files.iter().map(|f| SharedText::new(&f.text)).collect())
    }
}

/// One file's text, cheap to clone, with the offsets where its lines start.
///
/// miette's own `str` source finds a span's lines by scanning from the start
/// of the text, so rendering every warning of a large file was quadratic (tens
/// of thousands of warnings in 5,000-item files took minutes). Here the lines
/// around the span are found by binary search, and only that window is
/// handed to miette.
#[derive(Clone)]
pub struct SharedText {
    text: std::sync::Arc<str>,
    /// Offsets of the first byte of every line; line breaks are `\n`, `\r\n`
    /// and a lone `\r`, as miette counts them.
    line_starts: std::sync::Arc<[usize]>,
}

impl SharedText {
    fn new(text: &str) -> Self {
        SharedText {
            // Byte offsets are kept: spans still point at the same places.
            text: std::sync::Arc::from(crate::output::printable_same_length(text).as_ref()),
            line_starts: super::yaml::line_starts(text).into(),
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }
}

impl miette::SourceCode for SharedText {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text: &'a str = &self.text;
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return text.read_span(span, context_lines_before, context_lines_after);
        }
        // One line of margin each side: miette decides itself which lines to
        // show (a span ending on a line break, for one, reaches one line
        // further), and extra lines in the window do not change its answer.
        let first = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.line_of(end) + context_lines_after + 1;
        let window_start = self.line_starts[first];
        let window_end = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(text.len());
        let window = &text[window_start..window_end];
        let inner = window.read_span(
            &miette::SourceSpan::new((start - window_start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(miette::MietteSpanContents::new(
            inner.data(),
            miette::SourceSpan::new(
                (inner.span().offset() + window_start).into(),
                inner.span().len(),
            ),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// Longest line a snippet quotes (bytes).
const MAX_SNIPPET_LINE: usize = 10_000;

/// Whether the line at `offset`, or the context line before or after it, is
/// longer than [`MAX_SNIPPET_LINE`].
fn snippet_too_long(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let before = text[..line_start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let after = text[line_end..]
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '\n')
        .map_or(text.len(), |(i, _)| line_end + i);
    line_end - line_start > MAX_SNIPPET_LINE
        || line_start.saturating_sub(1) - before > MAX_SNIPPET_LINE
        || after - line_end > MAX_SNIPPET_LINE + 1
}

/// Length of the token at the start of `rest`: up to the end of the line or a
/// YAML separator, at least one byte when anything is left.
fn snippet_len(rest: &str) -> usize {
    let end = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '\n' | '\r' | ',' | '}' | ']' | '#'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let trimmed = rest[..end].trim_end().len();
    if trimmed == 0 {
        rest.chars().next().map(|c| c.len_utf8()).unwrap_or(0)
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same text as `format!`, in an allocation of exactly its length.
    #[test]
    fn exact_format_allocates_exactly_the_text() {
        let id = "ct-tube-\u{4e2d}";
        let text = exact_format(format_args!(
            "item `{id}` is unmapped: it has neither supply, requires nor import_share"
        ));
        assert_eq!(
            text,
            format!("item `{id}` is unmapped: it has neither supply, requires nor import_share")
        );
        assert_eq!(text.capacity(), text.len());
        assert_eq!(exact_format(format_args!("")).capacity(), 0);
    }

    /// The windowed source must hand miette exactly what miette's own `str`
    /// source would: same text, span, line, column — at every offset, for
    /// every line-break style and context size.
    #[test]
    fn windowed_spans_equal_whole_text_spans() {
        use miette::SourceCode;
        let text = "a: 1\nb: [x,\r\n  y]\r\n\nc: 3\rd: 4\n  - e\nlast";
        let shared = SharedText::new(text);
        for start in 0..text.len() {
            for len in [0, 1, 3, 9] {
                if start + len > text.len() {
                    continue;
                }
                for context in 0..3 {
                    let span = miette::SourceSpan::new(start.into(), len);
                    let want = text.read_span(&span, context, context);
                    let got = shared.read_span(&span, context, context);
                    let (Ok(want), Ok(got)) = (want, got) else {
                        panic!("read_span failed at {start}+{len}, context {context}");
                    };
                    let at = format!("{start}+{len}, context {context}");
                    assert_eq!(got.data(), want.data(), "{at}");
                    assert_eq!(got.span(), want.span(), "{at}");
                    assert_eq!(got.line(), want.line(), "{at}");
                    assert_eq!(got.column(), want.column(), "{at}");
                }
            }
        }
    }

    #[test]
    fn huge_lines_are_not_quoted() {
        let long = "x".repeat(MAX_SNIPPET_LINE + 1);
        let short = "a: 1\nb: 2\nc: 3\n";
        assert!(!snippet_too_long(short, 5));
        // The line itself, the line before, the line after.
        assert!(snippet_too_long(&format!("a: {long}\n"), 0));
        assert!(snippet_too_long(
            &format!("{long}\nb: 2\n"),
            MAX_SNIPPET_LINE + 2
        ));
        assert!(snippet_too_long(&format!("b: 2\n{long}\n"), 0));
        // Two lines away is outside the snippet's context.
        assert!(!snippet_too_long(&format!("b: 2\nc: 3\n{long}\n"), 0));
        let files = vec![SourceFile {
            path: "g.yaml".into(),
            text: format!("k: \"{long}\n"),
        }];
        let loc = Location {
            file: 0,
            line: 1,
            column: 4,
            offset: 3,
        };
        let d = Diagnostic::new(Code::YamlSyntax, loc, "unclosed").hint("close it");
        assert_eq!(
            d.render(&files, false),
            "g.yaml:1:4: error[E001]: unclosed\n  help: close it\n"
        );
    }
}
