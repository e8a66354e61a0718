//! CSV import: a flat BOM and a supply table (or the tables `export --format csv`
//! writes) → a [`Model`] that the YAML writer turns into a graph `check` accepts.
//!
//! Owns: reading CSV (UTF-8 with or without a byte-order mark, UTF-16, GB18030/GBK
//! and Windows-1252, the delimiter and decimal mark detected, cells trimmed),
//! configurable column names, the problems of reading cells (codes I001…), and
//! the rules that turn rows into a `load` draft of items, requirements,
//! suppliers and supply edges located in the tables (docs/interop.md).
//! Never: checks what `load::validate` checks (ids, references, cycles, share
//! sums, empty systems: the draft goes through it, one validation path), stops
//! at the first bad row (every problem is collected, each located by file, row
//! and column), guesses a value it cannot parse, or touches the disk except to
//! read the files it is given.

use crate::load::{Code, Diagnostic, LoadError, Loaded};
use crate::model::*;
use indexmap::IndexMap;
use std::collections::HashMap;
use std::path::Path;

/// One input table: a display name for messages and its raw bytes.
#[derive(Clone, Debug)]
pub struct CsvFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// `Some`: the bytes are a workbook (`.xlsx`, `.xls`, `.ods`) and the
    /// table is this sheet of it.
    pub sheet: Option<String>,
}

impl CsvFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        CsvFile {
            name: name.into(),
            bytes: bytes.into(),
            sheet: None,
        }
    }

    /// Reads a file through [`crate::load::read_input`] (regular files only,
    /// at most [`crate::load::MAX_FILE_BYTES`]); a read failure is problem I001.
    pub fn read(path: &Path) -> Result<CsvFile, Diagnostic> {
        use crate::load::{ReadFailure, MAX_FILE_BYTES};
        let name = path.display().to_string();
        match crate::load::read_input(path, MAX_FILE_BYTES) {
            Ok(bytes) => Ok(CsvFile {
                name,
                bytes,
                sheet: None,
            }),
            Err(e) => Err(Diagnostic::unlocated(
                Code::ImportUnreadable,
                name,
                match e {
                    ReadFailure::Io(e) => format!("cannot read the file: {e}"),
                    ReadFailure::NotRegular(what) => {
                        format!("cannot read the file: {what}, not a regular file")
                    }
                    ReadFailure::TooLarge(_) => format!(
                        "the file is larger than the limit of {MAX_FILE_BYTES} bytes; split it"
                    ),
                },
            )),
        }
    }
}

/// File names of the tables in a directory written by `export --format csv`.
pub mod table_names {
    pub const REQUIREMENTS: &str = "requirements.csv";
    pub const SUPPLY: &str = "supply.csv";
    pub const ITEMS: &str = "items.csv";
    pub const SUPPLIERS: &str = "suppliers.csv";
    pub const COUNTRIES: &str = "countries.csv";
    pub const META: &str = "meta.csv";
    pub const REFERENCES: &str = "references.csv";
}

/// The tables to import; every one is optional, but at least a BOM or an items table
/// is needed for a useful graph.
#[derive(Clone, Debug, Default)]
pub struct CsvInput {
    /// parent, child, qty, cost_share, group, kind, name, name_zh.
    pub bom: Option<CsvFile>,
    /// item, supplier, supplier_country, site_country, share, supplier_name, supplier_name_zh.
    pub supply: Option<CsvFile>,
    /// id, kind, name, name_zh, market_value, import_share, stock_days, recovery_days,
    /// export_controls, note.
    pub items: Option<CsvFile>,
    /// id, name, name_zh, country, note.
    pub suppliers: Option<CsvFile>,
    /// id, name, name_zh.
    pub countries: Option<CsvFile>,
    /// key, value (title, home, currency, as_of).
    pub meta: Option<CsvFile>,
}

impl CsvInput {
    /// The tables of a directory written by `export --format csv` (missing ones are skipped).
    pub fn from_dir(dir: &Path) -> Result<CsvInput, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut take = |name: &str| {
            let p = dir.join(name);
            if !p.exists() {
                return None;
            }
            match CsvFile::read(&p) {
                Ok(f) => Some(f),
                Err(e) => {
                    problems.push(e);
                    None
                }
            }
        };
        let input = CsvInput {
            bom: take(table_names::REQUIREMENTS),
            supply: take(table_names::SUPPLY),
            items: take(table_names::ITEMS),
            suppliers: take(table_names::SUPPLIERS),
            countries: take(table_names::COUNTRIES),
            meta: take(table_names::META),
        };
        if input.bom.is_none() && input.items.is_none() && problems.is_empty() {
            problems.push(Diagnostic::unlocated(
                Code::ImportUnreadable,
                dir.display().to_string(),
                format!(
                    "neither {} nor {} is in this directory",
                    table_names::REQUIREMENTS,
                    table_names::ITEMS
                ),
            ).hint("point to a directory written by `export --format csv`, or to the BOM file itself"));
        }
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }
}

/// How the BOM and supply tables are read: which header names mean which column
/// (the synonym table [`SYNONYMS`], overridden by `--col-*` flags or a
/// `--columns` file), the delimiter and the decimal mark.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// Column (as in [`SYNONYMS`]) → the header name that holds it. A column
    /// named here is found by this name only.
    pub names: std::collections::BTreeMap<String, String>,
    /// `None`: detected from the header line (`,` `;` tab `|`).
    pub delimiter: Option<u8>,
    pub decimal: Decimal,
    /// `None`: detected (a byte-order mark, else UTF-8, else GB18030 or
    /// Windows-1252 by the rule of [`legacy_encoding`]).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The assembly the top-level rows of an indented BOM belong to, for
    /// exports that name it only in a report header (SAP CS12).
    pub root: Option<String>,
}

/// The decimal mark of numbers in the tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decimal {
    /// `0.25`; in a file not separated by commas, also `0,25` (docs/interop.md).
    #[default]
    Auto,
    /// `0.25` only (`1,234` is an error).
    Point,
    /// `0,25`, with `.` as the thousands separator (`1.234,5`).
    Comma,
}

impl Columns {
    /// Names `column` (a key of [`SYNONYMS`]) as `header`; an unknown column is an error.
    pub fn set(&mut self, column: &str, header: &str) -> Result<(), String> {
        if !SYNONYMS.iter().any(|(c, _)| *c == column) {
            let known: Vec<&str> = SYNONYMS.iter().map(|(c, _)| *c).collect();
            let hint = crate::load::closest(column, &known)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown column `{column}`{hint}; columns are: {}",
                known.join(", ")
            ));
        }
        self.names.insert(column.to_string(), header.to_string());
        Ok(())
    }
}

/// The header names each column of the BOM and supply tables is found by,
/// besides its own name: what ERP systems (SAP, Oracle, Kingdee, Yonyou) and
/// spreadsheets call it, in English and Chinese. Compared case-insensitively,
/// with `_`, `-` and `.` read as spaces. docs/interop.md lists them.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    // The BOM table.
    (
        "parent",
        &[
            "parent part",
            "parent item",
            "parent material",
            "parent id",
            "assembly",
            "父件",
            "父项",
            "父件编码",
            "父项编码",
            "父项物料编码",
            "父件物料编码",
            "父项物料",
            "母件",
            "母件编码",
            "上级物料",
        ],
    ),
    (
        "child",
        &[
            "component",
            "child part",
            "child item",
            "component part",
            "component number",
            "component item",
            "component material",
            "子件",
            "子项",
            "子件编码",
            "子项编码",
            "子项物料编码",
            "子件物料编码",
            "子项物料",
            "组件",
        ],
    ),
    (
        "qty",
        &[
            "qty per",
            "quantity",
            "quantity per",
            "qty per assembly",
            "qty per parent",
            "comp qty",
            "comp qty (bun)",
            "component quantity",
            "usage",
            "用量",
            "数量",
            "单位用量",
        ],
    ),
    ("cost_share", &["cost share", "成本占比"]),
    ("group", &["alternate group", "alt group", "替代组"]),
    ("kind", &["item kind", "类别"]),
    (
        "name",
        &[
            "description",
            "component description",
            "object description",
            "item description",
            "material description",
            "part name",
            "物料描述",
            "名称",
            "物料名称",
            "子件名称",
        ],
    ),
    ("name_zh", &["chinese name", "中文名称"]),
    (
        "level",
        &[
            "bom level",
            "explosion level",
            "lvl",
            "level code",
            "层次",
            "层级",
            "阶层",
            "级别",
            "阶次",
            "bom层级",
        ],
    ),
    ("role", &["requirement role", "用途"]),
    (
        "vendor",
        &[
            "supplier",
            "vendor name",
            "manufacturer",
            "供应商",
            "供应商名称",
            "厂商",
        ],
    ),
    (
        "vendor_country",
        &[
            "vendor country",
            "supplier country",
            "country of origin",
            "origin",
            "供应商国家",
            "原产国",
            "产地",
            "国家",
            "供应商国别",
        ],
    ),
    (
        "vendor_share",
        &["vendor share", "quota", "配额", "供货比例"],
    ),
    (
        "unit_price",
        &[
            "unit price",
            "price",
            "unit cost",
            "standard price",
            "单价",
            "标准单价",
        ],
    ),
    (
        "lead_time",
        &[
            "lead time",
            "lead time days",
            "lead time (days)",
            "交期",
            "采购周期",
            "交货期",
        ],
    ),
    // The supply table.
    ("item", &["part", "material", "物料", "物料编码"]),
    (
        "supplier",
        &["vendor", "supplier id", "vendor id", "供应商编码"],
    ),
    (
        "supplier_country",
        &["vendor country", "supplier country", "供应商国家"],
    ),
    (
        "site_country",
        &["site country", "country of origin", "原产国", "产地"],
    ),
    ("share", &["quota", "配额", "供货比例"]),
    (
        "supplier_name",
        &["vendor name", "supplier name", "供应商名称"],
    ),
    ("supplier_name_zh", &["供应商中文名称"]),
    ("requires", &["source requires", "source inputs"]),
];

