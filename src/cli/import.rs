//! `chokepoint import`: CSV, a workbook or CycloneDX → graph YAML in `--out DIR/graph.yaml`.
//!
//! Tables and workbooks are validated by `load::validate` as the importer
//! drafts them (problems located in the tables); YAML is only what is
//! written. A CycloneDX model is still written as YAML and loaded back through
//! the real loader before anything touches the disk.

use super::CliError;
use chokepoint::interop::csv_import::{self, Columns, CsvFile, CsvInput, Decimal, MetaOverrides};
use chokepoint::interop::{cyclonedx, yaml_out};
use chokepoint::load::{Diagnostic, LoadError};
use chokepoint::output::printable;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// A flat BOM CSV (plus --supply and other tables), or a directory written by
    /// `export --format csv`.
    Csv,
    /// An Excel workbook (.xlsx, .xlsm, .xls) or OpenDocument sheet (.ods):
    /// a BOM sheet and optionally a suppliers sheet (--sheet, --supply-sheet).
    Xlsx,
    /// A CycloneDX 1.5/1.6 JSON BOM.
    Cyclonedx,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Input format.
    #[arg(long = "from", value_enum)]
    pub from: ImportFormat,
    /// The BOM CSV, a directory of exported CSV tables, or the CycloneDX JSON file.
    pub input: PathBuf,
    /// Directory to write the graph into (as graph.yaml; CycloneDX also writes unmapped.json).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub tables: Box<TableArgs>,
    #[command(flatten)]
    pub columns: Box<ColumnArgs>,
    #[command(flatten)]
    pub warnings: super::WarningArgs,
}

/// Further tables and the new graph's `meta` (boxed with the column names so that
/// `ImportArgs` stays small inside the `Command` enum).
#[derive(clap::Args, Debug)]
pub struct TableArgs {
    /// Supply table: item, supplier, supplier_country, site_country, share.
    #[arg(long, value_name = "CSV")]
    pub supply: Option<PathBuf>,
    /// Items table: id, kind, name, name_zh, market_value, import_share, stock_days, ...
    #[arg(long, value_name = "CSV")]
    pub items: Option<PathBuf>,
    /// Suppliers table: id, name, name_zh, country, note.
    #[arg(long, value_name = "CSV")]
    pub suppliers: Option<PathBuf>,
    /// Countries table: id, name, name_zh.
    #[arg(long, value_name = "CSV")]
    pub countries: Option<PathBuf>,
    /// The workbook's BOM sheet (--from xlsx; default: a sheet named `BOM`
    /// or `物料清单`, else the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The workbook's supply sheet (--from xlsx; default: a sheet named
    /// `Suppliers`, `Supply`, `Vendors`, `供应商` or `供货`, if there is one).
    #[arg(long = "supply-sheet", value_name = "NAME")]
    pub supply_sheet: Option<String>,
    /// meta.home of the new graph (default CN, or the input's own).
    #[arg(long, value_name = "CC")]
    pub home: Option<String>,
    /// meta.title of the new graph.
    #[arg(long)]
    pub title: Option<String>,
    /// meta.currency of the new graph (default CNY).
    #[arg(long)]
    pub currency: Option<String>,
}

