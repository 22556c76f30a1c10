"""Compare the workbook's tables (`iotwb run --out`: <name>.parquet) with Spark's (the managed
tables `spark-pipelines run` wrote under the warehouse's <database>.db/ folder): same columns in
the same order, same types, same rows in any order, floats equal to 1e-9 relative.

Usage: interop_compare.py WORKBOOK_DIR SPARK_DATABASE_DIR [TABLE ...]
Exit status 1 and one line per difference when they differ.
"""

import math
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

REL = 1e-9


def spark_type(t):
    """The Spark SQL name of an Arrow type as Spark or the workbook wrote it to Parquet."""
    if pa.types.is_int8(t):
        return "tinyint"
    if pa.types.is_int16(t):
        return "smallint"
    if pa.types.is_int32(t):
        return "int"
    if pa.types.is_int64(t):
        return "bigint"
    if pa.types.is_float32(t):
        return "float"
    if pa.types.is_float64(t):
        return "double"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_date32(t):
        return "date"
    return str(t)


def normalised(table):
    """Columns as Python lists; timestamps as integer microseconds since the epoch (UTC)."""
    columns = []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_timestamp(field.type):
            column = column.cast(pa.timestamp("us", tz=field.type.tz)).cast(pa.int64())
        columns.append(column.to_pylist())
    return [tuple(row) for row in zip(*columns)] if columns else []


def sort_key(row):
    key = []
    for v in row:
        if v is None:
            key.append((0, ""))
        elif isinstance(v, float):
            key.append((1, f"{v:.6e}" if math.isfinite(v) else str(v)))
        else:
            key.append((2, str(v)))
    return key


def same_value(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or abs(a - b) <= REL * max(abs(a), abs(b))
    return a == b


def compare(name, workbook, spark):
    problems = []
    wcols = [(f.name, spark_type(f.type)) for f in workbook.schema]
    scols = [(f.name, spark_type(f.type)) for f in spark.schema]
    if wcols != scols:
        problems.append(f"{name}: columns differ\n  workbook {wcols}\n  spark    {scols}")
        return problems
    if workbook.num_rows != spark.num_rows:
        problems.append(f"{name}: {workbook.num_rows} rows in the workbook, {spark.num_rows} on Spark")
        return problems
    wrows = sorted(normalised(workbook), key=sort_key)
    srows = sorted(normalised(spark), key=sort_key)
    for i, (w, s) in enumerate(zip(wrows, srows)):
        for (col, _), a, b in zip(wcols, w, s):
            if not same_value(a, b):
                problems.append(f"{name}: row {i} column {col}: workbook {a!r}, spark {b!r}\n  workbook {w}\n  spark    {s}")
                break
        if len(problems) > 5:
            break
    return problems


def main():
    workbook_dir, spark_dir = Path(sys.argv[1]), Path(sys.argv[2])
    names = sys.argv[3:] or sorted(p.stem for p in workbook_dir.glob("*.parquet"))
    problems = []
    for name in names:
        workbook = pq.read_table(workbook_dir / f"{name}.parquet")
        folder = spark_dir / name
        if not folder.is_dir():
            problems.append(f"{name}: no Spark table at {folder}")
            continue
        parts = [p for p in folder.rglob("*.parquet")]
        spark = ds.dataset(parts, format="parquet").to_table() if parts else workbook.schema.empty_table()
        found = compare(name, workbook, spark)
        problems.extend(found)
        print(f"  {name:<22} {workbook.num_rows:>8} rows  {'same' if not found else 'DIFFERENT'}")
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