/// A header cell folded for comparison: lower case, `_` `-` `.` as spaces,
/// spaces collapsed.
fn fold_header(h: &str) -> String {
    h.to_lowercase()
        .replace(['_', '-', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `meta` values given on the command line; they override a meta table.
#[derive(Clone, Debug, Default)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub home: Option<String>,
    pub currency: Option<String>,
    pub as_of: Option<String>,
}

/// Imports the tables into a validated model, its files the tables' texts.
/// Either every row is good and the model comes back with its warnings (the
/// importer's and the graph's), or every problem found is returned: the
/// problems of reading cells, then what `load::validate` finds in the draft.
pub fn import(
    input: &CsvInput,
    cols: &Columns,
    overrides: &MetaOverrides,
) -> Result<Loaded, LoadError> {
    let mut b = Builder {
        decimal: cols.decimal,
        ..Builder::default()
    };
    let tables: Vec<(Kind, &CsvFile)> = [
        (Kind::Meta, &input.meta),
        (Kind::Countries, &input.countries),
        (Kind::Suppliers, &input.suppliers),
        (Kind::Items, &input.items),
        (Kind::Bom, &input.bom),
        (Kind::Supply, &input.supply),
    ]
    .into_iter()
    .filter_map(|(k, f)| f.as_ref().map(|f| (k, f)))
    .collect();
    for (kind, file) in tables {
        let index = b.sources.len() as u32;
        let read = read_table(file, index, cols);
        let mut source = SourceFile::new(file.name.clone(), read.text);
        source.sheet = file.sheet.clone();
        let lost = read.whole.is_some() || !read.problems.is_empty();
        if let Some((code, message)) = read.whole {
            b.problems
                .push(Diagnostic::unlocated(code, source.sheet_place(), message));
        }
        b.sources.push(source);
        b.readings.push((read.delimiter, read.quoted));
        for p in read.problems {
            let at = At {
                file: index,
                row: p.line as u32,
                column: p.column as u32,
                offset: p.start as u32,
            };
            b.error(p.code, &at, p.message);
        }
        if matches!(kind, Kind::Bom) && lost {
            // Rows were lost: a parent left empty is not a second mistake.
            b.bom_incomplete = Some(index);
        }
        let Some(table) = read.table else {
            continue;
        };
        match kind {
            Kind::Meta => b.meta_table(&table),
            Kind::Countries => b.countries_table(&table),
            Kind::Suppliers => b.suppliers_table(&table),
            Kind::Items => b.items_table(&table),
            Kind::Bom => b.bom_table(&table, cols),
            Kind::Supply => b.supply_table(&table, cols),
        }
    }
    b.apply_overrides(overrides);
    b.finish()
}

#[derive(Clone, Copy)]
enum Kind {
    Meta,
    Countries,
    Suppliers,
    Items,
    Bom,
    Supply,
}

/// A place in an input table: the table (an index into `Builder::sources`),
/// the row (the line where the record starts), the 1-based column and the
/// byte offset where the row starts in the table's text (the cell's own offset
/// is found from it when the place becomes a [`Location`]). Sixteen bytes: a
/// million-row BOM keeps several per row.
#[derive(Clone, Copy, Debug)]
struct At {
    file: u32,
    row: u32,
    column: u32,
    offset: u32,
}

/// A parsed table. The cells of all rows lie end to end in one string (a
/// million-row BOM would otherwise be three million small strings).
struct Table {
    file: u32,
    delimiter: u8,
    header: Vec<String>,
    text: String,
    /// End offset in `text` of every cell; row `r` has cells `r * width ..`.
    ends: Vec<u32>,
    /// The line where each row starts.
    lines: Vec<u32>,
    /// The byte offset in the table's text where each row starts.
    starts: Vec<u32>,
    /// The header's line and byte offset.
    header_line: u32,
    header_start: u32,
}

#[derive(Clone, Copy)]
struct Row {
    line: u32,
    index: usize,
}

impl Table {
    /// The column holding `column` (a key of [`SYNONYMS`], or any other
    /// table's column name): the header `names` gives for it, else its own
    /// name or one of its synonyms (folded, docs/interop.md).
    fn find(&self, names: &Columns, column: &str) -> Option<usize> {
        if let Some(given) = names.names.get(column) {
            let given = fold_header(given);
            return self.header.iter().position(|h| fold_header(h) == given);
        }
        let synonyms = SYNONYMS
            .iter()
            .find(|(c, _)| *c == column)
            .map_or(&[][..], |(_, s)| *s);
        self.header.iter().position(|h| {
            let h = fold_header(h);
            h == fold_header(column) || synonyms.iter().any(|s| fold_header(s) == h)
        })
    }
    /// The header text of a column, for messages.
    fn name(&self, col: Option<usize>, column: &str) -> String {
        col.map_or_else(|| column.to_string(), |c| self.header[c].clone())
    }
    fn at(&self, row: Row, col: usize) -> At {
        At {
            file: self.file,
            row: row.line,
            column: col as u32 + 1,
            offset: self.starts[row.index],
        }
    }
    /// The header's first cell.
    fn header_at(&self) -> At {
        At {
            file: self.file,
            row: self.header_line,
            column: 1,
            offset: self.header_start,
        }
    }
    fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.lines
            .iter()
            .enumerate()
            .map(|(index, &line)| Row { line, index })
    }
    fn cell(&self, row: Row, col: usize) -> &str {
        let i = row.index * self.header.len() + col;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start as usize..self.ends[i] as usize]
    }
}

/// What a problem found while reading a table needs to be located: its line,
/// column and the byte offset where its line starts in the table's text.
struct ReadProblem {
    code: Code,
    line: usize,
    column: usize,
    start: usize,
    message: String,
}

/// A table as read: its text (the source of snippets: the decoded file, or a
/// sheet's rows one a line), how its cells are separated, and the parsed table
/// (`None` when a problem stopped the reading).
struct ReadTable {
    text: String,
    delimiter: u8,
    /// Whether quotes group cells (CSV); a sheet's text has no quoting.
    quoted: bool,
    table: Option<Table>,
    problems: Vec<ReadProblem>,
    /// A problem of the whole file (it has no row).
    whole: Option<(Code, String)>,
}

impl ReadTable {
    fn failed(code: Code, message: String) -> ReadTable {
        ReadTable {
            text: String::new(),
            delimiter: b',',
            quoted: true,
            table: None,
            problems: Vec::new(),
            whole: Some((code, message)),
        }
    }
}

/// The byte offset where line `line` (1-based) starts in `text`.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// The byte offset of the `column`-th cell (1-based) of the row starting at
/// `start`: past `column - 1` delimiters outside quotes, never past the row's
/// end. Found only when a place becomes a [`Location`], so rows keep one
/// offset each rather than one per cell.
fn cell_offset(text: &str, start: usize, column: u32, delimiter: u8, quoted: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = start.min(bytes.len());
    let mut field = 1;
    let mut in_quotes = false;
    while field < column && i < bytes.len() {
        match bytes[i] {
            b'"' if quoted => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b if b == delimiter && !in_quotes => field += 1,
            _ => {}
        }
        i += 1;
    }
    // Past leading spaces (cells are trimmed), but not onto the next line.
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    i
}

/// Parses the CSV text into a header and rows of trimmed cells.
fn read_table(file: &CsvFile, index: u32, opts: &Columns) -> ReadTable {
    if let Some(sheet) = &file.sheet {
        return read_sheet(file, sheet, index);
    }
    if file.bytes.len() > u32::MAX as usize {
        return ReadTable::failed(
            Code::ImportMalformed,
            "the file is larger than 4 GiB; split it".into(),
        );
    }
    let text = match decode(&file.bytes, opts.encoding) {
        Ok(t) => t.into_owned(),
        Err(bad) => {
            let row = bad.before.matches('\n').count() + 1;
            let start = bad.before.rfind('\n').map_or(0, |p| p + 1);
            let line = &bad.before[start..];
            let delimiter = opts
                .delimiter
                .unwrap_or_else(|| sniff_delimiter(&bad.before));
            let column = line.bytes().filter(|b| *b == delimiter).count() + 1;
            let how = match opts.encoding {
                Some(_) => "pass the file's own --encoding (utf-8, utf-16le, utf-16be, windows-1252, gbk)",
                None => "save it as UTF-8, or pass its --encoding (utf-16le, utf-16be, windows-1252, gbk)",
            };
            let message = format!(
                "the file is not valid {} (byte offset {}); {how}",
                bad.encoding, bad.offset
            );
            // The text up to the bad sequence is the snippet's source.
            return ReadTable {
                text: bad.before,
                delimiter,
                quoted: true,
                table: None,
                problems: vec![ReadProblem {
                    code: Code::ImportEncoding,
                    line: row,
                    column,
                    start,
                    message,
                }],
                whole: None,
            };
        }
    };
    if text.len() > u32::MAX as usize {
        return ReadTable::failed(
            Code::ImportMalformed,
            "the file is larger than 4 GiB; split it".into(),
        );
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut out = ReadTable {
        text: String::new(),
        delimiter,
        quoted: true,
        table: None,
        problems: Vec::new(),
        whole: None,
    };
    if let Some((line, field)) = unterminated_quote(&text, delimiter) {
        out.problems.push(ReadProblem {
            code: Code::ImportMalformed,
            line,
            column: field,
            start: line_start(&text, line),
            message:
                "a quoted cell is never closed: the quote opened here runs to the end of the file"
                    .into(),
        });
        out.text = text;
        return out;
    }
    out.table = parse_csv(&text, index, delimiter, &mut out.problems);
    out.text = text;
    out
}

/// The rows of a decoded CSV text (see [`read_table`]).
fn parse_csv(
    text: &str,
    index: u32,
    delimiter: u8,
    problems: &mut Vec<ReadProblem>,
) -> Option<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut header: Option<(Vec<String>, u32, u32)> = None;
    let (mut cells_text, mut ends, mut lines, mut starts) =
        (String::new(), Vec::new(), Vec::new(), Vec::new());
    let mut record = csv::StringRecord::new();
    let (mut counted_line, mut counted_to) = (1usize, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (line, start) = e.position().map_or((1, 0), |p| {
                    let end = (p.byte() as usize).min(text.len());
                    let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
                    (1 + memchr_count(&text.as_bytes()[..end]), start)
                });
                problems.push(ReadProblem {
                    code: Code::ImportMalformed,
                    line,
                    column: 0,
                    start,
                    message: format!("unreadable CSV: {e}"),
                });
                return None;
            }
        }
        // The line where the record starts, counted from its byte offset: the
        // reader's own count is one short after a CRLF line end (Excel's).
        // (After `\r` it points at the `\n`: the record starts past line ends.)
        let mut byte = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        counted_line += memchr_count(&text.as_bytes()[counted_to..byte.max(counted_to)]);
        counted_to = byte.max(counted_to);
        let line = counted_line;
        if record.iter().all(str::is_empty) {
            continue; // a blank row (e.g. `,,,` from a spreadsheet) carries nothing
        }
        match &header {
            None => {
                let cells: Vec<String> = record
                    .iter()
                    .map(|c| crate::output::csv_cell_read(c).to_string())
                    .collect();
                let mut seen: HashMap<&str, usize> = HashMap::new();
                for (i, h) in cells.iter().enumerate() {
                    if h.is_empty() {
                        continue;
                    }
                    if let Some(first) = seen.insert(h, i) {
                        problems.push(ReadProblem {
                            code: Code::ImportDuplicateColumn,
                            line,
                            column: i + 1,
                            start: byte,
                            message: format!(
                                "column `{h}` appears twice (columns {} and {})",
                                first + 1,
                                i + 1
                            ),
                        });
                    }
                }
                header = Some((cells, line as u32, byte as u32));
            }
            Some((h, _, _)) => {
                if record.len() != h.len() {
                    problems.push(ReadProblem {
                        code: Code::ImportMalformed,
                        line,
                        column: record.len().min(h.len()) + 1,
                        start: byte,
                        message: format!(
                            "the row has {} fields; the header has {}",
                            record.len(),
                            h.len()
                        ),
                    });
                    continue;
                }
                for cell in record.iter() {
                    // `'=x` from our own CSV export (formula-safe) reads back as `=x`.
                    cells_text.push_str(crate::output::csv_cell_read(cell));
                    // Cells are slices of the file, which is under 4 GiB (checked above).
                    ends.push(cells_text.len() as u32);
                }
                lines.push(line as u32);
                starts.push(byte as u32);
            }
        }
    }
    let Some((header, header_line, header_start)) = header else {
        problems.push(ReadProblem {
            code: Code::ImportMissingColumn,
            line: 1,
            column: 1,
            start: 0,
            message: "the file is empty; a header row is required".into(),
        });
        return None;
    };
    Some(Table {
        file: index,
        delimiter,
        header,
        text: cells_text,
        ends,
        lines,
        starts,
        header_line,
        header_start,
    })
}

