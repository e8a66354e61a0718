"""Loads chokepoint's Neo4j admin-import CSV into LadybugDB (the maintained
fork of the Kuzu embedded graph database, which speaks Cypher), then answers
one question: each system's single points of failure by country.

Usage: python3 load_neo4j_csv.py EXPORT_DIR SYSTEM_ID...
Prints JSON: {"SYSTEM_ID": ["CC", ...], ...}.

The schema is derived from the files' headers with the Neo4j header grammar
(`name:type`, `:ID(group)`, `:LABEL`, `:START_ID(group)`, `:END_ID(group)`,
`:TYPE`), so this loader checks the headers as neo4j-admin would read them.
Array properties (`type[]`) are kept as their `;`-joined text.
"""
import csv, json, os, re, sys, tempfile
import real_ladybug as lb

TYPES = {"string": "STRING", "double": "DOUBLE", "float": "DOUBLE", "int": "INT64",
         "long": "INT64", "boolean": "BOOLEAN"}
FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<kind>ID|START_ID|END_ID|LABEL|TYPE|IGNORE|[a-z]+(?:\[\])?)(?:\((?P<group>[A-Za-z][A-Za-z0-9_]*)\))?)?$")

def parse_header(header):
    fields = []
    for h in header:
        m = FIELD.match(h)
        if not m:
            raise SystemExit(f"not a Neo4j header field: {h!r}")
        kind = m.group("kind") or "string"
        if kind.endswith("[]"):
            kind = "string"  # arrays travel as their joined text here
        if kind not in TYPES and kind not in ("ID", "START_ID", "END_ID", "LABEL", "TYPE", "IGNORE"):
            raise SystemExit(f"unknown type in header field {h!r}")
        fields.append((m.group("name") or "neo4j_" + kind.lower(), kind, m.group("group")))
    return fields

def main():
    export, systems = sys.argv[1], sys.argv[2:]
    db = lb.Database(os.path.join(tempfile.mkdtemp(), "db"))
    con = lb.Connection(db)
    script = open(os.path.join(export, "import.sh")).read()
    nodes = re.findall(r"--nodes=(\S+)", script)
    rels = re.findall(r"--relationships=(\S+)", script)
    for f in nodes:
        path = os.path.join(export, f)
        fields = parse_header(next(csv.reader(open(path, newline="", encoding="utf-8"))))
        ids = [(n, g) for n, k, g in fields if k == "ID"]
        assert len(ids) == 1, f"{f}: one ID field"
        key, group = ids[0]
        cols = ", ".join(f"{n} {TYPES.get(k, 'STRING')}" for n, k, _ in fields)
        con.execute(f"CREATE NODE TABLE {group}({cols}, PRIMARY KEY({key}))")
        con.execute(f"COPY {group} FROM '{path}' (header=true, parallel=false)")
    for f in rels:
        path = os.path.join(export, f)
        fields = parse_header(next(csv.reader(open(path, newline="", encoding="utf-8"))))
        kinds = [k for _, k, _ in fields]
        assert kinds[:2] == ["START_ID", "END_ID"] and "TYPE" in kinds, f"{f}: {kinds}"
        src, dst = fields[0][2], fields[1][2]
        props = ", ".join(f"{n} {TYPES.get(k, 'STRING')}" for n, k, _ in fields[2:])
        table = os.path.splitext(f)[0].upper()
        con.execute(f"CREATE REL TABLE {table}(FROM {src} TO {dst}, {props})")
        con.execute(f"COPY {table} FROM '{path}' (header=true, parallel=false)")
    out = {}
    for s in systems:
        r = con.execute(
            "MATCH (c:Country) WHERE list_contains(string_split(c.single_point_of, ';'), $s) "
            "RETURN c.id ORDER BY c.id", {"s": s})
        rows = []
        while r.has_next():
            rows.append(r.get_next()[0])
        out[s] = rows
    # The graph is there too: every system reaches its parts through REQUIRES.
    r = con.execute("MATCH (s:Item)-[:REQUIRES]->(p:Item) RETURN count(*)")
    out["_requires_edges"] = r.get_next()[0]
    print(json.dumps(out, sort_keys=True))

main()
