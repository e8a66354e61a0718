//! CSV import: a flat BOM and a supply table (or the tables `export --format csv`
//! writes) → a [`Model`] that the YAML writer turns into a graph `check` accepts.
//!
//! Owns: reading CSV (UTF-8 with or without a byte-order mark, cells trimmed),
//! configurable column names, the I001… problem codes, and the rules that turn rows
//! into items, requirements, suppliers and supply edges (docs/interop.md).
//! Never: stops at the first bad row (every problem is collected, each located by
//! file, row and column), guesses a value it cannot parse, or touches the disk
//! except to read the files it is given.

use super::Problem;
use crate::model::*;
use indexmap::IndexMap;
use std::collections::HashMap;
use std::path::Path;

/// One input table: a display name for messages and its raw bytes.
#[derive(Clone, Debug)]
pub struct CsvFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl CsvFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        CsvFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// Reads a file through [`crate::load::read_input`] (regular files only,
    /// at most [`crate::load::MAX_FILE_BYTES`]); a read failure is problem I001.
    pub fn read(path: &Path) -> Result<CsvFile, Problem> {
        use crate::load::{ReadFailure, MAX_FILE_BYTES};
        let name = path.display().to_string();
        match crate::load::read_input(path, MAX_FILE_BYTES) {
            Ok(bytes) => Ok(CsvFile { name, bytes }),
            Err(e) => Err(Problem {
                code: "I001",
                warning: false,
                file: name,
                row: 0,
                column: 0,
                message: match e {
                    ReadFailure::Io(e) => format!("cannot read the file: {e}"),
                    ReadFailure::NotRegular(what) => {
                        format!("cannot read the file: {what}, not a regular file")
                    }
                    ReadFailure::TooLarge(_) => format!(
                        "the file is larger than the limit of {MAX_FILE_BYTES} bytes; split it"
                    ),
                },
            }),
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
    pub fn from_dir(dir: &Path) -> Result<CsvInput, Vec<Problem>> {
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
            problems.push(Problem {
                code: "I001",
                warning: false,
                file: dir.display().to_string(),
                row: 0,
                column: 0,
                message: format!(
                    "neither {} nor {} is in this directory",
                    table_names::REQUIREMENTS,
                    table_names::ITEMS
                ),
            });
        }
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }
}

/// Column names of the BOM and supply tables (configurable with `--col-*` flags).
/// Range columns are the value column's name with `_low` / `_high` appended.
#[derive(Clone, Debug)]
pub struct Columns {
    pub parent: String,
    pub child: String,
    pub qty: String,
    pub cost_share: String,
    pub group: String,
    pub kind: String,
    pub name: String,
    pub name_zh: String,
    pub item: String,
    pub supplier: String,
    pub supplier_country: String,
    pub site_country: String,
    pub share: String,
    pub supplier_name: String,
    pub supplier_name_zh: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            parent: "parent".into(),
            child: "child".into(),
            qty: "qty".into(),
            cost_share: "cost_share".into(),
            group: "group".into(),
            kind: "kind".into(),
            name: "name".into(),
            name_zh: "name_zh".into(),
            item: "item".into(),
            supplier: "supplier".into(),
            supplier_country: "supplier_country".into(),
            site_country: "site_country".into(),
            share: "share".into(),
            supplier_name: "supplier_name".into(),
            supplier_name_zh: "supplier_name_zh".into(),
        }
    }
}

/// `meta` values given on the command line; they override a meta table.
#[derive(Clone, Debug, Default)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub home: Option<String>,
    pub currency: Option<String>,
    pub as_of: Option<String>,
}

/// A successful import: the model and the warnings (unused columns).
#[derive(Debug)]
pub struct Imported {
    pub model: Model,
    pub warnings: Vec<Problem>,
}