/// How the BOM and supply CSVs are read. Columns are found by their own names
/// or the synonyms of docs/interop.md ("Header names"); these flags name them.
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "CSV columns and numbers")]
pub struct ColumnArgs {
    /// A YAML mapping from columns to header names, e.g. `{ parent: Baugruppe, child: Komponente, qty: Menge }`.
    #[arg(long = "columns", value_name = "YAML")]
    pub columns: Option<PathBuf>,
    /// The field delimiter: `,` `;` `tab` or `|` (default: detected from the header line).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The decimal mark: `point`, `comma` (`1.234,5`), or `auto` (default: a
    /// comma in a file not separated by commas).
    #[arg(long, value_name = "MARK", default_value = "auto")]
    pub decimal: String,
    /// The text encoding of the CSV files: `utf-8`, `utf-16le`, `utf-16be`,
    /// `windows-1252`, `gbk` or `gb18030` (default: a byte-order mark, else
    /// UTF-8, else GBK or Windows-1252 by the rule of docs/interop.md).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// For an indented BOM (a level column, no parent column): the assembly its
    /// top-level rows belong to, when the export names it only in its title
    /// (SAP CS12). Without it, the top-level rows are the systems.
    #[arg(long, value_name = "ID")]
    pub root: Option<String>,
    /// The header of column `parent`.
    #[arg(long = "col-parent", value_name = "NAME")]
    pub parent: Option<String>,
    /// The header of column `child`.
    #[arg(long = "col-child", value_name = "NAME")]
    pub child: Option<String>,
    /// The header of column `qty`.
    #[arg(long = "col-qty", value_name = "NAME")]
    pub qty: Option<String>,
    /// The header of column `cost_share`.
    #[arg(long = "col-cost-share", value_name = "NAME")]
    pub cost_share: Option<String>,
    /// The header of column `group`.
    #[arg(long = "col-group", value_name = "NAME")]
    pub group: Option<String>,
    /// The header of column `kind`.
    #[arg(long = "col-kind", value_name = "NAME")]
    pub kind: Option<String>,
    /// The header of column `name`.
    #[arg(long = "col-name", value_name = "NAME")]
    pub name: Option<String>,
    /// The header of column `name_zh`.
    #[arg(long = "col-name-zh", value_name = "NAME")]
    pub name_zh: Option<String>,
    /// The header of column `item`.
    #[arg(long = "col-item", value_name = "NAME")]
    pub item: Option<String>,
    /// The header of column `supplier`.
    #[arg(long = "col-supplier", value_name = "NAME")]
    pub supplier: Option<String>,
    /// The header of column `supplier_country`.
    #[arg(long = "col-supplier-country", value_name = "NAME")]
    pub supplier_country: Option<String>,
    /// The header of column `site_country`.
    #[arg(long = "col-site-country", value_name = "NAME")]
    pub site_country: Option<String>,
    /// The header of column `share`.
    #[arg(long = "col-share", value_name = "NAME")]
    pub share: Option<String>,
    /// The header of column `supplier_name`.
    #[arg(long = "col-supplier-name", value_name = "NAME")]
    pub supplier_name: Option<String>,
    /// The header of column `supplier_name_zh`.
    #[arg(long = "col-supplier-name-zh", value_name = "NAME")]
    pub supplier_name_zh: Option<String>,
    /// The header of column `role`.
    #[arg(long = "col-role", value_name = "NAME")]
    pub role: Option<String>,
    /// The header of column `vendor`.
    #[arg(long = "col-vendor", value_name = "NAME")]
    pub vendor: Option<String>,
    /// The header of column `vendor_country`.
    #[arg(long = "col-vendor-country", value_name = "NAME")]
    pub vendor_country: Option<String>,
}

impl ColumnArgs {
    /// The column names and reading options; a bad flag or mapping file is a usage error.
    fn resolve(&self) -> Result<Columns, CliError> {
        let mut cols = Columns::default();
        if let Some(path) = &self.columns {
            let text = std::fs::read_to_string(path)
                .map_err(|e| super::read_error(format!("cannot read {}: {e}", path.display())))?;
            let map: indexmap::IndexMap<String, String> =
                serde_yaml::from_str(&text).map_err(|e| {
                    super::usage(format!(
                        "--columns {}: not a mapping of column names to header names: {e}",
                        path.display()
                    ))
                })?;
            for (column, header) in map {
                cols.set(&column, &header)
                    .map_err(|e| super::usage(format!("--columns {}: {e}", path.display())))?;
            }
        }
        for (column, header) in [
            ("parent", &self.parent),
            ("child", &self.child),
            ("qty", &self.qty),
            ("cost_share", &self.cost_share),
            ("group", &self.group),
            ("kind", &self.kind),
            ("name", &self.name),
            ("name_zh", &self.name_zh),
            ("item", &self.item),
            ("supplier", &self.supplier),
            ("supplier_country", &self.supplier_country),
            ("site_country", &self.site_country),
            ("share", &self.share),
            ("supplier_name", &self.supplier_name),
            ("supplier_name_zh", &self.supplier_name_zh),
            ("role", &self.role),
            ("vendor", &self.vendor),
            ("vendor_country", &self.vendor_country),
        ] {
            if let Some(h) = header {
                cols.set(column, h).map_err(super::usage)?;
            }
        }
        cols.delimiter = match self.delimiter.as_deref() {
            None => None,
            Some(",") => Some(b','),
            Some(";") => Some(b';'),
            Some("tab" | "\\t" | "\t") => Some(b'\t'),
            Some("|") => Some(b'|'),
            Some(other) => {
                return Err(super::usage_hint(
                    format!("--delimiter {other}: not a delimiter the importer reads"),
                    "use one of `,` `;` `tab` `|`",
                ))
            }
        };
        cols.decimal = match self.decimal.as_str() {
            "auto" => Decimal::Auto,
            "point" | "." => Decimal::Point,
            "comma" | "," => Decimal::Comma,
            other => {
                return Err(super::usage_hint(
                    format!("--decimal {other}: not a decimal separator"),
                    "use one of `auto`, `point`, `comma`",
                ))
            }
        };
        cols.root = self.root.clone().filter(|r| !r.trim().is_empty());
        cols.encoding = match self.encoding.as_deref() {
            None => None,
            Some(label) => Some(encoding(label)?),
        };
        Ok(cols)
    }
}