/// The sheet names of a workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`), in order;
/// a file that is not one is problem I001.
pub fn workbook_sheets(file: &CsvFile) -> Result<Vec<String>, Diagnostic> {
    use calamine::Reader;
    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(&file.bytes[..]))
        .map(|wb| wb.sheet_names())
        .map_err(|e| {
            Diagnostic::unlocated(
                Code::ImportUnreadable,
                file.name.clone(),
                format!("cannot read the workbook: {e}"),
            )
            .hint("save it as .xlsx, or export the sheet as CSV")
        })
}

/// One sheet of a workbook as a table: rows and columns keep their places
/// (a table that starts at `B3` has row 3, column 2 at its first cell), so
/// problems name the cell (`BOM!C7`). Numbers are written in their shortest
/// form (`0.5`, `120000`); text cells are trimmed like CSV cells. The sheet's
/// text for snippets holds row N on line N, cells separated by tabs (tabs and
/// line breaks inside a cell shown as spaces).
fn read_sheet(file: &CsvFile, sheet: &str, index: u32) -> ReadTable {
    use calamine::{Data, Reader};
    let range = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(&file.bytes[..]))
        .and_then(|mut wb| wb.worksheet_range(sheet));
    let range = match range {
        Ok(r) => r,
        Err(e) => {
            return ReadTable::failed(
                Code::ImportUnreadable,
                format!("cannot read the sheet: {e}; save the workbook as .xlsx, or export the sheet as CSV"),
            )
        }
    };
    let mut out = ReadTable {
        text: String::new(),
        delimiter: b'\t',
        quoted: false,
        table: None,
        problems: Vec::new(),
        whole: None,
    };
    let Some((first_row, first_col)) = range.start() else {
        out.problems.push(ReadProblem {
            code: Code::ImportMissingColumn,
            line: 1,
            column: 1,
            start: 0,
            message: "the sheet is empty; a header row is required".into(),
        });
        return out;
    };
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => crate::output::csv_cell_read(s.trim()).to_string(),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Data::DateTime(d) => d.as_f64().to_string(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => e.to_string(),
        }
    };
    let pad = first_col as usize;
    // Rows above the range are empty lines: row N stays on line N.
    let mut source = "\n".repeat(first_row as usize);
    let mut header: Option<(Vec<String>, u32, u32)> = None;
    let (mut cells_text, mut ends, mut lines, mut starts) =
        (String::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, row) in range.rows().enumerate() {
        let line = first_row as usize + i + 1;
        let cells: Vec<String> = std::iter::repeat_n(String::new(), pad)
            .chain(row.iter().map(text))
            .collect();
        let start = source.len();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                source.push('\t');
            }
            source.extend(cell.chars().map(|c| {
                if matches!(c, '\t' | '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            }));
        }
        source.push('\n');
        if source.len() > u32::MAX as usize {
            return ReadTable::failed(
                Code::ImportMalformed,
                "the sheet holds more than 4 GiB of text; split it".into(),
            );
        }
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        // A title above the table (one cell) is not its header.
        if filled == 0 || (header.is_none() && filled == 1) {
            continue;
        }
        match &header {
            None => {
                let mut seen: HashMap<&str, usize> = HashMap::new();
                for (i, h) in cells.iter().enumerate() {
                    if h.is_empty() {
                        continue;
                    }
                    if let Some(first) = seen.insert(h, i) {
                        out.problems.push(ReadProblem {
                            code: Code::ImportDuplicateColumn,
                            line,
                            column: i + 1,
                            start,
                            message: format!(
                                "column `{h}` appears twice (columns {} and {})",
                                column_letters(first + 1),
                                column_letters(i + 1)
                            ),
                        });
                    }
                }
                header = Some((cells, line as u32, start as u32));
            }
            Some(_) => {
                for cell in &cells {
                    cells_text.push_str(cell);
                    ends.push(cells_text.len() as u32);
                }
                lines.push(line as u32);
                starts.push(start as u32);
            }
        }
    }
    out.text = source;
    let Some((header, header_line, header_start)) = header else {
        out.problems.push(ReadProblem {
            code: Code::ImportMissingColumn,
            line: first_row as usize + 1,
            column: first_col as usize + 1,
            start: line_start(&out.text, first_row as usize + 1),
            message: "the sheet has no header row (a row of two or more column names)".into(),
        });
        return out;
    };
    out.table = Some(Table {
        file: index,
        // Text cells may hold a decimal comma (`0,25`), as in a `;` file.
        delimiter: b'\t',
        header,
        text: cells_text,
        ends,
        lines,
        starts,
        header_line,
        header_start,
    });
    out
}

pub use crate::model::column_letters;

/// Where a file stopped decoding: the encoding tried, the byte offset of the
/// first bad sequence and the text before it (to locate the row).
struct BadEncoding {
    encoding: &'static str,
    offset: usize,
    before: String,
}

/// The text of a table. `given` (`--encoding`) decides; otherwise a byte-order
/// mark (UTF-8, UTF-16 LE or BE), else UTF-16 when NULs say so
/// ([`utf16_without_mark`]), else UTF-8 when the bytes are valid UTF-8, else
/// [`legacy_encoding`]. A mark of the given encoding is skipped. Valid
/// UTF-8 is borrowed: a million-row BOM is not copied.
fn decode<'b>(
    bytes: &'b [u8],
    given: Option<&'static encoding_rs::Encoding>,
) -> Result<std::borrow::Cow<'b, str>, BadEncoding> {
    use encoding_rs::{Encoding, UTF_8};
    let (encoding, body) = match (given, Encoding::for_bom(bytes)) {
        (Some(g), Some((e, len))) if g == e => (g, &bytes[len..]),
        (Some(g), _) => (g, bytes),
        (None, Some((e, len))) => (e, &bytes[len..]),
        (None, None) if bytes.contains(&0) && utf16_without_mark(bytes).is_some() => {
            (utf16_without_mark(bytes).expect("checked"), bytes)
        }
        (None, None) if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        (None, None) => (legacy_encoding(bytes), bytes),
    };
    if encoding == UTF_8 {
        return std::str::from_utf8(body)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| BadEncoding {
                encoding: "UTF-8",
                offset: bytes.len() - body.len() + e.valid_up_to(),
                before: String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned(),
            });
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len()),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(std::borrow::Cow::Owned(out)),
        // The buffer was sized for the worst case; a shortfall is reported as
        // a bad sequence at the end rather than trusted.
        encoding_rs::DecoderResult::OutputFull => Err(BadEncoding {
            encoding: encoding.name(),
            offset: bytes.len() - body.len() + read,
            before: out,
        }),
        encoding_rs::DecoderResult::Malformed(bad, unread) => Err(BadEncoding {
            encoding: encoding.name(),
            offset: (bytes.len() - body.len() + read)
                .saturating_sub(bad as usize + unread as usize),
            before: out,
        }),
    }
}

/// UTF-16 without a byte-order mark: a text table holds no NUL, while UTF-16
/// holds one in every ASCII character, so at least half of the bytes at odd
/// offsets are NUL (little-endian, `p\0a\0`) or at even ones (big-endian).
/// A stray NUL in UTF-8 text is not enough.
fn utf16_without_mark(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let half = bytes.len() / 4;
    if odd > half && odd >= even {
        Some(encoding_rs::UTF_16LE)
    } else if even > half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The encoding of a table that has no byte-order mark and is not UTF-8: the
/// Chinese GB18030 (a superset of GBK and GB2312, what Kingdee, Yonyou and a
/// Chinese Excel write) when every byte above 0x7F pairs with the next into a
/// GB2312 character (both bytes 0xA1–0xFE), else Windows-1252 (a Western
/// Excel's "CSV"), where an accented letter stands alone between ASCII ones.
/// docs/interop.md states the rule; `--encoding` overrides it.
fn legacy_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let gb = |b: u8| (0xA1..=0xFE).contains(&b);
    let mut i = 0;
    let mut pairs = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if gb(b) && bytes.get(i + 1).copied().is_some_and(gb) {
            pairs += 1;
            i += 2;
        } else {
            return encoding_rs::WINDOWS_1252;
        }
    }
    if pairs > 0 {
        encoding_rs::GB18030
    } else {
        encoding_rs::WINDOWS_1252
    }
}

/// How many line feeds `bytes` holds.
fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// The delimiter of a table: of `,` `;` tab and `|`, the one found most often
/// outside quotes on the first line that is not blank (the header); `,` on a tie.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text
        .split('\n')
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b',' => counts[0] += 1,
            b';' => counts[1] += 1,
            b'\t' => counts[2] += 1,
            b'|' => counts[3] += 1,
            _ => {}
        }
    }
    let best = (0..4).rev().max_by_key(|&i| counts[i]).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t', b'|'][best]
    }
}

/// Where a quoted cell opens that no quote closes (the csv reader would take
/// the rest of the file into it): its line and 1-based field number.
/// RFC 4180: a quote opens a quoted cell only at the start of a cell (after
/// spaces), and `""` inside one is a quote.
fn unterminated_quote(text: &str, delimiter: u8) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let (mut line, mut field, mut at_start) = (1usize, 1usize, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_start && b == b' ' {
            i += 1;
            continue;
        }
        if at_start && b == b'"' {
            let (open_line, open_field) = (line, field);
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Some((open_line, open_field)),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\n') => {
                        line += 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            at_start = false;
            continue;
        }
        at_start = false;
        if b == delimiter {
            field += 1;
            at_start = true;
        } else if b == b'\n' {
            line += 1;
            field = 1;
            at_start = true;
        }
        i += 1;
    }
    None
}

/// The value, `_low` and `_high` columns of an estimate, found once per table
/// rather than once per row.
struct EstimateCols {
    name: String,
    low_name: String,
    high_name: String,
    value: Option<usize>,
    low: Option<usize>,
    high: Option<usize>,
}

