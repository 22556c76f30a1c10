"""DuckDB's times for the queries of benches/engine.rs, on the same data, single-threaded.

Run by `cargo bench -p query --bench engine` (or on its own: python3 duckdb_bench.py).
Needs `pip install duckdb`. Prints one line per query: name, best-of-N milliseconds.
"""

import pathlib
import sys
import time

try:
    import duckdb
except ImportError:
    print("duckdb: not installed (pip install duckdb); no comparison figures")
    sys.exit(0)

HERE = pathlib.Path(__file__).parent
QUERIES = {
    "group_by_5_aggregates_100_groups": "SELECT device_id, count(*) AS n, sum(delay) AS s, avg(temperature) AS a, "
    "min(air_pressure) AS lo, max(temperature) AS hi FROM t GROUP BY device_id",
    "filter_project": "SELECT device_id, temperature * 1.8 + 32 AS temp_f, delay / 60 AS delay_min "
    "FROM t WHERE air_pressure > 500",
}
RUNS = 15


def main():
    con = duckdb.connect()
    con.execute("SET threads=1")
    data = "\n".join(l for l in (HERE / "engine_data.sql").read_text().splitlines() if not l.startswith("--"))
    con.execute("CREATE TABLE t AS " + data)
    print(f"duckdb {duckdb.__version__}, threads=1, rows={con.execute('SELECT count(*) FROM t').fetchone()[0]}")
    for name, sql in QUERIES.items():
        best = float("inf")
        for _ in range(RUNS):
            start = time.perf_counter()
            con.execute(f"CREATE OR REPLACE TEMP TABLE out AS {sql}")
            best = min(best, time.perf_counter() - start)
        rows = con.execute("SELECT count(*) FROM out").fetchone()[0]
        print(f"duckdb {name}: {best * 1000:.2f} ms (best of {RUNS}, {rows} rows materialized)")


if __name__ == "__main__":
    main()