/// The encoding `--encoding` names: a WHATWG label (`utf-8`, `utf-16le`,
/// `windows-1252`, `latin1`, `gbk`, `gb18030`, …). UTF-16 without an order is
/// little-endian, as Windows writes it.
fn encoding(label: &str) -> Result<&'static encoding_rs::Encoding, CliError> {
    let name = match label.to_ascii_lowercase().as_str() {
        "utf16" | "utf-16" => "utf-16le".to_string(),
        "cp936" => "gbk".to_string(),
        "cp1252" => "windows-1252".to_string(),
        other => other.to_string(),
    };
    encoding_rs::Encoding::for_label(name.as_bytes())
        .filter(|e| {
            [
                encoding_rs::UTF_8,
                encoding_rs::UTF_16LE,
                encoding_rs::UTF_16BE,
                encoding_rs::WINDOWS_1252,
                encoding_rs::GBK,
                encoding_rs::GB18030,
            ]
            .contains(e)
        })
        .ok_or_else(|| {
            super::usage_hint(
                format!("--encoding {label}: not an encoding the importer reads"),
                "use one of `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, `gbk`, `gb18030`",
            )
        })
}

/// Name of the graph file written into `--out`.
pub const GRAPH_FILE: &str = "graph.yaml";
/// Name of the CycloneDX unmapped-element report written into `--out`.
pub const UNMAPPED_FILE: &str = "unmapped.json";

pub fn run(args: ImportArgs) -> Result<(), CliError> {
    if let Some(home) = args
        .tables
        .home
        .as_deref()
        .filter(|h| !chokepoint::model::iso::is_assigned(h))
    {
        return Err(super::usage_hint(
            format!("--home {home}: not an ISO 3166-1 alpha-2 country code"),
            chokepoint::load::Code::InvalidCountryCode.hint(),
        ));
    }
    let overrides = MetaOverrides {
        title: args.tables.title.clone(),
        home: args.tables.home.clone(),
        currency: args.tables.currency.clone(),
        as_of: None,
    };
    let graph_path = args.out.join(GRAPH_FILE);
    let mut loaded = match args.from {
        ImportFormat::Csv | ImportFormat::Xlsx => {
            let cols = args.columns.resolve()?;
            let input = if args.from == ImportFormat::Xlsx {
                workbook_input(&args)
            } else if args.tables.sheet.is_some() || args.tables.supply_sheet.is_some() {
                return Err(super::usage(
                    "--sheet and --supply-sheet apply to --from xlsx only".into(),
                ));
            } else {
                csv_input(&args)
            }
            .map_err(|diagnostics| {
                report_problems(LoadError {
                    diagnostics,
                    files: Vec::new(),
                })
            })?;
            csv_import::import(&input, &cols, &overrides).map_err(report_problems)?
        }
        ImportFormat::Cyclonedx => return run_cyclonedx(&args, &overrides),
    };
    // The importer's own warnings (a column it does not use: one per table)
    // are shown located; the graph's, one line per code.
    // Taken out in place: a million graph warnings are not copied.
    let own_code = |d: &Diagnostic| d.code.as_str().starts_with('I');
    let own: Vec<Diagnostic> = loaded
        .warnings
        .iter()
        .filter(|d| own_code(d))
        .cloned()
        .collect();
    loaded.warnings.retain(|d| !own_code(d));
    if !args.warnings.quiet && !own.is_empty() {
        eprint!("{}", render(&own, &loaded.model.files));
    }
    super::print_warnings(
        &loaded,
        args.warnings,
        super::WarningDetail::Summary,
        &args.out.display().to_string(),
    );
    let yaml = yaml_out::to_yaml(&loaded.model);
    let files = vec![(PathBuf::from(GRAPH_FILE), yaml.as_bytes())];
    chokepoint::output::write_files(&args.out, &files)
        .map_err(|e| super::output_error(format!("{e}; nothing was written")))?;
    let m = &loaded.model;
    print_imported(m, &graph_path);
    // The model is not freed: the process exits (as for a loaded graph).
    std::mem::forget(loaded);
    Ok(())
}

