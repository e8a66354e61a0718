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
    /// E022: a `disruption_probability` outside [0, 1].
    ProbabilityOutOfRange,
    /// E023: suppliers' `parent` chain forms a cycle.
    ParentCycle,
    /// E024: an item with standby sources and no regular source.
    StandbyOnly,
    /// E025: an `any_of` whose every member has `qualify_days` above 0.
    AnyOfNotQualified,
    /// I001: an input table or workbook cannot be read (missing, not a regular file, too large, not a workbook, no such sheet).
    ImportUnreadable,
    /// I002: a table is not valid in its encoding.
    ImportEncoding,
    /// I003: a row whose field count differs from the header's; unreadable CSV; a quote never closed.
    ImportMalformed,
    /// I004: a required column is missing (once per table); an empty table.
    ImportMissingColumn,
    /// I005: a column name appears twice in the header.
    ImportDuplicateColumn,
    /// I006: a required cell is empty.
    ImportEmptyCell,
    /// I007: a cell that should hold a number (or a level) does not.
    ImportNotANumber,
    /// I008: a number out of range (fraction outside [0,1], negative days or value, qty ≤ 0).
    ImportOutOfRange,
    /// I009: NaN or infinite.
    ImportNotFinite,
    /// I010: `_low` above `_high`.
    ImportLowAboveHigh,
    /// I011: an unknown item kind.
    ImportUnknownKind,
    /// I012: not an ISO 3166-1 alpha-2 country code nor a known country name.
    ImportCountry,
    /// I014: the same child twice under one parent (or twice in one group).
    ImportDuplicateChild,
    /// I015: an item attribute (kind, name, name_zh) differs between rows.
    ImportItemConflict,
    /// I016: rows of one alternate group disagree on qty or cost share.
    ImportGroupConflict,
    /// I017: supplier data (country, names) differs between rows or tables.
    ImportSupplierConflict,
    /// I020: a supply row or a source's inputs name an item that is in no table.
    ImportUnknownItem,
    /// I022: `_low` without `_high`, or the reverse.
    ImportHalfRange,
    /// I023: the same item, supplier and site twice.
    ImportDuplicateSupply,
    /// I024: qty, cost share or group on a row without a parent.
    ImportParentless,
    /// I025: an id declared twice in an items, suppliers or countries table.
    ImportDuplicateId,
    /// I026: an unknown key in `meta.csv`.
    ImportUnknownMetaKey,
    /// I028: (warning) a column the importer does not use.
    ImportUnusedColumn,
    /// I029: an unknown requirement `role`.
    ImportUnknownRole,
    /// I030: a source's `requires` cell that is neither `bom` nor a list of item ids.
    ImportSourceInputs,
    /// I031: an indented BOM's level that does not follow from the row above.
    ImportLevel,
    /// A001: an actions file of the wrong shape (YAML syntax, an unknown key, a wrong type, an entry without exactly one action).
    ActionsFile,
    /// A002: an action that does not fit the graph (an unknown item, supplier or country, a share out of range, a requires cycle, an id used twice).
    ActionInvalid,
    /// R001: a risk-weights file of the wrong shape (YAML syntax, an unknown key, a wrong type).
    WeightsFile,
    /// R002: risk weights that are negative, not finite, or do not sum to 1.
    WeightsValue,
    /// U001: a flag, an argument or a combination of them that does not fit (the command line or the graph it names).
    Usage,
    /// U002: output that cannot be made: a file or standard output that cannot be written, a tool (Graphviz `dot`) that failed.
    Output,
    /// U003: the cut-set search (or the probability diagram of `--importance`) reached its limit.
    SearchLimit,
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
            ProbabilityOutOfRange => "E022",
            ParentCycle => "E023",
            StandbyOnly => "E024",
            AnyOfNotQualified => "E025",
            ImportUnreadable => "I001",
            ImportEncoding => "I002",
            ImportMalformed => "I003",
            ImportMissingColumn => "I004",
            ImportDuplicateColumn => "I005",
            ImportEmptyCell => "I006",
            ImportNotANumber => "I007",
            ImportOutOfRange => "I008",
            ImportNotFinite => "I009",
            ImportLowAboveHigh => "I010",
            ImportUnknownKind => "I011",
            ImportCountry => "I012",
            ImportDuplicateChild => "I014",
            ImportItemConflict => "I015",
            ImportGroupConflict => "I016",
            ImportSupplierConflict => "I017",
            ImportUnknownItem => "I020",
            ImportHalfRange => "I022",
            ImportDuplicateSupply => "I023",
            ImportParentless => "I024",
            ImportDuplicateId => "I025",
            ImportUnknownMetaKey => "I026",
            ImportUnusedColumn => "I028",
            ImportUnknownRole => "I029",
            ImportSourceInputs => "I030",
            ImportLevel => "I031",
            ActionsFile => "A001",
            ActionInvalid => "A002",
            WeightsFile => "R001",
            WeightsValue => "R002",
            Usage => "U001",
            Output => "U002",
            SearchLimit => "U003",
            SupplyUnattributed => "W001",
            Unmapped => "W002",
            UnusedSupplier => "W003",
            EmptyFile => "W004",
            OnlyImportShare => "W005",
            EmptyBom => "W006",
        }
    }

    /// Every code, in declaration order (the codes test and docs/diagnostics.md
    /// enumerate them).
    pub const ALL: &'static [Code] = &[
        Code::YamlSyntax,
        Code::UnknownKey,
        Code::WrongType,
        Code::MissingKey,
        Code::DuplicateId,
        Code::UnknownReference,
        Code::RequiresCycle,
        Code::OutOfRange,
        Code::SupplyShareSum,
        Code::CostShareSum,
        Code::LowAboveHigh,
        Code::MultipleMeta,
        Code::InvalidCountryCode,
        Code::EmptySystem,
        Code::Io,
        Code::DuplicateKey,
        Code::InvalidValue,
        Code::Limit,
        Code::ValueOutsideRange,
        Code::InvalidDate,
        Code::SourceRequirementKey,
        Code::ProbabilityOutOfRange,
        Code::ParentCycle,
        Code::StandbyOnly,
        Code::AnyOfNotQualified,
        Code::ImportUnreadable,
        Code::ImportEncoding,
        Code::ImportMalformed,
        Code::ImportMissingColumn,
        Code::ImportDuplicateColumn,
        Code::ImportEmptyCell,
        Code::ImportNotANumber,
        Code::ImportOutOfRange,
        Code::ImportNotFinite,
        Code::ImportLowAboveHigh,
        Code::ImportUnknownKind,
        Code::ImportCountry,
        Code::ImportDuplicateChild,
        Code::ImportItemConflict,
        Code::ImportGroupConflict,
        Code::ImportSupplierConflict,
        Code::ImportUnknownItem,
        Code::ImportHalfRange,
        Code::ImportDuplicateSupply,
        Code::ImportParentless,
        Code::ImportDuplicateId,
        Code::ImportUnknownMetaKey,
        Code::ImportUnusedColumn,
        Code::ImportUnknownRole,
        Code::ImportSourceInputs,
        Code::ImportLevel,
        Code::ActionsFile,
        Code::ActionInvalid,
        Code::WeightsFile,
        Code::WeightsValue,
        Code::Usage,
        Code::Output,
        Code::SearchLimit,
        Code::SupplyUnattributed,
        Code::Unmapped,
        Code::UnusedSupplier,
        Code::EmptyFile,
        Code::OnlyImportShare,
        Code::EmptyBom,
    ];

    /// The general fix for a problem of this code: the hint of a diagnostic
    /// that gives no more specific one, so that every diagnostic has a hint.
    pub fn hint(self) -> &'static str {
        use Code::*;
        match self {
            YamlSyntax => "fix the YAML syntax at this position (indentation, quotes, brackets)",
            UnknownKey => "remove the key, or correct its spelling (docs/format.md lists the keys)",
            WrongType => "write the value in the type docs/format.md gives for this key",
            MissingKey => "add the key (docs/format.md lists the required keys)",
            DuplicateId => "ids are global across all files of a graph; rename or remove one",
            UnknownReference => "declare the entity, or correct the spelling of its id",
            RequiresCycle => "an item cannot require itself, directly or through other items; remove one requirement of the cycle",
            OutOfRange => "write a number inside the key's range (docs/format.md)",
            SupplyShareSum => "shares are fractions of the item's whole supply; lower them so they sum to at most 1",
            CostShareSum => "cost shares are fractions of the parent's cost; they may sum to at most 1",
            LowAboveHigh => "swap `low` and `high`, or correct one of them",
            MultipleMeta => "keep one `meta` for the whole graph",
            InvalidCountryCode => "write an ISO 3166-1 alpha-2 code such as CN, US or DE",
            EmptySystem => "list its subsystems under `requires:`, its sources under `supply:`, or change its kind",
            Io => "check that the path exists, is a regular file and is readable",
            DuplicateKey => "keep one of the two keys",
            InvalidValue => "use one of the allowed words (docs/format.md)",
            Limit => "see docs/robustness.md for the input limits",
            ValueOutsideRange => "make `value` lie between `low` and `high`",
            InvalidDate => "write the date as YYYY-MM-DD",
            SourceRequirementKey => "a source's own `requires` lists items only; move qty, cost_share and role to the item's `requires`",
            ProbabilityOutOfRange => "write a probability per year between 0 and 1 (0.05 is once in twenty years)",
            ParentCycle => "a company cannot own itself; remove one `parent` of the cycle",
            StandbyOnly => "give the item a regular source, or drop `standby: true` from one of its sources",
            AnyOfNotQualified => "one member of an `any_of` must be usable today: give it no `qualify_days` (or 0)",
            ImportUnreadable => "check the path, or name an existing sheet with --sheet / --supply-sheet",
            ImportEncoding => "save the file as UTF-8, or pass its --encoding (utf-16le, utf-16be, windows-1252, gbk)",
            ImportMalformed => "give every row as many fields as the header; quote cells that hold the delimiter, and close every quote",
            ImportMissingColumn => "name the column as docs/interop.md lists under \"Header names\", or map it with --columns or --col-*",
            ImportDuplicateColumn => "rename or remove one of the two columns",
            ImportEmptyCell => "fill the cell, or remove the row",
            ImportNotANumber => "write a number such as `2`, `0.5` or `50%` (with --decimal comma: `0,5`)",
            ImportOutOfRange => "fractions lie in [0, 1], days and values are at least 0, quantities above 0",
            ImportNotFinite => "write a finite number",
            ImportLowAboveHigh => "swap the two, or correct one of them",
            ImportUnknownKind => "use one of system, subsystem, module, part, material, service",
            ImportCountry => "write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name",
            ImportDuplicateChild => "merge the two rows into one (add their quantities)",
            ImportItemConflict => "give the item the same value on every row, or leave all but one empty",
            ImportGroupConflict => "give every row of the group the same qty and cost share",
            ImportSupplierConflict => "give the supplier the same country and names everywhere, or leave all but one empty",
            ImportUnknownItem => "add the item to the BOM or the items table, or correct the id",
            ImportHalfRange => "give both ends of the range, or neither",
            ImportDuplicateSupply => "merge the two rows into one (add their shares)",
            ImportParentless => "give the row its parent, or pass --root with the assembly the top-level rows belong to",
            ImportDuplicateId => "keep one row per id",
            ImportUnknownMetaKey => "use one of the keys title, home, currency, as_of",
            ImportUnusedColumn => "map it with --columns if it holds a column the importer knows, or remove it",
            ImportUnknownRole => "use `production` or `design`",
            ImportSourceInputs => "write `bom`, item ids separated by `;` (alternatives by `|`), or a JSON list",
            ImportLevel => "a row lies one level below the row it belongs to; write its level as a number (`2`), dots and a number (`..2`) or dots (`..`)",
            ActionsFile => "write the file as docs/mitigate.md shows: `actions:` and a list of add_source, raise_stock, qualify_alternative or qualify_standby entries",
            ActionInvalid => "name items, suppliers and countries of the graph, and give each action its own id",
            WeightsFile => "write a mapping of the weights import, country, supplier, recovery, buffer and controls, e.g. `{ import: 0.5, country: 0.5 }`",
            WeightsValue => "give finite weights of 0 or more that sum to 1 (a missing key counts 0)",
            Usage => "run `chokepoint <command> --help` for the flags and an example",
            Output => "check that the output's directory exists and is writable, that the path is a regular file or absent, and that the disk has room",
            SearchLimit => "narrow the question: a lower --order, --by country (fewer events), or one --system",
            SupplyUnattributed => "the known sources stand for the whole supply in the metrics",
            Unmapped => "add its suppliers, its inputs, or an `import_share` estimate",
            UnusedSupplier => "add it to an item's `supply`, or remove it",
            EmptyFile => "remove the file or add graph entries",
            OnlyImportShare => "give it supply entries by country",
            EmptyBom => "list the item's bill of materials under its own `requires:`, or give the source its own list",
        }
    }

    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') || self == Code::ImportUnusedColumn {
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