impl EstimateCols {
    /// The estimate in column `value` (found already), with the range columns
    /// named after it (`Anteil_low`) or after `column` (`cost_share_low`).
    fn new(t: &Table, column: &str, value: Option<usize>) -> Self {
        let name = t.name(value, column);
        let find = |suffix: &str| {
            let a = fold_header(&format!("{name}_{suffix}"));
            let b = fold_header(&format!("{column}_{suffix}"));
            t.header.iter().position(|h| {
                let h = fold_header(h);
                h == a || h == b
            })
        };
        let (low, high) = (find("low"), find("high"));
        EstimateCols {
            low_name: t.name(low, &format!("{name}_low")),
            high_name: t.name(high, &format!("{name}_high")),
            value,
            low,
            high,
            name,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Range {
    Fraction,
    NonNegative,
    Positive,
}

#[derive(Default)]
struct ItemDraft {
    kind: Option<(ItemKind, At)>,
    name: Option<(String, At)>,
    /// Where the item first appeared.
    first: Option<At>,
    has_parent: bool,
    /// A row about this item had an error: it is not also called empty.
    damaged: bool,
    /// What only an items table (or a `name_zh` column) gives: boxed, since
    /// most lines of a large BOM have none of it.
    extra: Option<Box<ItemExtra>>,
    requires: Vec<ReqDraft>,
    supply: Vec<SupplyDraft>,
}

#[derive(Default)]
struct ItemExtra {
    name_zh: Option<(String, At)>,
    note: Option<String>,
    market_value: Option<Box<Estimate>>,
    import_share: Option<Box<Estimate>>,
    stock_days: Option<Box<Estimate>>,
    recovery_days: Option<Box<Estimate>>,
    export_controls: Vec<String>,
    /// From an items table: a row there declares the item.
    declared: Option<At>,
    /// From the BOM's price and lead-time columns.
    unit_price: Option<(f64, At)>,
    lead_time: Option<(f64, At)>,
}

impl ItemDraft {
    fn extra_mut(&mut self) -> &mut ItemExtra {
        self.extra.get_or_insert_with(Default::default)
    }
}

struct ReqDraft {
    /// The alternate-group name, for `any_of`.
    group: Option<String>,
    /// Indices into `Builder::items`, each with the cell that named it.
    members: Vec<(u32, At)>,
    qty: f64,
    cost_share: Option<Box<Estimate>>,
    role: Role,
    /// Rows for messages: the qty cell and the cost-share cell of the first row.
    qty_at: At,
    cost_at: At,
}

struct SupplyDraft {
    /// `None`: the unnamed producers of `site`.
    supplier: Option<String>,
    share: Estimate,
    site: Option<CountryCode>,
    requires: Option<Box<InputsDraft>>,
    at: At,
}

/// A source's own inputs: `bom`, or requirements (any_of?, member item indices).
enum InputsDraft {
    Bom,
    List(Vec<(bool, Vec<u32>)>),
}

/// A source named by a BOM line's vendor columns.
struct VendorRow {
    child: u32,
    supplier: Option<String>,
    country: Option<CountryCode>,
    share: Option<Estimate>,
    at: At,
}

/// Where a row of an indented BOM belongs.
#[derive(Clone, Copy)]
enum LevelParent {
    /// A top-level row without `--root`: its child has no parent.
    Top,
    /// A top-level row under the `--root` assembly.
    Root,
    /// Under the row with this index.
    Row(u32),
    /// Under a row whose place is unknown (reported there): skipped.
    Lost,
}

/// A BOM level cell: `2`, `..2` or `..`; a problem (code, message) otherwise.
fn parse_level(text: &str, name: &str) -> Result<u32, (Code, String)> {
    let digits = text.trim_start_matches('.');
    let dots = (text.len() - digits.len()) as u32;
    if text.is_empty() {
        return Err((
            Code::ImportEmptyCell,
            format!("`{name}` is empty; every row of an indented BOM needs its level"),
        ));
    }
    if digits.is_empty() {
        return Ok(dots);
    }
    match digits.parse::<u32>() {
        Ok(n) if dots == 0 || dots == n => Ok(n),
        Ok(n) => Err((
            Code::ImportLevel,
            format!("`{name}` is `{text}`: {dots} dot(s) but level {n}; write `{}` or `{n}`", ".".repeat(n as usize) + &n.to_string()),
        )),
        Err(_) => Err((
            Code::ImportNotANumber,
            format!("`{name}` is `{text}`, not a level; write a number (`2`), dots and a number (`..2`) or dots (`..`)"),
        )),
    }
}

/// Numbers the BOM gives about an item.
#[derive(Clone, Copy)]
enum Fact {
    UnitPrice,
    LeadTime,
}

struct SupplierDraft {
    name: Option<(String, At)>,
    name_zh: Option<(String, At)>,
    country: Option<(CountryCode, At)>,
    note: Option<String>,
    declared: Option<At>,
}

#[derive(Default)]
struct Builder {
    problems: Vec<Diagnostic>,
    decimal: Decimal,
    /// The BOM (this file) lost rows or columns while being read (I003, I005).
    bom_incomplete: Option<u32>,
    /// The tables read, indexed by [`At::file`]: their texts become the
    /// model's files (the sources of snippets).
    sources: Vec<SourceFile>,
    /// How each table's cells are separated (delimiter, quoted), indexed like
    /// `sources`: to find a cell in its row.
    readings: Vec<(u8, bool)>,
    meta: Meta,
    countries: IndexMap<String, (Country, At)>,
    suppliers: IndexMap<String, SupplierDraft>,
    items: IndexMap<String, ItemDraft>,
}

/// Cells of one row, with located errors.
struct Cells<'t> {
    table: &'t Table,
    row: Row,
}

impl<'t> Cells<'t> {
    fn get(&self, col: Option<usize>) -> &'t str {
        col.map(|c| self.table.cell(self.row, c)).unwrap_or("")
    }
    fn at(&self, col: Option<usize>) -> At {
        self.table.at(self.row, col.unwrap_or(0))
    }
}

impl Builder {
    fn error(&mut self, code: Code, at: &At, message: String) {
        let loc = self.loc(at);
        self.problems.push(Diagnostic::new(code, loc, message));
    }

    /// "file:row" of a place, for messages that point at an earlier row.
    fn describe(&self, at: &At) -> String {
        self.sources[at.file as usize].place(at.row, 0)
    }