/// Diagnostics for the terminal, each with its snippet (cut to the terminal's
/// width) and hint.
fn render(diagnostics: &[Diagnostic], files: &[chokepoint::model::SourceFile]) -> String {
    let color = chokepoint::output::term::color_stderr();
    let shared = chokepoint::load::SharedSources::new(files);
    let text = diagnostics
        .iter()
        .map(|d| d.render_shared(files, &shared, color))
        .collect::<Vec<_>>()
        .join("\n");
    let width = usize::from(chokepoint::output::terminal_width());
    chokepoint::output::text::clip_snippets(&text, width)
}

/// `import --from cyclonedx`: the document becomes a `load` draft located in
/// its JSON text, which `load` validates (no YAML round trip); the model is
/// then written as graph YAML, with `unmapped.json` beside it.
fn run_cyclonedx(args: &ImportArgs, overrides: &MetaOverrides) -> Result<(), CliError> {
    if args.tables.supply.is_some()
        || args.tables.items.is_some()
        || args.tables.suppliers.is_some()
        || args.tables.countries.is_some()
    {
        return Err(super::usage(
            "--supply, --items, --suppliers and --countries apply to --from csv only".into(),
        ));
    }
    let bytes = read_cyclonedx(&args.input)?;
    let imported = cyclonedx::import(bytes, overrides)
        .map_err(|e| CliError::from(e.load_error(&args.input)))?;
    for u in &imported.unmapped {
        eprintln!("{}", printable(&format!("{}#{u}", args.input.display())));
    }
    let unmapped_json =
        serde_json::to_string_pretty(&imported.unmapped).expect("plain data serializes") + "\n";
    let unmapped = imported.unmapped.len();
    let loaded = imported.load(&args.input)?;
    super::print_warnings(
        &loaded,
        args.warnings,
        super::WarningDetail::Summary,
        &args.input.display().to_string(),
    );
    // Printed: the warnings (one per item in a large catalogue) and the JSON
    // text behind their snippets are not needed while the YAML is written.
    let chokepoint::load::Loaded {
        model: mut m,
        warnings,
    } = loaded;
    drop(warnings);
    m.files = Vec::new();
    let yaml = yaml_out::to_yaml(&m);
    let graph_path = args.out.join(GRAPH_FILE);
    let files = vec![
        (PathBuf::from(GRAPH_FILE), yaml.as_bytes()),
        (PathBuf::from(UNMAPPED_FILE), unmapped_json.as_bytes()),
    ];
    chokepoint::output::write_files(&args.out, &files)
        .map_err(|e| super::output_error(format!("{e}; nothing was written")))?;
    eprintln!(
        "{unmapped} element(s) not mapped; listed in {}",
        args.out.join(UNMAPPED_FILE).display()
    );
    print_imported(&m, &graph_path);
    Ok(())
}

/// The last line of an import: what was written where.
fn print_imported(m: &chokepoint::model::Model, graph_path: &std::path::Path) {
    eprintln!(
        "imported {} items, {} suppliers, {} supply edges into {}",
        m.items.len(),
        m.suppliers.len(),
        m.items.values().map(|i| i.supply.len()).sum::<usize>(),
        graph_path.display()
    );
}

/// The CycloneDX document, read like every input file
/// ([`chokepoint::load::read_input`]: regular files only, bounded).
fn read_cyclonedx(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    use chokepoint::load::{ReadFailure, MAX_FILE_BYTES};
    chokepoint::load::read_input(path, MAX_FILE_BYTES).map_err(|e| {
        super::read_error(match e {
            ReadFailure::Io(e) => format!("cannot read {}: {e}", path.display()),
            ReadFailure::NotRegular(what) => {
                format!("cannot read {}: {what}, not a regular file", path.display())
            }
            ReadFailure::TooLarge(_) => format!(
                "cannot read {}: larger than the limit of {MAX_FILE_BYTES} bytes",
                path.display()
            ),
        })
    })
}