/// The diagnostic on one line without its file (a located one has its
/// file's index only): `path: message` for a place given as text (the
/// actions and weights files), `line:column: message` for a location.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.loc, &self.path) {
            (Some(loc), _) => write!(f, "{}:{}: {}", loc.line, loc.column, self.message),
            (None, Some(path)) => write!(f, "{path}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl Diagnostic {
    pub fn new(code: Code, loc: Location, message: impl Into<String>) -> Self {
        Self::placed(code, Some(loc), None, message.into())
    }

    pub fn unlocated(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::placed(code, None, Some(path.into()), message.into())
    }

    /// A problem with neither a place in a file nor a path of its own (the
    /// command line: a flag that does not fit, an output that cannot be
    /// written); the message names what it is about.
    pub fn plain(code: Code, message: impl Into<String>) -> Self {
        Self::placed(code, None, None, message.into())
    }

    fn placed(code: Code, loc: Option<Location>, path: Option<String>, message: String) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message,
            loc,
            hint: None,
            path,
        }
    }

    /// A serde_yaml error of a small input named on the command line (an
    /// actions or weights file), placed at `origin:line:column` by text.
    pub fn from_serde_yaml(code: Code, origin: &str, e: &serde_yaml::Error) -> Self {
        let at = match e.location() {
            Some(l) => format!("{origin}:{}:{}", l.line(), l.column()),
            None => origin.to_string(),
        };
        // The place is in `at`; drop serde_yaml's own " at line L column C".
        let mut message = e.to_string();
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        Diagnostic::unlocated(code, at, message)
    }

    pub fn hint(mut self, hint: impl Into<Cow<'static, str>>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The hint: the diagnostic's own, else its code's general fix
    /// ([`Code::hint`]). Never empty.
    pub fn help(&self) -> &str {
        self.hint.as_deref().unwrap_or(self.code.hint())
    }

    /// "path:line:column" of this diagnostic in `files` (the path alone for a
    /// problem with no place in a file; `None` when there is neither).
    pub fn location(&self, files: &[SourceFile]) -> Option<String> {
        match (self.loc, &self.path) {
            (Some(loc), _) => files
                .get(loc.file as usize)
                .map(|f| f.place(loc.line, loc.column)),
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
            out.push_str(&format!("  help: {}\n", printable(self.help())));
            return out;
        };
        let Some(file) = files.get(loc.file as usize) else {
            return out;
        };
        let offset = (loc.offset as usize).min(file.text.len());
        if snippet_too_long(&file.text, offset) {
            // Quoting a huge line (a 50 MB string, a minified file) would copy it
            // into the report: the location line above says where to look.
            out.push_str(&format!("  help: {}\n", printable(self.help())));
            return out;
        }
        let len = snippet_len(&file.text[offset..]);
        let mut diag = MietteDiagnostic::new(printable(&self.message))
            .with_severity(match self.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(LabeledSpan::at(offset..offset + len, "here"));
        diag = diag.with_help(printable(self.help()));
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
        let files = vec![SourceFile::new("g.yaml", format!("k: \"{long}\n"))];
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
