#!/usr/bin/env python3
"""Writes tests/fixtures/erp/: exports shaped like SAP, Oracle, Kingdee, Yonyou
and Excel write them, each in its own delimiter and encoding (issue 20).

The texts are here in Unicode; each file is written in the encoding its
system uses (GBK for Kingdee and Yonyou, Windows-1252 for a German SAP
download, UTF-16 for Excel's "Unicode text", UTF-8 with a mark for Excel's
"CSV UTF-8"). The .xlsx needs openpyxl (`pip install openpyxl`).
Run from the repository root: python3 scripts/erp-fixtures.py
The expected graphs (*.expected.yaml) are written by hand, not by this script.
"""
import os

OUT = "tests/fixtures/erp"


def write(name, text, encoding="utf-8", bom=b"", newline="\n"):
    data = text.replace("\n", newline).encode(encoding)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bom + data)


os.makedirs(OUT, exist_ok=True)

# 1. SAP CS12 (multi-level BOM explosion) downloaded as a German "spreadsheet":
# `;`, decimal comma, Windows-1252, CRLF, the header material only in the
# report title (hence --root CT-64), unused columns Item and Base unit.
write(
    "sap-cs12-de.csv",
    """Level;Item;Component number;Object description;Comp. Qty (BUn);Base unit;Price;Vendor;Vendor Country;Lead Time
.1;0010;TUBE-01;Röntgenröhre;1;ST;120.000,00;Siemens Healthineers;Deutschland;180
.1;0020;DET-01;Detektormodul;2;ST;40.000,00;;;
..2;0010;GOS-01;GOS-Szintillator;0,5;KG;1.600,00;Toshiba Materials;Japan;90
..2;0020;ASIC-01;Auslese-ASIC;4;ST;800,00;;Österreich;60
...3;0010;WAFER-01;Siliziumscheibe;1;ST;;GlobalWafers;Taiwan;
.1;0030;GANTRY-01;Gantry;1;ST;;;Deutschland;
""",
    encoding="cp1252",
    newline="\r\n",
)

# 2. Oracle indented BOM report (comma, UTF-8, numeric levels from 0 with the
# top assembly as a row; quoted descriptions with commas).
write(
    "oracle-indented.csv",
    """Level,Component,Description,Quantity Per,UOM,Supplier,Country of Origin,Unit Cost
0,MR-15T,"MRI scanner, 1.5T",,EA,,,900000
1,MAGNET-15,Superconducting magnet,1,EA,Bruker,Germany,300000
2,NBTI-WIRE,"NbTi wire, 10 km",1,KM,Luvata,Finland,60000
2,HE-FILL,Liquid helium,1500,L,Air Products,United States,20
1,RF-AMP,RF amplifier,1,EA,Analogic,U.S.A.,90000
1,COIL-HEAD,Head coil,1,EA,,China,45000
""",
)

# 3. Kingdee K/3 BOM list (GBK, comma, parent/child pairs, Chinese headers and
# country names).
write(
    "kingdee-gbk.csv",
    """父项物料编码,子项物料编码,物料名称,用量,供应商,国家,单价
,DR-01,数字X射线摄影系统,,,,
DR-01,FPD-01,平板探测器,1,上海奕瑞,中国,80000
DR-01,HV-01,高压发生器,1,,德国,30000
FPD-01,CSI-01,碘化铯闪烁体,1,,日本,12000
FPD-01,TFT-01,非晶硅TFT面板,1,,韩国,20000
""",
    encoding="gbk",
    newline="\r\n",
)

# 4. Yonyou U8 multi-level BOM (GBK, tab, numeric 层次 with the product at 0,
# a quota column splitting two vendors of one part).
write(
    "yonyou-levels-gbk.tsv",
    """层次\t子件编码\t子件名称\t单位用量\t供应商\t产地\t供货比例
0\tUS-01\t彩色超声诊断仪\t\t\t\t
1\tPROBE-01\t凸阵探头\t1\t\t\t
2\tPZT-01\t压电陶瓷\t1\t村田\t日本\t60%
2\tPZT-01\t压电陶瓷\t1\t中电科\t中国\t40%
1\tFE-01\t前端板\t1\t\t美国\t
""",
    encoding="gbk",
)

# 5. Excel "CSV UTF-8" (byte-order mark, comma, CRLF) with ERP English headers
# and country aliases (USA, UK, South Korea).
write(
    "excel-utf8-bom.csv",
    """Parent Part,Component,Qty per,Vendor,Vendor Country
,PET-CT,,,
PET-CT,LYSO-01,1,Saint-Gobain,UK
PET-CT,SIPM-01,2,Hamamatsu,JP
PET-CT,FPGA-01,4,Xilinx,USA
PET-CT,DRAM-01,8,Samsung,South Korea
""",
    bom=b"\xef\xbb\xbf",
    newline="\r\n",
)

# 6. A legacy MRP extract separated by `|` (pipes, unquoted).
write(
    "mrp-pipe.txt",
    """PARENT|CHILD|QTY|VENDOR|VENDOR COUNTRY|LEAD TIME
|XR-01||||
XR-01|TUBE-XR|1|Varex|US|120
XR-01|COLLIM-01|1||CN|30
""",
)

