#!/usr/bin/env python3
"""Record Spark's answers for the corner-case golden set (fixtures/sql-corners/cases).

Runs every case of scripts/sql_corners/cases.py on real Apache Spark (pyspark 4.3.0,
local[2], session time zone UTC, ANSI on: the settings of fixtures/sql) over the tables of
fixtures/sql, and writes one JSON file per case in the format of fixtures/sql/README.md.

Like the main set's generator, every case runs three times: once over the tables as read, then
twice over shuffled, re-partitioned copies with other shuffle-partition counts. Recording fails
unless the three runs agree (same error class, or the same rows: in order when the case is
ordered, as multisets otherwise, doubles to 1e-9 relative). Re-running rewrites the same files.

Usage: ~/.cache/iot-workbook/spark-venv/bin/python scripts/record-sql-corners.py [ID_PREFIX...]
"""

import json
import os
import sys
import time
from pathlib import Path

os.environ["TZ"] = "UTC"  # pyspark turns timestamps into naive datetimes in the local zone
time.tzset()

from py4j.protocol import Py4JJavaError  # noqa: E402
from pyspark.errors import PySparkException  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sql_corners.cases import CASES  # noqa: E402
from sql_corners.encode import canonical_rows, encode_row, rows_agree, spark_type  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "fixtures" / "sql"
OUT = ROOT / "fixtures" / "sql-corners" / "cases"
VERSION = "4.3.0"
# (shuffle partitions, seed of the table shuffle or None for the tables as read, partitions)
RUNS = [(4, None, None), (3, 11, 3), (7, 23, 5)]


def session():
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("record-sql-corners")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    assert spark.version == VERSION, f"expected Spark {VERSION}, found {spark.version}"
    return spark


def load_tables(spark):
    manifest = json.loads((TABLES / "tables.json").read_text())
    tables = {}
    for name, spec in manifest["tables"].items():
        ddl = ", ".join(f"`{c}` {t}" for c, t in spec["columns"])
        df = (
            spark.read.option("header", "true")
            .option("timestampFormat", "yyyy-MM-dd HH:mm:ss[.SSS]")
            .option("escape", "\"")
            .option("mode", "FAILFAST")
            .schema(ddl)
            .csv(str(TABLES / spec["file"]))
        )
        rows = df.count()
        assert rows == spec["row_count"], f"{name}: {rows} rows, manifest says {spec['row_count']}"
        tables[name] = df.cache()
    return tables


def register(spark, tables, shuffle_seed, partitions):
    for name, df in tables.items():
        if shuffle_seed is not None:
            # Checkpointed, so the shuffled copy is a plain (deterministic) relation to the
            # planner, as the tables are: Spark rejects some plans over random input.
            df = df.orderBy(F.rand(shuffle_seed)).repartition(partitions).localCheckpoint()
        df.createOrReplaceTempView(name)


def schema_pairs(df):
    return [[f.name, spark_type(f.dataType)] for f in df.schema.fields]


def run_case(spark, sql):
    """Spark's answer: ("rows", schema, rows) or ("error", info, analyzed schema or None)."""
    try:
        df = spark.sql(sql)
    except PySparkException as e:
        return ("error", error_info(e), None)
    except Py4JJavaError as e:
        return ("error", java_error_info(e), None)
    analyzed = schema_pairs(df)
    try:
        rows = df.collect()
    except PySparkException as e:
        return ("error", error_info(e), analyzed)
    except Py4JJavaError as e:
        return ("error", java_error_info(e), analyzed)
    types = [f.dataType for f in df.schema.fields]
    return ("rows", analyzed, [encode_row(r, types) for r in rows])


def error_info(e):
    cls = e.getCondition()
    if not cls:
        raise RuntimeError(f"an error without a condition: {e}") from e
    return {
        "class": cls,
        "sqlstate": e.getSqlState(),
        "message_first_line": first_line(str(e)),
    }


def java_error_info(e):
    """A failure Spark leaves without an error condition (a raw Java exception from a task):
    class null, the root cause's first line as the message."""
    cause = e.java_exception
    while cause.getCause() is not None:
        cause = cause.getCause()
    return {"class": None, "sqlstate": None, "message_first_line": first_line(str(cause.toString()))}


def first_line(text):
    return next((line for line in text.split("\n") if line.strip()), "")


def agree(case, first, other):
    if first[0] != other[0]:
        return False
    if first[0] == "error":
        return first[1]["class"] == other[1]["class"]
    if first[1] != other[1]:
        return False
    types = [t for _, t in first[1]]
    return rows_agree(first[2], other[2], types, case.get("ordered", False))


def generated_columns(case, schema):
    if "generated" in case:
        return case["generated"]
    plain = lambda n: n.replace("_", "a").isalnum() and not n[0].isdigit()  # noqa: E731
    return [i for i, (name, _) in enumerate(schema) if not plain(name)]


def case_json(case, result):
    out = {"id": case["id"], "category": case["category"], "sql": case["sql"]}
    kind, info, payload = result
    if kind == "error":
        out["error"] = info
        if payload is not None:
            out["analyzed_schema"] = payload
    else:
        out["expected_schema"] = info
        gen = generated_columns(case, info)
        if gen:
            out["generated_name_columns"] = gen
        out["ordered"] = case.get("ordered", False)
        out["row_count"] = len(payload)
    if "note" in case:
        out["note"] = case["note"]
    if "deviation" in case:
        out["workbook_deviation"] = case["deviation"]
    if kind == "rows":
        types = [t for _, t in info]
        out["rows"] = payload if case.get("ordered") else canonical_rows(payload, types)
    return render(out)


def render(obj):
    """The layout of fixtures/sql: one line per schema column and per row."""
    lines = ["{"]
    items = list(obj.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        if key in ("expected_schema", "rows") and value:
            inner = ",\n".join("    " + dump(v) for v in value)
            lines.append(f'  "{key}": [\n{inner}\n  ]{comma}')
        else:
            lines.append(f'  "{key}": {dump(value)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def dump(v):
    return json.dumps(v, ensure_ascii=False)


def main(prefixes):
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    cases = [c for c in CASES if not prefixes or c["id"].startswith(tuple(prefixes))]
    spark = session()
    tables = load_tables(spark)
    results = {c["id"]: [] for c in cases}
    for shuffle_partitions, seed, partitions in RUNS:
        spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
        register(spark, tables, seed, partitions)
        for case in cases:
            results[case["id"]].append(run_case(spark, case["sql"]))
    OUT.mkdir(parents=True, exist_ok=True)
    disagreeing = []
    for case in cases:
        first, *others = results[case["id"]]
        if not all(agree(case, first, o) for o in others):
            disagreeing.append(case["id"])
            continue
        if first[0] == "error" and first[1]["class"] is None and "deviation" not in case:
            print(f"{case['id']}: Spark raised no error condition; give the case a deviation", file=sys.stderr)
            disagreeing.append(case["id"])
            continue
        if "expect" in case and case["expect"] != (first[1]["class"] if first[0] == "error" else "rows"):
            got = first[1]["class"] if first[0] == "error" else "rows"
            print(f"note: {case['id']} expected {case['expect']}, Spark gave {got}")
        (OUT / f"{case['id']}.json").write_text(case_json(case, first))
        summary = first[1]["class"] if first[0] == "error" else f"{len(first[2])} rows"
        print(f"{case['id']}: {summary}")
    spark.stop()
    if disagreeing:
        print("runs disagree (not written):", ", ".join(disagreeing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