    /// Finds the columns of a table (by name, synonym or `names`); a `required`
    /// one missing is I004, once for the table; a header cell no column uses is
    /// warned about (I028). Range columns (`X_low`, `X_high`) of the estimate
    /// columns `ranges` are found beside them.
    fn columns(
        &mut self,
        t: &Table,
        names: &Columns,
        required: &[&str],
        optional: &[&str],
    ) -> Option<Vec<Option<usize>>> {
        let found: Vec<Option<usize>> = required
            .iter()
            .chain(optional)
            .map(|c| t.find(names, c))
            .collect();
        let mut ok = true;
        for (column, col) in required.iter().zip(&found) {
            if col.is_none() {
                ok = false;
                let at = t.header_at();
                let also = SYNONYMS
                    .iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, s)| format!(" or one of its synonyms ({})", s.join(", ")))
                    .unwrap_or_default();
                // A wide sheet's header is shown by its first columns only.
                let header = match t.header.len() {
                    n if n > 10 => format!("{}, … ({n} columns)", t.header[..10].join(", ")),
                    _ => t.header.join(", "),
                };
                let msg = match names.names.get(*column) {
                    Some(given) => format!(
                        "missing column `{given}` (given for `{column}`; the header has: {header})"
                    ),
                    None => format!(
                        "missing column `{column}` (the header has: {header}); name it `{column}`{also}, or map it with --columns"
                    ),
                };
                self.error(Code::ImportMissingColumn, &at, msg);
            }
        }
        // Folded once: a header of 100,000 columns is compared in linear time.
        let used_names: std::collections::HashSet<String> = found
            .iter()
            .flatten()
            .map(|&c| fold_header(&t.header[c]))
            .chain(required.iter().chain(optional).map(|c| fold_header(c)))
            .flat_map(|base| [format!("{base} low"), format!("{base} high")])
            .collect();
        let found_set: std::collections::HashSet<usize> = found.iter().flatten().copied().collect();
        let mut seen = std::collections::HashSet::new();
        let mut unused: Vec<usize> = Vec::new();
        for (i, h) in t.header.iter().enumerate() {
            // A repeated name is I005 already.
            let repeated = !seen.insert(h.as_str());
            let used = repeated || found_set.contains(&i) || used_names.contains(&fold_header(h));
            if !h.is_empty() && !used {
                unused.push(i);
            }
        }
        // One warning per table, however many columns (a spreadsheet can
        // carry thousands): the first few by name, then a count.
        const NAMED: usize = 5;
        if let Some(&first) = unused.first() {
            let names: Vec<String> = unused
                .iter()
                .take(NAMED)
                .map(|&i| format!("`{}`", t.header[i]))
                .collect();
            let message = match unused.len() {
                1 => format!("column {} is not used by the importer", names[0]),
                n if n <= NAMED => format!(
                    "{n} columns are not used by the importer: {}",
                    names.join(", ")
                ),
                n => format!(
                    "{n} columns are not used by the importer: {} and {} more",
                    names.join(", "),
                    n - NAMED
                ),
            };
            let at = At {
                column: first as u32 + 1,
                ..t.header_at()
            };
            self.error(Code::ImportUnusedColumn, &at, message);
        }
        ok.then_some(found)
    }

    fn number(
        &mut self,
        c: &Cells,
        col: Option<usize>,
        name: &str,
        range: Range,
    ) -> Result<Option<f64>, ()> {
        let text = c.get(col);
        if text.is_empty() {
            return Ok(None);
        }
        let at = c.at(col);
        // Dividing by 100 (not multiplying by 0.01) keeps "70%" exactly 0.7.
        let (digits, divisor) = match text.strip_suffix('%') {
            Some(d) if range == Range::Fraction => (d.trim_end(), 100.0),
            _ => (text, 1.0),
        };
        let comma = match self.decimal {
            Decimal::Comma => true,
            Decimal::Point => false,
            Decimal::Auto => c.table.delimiter != b',' && digits.contains(','),
        };
        let parsed = if comma {
            decimal_comma(digits).and_then(|d| d.parse::<f64>().ok())
        } else {
            digits.parse::<f64>().ok()
        };
        let Some(x) = parsed else {
            let hint = if !comma && decimal_comma(digits).is_some_and(|d| d.parse::<f64>().is_ok())
            {
                "; for a decimal comma pass --decimal comma"
            } else {
                "; write a number such as `2`, `0.5` or `50%`"
            };
            self.error(
                Code::ImportNotANumber,
                &at,
                format!("`{name}` is `{text}`, not a number{hint}"),
            );
            return Err(());
        };
        if !x.is_finite() {
            self.error(
                Code::ImportNotFinite,
                &at,
                format!("`{name}` is `{text}`; it must be a finite number"),
            );
            return Err(());
        }
        let x = x / divisor;
        let bad = match range {
            Range::Fraction => (!(0.0..=1.0).contains(&x)).then_some("between 0 and 1"),
            Range::NonNegative => (x < 0.0).then_some("0 or more"),
            Range::Positive => (x <= 0.0).then_some("above 0"),
        };
        if let Some(rule) = bad {
            self.error(
                Code::ImportOutOfRange,
                &at,
                format!("`{name}` is {text}; it must be {rule}"),
            );
            return Err(());
        }
        Ok(Some(x))
    }

    /// An estimate from its value, `_low` and `_high` columns.
    fn estimate(
        &mut self,
        c: &Cells,
        cols: &EstimateCols,
        range: Range,
    ) -> Result<Option<Estimate>, ()> {
        let (name, low_name, high_name) = (&cols.name, &cols.low_name, &cols.high_name);
        let (vc, lc, hc) = (cols.value, cols.low, cols.high);
        let value = self.number(c, vc, name, range);
        let low = self.number(c, lc, low_name, range);
        let high = self.number(c, hc, high_name, range);
        let (value, low, high) = (value?, low?, high?);
        match (low, high) {
            (Some(_), None) => {
                self.error(
                    Code::ImportHalfRange,
                    &c.at(lc),
                    format!("`{low_name}` is given without `{high_name}`"),
                );
                return Err(());
            }
            (None, Some(_)) => {
                self.error(
                    Code::ImportHalfRange,
                    &c.at(hc),
                    format!("`{high_name}` is given without `{low_name}`"),
                );
                return Err(());
            }
            (Some(l), Some(h)) if l > h => {
                self.error(
                    Code::ImportLowAboveHigh,
                    &c.at(hc),
                    format!("`{low_name}` {l} is above `{high_name}` {h}"),
                );
                return Err(());
            }
            _ => {}
        }
        Ok(Estimate::from_numbers(value, low, high))
    }

    fn country(
        &mut self,
        c: &Cells,
        col: Option<usize>,
        name: &str,
    ) -> Result<Option<CountryCode>, ()> {
        let text = c.get(col);
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(code) = iso::code_of(text) {
            return Ok(Some(CountryCode::new(code)));
        }
        let hint = match iso::closest_name(text) {
            Some((name, code)) => format!("; did you mean {name} ({code})?"),
            None => "; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name".to_string(),
        };
        self.error(
            Code::ImportCountry,
            &c.at(col),
            format!(
                "`{name}` is `{text}`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name{hint}"
            ),
        );
        Err(())
    }

    fn required<'c>(&mut self, c: &Cells<'c>, col: Option<usize>, name: &str) -> Option<&'c str> {
        let text = c.get(col);
        if text.is_empty() {
            self.error(
                Code::ImportEmptyCell,
                &c.at(col),
                format!("`{name}` is empty"),
            );
            None
        } else {
            Some(text)
        }
    }

    /// The index of item `id`, registered at `at` if it is new.
    fn item_entry(&mut self, id: &str, at: &At) -> usize {
        if let Some(ix) = self.items.get_index_of(id) {
            return ix;
        }
        grow_by_doubling(&mut self.items, usize::MAX);
        let (ix, _) = self.items.insert_full(
            id.to_string(),
            ItemDraft {
                first: Some(*at),
                ..ItemDraft::default()
            },
        );
        ix
    }

    /// Records an item attribute; a different value seen before is I015.
    fn item_attr(&mut self, id: &str, attr: &'static str, value: &str, at: At) {
        if value.is_empty() {
            return;
        }
        let kind = if attr == "kind" {
            match ItemKind::parse(value) {
                Some(k) => Some(k),
                None => {
                    self.error(
                        Code::ImportUnknownKind,
                        &at,
                        format!("unknown kind `{value}` (one of: system, subsystem, part, component, material, software)"),
                    );
                    // Its kind is unknown, so it is not also "a system that requires nothing".
                    if let Some(item) = self.items.get_mut(id) {
                        item.damaged = true;
                    }
                    return;
                }
            }
        } else {
            None
        };
        let item = self
            .items
            .get_mut(id)
            .expect("item registered before its attributes");
        let slot_old = match attr {
            "kind" => item
                .kind
                .as_ref()
                .map(|(k, a)| (k.as_str().to_string(), *a)),
            "name" => item.name.clone(),
            _ => item.extra.as_ref().and_then(|e| e.name_zh.clone()),
        };
        match slot_old {
            Some((old, old_at)) if old != value => {
                let msg = format!(
                    "`{attr}` of item `{id}` is `{value}` here but `{old}` at {}",
                    self.describe(&old_at)
                );
                self.error(Code::ImportItemConflict, &at, msg);
            }
            Some(_) => {}
            None => match attr {
                "kind" => item.kind = kind.map(|k| (k, at)),
                "name" => item.name = Some((value.to_string(), at)),
                _ => item.extra_mut().name_zh = Some((value.to_string(), at)),
            },
        }
    }

    fn meta_table(&mut self, t: &Table) {
        let Some(cols) = self.columns(t, &Columns::default(), &["key", "value"], &[]) else {
            return;
        };
        for row in t.rows() {
            let c = Cells { table: t, row };
            let key = c.get(cols[0]);
            let value = c.get(cols[1]).to_string();
            match key {
                "title" => self.meta.title = value,
                "currency" => self.meta.currency = value,
                "as_of" => self.meta.as_of = (!value.is_empty()).then_some(value),
                "home" => {
                    if let Ok(Some(code)) = self.country(&c, cols[1], "home") {
                        self.meta.home = code;
                    }
                }
                other => self.error(
                    Code::ImportUnknownMetaKey,
                    &c.at(cols[0]),
                    format!("unknown meta key `{other}` (one of: title, home, currency, as_of)"),
                ),
            }
        }
    }

    fn countries_table(&mut self, t: &Table) {
        let Some(cols) = self.columns(t, &Columns::default(), &["id"], &["name", "name_zh"]) else {
            return;
        };
        for row in t.rows() {
            let c = Cells { table: t, row };
            let Some(_) = self.required(&c, cols[0], "id") else {
                continue;
            };
            let Ok(Some(code)) = self.country(&c, cols[0], "id") else {
                continue;
            };
            let at = c.at(cols[0]);
            if let Some((_, first)) = self.countries.get(code.as_str()) {
                let msg = format!("duplicate id `{code}` (first at row {})", first.row);
                self.error(Code::ImportDuplicateId, &at, msg);
                continue;
            }
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let country = Country {
                id: code.clone(),
                name: opt(c.get(cols[1])),
                name_zh: opt(c.get(cols[2])),
                disruption_probability: None,
                loc: Location::default(),
            };
            // A country with no name adds nothing to the graph (codes need no declaration).
            if country.name.is_some() || country.name_zh.is_some() {
                self.countries.insert(code.0, (country, at));
            }
        }
    }

    fn suppliers_table(&mut self, t: &Table) {
        let Some(cols) = self.columns(
            t,
            &Columns::default(),
            &["id", "country"],
            &["name", "name_zh", "note"],
        ) else {
            return;
        };
        for row in t.rows() {
            let c = Cells { table: t, row };
            let id = self.required(&c, cols[0], "id");
            let country = match self.required(&c, cols[1], "country") {
                Some(_) => self.country(&c, cols[1], "country").ok().flatten(),
                None => None,
            };
            let (Some(id), Some(country)) = (id, country) else {
                continue;
            };
            let at = c.at(cols[0]);
            if let Some(first) = self.suppliers.get(id).and_then(|s| s.declared) {
                self.error(
                    Code::ImportDuplicateId,
                    &at,
                    format!("duplicate id `{id}` (first at row {})", first.row),
                );
                continue;
            }
            let opt = |s: &str| (!s.is_empty()).then(|| (s.to_string(), at));
            self.suppliers.insert(
                id.to_string(),
                SupplierDraft {
                    name: opt(c.get(cols[2])),
                    name_zh: opt(c.get(cols[3])),
                    country: Some((country, c.at(cols[1]))),
                    note: opt(c.get(cols[4])).map(|(s, _)| s),
                    declared: Some(at),
                },
            );
        }
    }

    fn items_table(&mut self, t: &Table) {
        const EST: [&str; 12] = [
            "market_value",
            "market_value_low",
            "market_value_high",
            "import_share",
            "import_share_low",
            "import_share_high",
            "stock_days",
            "stock_days_low",
            "stock_days_high",
            "recovery_days",
            "recovery_days_low",
            "recovery_days_high",
        ];
        let mut optional = vec!["name", "name_zh", "export_controls", "note"];
        optional.extend(EST);
        let Some(cols) = self.columns(t, &Columns::default(), &["id", "kind"], &optional) else {
            return;
        };
        let est = [
            "market_value",
            "import_share",
            "stock_days",
            "recovery_days",
        ]
        .map(|name| EstimateCols::new(t, name, t.find(&Columns::default(), name)));
        for row in t.rows() {
            let c = Cells { table: t, row };
            let Some(id) = self.required(&c, cols[0], "id") else {
                continue;
            };
            let at = c.at(cols[0]);
            if let Some(first) = self.items.get(id).and_then(|i| i.extra.as_ref()?.declared) {
                self.error(
                    Code::ImportDuplicateId,
                    &at,
                    format!("duplicate id `{id}` (first at row {})", first.row),
                );
                continue;
            }
            if self.required(&c, cols[1], "kind").is_none() {
                continue;
            }
            let market_value = self.estimate(&c, &est[0], Range::NonNegative);
            let import_share = self.estimate(&c, &est[1], Range::Fraction);
            let stock_days = self.estimate(&c, &est[2], Range::NonNegative);
            let recovery_days = self.estimate(&c, &est[3], Range::NonNegative);
            let controls: Vec<String> = c
                .get(cols[4])
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let note = c.get(cols[5]);
            let ix = self.item_entry(id, &at);
            let extra = self.items[ix].extra_mut();
            extra.declared = Some(at);
            extra.market_value = market_value.ok().flatten().map(Box::new);
            extra.import_share = import_share.ok().flatten().map(Box::new);
            extra.stock_days = stock_days.ok().flatten().map(Box::new);
            extra.recovery_days = recovery_days.ok().flatten().map(Box::new);
            extra.export_controls = controls;
            extra.note = (!note.is_empty()).then(|| note.to_string());
            self.item_attr(id, "kind", c.get(cols[1]), c.at(cols[1]));
            self.item_attr(id, "name", c.get(cols[2]), c.at(cols[2]));
            self.item_attr(id, "name_zh", c.get(cols[3]), c.at(cols[3]));
        }
    }

    fn bom_table(&mut self, t: &Table, k: &Columns) {
        const COLS: [&str; 15] = [
            "parent",
            "child",
            "qty",
            "cost_share",
            "group",
            "kind",
            "name",
            "name_zh",
            "role",
            "vendor",
            "vendor_country",
            "vendor_share",
            "unit_price",
            "lead_time",
            "level",
        ];
        // An indented BOM (a level column, SAP CS12, Oracle, Kingdee, Yonyou)
        // needs no parent column: the level places each row under the one above.
        let indented = t.find(k, "level").is_some() && t.find(k, "parent").is_none();
        let found = if indented {
            let mut optional = COLS.to_vec();
            optional.remove(1);
            self.columns(t, k, &COLS[1..2], &optional).map(|mut f| {
                let child = f.remove(0);
                f.insert(1, child);
                f
            })
        } else {
            self.columns(t, k, &COLS[..2], &COLS[2..])
        };
        let Some(cols) = found else {
            return;
        };
        let [parent_c, child_c, qty_c, cost_c, group_c, kind_c, name_c, name_zh_c, role_c, vendor_c, vcountry_c, vshare_c, price_c, lead_c, level_c]: [Option<usize>; 15] =
            cols.try_into().expect("one per column");
        let level_parents = if indented {
            Some(self.level_parents(t, level_c, child_c, k.root.is_some()))
        } else {
            None
        };
        let root = k.root.as_deref().unwrap_or("");
        let name = |col, column| t.name(col, column);
        let (child_n, qty_n, cost_n, group_n, role_n) = (
            name(child_c, "child"),
            name(qty_c, "qty"),
            name(cost_c, "cost_share"),
            name(group_c, "group"),
            name(role_c, "role"),
        );
        let (vcountry_n, price_n, lead_n) = (
            name(vcountry_c, "vendor_country"),
            name(price_c, "unit_price"),
            name(lead_c, "lead_time"),
        );
        let cost_cols = EstimateCols::new(t, "cost_share", cost_c);
        let share_cols = EstimateCols::new(t, "vendor_share", vshare_c);
        // (parent, child) of plain requirements and (parent, group) of groups → index.
        // Items by index: a million-line BOM would otherwise copy two ids per line.
        let mut plain: HashMap<(u32, u32), usize> = HashMap::new();
        let mut groups: HashMap<(u32, String), usize> = HashMap::new();
        let mut vendors: Vec<VendorRow> = Vec::new();
        for row in t.rows() {
            let c = Cells { table: t, row };
            let Some(child) = self.required(&c, child_c, &child_n) else {
                continue;
            };
            let (parent, parent_at) = match level_parents.as_ref().map(|p| p[row.index]) {
                None => (c.get(parent_c), c.at(parent_c)),
                Some(LevelParent::Top) => ("", c.at(level_c)),
                Some(LevelParent::Root) => (root, c.at(level_c)),
                Some(LevelParent::Row(r)) => {
                    let above = Row {
                        line: t.lines[r as usize],
                        index: r as usize,
                    };
                    (
                        t.cell(above, child_c.expect("found")),
                        t.at(above, child_c.expect("found")),
                    )
                }
                // Under a row whose place is unknown: reported there.
                Some(LevelParent::Lost) => continue,
            };
            let child_at = c.at(child_c);
            let parent_ix = (!parent.is_empty()).then(|| self.item_entry(parent, &parent_at));
            let child_ix = self.item_entry(child, &child_at);
            // Before any cell is checked: a bad quantity must not also make the
            // child a parentless system (one mistake, one problem).
            if parent_ix.is_some() {
                self.items[child_ix].has_parent = true;
            }
            self.item_attr(child, "kind", c.get(kind_c), c.at(kind_c));
            self.item_attr(child, "name", c.get(name_c), c.at(name_c));
            self.item_attr(child, "name_zh", c.get(name_zh_c), c.at(name_zh_c));
            if let Ok(Some(p)) = self.number(&c, price_c, &price_n, Range::NonNegative) {
                self.item_fact(child_ix, Fact::UnitPrice, p, c.at(price_c), &price_n);
            }
            if let Ok(Some(d)) = self.number(&c, lead_c, &lead_n, Range::NonNegative) {
                self.item_fact(child_ix, Fact::LeadTime, d, c.at(lead_c), &lead_n);
            }
            // Vendor columns: this line's source of the child.
            let vendor = c.get(vendor_c);
            let vcountry = self.country(&c, vcountry_c, &vcountry_n);
            let vshare = self.estimate(&c, &share_cols, Range::Fraction);
            if let (Ok(vcountry), Ok(vshare)) = (vcountry, vshare) {
                if !vendor.is_empty() {
                    let country = vcountry.map(|code| (code, c.at(vcountry_c)));
                    let names = [(vendor_c, "name", vendor.to_string())];
                    if self.supplier_entry(vendor, country, &vcountry_n, c.at(vendor_c), &names) {
                        vendors.push(VendorRow {
                            child: child_ix as u32,
                            supplier: Some(vendor.to_string()),
                            country: None,
                            share: vshare,
                            at: c.at(vendor_c),
                        });
                    }
                } else if let Some(code) = vcountry {
                    vendors.push(VendorRow {
                        child: child_ix as u32,
                        supplier: None,
                        country: Some(code),
                        share: vshare,
                        at: c.at(vcountry_c),
                    });
                } else if vshare.is_some() {
                    let msg = format!(
                        "`{}` is set, but neither a vendor nor a vendor country",
                        share_cols.name
                    );
                    self.error(Code::ImportEmptyCell, &c.at(vendor_c.or(vcountry_c)), msg);
                }
            }
            let group = c.get(group_c);
            let Some(parent_ix) = parent_ix else {
                for (col, name) in [
                    (qty_c, &qty_n),
                    (cost_c, &cost_n),
                    (group_c, &group_n),
                    (role_c, &role_n),
                ] {
                    if !c.get(col).is_empty() {
                        let hint = if indented {
                            "; pass --root with the assembly the top-level rows belong to"
                        } else {
                            ""
                        };
                        self.error(
                            Code::ImportParentless,
                            &c.at(col),
                            format!("`{name}` is set on a row without a parent{hint}"),
                        );
                    }
                }
                continue;
            };
            let qty = self.number(&c, qty_c, &qty_n, Range::Positive);
            let cost = self.estimate(&c, &cost_cols, Range::Fraction);
            let role = match c.get(role_c) {
                "" => Ok(Role::Production),
                text => Role::parse(&text.to_lowercase()).ok_or_else(|| {
                    let msg = format!("`{role_n}` is `{text}` (one of: production, design)");
                    self.error(Code::ImportUnknownRole, &c.at(role_c), msg);
                }),
            };
            let (Ok(qty), Ok(cost), Ok(role)) = (qty, cost, role) else {
                // The parent lost a requirement to this row: it is not also "empty".
                self.items[parent_ix].damaged = true;
                continue;
            };
            let qty = qty.unwrap_or(1.0);
            let existing = if group.is_empty() {
                plain.get(&(parent_ix as u32, child_ix as u32))
            } else {
                groups.get(&(parent_ix as u32, group.to_string()))
            }
            .copied();
            match existing {
                Some(ix) if group.is_empty() => {
                    let req = &self.items[parent_ix].requires[ix];
                    let same = req.qty == qty
                        && req.role == role
                        && req.cost_share.as_deref().map(|e| (e.value, e.low, e.high))
                            == cost.as_ref().map(|e| (e.value, e.low, e.high));
                    // ERP exports repeat a line once per vendor: the repeat adds a source.
                    if same && (!vendor.is_empty() || !c.get(vcountry_c).is_empty()) {
                        continue;
                    }
                    let first = req.members[0].1.row;
                    self.error(
                        Code::ImportDuplicateChild,
                        &child_at,
                        format!("`{parent}` already requires `{child}` (row {first})"),
                    );
                }
                Some(ix) => {
                    let req = &self.items[parent_ix].requires[ix];
                    if let Some((_, first)) =
                        req.members.iter().find(|(m, _)| *m as usize == child_ix)
                    {
                        let msg = format!("alternate group `{group}` of `{parent}` already lists `{child}` (row {})", first.row);
                        self.error(Code::ImportDuplicateChild, &child_at, msg);
                        continue;
                    }
                    let (old_qty, qty_row) = (req.qty, req.qty_at.row);
                    let old_cost = req.cost_share.as_ref().map(|e| (e.value, e.low, e.high));
                    let cost_row = req.cost_at.row;
                    let old_role = req.role;
                    let mut agree = true;
                    if old_qty != qty {
                        agree = false;
                        let msg = format!("alternate group `{group}` of `{parent}`: `{qty_n}` is {qty} here but {old_qty} at row {qty_row}");
                        self.error(Code::ImportGroupConflict, &c.at(qty_c), msg);
                    }
                    let new_cost = cost.as_ref().map(|e| (e.value, e.low, e.high));
                    if old_cost != new_cost {
                        agree = false;
                        let show = |e: Option<(Option<f64>, Option<f64>, Option<f64>)>| match e {
                            None => "empty".to_string(),
                            Some((v, l, h)) => estimate_text(v, l, h),
                        };
                        let msg = format!(
                            "alternate group `{group}` of `{parent}`: `{cost_n}` is {} here but {} at row {cost_row}",
                            show(new_cost),
                            show(old_cost)
                        );
                        self.error(Code::ImportGroupConflict, &c.at(cost_c), msg);
                    }
                    if old_role != role {
                        agree = false;
                        let msg = format!(
                            "alternate group `{group}` of `{parent}`: `{role_n}` is {} here but {} at row {qty_row}",
                            role.as_str(),
                            old_role.as_str()
                        );
                        self.error(Code::ImportGroupConflict, &c.at(role_c), msg);
                    }
                    if agree {
                        self.items[parent_ix].requires[ix]
                            .members
                            .push((child_ix as u32, child_at));
                    } else {
                        self.items[parent_ix].damaged = true;
                    }
                }
                None => {
                    let reqs = &mut self.items[parent_ix].requires;
                    reqs.push(ReqDraft {
                        group: (!group.is_empty()).then(|| group.to_string()),
                        members: vec![(child_ix as u32, child_at)],
                        qty,
                        cost_share: cost.map(Box::new),
                        role,
                        qty_at: c.at(qty_c),
                        cost_at: c.at(cost_c),
                    });
                    let ix = reqs.len() - 1;
                    if group.is_empty() {
                        plain.insert((parent_ix as u32, child_ix as u32), ix);
                    } else {
                        groups.insert((parent_ix as u32, group.to_string()), ix);
                    }
                }
            }
        }
        self.vendor_sources(vendors, &share_cols.name);
        if price_c.is_some() {
            self.cost_shares_from_prices();
        }
    }

    /// The sources the BOM's vendor columns name, as supply edges: the same
    /// vendor of a child on several lines counts once; without shares, the
    /// vendors of a child split its supply equally (docs/interop.md).
    /// The parent of every row of an indented BOM: the nearest row above at
    /// one level less; a row at the top level (the least level in the file)
    /// has none, or the `--root` assembly (`root`). A level is a number (`2`),
    /// dots and a number (`..2`, as SAP writes it) or dots alone (`..`). A bad
    /// level, or one deeper than the row above allows, is one problem; the
    /// rows beneath it are skipped, not reported again.
    fn level_parents(
        &mut self,
        t: &Table,
        level_c: Option<usize>,
        child_c: Option<usize>,
        root: bool,
    ) -> Vec<LevelParent> {
        let level_n = t.name(level_c, "level");
        let levels: Vec<Result<u32, (Code, String)>> = t
            .rows()
            .map(|row| parse_level(t.cell(row, level_c.expect("found")), &level_n))
            .collect();
        let top = levels.iter().flatten().copied().min().unwrap_or(0);
        // (level, row, the row's child cell is empty or the row is lost)
        let mut stack: Vec<(u32, u32, bool)> = Vec::new();
        let mut out = Vec::with_capacity(levels.len());
        for (row, level) in t.rows().zip(levels) {
            let at = t.at(row, level_c.expect("found"));
            let level = match level {
                Ok(l) => l,
                Err((code, message)) => {
                    self.error(code, &at, message);
                    self.bom_incomplete = Some(t.file);
                    // Its rows below cannot be placed: drop them down to the top.
                    stack.clear();
                    stack.push((top, row.index as u32, true));
                    out.push(LevelParent::Lost);
                    continue;
                }
            };
            while stack.last().is_some_and(|(l, _, _)| *l >= level) {
                stack.pop();
            }
            let empty = t.cell(row, child_c.expect("found")).is_empty();
            let parent = if level == top {
                if root {
                    LevelParent::Root
                } else {
                    LevelParent::Top
                }
            } else {
                match stack.last() {
                    Some(&(_, _, true)) => LevelParent::Lost,
                    Some(&(l, r, false)) if l.checked_add(1) == Some(level) => LevelParent::Row(r),
                    above => {
                        let after = match above {
                            Some(&(l, r, _)) => {
                                format!("follows level {l} (row {})", t.lines[r as usize])
                            }
                            None => format!("follows no row at level {}", level - 1),
                        };
                        let msg = format!(
                            "`{level_n}` is {level}, which {after}; a row lies one level below the row it belongs to"
                        );
                        self.error(Code::ImportLevel, &at, msg);
                        self.bom_incomplete = Some(t.file);
                        stack.push((level, row.index as u32, true));
                        out.push(LevelParent::Lost);
                        continue;
                    }
                }
            };
            let lost = empty || matches!(parent, LevelParent::Lost);
            stack.push((level, row.index as u32, lost));
            out.push(parent);
        }
        out
    }

    fn vendor_sources(&mut self, rows: Vec<VendorRow>, share_name: &str) {
        let mut by_child: IndexMap<u32, Vec<VendorRow>> = IndexMap::new();
        for r in rows {
            let list = by_child.entry(r.child).or_default();
            match list
                .iter()
                .find(|o| o.supplier == r.supplier && o.country == r.country)
            {
                Some(first) if first.share == r.share => {}
                Some(first) => {
                    let row = first.at.row;
                    let child = self.items.get_index(r.child as usize).expect("index").0;
                    let who = r.supplier.clone().unwrap_or_else(|| {
                        format!(
                            "unnamed producers in {}",
                            r.country.as_ref().expect("a country")
                        )
                    });
                    let msg =
                        format!("`{share_name}` of `{child}` from {who} differs from row {row}");
                    self.error(Code::ImportSupplierConflict, &r.at, msg);
                }
                None => list.push(r),
            }
        }
        for (child, list) in by_child {
            let given = list.iter().filter(|r| r.share.is_some()).count();
            if given != 0 && given != list.len() {
                for r in list.iter().filter(|r| r.share.is_none()) {
                    let id = self.items.get_index(child as usize).expect("index").0;
                    let msg =
                        format!("`{share_name}` is empty, but other lines of `{id}` give one");
                    self.error(Code::ImportEmptyCell, &r.at, msg);
                }
                continue;
            }
            let n = list.len();
            for r in list {
                let share = r.share.unwrap_or_else(|| match n {
                    1 => Estimate::exact(1.0),
                    _ => Estimate {
                        confidence: Some(Confidence::Low),
                        note: Some(format!(
                            "equal split: the BOM names {n} vendors and no shares"
                        )),
                        ..Estimate::exact(1.0 / n as f64)
                    },
                });
                self.items[child as usize].supply.push(SupplyDraft {
                    supplier: r.supplier,
                    share,
                    site: r.country,
                    requires: None,
                    at: r.at,
                });
            }
        }
    }

    /// Cost shares from unit prices (docs/interop.md): a requirement without
    /// one gets qty × price(child) / cost(parent), where cost(parent) is the
    /// parent's own unit price, or the sum over its priced requirements when
    /// that is larger or the parent has no price.
    fn cost_shares_from_prices(&mut self) {
        let price = |items: &IndexMap<String, ItemDraft>, ix: u32| {
            items[ix as usize]
                .extra
                .as_ref()
                .and_then(|e| e.unit_price.map(|(p, _)| p))
        };
        for parent in 0..self.items.len() {
            let extended: Vec<Option<f64>> = self.items[parent]
                .requires
                .iter()
                .map(|r| match r.members.as_slice() {
                    [(m, _)] if r.group.is_none() => price(&self.items, *m).map(|p| p * r.qty),
                    _ => None,
                })
                .collect();
            let sum: f64 = extended.iter().flatten().sum();
            let own = price(&self.items, parent as u32).unwrap_or(0.0);
            let cost = own.max(sum);
            if cost <= 0.0 {
                continue;
            }
            for (r, x) in self.items[parent].requires.iter_mut().zip(extended) {
                if let (None, Some(x)) = (&r.cost_share, x) {
                    r.cost_share = Some(Box::new(Estimate {
                        note: Some("unit price × qty / the parent's cost".into()),
                        ..Estimate::exact(x / cost)
                    }));
                }
            }
        }
    }

    /// Records a number the BOM gives about an item (unit price, lead time:
    /// the shortest of its lines);
    /// a different value on another line is I015.
    fn item_fact(&mut self, ix: usize, fact: Fact, value: f64, at: At, name: &str) {
        let extra = self.items[ix].extra_mut();
        let slot = match fact {
            Fact::UnitPrice => &mut extra.unit_price,
            Fact::LeadTime => &mut extra.lead_time,
        };
        match *slot {
            None => *slot = Some((value, at)),
            Some((old, _)) if old == value => {}
            // Lead times are the vendors': lines of one item may differ, and
            // the shortest bounds re-ordering after a loss (docs/interop.md).
            Some((old, _)) if matches!(fact, Fact::LeadTime) => {
                if value < old {
                    *slot = Some((value, at));
                }
            }
            Some((old, old_at)) => {
                let id = self.items.get_index(ix).expect("index").0.clone();
                let msg = format!(
                    "`{name}` of item `{id}` is {value} here but {old} at {}",
                    self.describe(&old_at)
                );
                self.error(Code::ImportItemConflict, &at, msg);
            }
        }
    }

    /// Registers supplier `id` at its first row, or checks a later row against
    /// it: its country (`country`, required for a new supplier; `country_name`
    /// names the column) and names (`(column, field, value)`, field `name` or
    /// `name_zh`). False when a field conflicts (I017) or the country is missing.
    fn supplier_entry(
        &mut self,
        id: &str,
        country: Option<(CountryCode, At)>,
        country_name: &str,
        at: At,
        names: &[(Option<usize>, &str, String)],
    ) -> bool {
        if !self.suppliers.contains_key(id) {
            let Some(country) = country.clone() else {
                let msg = format!(
                    "`{country_name}` is empty and supplier `{id}` is not declared elsewhere"
                );
                self.error(Code::ImportEmptyCell, &at, msg);
                return false;
            };
            self.suppliers.insert(
                id.to_string(),
                SupplierDraft {
                    name: None,
                    name_zh: None,
                    country: Some(country),
                    note: None,
                    declared: None,
                },
            );
        }
        let mut ok = true;
        if let Some((code, c_at)) = country {
            let draft = self.suppliers.get_mut(id).expect("inserted above");
            match &draft.country {
                Some((old, old_at)) if *old != code => {
                    let (old, old_at) = (old.clone(), *old_at);
                    ok = false;
                    let msg = format!(
                        "supplier `{id}`: `{country_name}` is `{code}` here but `{old}` at {}",
                        self.describe(&old_at)
                    );
                    self.error(Code::ImportSupplierConflict, &c_at, msg);
                }
                Some(_) => {}
                None => draft.country = Some((code, c_at)),
            }
        }
        for (col, field, value) in names {
            if value.is_empty() {
                continue;
            }
            let n_at = At {
                column: col.map_or(0, |c| c as u32 + 1),
                ..at
            };
            let draft = self.suppliers.get_mut(id).expect("inserted above");
            let slot = if *field == "name" {
                &mut draft.name
            } else {
                &mut draft.name_zh
            };
            match slot {
                Some((old, old_at)) if old != value => {
                    let (old, old_at) = (old.clone(), *old_at);
                    ok = false;
                    let msg = format!(
                        "supplier `{id}`: `{field}` is `{value}` here but `{old}` at {}",
                        self.describe(&old_at)
                    );
                    self.error(Code::ImportSupplierConflict, &n_at, msg);
                }
                Some(_) => {}
                None => *slot = Some((value.clone(), n_at)),
            }
        }
        ok
    }

    fn supply_table(&mut self, t: &Table, k: &Columns) {
        const COLS: [&str; 8] = [
            "item",
            "share",
            "supplier",
            "supplier_country",
            "site_country",
            "supplier_name",
            "supplier_name_zh",
            "requires",
        ];
        let Some(cols) = self.columns(t, k, &COLS[..2], &COLS[2..]) else {
            return;
        };
        let [item_c, share_c, sup_c, sc_c, site_c, name_c, name_zh_c, req_c]: [Option<usize>; 8] =
            cols.try_into().expect("one per column");
        let name = |col, column| t.name(col, column);
        let (item_n, share_n, sup_n, sc_n, site_n, req_n) = (
            name(item_c, "item"),
            name(share_c, "share"),
            name(sup_c, "supplier"),
            name(sc_c, "supplier_country"),
            name(site_c, "site_country"),
            name(req_c, "requires"),
        );
        let share_cols = EstimateCols::new(t, "share", share_c);
        let mut seen: HashMap<(String, String, Option<CountryCode>), u32> = HashMap::new();
        for row in t.rows() {
            let c = Cells { table: t, row };
            let item = self.required(&c, item_c, &item_n);
            let supplier = c.get(sup_c);
            let sup_country = self.country(&c, sc_c, &sc_n);
            let site = self.country(&c, site_c, &site_n);
            let share = self.estimate(&c, &share_cols, Range::Fraction);
            let inputs = self.source_inputs(&c, req_c, &req_n);
            let (Some(item), Ok(sup_country), Ok(site), Ok(share), Ok(inputs)) =
                (item, sup_country, site, share, inputs)
            else {
                continue;
            };
            let Some(share) = share else {
                self.error(
                    Code::ImportEmptyCell,
                    &c.at(share_c),
                    format!("`{share_n}` is empty"),
                );
                continue;
            };
            let item_at = c.at(item_c);
            let (supplier, site) = if supplier.is_empty() {
                // Unnamed producers: one country, given as either column.
                match (sup_country, site) {
                    (Some(a), Some(b)) if a != b => {
                        let msg = format!("a row without `{sup_n}` stands for the unnamed producers of one country, but `{sc_n}` is `{a}` and `{site_n}` is `{b}`");
                        self.error(Code::ImportSupplierConflict, &c.at(site_c), msg);
                        continue;
                    }
                    (Some(code), _) | (None, Some(code)) => (None, Some(code)),
                    (None, None) => {
                        let msg = format!("`{sup_n}` is empty: a row for the unnamed producers of a country needs `{sc_n}` or `{site_n}`");
                        self.error(Code::ImportEmptyCell, &c.at(sup_c), msg);
                        continue;
                    }
                }
            } else {
                let names = [
                    (name_c, "name", c.get(name_c).to_string()),
                    (name_zh_c, "name_zh", c.get(name_zh_c).to_string()),
                ];
                let country = sup_country.map(|code| (code, c.at(sc_c)));
                if !self.supplier_entry(supplier, country, &sc_n, c.at(sc_c), &names) {
                    continue;
                }
                (Some(supplier.to_string()), site)
            };
            let Some(entry) = self.items.get_mut(item) else {
                self.error(
                    Code::ImportUnknownItem,
                    &item_at,
                    format!("item `{item}` is not in the BOM or the items table"),
                );
                continue;
            };
            let key = (
                item.to_string(),
                supplier.clone().unwrap_or_default(),
                site.clone(),
            );
            if let Some(first) = seen.get(&key) {
                let who = supplier.as_deref().unwrap_or("unnamed producers");
                let msg = format!("`{item}` already has a supply row for `{who}` (row {first})");
                self.error(Code::ImportDuplicateSupply, &c.at(sup_c), msg);
                continue;
            }
            seen.insert(key, row.line);
            entry.supply.push(SupplyDraft {
                supplier,
                share,
                site,
                requires: inputs.map(Box::new),
                at: c.at(share_c),
            });
        }
    }

    /// A source's own inputs (docs/interop.md): empty, `bom`, items separated
    /// by `;` with `|` between alternatives, or a JSON list (`["a", ["b", "c"]]`,
    /// for ids holding `;` or `|`). Every id must be an item of the tables.
    fn source_inputs(
        &mut self,
        c: &Cells,
        col: Option<usize>,
        name: &str,
    ) -> Result<Option<InputsDraft>, ()> {
        let text = c.get(col);
        if text.is_empty() {
            return Ok(None);
        }
        if text.eq_ignore_ascii_case("bom") {
            return Ok(Some(InputsDraft::Bom));
        }
        let at = c.at(col);
        let list: Vec<(bool, Vec<String>)> = if text.starts_with('[') {
            let parsed: Result<Vec<serde_json::Value>, _> = serde_json::from_str(text);
            let entries = parsed.ok().and_then(|v| {
                v.into_iter()
                    .map(|e| match e {
                        serde_json::Value::String(s) => Some((false, vec![s])),
                        serde_json::Value::Array(a) => a
                            .into_iter()
                            .map(|m| m.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                            .map(|m| (true, m)),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
            });
            let Some(entries) = entries else {
                let msg = format!("`{name}` is `{text}`: a JSON list must hold item ids and lists of ids (alternatives)");
                self.error(Code::ImportSourceInputs, &at, msg);
                return Err(());
            };
            entries
        } else {
            text.split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let members: Vec<String> = p.split('|').map(|m| m.trim().to_string()).collect();
                    (members.len() > 1, members)
                })
                .collect()
        };
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for (any_of, members) in list {
            let mut ixs = Vec::with_capacity(members.len());
            for m in members {
                match self.items.get_index_of(m.as_str()) {
                    Some(ix) => {
                        self.items[ix].has_parent = true;
                        ixs.push(ix as u32);
                    }
                    None => {
                        ok = false;
                        let msg = format!(
                            "`{name}` names `{m}`, which is not in the BOM or the items table"
                        );
                        self.error(Code::ImportUnknownItem, &at, msg);
                    }
                }
            }
            out.push((any_of, ixs));
        }
        if !ok || (out.is_empty() && !text.starts_with('[')) {
            if ok {
                let msg = format!("`{name}` is `{text}`: no item ids");
                self.error(Code::ImportSourceInputs, &at, msg);
            }
            return Err(());
        }
        Ok(Some(InputsDraft::List(out)))
    }

    fn apply_overrides(&mut self, o: &MetaOverrides) {
        if let Some(t) = &o.title {
            self.meta.title = t.clone();
        }
        if let Some(h) = &o.home {
            if iso::is_assigned(h) {
                self.meta.home = CountryCode::new(h.clone());
            } else {
                self.problems.push(Diagnostic::unlocated(
                    Code::ImportCountry,
                    "--home",
                    format!("`{h}` is not an ISO 3166-1 alpha-2 country code (e.g. CN, US)"),
                ));
            }
        }
        if let Some(c) = &o.currency {
            self.meta.currency = c.clone();
        }
        if let Some(a) = &o.as_of {
            self.meta.as_of = Some(a.clone());
        }
    }

    /// The draft of the model, located in the tables, checked by
    /// `load::validate` alone (ids, references, cycles, share sums, empty
    /// systems, and the warnings of a graph): one validation path for YAML and
    /// tables. The problems of reading cells come first in the same list.
    fn finish(mut self) -> Result<Loaded, LoadError> {
        use crate::load::{Draft, RefKind, Usage};
        let mut draft = Draft::default();
        // Kinds: given, else by position (docs/interop.md): no parent → system,
        // parent and children → subsystem, leaf → part.
        // The drafts give their parts up as the draft takes them (moved, not
        // copied); ids stay in the draft map to name requirement targets.
        draft.items = Vec::with_capacity(self.items.len());
        for ix in 0..self.items.len() {
            let (id, d) = self.items.get_index_mut(ix).expect("index in range");
            let kind = match &d.kind {
                Some((k, _)) => *k,
                None if !d.has_parent => ItemKind::System,
                None if !d.requires.is_empty() => ItemKind::Subsystem,
                None => ItemKind::Part,
            };
            let at = d
                .kind
                .as_ref()
                .map(|(_, a)| *a)
                .or(d.first)
                .expect("every item has a place");
            // A row about it was refused, or the BOM lost rows: what `validate`
            // would say about its inputs (an empty system, an unmapped item)
            // would be a second message for one mistake.
            if d.damaged
                || (self.bom_incomplete.is_some() && d.first.map(|a| a.file) == self.bom_incomplete)
            {
                draft.damaged.insert((RefKind::Item, id.clone()));
            }
            let id = ItemId::new(id.clone());
            let name = d
                .name
                .take()
                .map(|(n, _)| n)
                .unwrap_or_else(|| id.0.clone());
            let extra = d.extra.take().map(|e| *e).unwrap_or_default();
            let requires_drafts = std::mem::take(&mut d.requires);
            let supply_drafts = std::mem::take(&mut d.supply);
            let items = &self.items;
            let item_id = |m: u32| {
                ItemId::new(
                    items
                        .get_index(m as usize)
                        .expect("members are registered items")
                        .0
                        .clone(),
                )
            };
            let (sources, readings) = (&self.sources, &self.readings);
            let loc = |at: &At| locate(sources, readings, at);
            let requires = requires_drafts
                .into_iter()
                .map(|r| Requirement {
                    target: match &r.group {
                        None => RequirementTarget::Item(item_id(r.members[0].0)),
                        Some(_) => RequirementTarget::AnyOf(
                            r.members.iter().map(|&(m, _)| item_id(m)).collect(),
                        ),
                    },
                    qty: r.qty,
                    cost_share: r.cost_share,
                    role: r.role,
                    cite: Vec::new(),
                    note: None,
                    // The row's child cell: the requirement is its child.
                    member_qualify: None,
                    loc: loc(&r.members[0].1),
                })
                .collect();
            let inputs = |d: InputsDraft, at: Location| match d {
                InputsDraft::Bom => SourceInputs::Bom,
                InputsDraft::List(list) => SourceInputs::List(
                    list.into_iter()
                        .map(|(any_of, members)| {
                            let target = if any_of {
                                RequirementTarget::AnyOf(members.into_iter().map(item_id).collect())
                            } else {
                                RequirementTarget::Item(item_id(members[0]))
                            };
                            Requirement::source_input(target, at)
                        })
                        .collect(),
                ),
            };
            let mut supply = Vec::with_capacity(supply_drafts.len());
            for e in supply_drafts {
                let at = loc(&e.at);
                if let Some(s) = &e.supplier {
                    draft.usages.push(Usage {
                        kind: RefKind::Supplier,
                        id: std::sync::Arc::from(s.as_str()),
                        loc: at,
                    });
                }
                supply.push(SupplyEdge {
                    supplier: e.supplier.map(SupplierId::new),
                    share: e.share,
                    country: e.site,
                    requires: e.requires.map(|d| Box::new(inputs(*d, at))),
                    cite: Vec::new(),
                    note: None,
                    loc: at,
                });
            }
            draft.items.push(Item {
                id,
                kind,
                name,
                name_zh: extra.name_zh.map(|(n, _)| n),
                market_value: extra.market_value,
                requires,
                supply,
                standby: Vec::new(),
                import_share: extra.import_share,
                stock_days: extra.stock_days,
                recovery_days: extra.recovery_days.or_else(|| {
                    extra.lead_time.map(|(days, _)| {
                        Box::new(Estimate {
                            confidence: Some(Confidence::Low),
                            note: Some(format!(
                                "from the BOM's lead time of {days} days: the time to restore supply is at least that"
                            )),
                            ..Estimate::exact(days)
                        })
                    })
                }),
                export_controls: extra.export_controls,
                cite: Vec::new(),
                note: extra.note,
                loc: loc(&at),
            });
        }
        for (id, s) in &self.suppliers {
            // Without a country there is no supplier (its row says why); its
            // uses are not also unknown references.
            let Some((country, country_at)) = s.country.clone() else {
                draft.damaged.insert((RefKind::Supplier, id.clone()));
                continue;
            };
            draft.suppliers.push(Supplier {
                id: SupplierId::new(id.clone()),
                name: s
                    .name
                    .as_ref()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_else(|| id.clone()),
                name_zh: s.name_zh.as_ref().map(|(n, _)| n.clone()),
                country,
                parent: None,
                cite: Vec::new(),
                disruption_probability: None,
                note: s.note.clone(),
                loc: self.loc(&s.declared.unwrap_or(country_at)),
            });
        }
        let countries = std::mem::take(&mut self.countries);
        for (_, (mut c, at)) in countries {
            c.loc = self.loc(&at);
            draft.countries.push(c);
        }
        draft
            .metas
            .push((std::mem::take(&mut self.meta), Location::default()));
        draft.diagnostics = std::mem::take(&mut self.problems);
        let sources = std::mem::take(&mut self.sources);
        // The builder's maps (a million ids and row drafts) are given back
        // before validation builds the model's.
        drop(self);
        crate::load::validate_draft(draft, sources)
    }

    /// The [`Location`] of a place in a table.
    fn loc(&self, at: &At) -> Location {
        locate(&self.sources, &self.readings, at)
    }
}