# 7. An Excel sheet saved as CSV in a European locale: `;`, decimal comma in
# quantities and percentages, cost shares given.
write(
    "excel-semicolon-decimal.csv",
    """Assembly;Component Part;Quantity;Cost Share;Supplier;Origin
;ANGIO-01;;;;
ANGIO-01;C-ARM-01;1;12,5%;;Deutschland
ANGIO-01;FD-30;1;0,3;Trixell;France
ANGIO-01;CONTRAST-INJ;0,5;2,5%;Bracco;Italy
""",
)

# 8. Excel "Unicode text": UTF-16 LE with a mark, tab-separated, Chinese ERP
# headers (父件/子件) and English and Chinese country names.
write(
    "excel-unicode-text.txt",
    """父件\t子件\t数量\t供应商\t供应商国家
\tCT-16\t\t\t
CT-16\tBEARING-01\t1\tRotek\t德国
CT-16\tSLIPRING-01\t1\tMoog\t美国
CT-16\tTUBE-16\t1\t\t中国
""",
    encoding="utf-16-le",
    bom=b"\xff\xfe",
    newline="\r\n",
)

# 9. Oracle BOM with a separate approved-supplier list (supply table with
# quota percentages and site countries).
write(
    "oracle-bom.csv",
    """Assembly,Component,Quantity,Description
,SPECT-01,,SPECT camera
SPECT-01,NAI-01,1,NaI(Tl) crystal
SPECT-01,PMT-01,59,Photomultiplier tube
""",
)
write(
    "oracle-asl.csv",
    """Part,Vendor,Vendor Name,Vendor Country,Site Country,Quota
NAI-01,SG,Saint-Gobain Crystals,France,United States,70%
NAI-01,BEIJING-OP,Beijing Opto,China,,30%
PMT-01,HPK,Hamamatsu Photonics,Japan,,100%
""",
)

# 10. SAP vendor-per-line export (`;`, UTF-8 without a mark): a line repeated
# once per vendor, with quotas, lead times and dot levels under a level-1 top.
write(
    "sap-vendor-lines.csv",
    """Level;Component number;Object description;Comp. Qty (BUn);Vendor;Vendor Country;Quota;Lead Time
1;MAMMO-01;Mammography system;;;;;
..2;DET-M;Mammo detector;1;;;;
...3;ASE-01;a-Se layer;1;Analogic;Canada;60%;200
...3;ASE-01;a-Se layer;1;Fujifilm;Japan;40%;150
..2;TUBE-M;Mammo tube;1;Varex;United States;;90
""",
)

# 11. Kingdee cloud export in UTF-8 with SAP-style dot levels and Chinese
# headers (层级 as `.1`, `..2`).
write(
    "kingdee-dot-levels.csv",
    """层级,子件编码,子件名称,用量,供应商,原产国
0,PETMR-01,一体化PET/MR,,,
.1,SIPM-PM,硅光电倍增管阵列,1,安森美,美国
.1,MAG-PM,超导磁体,1,,中国
..2,YBCO-01,高温超导带材,1,上海超导,中国
""",
)

# 12. An Excel workbook: a BOM sheet (English headers, a table starting at B2
# under a title) and a Suppliers sheet.
try:
    import openpyxl
except ImportError:
    raise SystemExit("pip install openpyxl to write the .xlsx")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "BOM"
ws["A1"] = "Bill of materials — C-arm"
rows = [
    ["Parent Part", "Component", "Description", "Qty per", "Unit Price"],
    [None, "CARM-01", "Mobile C-arm", None, 500000],
    ["CARM-01", "II-01", "Image intensifier", 1, 100000],
    ["CARM-01", "MONO-01", "Monoblock generator", 1, 50000],
    ["CARM-01", "CABLE-01", "Cable set", 3, 1000],
]
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        if v is not None:
            ws.cell(row=2 + r, column=2 + c, value=v)
sup = wb.create_sheet("Suppliers")
for row in [
    ["Part", "Vendor", "Vendor Name", "Vendor Country", "Quota"],
    ["II-01", "thales", "Thales", "France", 1],
    ["MONO-01", "cpi", "CPI", "Canada", 0.5],
    ["MONO-01", "spellman", "Spellman", "USA", 0.5],
]:
    sup.append(row)
notes = wb.create_sheet("Notes")
notes["A1"] = "Exported from the ERP; not a table."
wb.save(os.path.join(OUT, "carm-workbook.xlsx"))

# A workbook with mistakes, for the located problems: a quantity that is not a
# number (BOM!E4) and an unknown country (Suppliers!D3).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "BOM"
for row in [
    [None, "Parent Part", "Component", "Description", "Qty per"],
    [None, None, "CARM-02", "Mobile C-arm", None],
    [None, "CARM-02", "II-02", "Image intensifier", "two"],
]:
    ws.append(row)
ws.insert_rows(1)
sup = wb.create_sheet("Vendor list")
for row in [
    ["Part", "Vendor", "Vendor Name", "Vendor Country", "Quota"],
    ["II-02", "thales", "Thales", "Frankreich", 1],
]:
    sup.append(row)
wb.save(os.path.join(OUT, "carm-bad.xlsx"))