fn csv_input(args: &ImportArgs) -> Result<CsvInput, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut read = |p: &Option<PathBuf>| match p {
        None => None,
        Some(p) => match CsvFile::read(p) {
            Ok(f) => Some(f),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    let input = if args.input.is_dir() {
        CsvInput::from_dir(&args.input)?
    } else {
        CsvInput {
            bom: read(&Some(args.input.clone())),
            ..CsvInput::default()
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    csv_input_tables(args, input)
}

/// `input` with the tables of `--supply`, `--items`, `--suppliers` and `--countries`.
fn csv_input_tables(args: &ImportArgs, mut input: CsvInput) -> Result<CsvInput, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut read = |p: &Option<PathBuf>| match p {
        None => None,
        Some(p) => match CsvFile::read(p) {
            Ok(f) => Some(f),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    for (slot, path) in [
        (&mut input.supply, &args.tables.supply),
        (&mut input.items, &args.tables.items),
        (&mut input.suppliers, &args.tables.suppliers),
        (&mut input.countries, &args.tables.countries),
    ] {
        if let Some(f) = read(path) {
            *slot = Some(f);
        }
    }
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// Sheet names a BOM sheet is found by when `--sheet` is not given (folded
/// to lower case).
const BOM_SHEETS: &[&str] = &["bom", "物料清单", "bom清单"];
/// Sheet names a supply sheet is found by when `--supply-sheet` is not given.
const SUPPLY_SHEETS: &[&str] = &["suppliers", "supply", "vendors", "供应商", "供货"];

/// The tables of a workbook: its BOM sheet and, if any, its supply sheet;
/// `--supply` and the other table flags add CSV files as for `--from csv`.
fn workbook_input(args: &ImportArgs) -> Result<CsvInput, Vec<Diagnostic>> {
    let book = CsvFile::read(&args.input).map_err(|p| vec![p])?;
    let names = csv_import::workbook_sheets(&book).map_err(|p| vec![p])?;
    let missing = |flag: &str, name: &str| {
        Diagnostic::unlocated(
            chokepoint::load::Code::ImportUnreadable,
            book.name.clone(),
            format!(
                "{flag} {name}: the workbook has no such sheet (it has: {})",
                names.join(", ")
            ),
        )
        .hint("name one of the workbook's sheets")
    };
    let find = |wanted: &[&str]| {
        names
            .iter()
            .find(|n| wanted.contains(&n.trim().to_lowercase().as_str()))
            .cloned()
    };
    let bom_sheet = match &args.tables.sheet {
        Some(s) if names.contains(s) => s.clone(),
        Some(s) => return Err(vec![missing("--sheet", s)]),
        None => find(BOM_SHEETS).unwrap_or_else(|| names[0].clone()),
    };
    let supply_sheet = match &args.tables.supply_sheet {
        Some(s) if names.contains(s) => Some(s.clone()),
        Some(s) => return Err(vec![missing("--supply-sheet", s)]),
        None if args.tables.supply.is_some() => None,
        None => find(SUPPLY_SHEETS).filter(|s| *s != bom_sheet),
    };
    let sheet = |name: String| CsvFile {
        name: book.name.clone(),
        bytes: book.bytes.clone(),
        sheet: Some(name),
    };
    let mut input = csv_input_tables(args, CsvInput::default())?;
    input.bom = Some(sheet(bom_sheet));
    if let Some(s) = supply_sheet {
        input.supply = Some(sheet(s));
    }
    Ok(input)
}

/// Prints the problems of the input (located, with snippets and hints); the
/// error says how many errors stopped the import.
fn report_problems(e: LoadError) -> CliError {
    // The graph's warnings (an unmapped part, …) wait until the errors are
    // fixed; the importer's own (a column it does not use) may explain them.
    let shown: Vec<Diagnostic> = e
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == chokepoint::load::Severity::Error || d.code.as_str().starts_with('I')
        })
        .cloned()
        .collect();
    eprint!("{}", render(&shown, &e.files));
    CliError::Reported(format!(
        "{} error(s) in the input; nothing was written",
        e.errors().count()
    ))
}