/// Imports the tables. Either every row is good and a model comes back, or every
/// problem found is returned (row-level checks of all tables, then whole-graph
/// checks: share sums, empty systems, cycles).
pub fn import(
    input: &CsvInput,
    cols: &Columns,
    overrides: &MetaOverrides,
) -> Result<Imported, Vec<Problem>> {
    let mut b = Builder::default();
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
        let index = b.files.len() as u32;
        b.files.push(file.name.clone());
        let Some(table) = read_table(file, index, &mut b.problems) else {
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

/// A place in an input table: the table (an index into `Builder::files`), the
/// row (the line where the record starts) and the 1-based column. Twelve bytes:
/// a million-row BOM keeps several per row.
#[derive(Clone, Copy, Debug)]
struct At {
    file: u32,
    row: u32,
    column: u32,
}

/// A parsed table. The cells of all rows lie end to end in one string (a
/// million-row BOM would otherwise be three million small strings).
struct Table {
    file: u32,
    header: Vec<String>,
    text: String,
    /// End offset in `text` of every cell; row `r` has cells `r * width ..`.
    ends: Vec<u32>,
    /// The line where each row starts.
    lines: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Row {
    line: u32,
    index: usize,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
    fn at(&self, row: Row, col: usize) -> At {
        At {
            file: self.file,
            row: row.line,
            column: col as u32 + 1,
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

/// Parses the CSV text into a header and rows of trimmed cells.
fn read_table(file: &CsvFile, index: u32, problems: &mut Vec<Problem>) -> Option<Table> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let problem = |code, row, column, message: String| Problem {
        code,
        warning: false,
        file: file.name.clone(),
        row,
        column,
        message,
    };
    if bytes.len() > u32::MAX as usize {
        problems.push(problem(
            "I003",
            0,
            0,
            "the file is larger than 4 GiB; split it".into(),
        ));
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let row = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid
                .iter()
                .rposition(|b| *b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0);
            let column = valid[line_start..].iter().filter(|b| **b == b',').count() + 1;
            problems.push(problem(
                "I002",
                row,
                column,
                format!(
                    "the file is not valid UTF-8 (byte offset {}); save it as UTF-8",
                    e.valid_up_to()
                ),
            ));
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let (mut cells_text, mut ends, mut lines) = (String::new(), Vec::new(), Vec::new());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e.position().map(|p| p.line() as usize).unwrap_or(0);
                problems.push(problem("I003", row, 0, format!("unreadable CSV: {e}")));
                return None;
            }
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
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
                        problems.push(problem(
                            "I005",
                            line,
                            i + 1,
                            format!(
                                "column `{h}` appears twice (columns {} and {})",
                                first + 1,
                                i + 1
                            ),
                        ));
                    }
                }
                header = Some(cells);
            }
            Some(h) => {
                if record.len() != h.len() {
                    problems.push(problem(
                        "I003",
                        line,
                        record.len().min(h.len()) + 1,
                        format!(
                            "the row has {} fields; the header has {}",
                            record.len(),
                            h.len()
                        ),
                    ));
                    continue;
                }
                for cell in record.iter() {
                    // `'=x` from our own CSV export (formula-safe) reads back as `=x`.
                    cells_text.push_str(crate::output::csv_cell_read(cell));
                    // Cells are slices of the file, which is under 4 GiB (checked above).
                    ends.push(cells_text.len() as u32);
                }
                lines.push(line as u32);
            }
        }
    }
    let Some(header) = header else {
        problems.push(problem(
            "I004",
            1,
            1,
            "the file is empty; a header row is required".into(),
        ));
        return None;
    };
    Some(Table {
        file: index,
        header,
        text: cells_text,
        ends,
        lines,
    })
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
    fn new(t: &Table, name: &str) -> Self {
        let low_name = format!("{name}_low");
        let high_name = format!("{name}_high");
        EstimateCols {
            value: t.col(name),
            low: t.col(&low_name),
            high: t.col(&high_name),
            name: name.to_string(),
            low_name,
            high_name,
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
    /// Rows for messages: the qty cell and the cost-share cell of the first row.
    qty_at: At,
    cost_at: At,
}

struct SupplyDraft {
    supplier: String,
    share: Estimate,
    site: Option<CountryCode>,
    at: At,
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
    problems: Vec<Problem>,
    /// Names of the tables read, indexed by [`At::file`].
    files: Vec<String>,
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
    fn error(&mut self, code: &'static str, at: &At, message: String) {
        self.problems.push(Problem {
            code,
            warning: false,
            file: self.files[at.file as usize].clone(),
            row: at.row as usize,
            column: at.column as usize,
            message,
        });
    }

    /// "file:row" of a place, for messages that point at an earlier row.
    fn describe(&self, at: &At) -> String {
        format!("{}:{}", self.files[at.file as usize], at.row)
    }

    /// Finds the columns of a table; `required` ones missing are I004; unknown
    /// header cells are warned about (I028).
    fn columns(
        &mut self,
        t: &Table,
        required: &[&str],
        optional: &[&str],
    ) -> Option<Vec<Option<usize>>> {
        let mut ok = true;
        for name in required {
            if t.col(name).is_none() {
                ok = false;
                let at = At {
                    file: t.file,
                    row: 1,
                    column: 1,
                };
                self.error(
                    "I004",
                    &at,
                    format!(
                        "missing column `{name}` (the header has: {})",
                        t.header.join(", ")
                    ),
                );
            }
        }
        for (i, h) in t.header.iter().enumerate() {
            if !h.is_empty() && !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
                self.problems.push(Problem {
                    code: "I028",
                    warning: true,
                    file: self.files[t.file as usize].clone(),
                    row: 1,
                    column: i + 1,
                    message: format!("column `{h}` is not used by the importer"),
                });
            }
        }
        ok.then(|| required.iter().chain(optional).map(|n| t.col(n)).collect())
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
        let Ok(x) = digits.parse::<f64>() else {
            self.error("I007", &at, format!("`{name}` is `{text}`, not a number"));
            return Err(());
        };
        if !x.is_finite() {
            self.error(
                "I009",
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
                "I008",
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
                    "I022",
                    &c.at(lc),
                    format!("`{low_name}` is given without `{high_name}`"),
                );
                return Err(());
            }
            (None, Some(_)) => {
                self.error(
                    "I022",
                    &c.at(hc),
                    format!("`{high_name}` is given without `{low_name}`"),
                );
                return Err(());
            }
            (Some(l), Some(h)) if l > h => {
                self.error(
                    "I010",
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
        if iso::is_assigned(text) {
            Ok(Some(CountryCode::new(text)))
        } else {
            self.error(
                "I012",
                &c.at(col),
                format!(
                    "`{name}` is `{text}`, not an ISO 3166-1 alpha-2 country code (e.g. CN, US)"
                ),
            );
            Err(())
        }
    }

    fn required<'c>(&mut self, c: &Cells<'c>, col: Option<usize>, name: &str) -> Option<&'c str> {
        let text = c.get(col);
        if text.is_empty() {
            self.error("I006", &c.at(col), format!("`{name}` is empty"));
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
                        "I011",
                        &at,
                        format!("unknown kind `{value}` (one of: system, subsystem, part, component, material, software)"),
                    );
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
                self.error("I015", &at, msg);
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
        let Some(cols) = self.columns(t, &["key", "value"], &[]) else {
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
                    "I026",
                    &c.at(cols[0]),
                    format!("unknown meta key `{other}` (one of: title, home, currency, as_of)"),
                ),
            }
        }
    }

    fn countries_table(&mut self, t: &Table) {
        let Some(cols) = self.columns(t, &["id"], &["name", "name_zh"]) else {
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
                self.error("I025", &at, msg);
                continue;
            }
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let country = Country {
                id: code.clone(),
                name: opt(c.get(cols[1])),
                name_zh: opt(c.get(cols[2])),
                loc: Location::default(),
            };
            // A country with no name adds nothing to the graph (codes need no declaration).
            if country.name.is_some() || country.name_zh.is_some() {
                self.countries.insert(code.0, (country, at));
            }
        }
    }

    fn suppliers_table(&mut self, t: &Table) {
        let Some(cols) = self.columns(t, &["id", "country"], &["name", "name_zh", "note"]) else {
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
                    "I025",
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
        let Some(cols) = self.columns(t, &["id", "kind"], &optional) else {
            return;
        };
        let est = [
            "market_value",
            "import_share",
            "stock_days",
            "recovery_days",
        ]
        .map(|name| EstimateCols::new(t, name));
        for row in t.rows() {
            let c = Cells { table: t, row };
            let Some(id) = self.required(&c, cols[0], "id") else {
                continue;
            };
            let at = c.at(cols[0]);
            if let Some(first) = self.items.get(id).and_then(|i| i.extra.as_ref()?.declared) {
                self.error(
                    "I025",
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
        let Some(cols) = self.columns(
            t,
            &[&k.parent, &k.child],
            &[
                k.qty.as_str(),
                &k.cost_share,
                &format!("{}_low", k.cost_share),
                &format!("{}_high", k.cost_share),
                &k.group,
                &k.kind,
                &k.name,
                &k.name_zh,
            ],
        ) else {
            return;
        };
        let (parent_c, child_c, qty_c, cost_c, group_c) =
            (cols[0], cols[1], cols[2], cols[3], cols[6]);
        let cost_cols = EstimateCols::new(t, &k.cost_share);
        // (parent, child) of plain requirements and (parent, group) of groups → index.
        // Items by index: a million-line BOM would otherwise copy two ids per line.
        let mut plain: HashMap<(u32, u32), usize> = HashMap::new();
        let mut groups: HashMap<(u32, String), usize> = HashMap::new();
        for row in t.rows() {
            let c = Cells { table: t, row };
            let Some(child) = self.required(&c, child_c, &k.child) else {
                continue;
            };
            let parent = c.get(parent_c);
            let child_at = c.at(child_c);
            let parent_ix = (!parent.is_empty()).then(|| {
                let parent_at = c.at(parent_c);
                self.item_entry(parent, &parent_at)
            });
            let child_ix = self.item_entry(child, &child_at);
            self.item_attr(child, "kind", c.get(cols[7]), c.at(cols[7]));
            self.item_attr(child, "name", c.get(cols[8]), c.at(cols[8]));
            self.item_attr(child, "name_zh", c.get(cols[9]), c.at(cols[9]));
            let group = c.get(group_c);
            let Some(parent_ix) = parent_ix else {
                for (col, name) in [
                    (qty_c, &k.qty),
                    (cost_c, &k.cost_share),
                    (group_c, &k.group),
                ] {
                    if !c.get(col).is_empty() {
                        self.error(
                            "I024",
                            &c.at(col),
                            format!("`{name}` is set on a row without a parent"),
                        );
                    }
                }
                continue;
            };
            if parent == child {
                self.error("I013", &child_at, format!("`{child}` requires itself"));
                continue;
            }
            let qty = self.number(&c, qty_c, &k.qty, Range::Positive);
            let cost = self.estimate(&c, &cost_cols, Range::Fraction);
            let (Ok(qty), Ok(cost)) = (qty, cost) else {
                continue;
            };
            let qty = qty.unwrap_or(1.0);
            self.items[child_ix].has_parent = true;
            let existing = if group.is_empty() {
                plain.get(&(parent_ix as u32, child_ix as u32))
            } else {
                groups.get(&(parent_ix as u32, group.to_string()))
            }
            .copied();
            match existing {
                Some(ix) if group.is_empty() => {
                    let first = self.items[parent_ix].requires[ix].members[0].1.row;
                    self.error(
                        "I014",
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
                        self.error("I014", &child_at, msg);
                        continue;
                    }
                    let (old_qty, qty_row) = (req.qty, req.qty_at.row);
                    let old_cost = req.cost_share.as_ref().map(|e| (e.value, e.low, e.high));
                    let cost_row = req.cost_at.row;
                    let mut agree = true;
                    if old_qty != qty {
                        agree = false;
                        let msg = format!("alternate group `{group}` of `{parent}`: `{}` is {qty} here but {old_qty} at row {qty_row}", k.qty);
                        self.error("I016", &c.at(qty_c), msg);
                    }
                    let new_cost = cost.as_ref().map(|e| (e.value, e.low, e.high));
                    if old_cost != new_cost {
                        agree = false;
                        let show = |e: Option<(Option<f64>, Option<f64>, Option<f64>)>| match e {
                            None => "empty".to_string(),
                            Some((v, l, h)) => estimate_text(v, l, h),
                        };
                        let msg = format!(
                            "alternate group `{group}` of `{parent}`: `{}` is {} here but {} at row {cost_row}",
                            k.cost_share,
                            show(new_cost),
                            show(old_cost)
                        );
                        self.error("I016", &c.at(cost_c), msg);
                    }
                    if agree {
                        self.items[parent_ix].requires[ix]
                            .members
                            .push((child_ix as u32, child_at));
                    }
                }
                None => {
                    let reqs = &mut self.items[parent_ix].requires;
                    reqs.push(ReqDraft {
                        group: (!group.is_empty()).then(|| group.to_string()),
                        members: vec![(child_ix as u32, child_at)],
                        qty,
                        cost_share: cost.map(Box::new),
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
    }

    fn supply_table(&mut self, t: &Table, k: &Columns) {
        let Some(cols) = self.columns(
            t,
            &[&k.item, &k.supplier],
            &[
                k.supplier_country.as_str(),
                &k.site_country,
                &k.share,
                &format!("{}_low", k.share),
                &format!("{}_high", k.share),
                &k.supplier_name,
                &k.supplier_name_zh,
            ],
        ) else {
            return;
        };
        let (item_c, sup_c, sc_c, site_c, share_c) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        let share_cols = EstimateCols::new(t, &k.share);
        let mut seen: HashMap<(String, String, Option<CountryCode>), u32> = HashMap::new();
        for row in t.rows() {
            let c = Cells { table: t, row };
            let item = self.required(&c, item_c, &k.item);
            let supplier = self.required(&c, sup_c, &k.supplier);
            let sup_country = self.country(&c, sc_c, &k.supplier_country);
            let site = self.country(&c, site_c, &k.site_country);
            let share = self.estimate(&c, &share_cols, Range::Fraction);
            let (Some(item), Some(supplier), Ok(sup_country), Ok(site), Ok(share)) =
                (item, supplier, sup_country, site, share)
            else {
                continue;
            };
            let Some(share) = share else {
                self.error("I006", &c.at(share_c), format!("`{}` is empty", k.share));
                continue;
            };
            let item_at = c.at(item_c);
            let sup_at = c.at(sup_c);
            // The supplier: created by its first row, checked against later ones.
            let known = self.suppliers.contains_key(supplier);
            if !known {
                if sup_country.is_none() {
                    let msg = format!(
                        "`{}` is empty and supplier `{supplier}` is not declared elsewhere",
                        k.supplier_country
                    );
                    self.error("I006", &c.at(sc_c), msg);
                    continue;
                }
                self.suppliers.insert(
                    supplier.to_string(),
                    SupplierDraft {
                        name: None,
                        name_zh: None,
                        country: None,
                        note: None,
                        declared: None,
                    },
                );
            }
            let mut conflict = false;
            let fields = [
                (
                    sc_c,
                    &k.supplier_country,
                    sup_country
                        .as_ref()
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                ),
                (cols[7], &k.supplier_name, c.get(cols[7]).to_string()),
                (cols[8], &k.supplier_name_zh, c.get(cols[8]).to_string()),
            ];
            for (which, (col, name, value)) in fields.into_iter().enumerate() {
                if value.is_empty() {
                    continue;
                }
                let at = c.at(col);
                let draft = self.suppliers.get_mut(supplier).expect("inserted above");
                let old = match which {
                    0 => match &draft.country {
                        Some((code, a)) => Some((code.to_string(), *a)),
                        None => {
                            draft.country = Some((CountryCode::new(value.clone()), at));
                            None
                        }
                    },
                    _ => {
                        let slot = if which == 1 {
                            &mut draft.name
                        } else {
                            &mut draft.name_zh
                        };
                        match slot {
                            Some((s, a)) => Some((s.clone(), *a)),
                            None => {
                                *slot = Some((value.clone(), at));
                                None
                            }
                        }
                    }
                };
                if let Some((old, old_at)) = old {
                    if old != value {
                        conflict = true;
                        let msg = format!(
                            "supplier `{supplier}`: `{name}` is `{value}` here but `{old}` at {}",
                            self.describe(&old_at)
                        );
                        self.error("I017", &at, msg);
                    }
                }
            }
            if conflict {
                continue;
            }
            let Some(entry) = self.items.get_mut(item) else {
                self.error(
                    "I020",
                    &item_at,
                    format!("item `{item}` is not in the BOM or the items table"),
                );
                continue;
            };
            let key = (item.to_string(), supplier.to_string(), site.clone());
            if let Some(first) = seen.get(&key) {
                let msg =
                    format!("`{item}` already has a supply row for `{supplier}` (row {first})");
                self.error("I023", &sup_at, msg);
                continue;
            }
            seen.insert(key, row.line);
            entry.supply.push(SupplyDraft {
                supplier: supplier.to_string(),
                share,
                site,
                at: c.at(share_c),
            });
        }
    }

    fn apply_overrides(&mut self, o: &MetaOverrides) {
        if let Some(t) = &o.title {
            self.meta.title = t.clone();
        }
        if let Some(h) = &o.home {
            if iso::is_assigned(h) {
                self.meta.home = CountryCode::new(h.clone());
            } else {
                self.problems.push(Problem {
                    code: "I012",
                    warning: false,
                    file: "--home".into(),
                    row: 0,
                    column: 0,
                    message: format!(
                        "`{h}` is not an ISO 3166-1 alpha-2 country code (e.g. CN, US)"
                    ),
                });
            }
        }
        if let Some(c) = &o.currency {
            self.meta.currency = c.clone();
        }
        if let Some(a) = &o.as_of {
            self.meta.as_of = Some(a.clone());
        }
    }

    /// Whole-graph checks, then the model.
    fn finish(mut self) -> Result<Imported, Vec<Problem>> {
        let mut sum_errors = Vec::new();
        for (id, item) in &self.items {
            let sum: f64 = item.supply.iter().map(|e| e.share.mid()).sum();
            if sum > 1.0 + crate::load::SUM_TOLERANCE {
                let rows = row_list(item.supply.iter().map(|e| e.at.row));
                let at = item.supply.last().expect("a sum above 1 needs rows").at;
                let msg = format!(
                    "supply shares of `{id}` sum to {} (rows {rows}), above 1",
                    crate::output::round9(sum)
                );
                sum_errors.push(("I018", at, msg));
            }
            let with_cost: Vec<&ReqDraft> = item
                .requires
                .iter()
                .filter(|r| r.cost_share.is_some())
                .collect();
            let cost: f64 = with_cost
                .iter()
                .filter_map(|r| r.cost_share.as_deref())
                .map(Estimate::mid)
                .sum();
            if cost > 1.0 + crate::load::SUM_TOLERANCE {
                let rows = row_list(with_cost.iter().map(|r| r.cost_at.row));
                let at = with_cost.last().expect("a sum above 1 needs rows").cost_at;
                let msg = format!(
                    "cost shares of `{id}` sum to {} (rows {rows}), above 1",
                    crate::output::round9(cost)
                );
                sum_errors.push(("I019", at, msg));
            }
        }
        for (code, at, msg) in sum_errors {
            self.error(code, &at, msg);
        }
        self.find_cycles();
        // Kinds: given, else by position (docs/interop.md): no parent → system,
        // parent and children → subsystem, leaf → part.
        // The drafts give their parts up as the model takes them (moved, not
        // copied); ids stay in the draft map to name requirement targets.
        let mut items = IndexMap::with_capacity(self.items.len());
        for ix in 0..self.items.len() {
            let (id, d) = self.items.get_index_mut(ix).expect("index in range");
            let kind = match &d.kind {
                Some((k, _)) => *k,
                None if !d.has_parent => ItemKind::System,
                None if !d.requires.is_empty() => ItemKind::Subsystem,
                None => ItemKind::Part,
            };
            let empty_system = (kind == ItemKind::System && d.requires.is_empty()).then(|| {
                let at = d
                    .kind
                    .as_ref()
                    .map(|(_, a)| *a)
                    .or(d.first)
                    .expect("every item has a place");
                let why = if d.kind.is_some() {
                    "its kind is system; give it children or another kind"
                } else {
                    "it has no parent, so it is a system; give it children or a kind"
                };
                (at, format!("`{id}` requires nothing, but {why}"))
            });
            let id = ItemId::new(id.clone());
            let name = d
                .name
                .take()
                .map(|(n, _)| n)
                .unwrap_or_else(|| id.0.clone());
            let extra = d.extra.take().map(|e| *e).unwrap_or_default();
            let requires_drafts = std::mem::take(&mut d.requires);
            let supply_drafts = std::mem::take(&mut d.supply);
            if let Some((at, message)) = empty_system {
                self.problems.push(Problem {
                    code: "I027",
                    warning: false,
                    file: self.files[at.file as usize].clone(),
                    row: at.row as usize,
                    column: at.column as usize,
                    message,
                });
            }
            let item_id = |m: u32| {
                ItemId::new(
                    self.items
                        .get_index(m as usize)
                        .expect("members are registered items")
                        .0
                        .clone(),
                )
            };
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
                    role: Role::Production,
                    cite: Vec::new(),
                    note: None,
                    loc: Location::default(),
                })
                .collect();
            let supply = supply_drafts
                .into_iter()
                .map(|e| SupplyEdge {
                    supplier: Some(SupplierId::new(e.supplier)),
                    share: e.share,
                    country: e.site,
                    requires: None,
                    cite: Vec::new(),
                    note: None,
                    loc: Location::default(),
                })
                .collect();
            items.insert(
                id.clone(),
                Item {
                    id,
                    kind,
                    name,
                    name_zh: extra.name_zh.map(|(n, _)| n),
                    market_value: extra.market_value,
                    requires,
                    supply,
                    import_share: extra.import_share,
                    stock_days: extra.stock_days,
                    recovery_days: extra.recovery_days,
                    export_controls: extra.export_controls,
                    cite: Vec::new(),
                    note: extra.note,
                    loc: Location::default(),
                },
            );
        }
        let suppliers = self
            .suppliers
            .iter()
            .filter_map(|(id, s)| {
                let (country, _) = s.country.clone()?;
                Some((
                    SupplierId::new(id.clone()),
                    Supplier {
                        id: SupplierId::new(id.clone()),
                        name: s
                            .name
                            .as_ref()
                            .map(|(n, _)| n.clone())
                            .unwrap_or_else(|| id.clone()),
                        name_zh: s.name_zh.as_ref().map(|(n, _)| n.clone()),
                        country,
                        cite: Vec::new(),
                        note: s.note.clone(),
                        loc: Location::default(),
                    },
                ))
            })
            .collect();
        let (errors, warnings): (Vec<Problem>, Vec<Problem>) =
            self.problems.into_iter().partition(|p| !p.warning);
        if !errors.is_empty() {
            let mut all = errors;
            all.extend(warnings);
            all.sort_by(|a, b| {
                (&a.file, a.row, a.column, a.code).cmp(&(&b.file, b.row, b.column, b.code))
            });
            return Err(all);
        }
        Ok(Imported {
            model: Model {
                meta: self.meta,
                countries: self
                    .countries
                    .into_iter()
                    .map(|(k, (c, _))| (CountryCode::new(k), c))
                    .collect(),
                suppliers,
                items,
                references: IndexMap::new(),
                scenarios: IndexMap::new(),
                figures: Vec::new(),
                files: Vec::new(),
            },
            warnings,
        })
    }

    /// Reports every `requires` cycle once, at the row of the edge that closes it.
    fn find_cycles(&mut self) {
        let n = self.items.len();
        // 0 = unvisited, 1 = on the stack, 2 = done.
        let mut state = vec![0u8; n];
        let edges: Vec<Vec<(usize, At)>> = self
            .items
            .values()
            .map(|d| {
                d.requires
                    .iter()
                    .flat_map(|r| r.members.iter())
                    .map(|&(m, at)| (m as usize, at))
                    .collect()
            })
            .collect();
        let mut found = Vec::new();
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            // Iterative DFS: (node, next edge index).
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some((node, next)) = stack.last().copied() {
                if next < edges[node].len() {
                    stack.last_mut().expect("non-empty").1 += 1;
                    let (to, ref at) = edges[node][next];
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => {
                            let from = stack
                                .iter()
                                .position(|(s, _)| *s == to)
                                .expect("on the stack");
                            let mut path: Vec<&str> = stack[from..]
                                .iter()
                                .map(|(s, _)| self.items.get_index(*s).expect("index").0.as_str())
                                .collect();
                            path.push(self.items.get_index(to).expect("index").0.as_str());
                            found.push((*at, path.join(" → ")));
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        for (at, path) in found {
            self.error("I021", &at, format!("requires cycle: {path}"));
        }
    }
}

fn row_list(rows: impl Iterator<Item = u32>) -> String {
    rows.map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
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
