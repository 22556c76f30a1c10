"""Spark values to the JSON encoding of fixtures/sql/README.md ("Value encoding"), and the
README's comparison rules, used to check that the three recording runs agree."""

import math
import struct
from datetime import date, datetime

from pyspark.sql import types as T


def spark_type(dt):
    """Spark's simpleString type name, as the fixtures write it."""
    return dt.simpleString()


def f32_shortest(x):
    """The shortest decimal text that round-trips through a 32-bit float."""
    want = struct.unpack("f", struct.pack("f", x))[0]
    for digits in range(1, 18):
        text = f"{want:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == want:
            return float(text)
    return want


def special(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return None


def encode(v, dt):
    if v is None:
        return None
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return int(v)
    if isinstance(dt, T.BooleanType):
        return bool(v)
    if isinstance(dt, T.DoubleType):
        return special(v) or float(v)
    if isinstance(dt, T.FloatType):
        return special(v) or f32_shortest(v)
    if isinstance(dt, T.DecimalType):
        return f"{v:.{dt.scale}f}"
    if isinstance(dt, T.StringType):
        return str(v)
    if isinstance(dt, T.TimestampType):
        assert isinstance(v, datetime) and v.tzinfo is None, v
        return v.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(dt, T.DateType):
        assert isinstance(v, date), v
        return v.isoformat()
    if isinstance(dt, T.ArrayType):
        return [encode(x, dt.elementType) for x in v]
    if isinstance(dt, T.StructType):
        return {f.name: encode(v[i], f.dataType) for i, f in enumerate(dt.fields)}
    raise TypeError(f"no fixture encoding for {dt.simpleString()}: keep it out of the output")


def encode_row(row, types):
    return [encode(v, t) for v, t in zip(row, types)]


def sort_key(v):
    if v is None:
        return (0,)
    if isinstance(v, bool):
        return (1, int(v))
    if isinstance(v, (int, float)):
        return (1, v)
    if isinstance(v, str):
        return (2, v)
    if isinstance(v, list):
        return (3, tuple(sort_key(x) for x in v))
    if isinstance(v, dict):
        return (4, tuple(sort_key(x) for x in v.values()))
    raise TypeError(v)


def canonical_rows(rows, types):
    return sorted(rows, key=lambda r: tuple(sort_key(v) for v in r))


def value_eq(a, b, t):
    if a is None or b is None:
        return a is None and b is None
    if t in ("double", "float") and isinstance(a, float) and isinstance(b, float):
        rel = 1e-9 if t == "double" else 1e-6
        return abs(a - b) <= max(rel * max(abs(a), abs(b)), 1e-12)
    if isinstance(a, list) and isinstance(b, list):
        inner = t[len("array<") : -1] if t.startswith("array<") else t
        return len(a) == len(b) and all(value_eq(x, y, inner) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        # Struct fields of double type are compared loosely too; names must match.
        return list(a) == list(b) and all(value_eq(a[k], b[k], "double") for k in a)
    return a == b


def row_eq(a, b, types):
    return len(a) == len(b) and all(value_eq(x, y, t) for x, y, t in zip(a, b, types))


def rows_agree(a, b, types, ordered):
    if len(a) != len(b):
        return False
    if ordered:
        return all(row_eq(x, y, types) for x, y in zip(a, b))
    unused = canonical_rows(b, types)
    for row in canonical_rows(a, types):
        hit = next((i for i, other in enumerate(unused) if row_eq(row, other, types)), None)
        if hit is None:
            return False
        unused.pop(hit)
    return True