/// The [`Location`] of a place in a table: its line and column, and the byte
/// offset of its cell in the table's text (for the snippet).
fn locate(sources: &[SourceFile], readings: &[(u8, bool)], at: &At) -> Location {
    let (delimiter, quoted) = readings[at.file as usize];
    let text = &sources[at.file as usize].text;
    let offset = cell_offset(text, at.offset as usize, at.column, delimiter, quoted);
    Location {
        file: at.file,
        line: at.row,
        column: at.column,
        offset: offset as u32,
    }
}

/// A number written with a decimal comma (`0,25`, `1.234,5`) in the form Rust
/// parses (`0.25`, `1234.5`); `None` when `.` is used other than to group
/// thousands.
fn decimal_comma(text: &str) -> Option<String> {
    let (int, frac) = match text.split_once(',') {
        Some((i, f)) if !f.contains([',', '.']) => (i, Some(f)),
        Some(_) => return None,
        None => (text, None),
    };
    let digits = int.trim_start_matches(['-', '+']);
    if digits.contains('.') {
        let groups: Vec<&str> = digits.split('.').collect();
        let grouped = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            return None;
        }
    }
    let int = int.replace('.', "");
    Some(match frac {
        Some(f) => format!("{int}.{f}"),
        None => int,
    })
}

fn estimate_text(v: Option<f64>, l: Option<f64>, h: Option<f64>) -> String {
    match (v, l, h) {
        (Some(v), None, None) => v.to_string(),
        (v, Some(l), Some(h)) => match v {
            Some(v) => format!("{v} ({l}–{h})"),
            None => format!("{l}–{h}"),
        },
        _ => format!("{v:?}"),
    }
}
