//! ERP and Excel exports as procurement teams bring them (issue 20): the corpus
//! under tests/fixtures/erp (written by scripts/erp-fixtures.py), encodings,
//! indented BOMs, workbooks, and the located problems of each.

use crate::support::*;

/// Runs `chokepoint import` and returns (exit status, stderr with the output
/// directory written as `OUT`).
fn import(args: &[&str], out: &std::path::Path) -> (i32, String) {
    let o = bin()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    (
        o.status.code().unwrap(),
        err.replace(out.to_str().unwrap(), "OUT"),
    )
}

/// Every export of the corpus imports without hand conversion into the graph
/// checked by hand against its rows (cost shares from price × qty over the
/// parent's price or the sum of its priced lines; countries from names in
/// English, German and Chinese; vendors as sources; lead times as
/// recovery_days; levels placing rows under the row above). Each covers a
/// delimiter, an encoding or a layout:
///
/// | file | system | delimiter | encoding | layout |
/// |---|---|---|---|---|
/// | sap-cs12-de.csv | SAP CS12 | `;`, decimal comma | Windows-1252, CRLF | `.1 ..2 ...3` levels, `--root` |
/// | oracle-indented.csv | Oracle | `,` (quoted commas) | UTF-8 | levels 0–2, unit costs |
/// | kingdee-gbk.csv | Kingdee | `,` | GBK, CRLF | Chinese parent/child headers, prices |
/// | yonyou-levels-gbk.tsv | Yonyou | tab | GBK | 层次 0–2, quota per vendor line |
/// | excel-utf8-bom.csv | Excel "CSV UTF-8" | `,` | UTF-8 with mark, CRLF | English ERP headers, UK/USA |
/// | mrp-pipe.txt | MRP extract | `\|` | ASCII | upper-case headers, lead times |
/// | excel-semicolon-decimal.csv | Excel, European | `;`, `0,3` and `12,5%` | UTF-8 | cost shares |
/// | excel-unicode-text.txt | Excel "Unicode text" | tab | UTF-16 LE with mark | Chinese headers and countries |
/// | oracle-bom.csv + oracle-asl.csv | Oracle + ASL | `,` | UTF-8 | supply table with quotas and sites |
/// | sap-vendor-lines.csv | SAP | `;` | UTF-8 | `1 ..2 ...3`, a line per vendor |
/// | kingdee-dot-levels.csv | Kingdee Cloud | `,` | UTF-8 | 层级 with dots |
/// | carm-workbook.xlsx | Excel | — | — | BOM sheet under a title, Suppliers sheet |
#[test]
fn erp_corpus_imports_each_export_into_its_hand_checked_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let d = "tests/fixtures/erp";
    let cases: Vec<(&str, Vec<String>, String)> = vec![
        (
            "sap-cs12-de",
            vec!["csv".into(), format!("{d}/sap-cs12-de.csv"), "--root".into(), "CT-64".into()],
            format!("{d}/sap-cs12-de.csv:1:2: warning[I028]: 2 columns are not used by the importer: `Item`, `Base unit`\n"),
        ),
        (
            "oracle-indented",
            vec!["csv".into(), format!("{d}/oracle-indented.csv")],
            format!("{d}/oracle-indented.csv:1:5: warning[I028]: column `UOM` is not used by the importer\n"),
        ),
        ("kingdee-gbk", vec!["csv".into(), format!("{d}/kingdee-gbk.csv")], String::new()),
        (
            "yonyou-levels-gbk",
            vec!["csv".into(), format!("{d}/yonyou-levels-gbk.tsv")],
            String::new(),
        ),
        ("excel-utf8-bom", vec!["csv".into(), format!("{d}/excel-utf8-bom.csv")], String::new()),
        ("mrp-pipe", vec!["csv".into(), format!("{d}/mrp-pipe.txt")], String::new()),
        (
            "excel-semicolon-decimal",
            vec!["csv".into(), format!("{d}/excel-semicolon-decimal.csv")],
            String::new(),
        ),
        (
            "excel-unicode-text",
            vec!["csv".into(), format!("{d}/excel-unicode-text.txt")],
            String::new(),
        ),
        (
            "oracle-bom",
            vec![
                "csv".into(),
                format!("{d}/oracle-bom.csv"),
                "--supply".into(),
                format!("{d}/oracle-asl.csv"),
            ],
            String::new(),
        ),
        ("sap-vendor-lines", vec!["csv".into(), format!("{d}/sap-vendor-lines.csv")], String::new()),
        ("kingdee-dot-levels", vec!["csv".into(), format!("{d}/kingdee-dot-levels.csv")], String::new()),
        ("carm-workbook", vec!["xlsx".into(), format!("{d}/carm-workbook.xlsx")], String::new()),
    ];
    assert_eq!(cases.len(), 12);
    for (name, args, warnings) in cases {
        let out = tmp.path().join(name);
        let mut all = vec!["-q", "--from"];
        all.extend(args.iter().map(String::as_str));
        let (code, err) = import(&all, &out);
        assert_eq!(code, 0, "{name}: {err}");
        // -q keeps the importer's own warnings out: they are checked below.
        assert!(err.ends_with(" into OUT/graph.yaml\n"), "{name}: {err}");
        let got = std::fs::read_to_string(out.join("graph.yaml")).unwrap();
        let want = std::fs::read_to_string(fixture(&format!("erp/{name}.expected.yaml"))).unwrap();
        assert_eq!(got, want, "{name}");
        // Without -q, the columns the importer leaves are named once.
        let mut loud = vec!["--from"];
        loud.extend(args.iter().map(String::as_str));
        let (_, err) = import(&loud, &tmp.path().join(format!("{name}-loud")));
        let i028: String = err
            .lines()
            .filter(|l| l.contains("[I028]"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(i028, warnings, "{name}");
    }
}

/// The encoding is found from a byte-order mark, else UTF-8, else UTF-16 by its
/// NULs, else GBK when every high byte pairs into a GB2312 character, else
/// Windows-1252; `--encoding` decides otherwise, and a file that is not valid
/// in it is one located problem naming the encoding.
#[test]
fn csv_import_decodes_by_mark_content_or_encoding_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "parent,child,name\n,ct,CT\nct,tube,Röhre 球管\n";
    let utf16 = |be: bool, mark: bool| -> Vec<u8> {
        let mut out = Vec::new();
        if mark {
            out.extend(if be { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for u in text.encode_utf16() {
            out.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    };
    let name_of_tube = |bytes: Vec<u8>, extra: &[&str]| {
        let f = tmp.path().join("bom.csv");
        std::fs::write(&f, bytes).unwrap();
        let out = tmp.path().join("g");
        let _ = std::fs::remove_dir_all(&out);
        let mut args = vec!["-q", "--from", "csv", f.to_str().unwrap()];
        args.extend(extra);
        let (code, err) = import(&args, &out);
        assert_eq!(code, 0, "{err}");
        load(&out).model.items["tube"].name.clone()
    };
    assert_eq!(name_of_tube(utf16(true, true), &[]), "Röhre 球管");
    assert_eq!(name_of_tube(utf16(false, true), &[]), "Röhre 球管");
    assert_eq!(name_of_tube(utf16(false, false), &[]), "Röhre 球管");
    assert_eq!(name_of_tube(utf16(true, false), &[]), "Röhre 球管");
    let latin = b"parent,child,name\n,ct,CT\nct,tube,R\xf6hre\n".to_vec();
    assert_eq!(name_of_tube(latin, &[]), "Röhre");
    let gbk = b"parent,child,name\n,ct,CT\nct,tube,\xc7\xf2\xb9\xdc\n".to_vec();
    assert_eq!(name_of_tube(gbk.clone(), &[]), "球管");
    // Two accented letters side by side look like one GB2312 character: the
    // rule reads GBK, and --encoding says otherwise.
    let umlauts = b"parent,child,name\n,ct,CT\nct,tube,\xc4\xd6L\n".to_vec();
    assert_eq!(name_of_tube(umlauts.clone(), &[]), "闹L");
    assert_eq!(
        name_of_tube(umlauts, &["--encoding", "windows-1252"]),
        "ÄÖL"
    );
    assert_eq!(name_of_tube(gbk.clone(), &["--encoding", "cp936"]), "球管");
    // Not valid in the encoding named: one problem at its row and field.
    let f = tmp.path().join("bad.csv");
    std::fs::write(&f, &gbk).unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap(), "--encoding", "utf-8"],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err.replace(f.to_str().unwrap(), "bad.csv")),
        "bad.csv:3:3: error[I002]: the file is not valid UTF-8 (byte offset 33); \
         pass the file's own --encoding (utf-8, utf-16le, utf-16be, windows-1252, gbk)\n\
         error: 1 error(s) in the input; nothing was written\n"
    );
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap(), "--encoding", "ebcdic"],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error[U001]: --encoding ebcdic: not an encoding the importer reads\n  \
         help: use one of `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, `gbk`, `gb18030`\n"
    );
}

/// A spreadsheet of 100,000 columns the importer does not use gives one
/// warning naming the first five and counting the rest (issue 21: not 100,000
/// lines), and the import goes on.
#[test]
fn csv_import_warns_once_about_many_unused_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("wide.csv");
    let cols: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let pad = ",".repeat(100_000);
    std::fs::write(
        &f,
        format!("parent,child,{}\n,ct{pad}\nct,tube{pad}\n", cols.join(",")),
    )
    .unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap()],
        &tmp.path().join("g"),
    );
    assert_eq!(code, 0, "{err}");
    let err = err.replace(f.to_str().unwrap(), "wide.csv");
    // The rest is the graph's own W002 summary (`tube` has no source).
    // The header is too long to quote: the place, the message and the hint.
    assert!(
        err.starts_with(
            "wide.csv:1:3: warning[I028]: 100000 columns are not used by the importer: \
             `c0`, `c1`, `c2`, `c3`, `c4` and 99995 more\n  help: map it with --columns \
             if it holds a column the importer knows, or remove\n        it\nwarning[W002]"
        ),
        "{err}"
    );
    assert_eq!(err.matches("I028").count(), 1);
    assert!(err.len() < 1000, "{}", err.len());
    // Without the child column, the header is shown by its first columns.
    std::fs::write(&f, format!("parent,kid,{}\n,ct{pad}\n", cols.join(","))).unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap()],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    let first = err
        .lines()
        .next()
        .unwrap()
        .replace(f.to_str().unwrap(), "wide.csv");
    assert!(
        first.starts_with(
            "wide.csv:1:1: error[I004]: missing column `child` (the header has: \
             parent, kid, c0, c1, c2, c3, c4, c5, c6, c7, … (100002 columns)); name it `child`"
        ),
        "{first}"
    );
    assert!(err.len() < 2000, "{}", err.len());
}

/// Mistakes in an indented BOM are one problem each, at the level cell, with
/// what to write; the rows beneath a misplaced row are not reported again.
/// Without --root, quantities on top-level rows say how to name the assembly.
#[test]
fn indented_bom_level_problems_are_located_once() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("cs12.csv");
    std::fs::write(
        &f,
        "Level;Component number;Comp. Qty (BUn)\n\
         .1;TUBE;1\n\
         ...3;X;1\n\
         ....4;X2;1\n\
         ..2;Y;1\n\
         .x;Q;1\n\
         ..2;R;1\n\
         .2;W;1\n\
         ;V;1\n",
    )
    .unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap(), "--root", "CT"],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err.replace(f.to_str().unwrap(), "cs12.csv")),
        "cs12.csv:3:1: error[I031]: `Level` is 3, which follows level 1 (row 2); a row lies one level below the row it belongs to\n\
         cs12.csv:6:1: error[I007]: `Level` is `.x`, not a level; write a number (`2`), dots and a number (`..2`) or dots (`..`)\n\
         cs12.csv:8:1: error[I031]: `Level` is `.2`: 1 dot(s) but level 2; write `..2` or `2`\n\
         cs12.csv:9:1: error[I006]: `Level` is empty; every row of an indented BOM needs its level\n\
         error: 4 error(s) in the input; nothing was written\n"
    );
    std::fs::write(
        &f,
        "Level;Component number;Comp. Qty (BUn)\n.1;TUBE;1\n..2;GOS;2\n",
    )
    .unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap()],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err.replace(f.to_str().unwrap(), "cs12.csv")),
        "cs12.csv:2:3: error[I024]: `Comp. Qty (BUn)` is set on a row without a parent; pass --root with the assembly the top-level rows belong to\n\
         error: 1 error(s) in the input; nothing was written\n"
    );
    // The largest levels are placed or refused, never overflow.
    std::fs::write(
        &f,
        "Level;Component number\n4294967294;A\n4294967295;B\n99999999999;C\n",
    )
    .unwrap();
    let (code, err) = import(
        &["--from", "csv", f.to_str().unwrap()],
        &tmp.path().join("never"),
    );
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err.replace(f.to_str().unwrap(), "cs12.csv")),
        "cs12.csv:4:1: error[I007]: `Level` is `99999999999`, not a level; write a number (`2`), dots and a number (`..2`) or dots (`..`)\n\
         error: 1 error(s) in the input; nothing was written\n"
    );
}

/// Problems in a workbook name the cell in Excel's notation (a sheet name
/// with a space quoted); a sheet that is not there lists the ones that are.
#[test]
fn xlsx_import_locates_problems_by_cell_and_names_missing_sheets() {
    let book = "tests/fixtures/erp/carm-bad.xlsx";
    let never = std::path::Path::new("/nonexistent/never");
    let (code, err) = import(
        &["--from", "xlsx", book, "--supply-sheet", "Vendor list"],
        never,
    );
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err),
        format!(
            "{book}:BOM!E4: error[I007]: `Qty per` is `two`, not a number; write a number such as `2`, `0.5` or `50%`\n\
             {book}:'Vendor list'!D2: error[I012]: `Vendor Country` is `Frankreich`, neither an ISO 3166-1 alpha-2 country code (e.g. CN, US) nor a known country name; write the two-letter code (e.g. DE for Germany) or the country's English or Chinese name\n\
             error: 2 error(s) in the input; nothing was written\n"
        )
    );
    let (code, err) = import(&["--from", "xlsx", book, "--sheet", "Stückliste"], never);
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&err),
        format!(
            "{book}: error[I001]: --sheet Stückliste: the workbook has no such sheet (it has: BOM, Vendor list)\n\
             error: 1 error(s) in the input; nothing was written\n"
        )
    );
    let (code, err) = import(
        &[
            "--from",
            "csv",
            "tests/fixtures/erp/mrp-pipe.txt",
            "--sheet",
            "BOM",
        ],
        never,
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error[U001]: --sheet and --supply-sheet apply to --from xlsx only\n  \
         help: run `chokepoint import --help` for the flags and an example\n"
    );
}
