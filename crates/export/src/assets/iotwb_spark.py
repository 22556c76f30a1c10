"""Support code of a project exported by `iotwb export --format spark`.

Open-source Spark declarative pipelines lack three Databricks features the workbook runs:
Auto Loader's landing folders, expectations and Tempo. This module gives the exported sources
their equivalents in plain PySpark, with the workbook's (and Databricks') semantics:

- `landing(spark, path)`: where a `/Volumes/...` landing folder is. Set ONE place, the pipeline
  configuration key `iotwb.volume` in spark-pipeline.yml (or `iotwb export --volume DIR`):
  a local folder or any Spark URI (s3://, abfss://, hdfs://). Empty: `volume/` next to
  spark-pipeline.yml.
- `drop_rows_failing`, `fail_update_on`, `expectation_counts`: expectations (a row passes when
  its condition is TRUE; FALSE and NULL fail).
- `TSDF`: the dbl-tempo calls the workbook supports (EMA, resample, asofJoin), written as Spark
  window code with Tempo 0.1.30's exact semantics (dbl-tempo itself does not run on Spark 4).
"""

import functools
import os

from pyspark.sql import Window
from pyspark.sql import functions as F

VOLUME_KEY = "iotwb.volume"
_PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def landing(spark, path):
    """The landing folder the workbook calls `path` (`/Volumes/<catalog>/<schema>/<volume>`)."""
    root = spark.conf.get(VOLUME_KEY, "") or os.path.join(_PROJECT_DIR, "volume")
    return root.rstrip("/") + "/" + path.lstrip("/")


def _passes(condition):
    return F.coalesce(F.expr(condition), F.lit(False))


def drop_rows_failing(name, condition):
    """`@dp.expect_or_drop(name, condition)`: keep only the rows whose condition is TRUE."""

    def decorate(query):
        @functools.wraps(query)
        def filtered():
            return query().where(_passes(condition))

        return filtered

    return decorate


def fail_update_on(name, condition):
    """`@dp.expect_or_fail(name, condition)`: a failing row stops the run with the name."""
    message = f"expectation `{name}` failed: {condition}"

    def decorate(query):
        @functools.wraps(query)
        def checked():
            return query().where(
                F.when(_passes(condition), F.lit(True)).otherwise(F.raise_error(F.lit(message)))
            )

        return checked

    return decorate


def expectation_counts(df, expectations):
    """One row per `(name, action, condition)`: rows of `df` passing and failing it."""
    rows = [
        df.agg(
            F.count_if(_passes(condition)).alias("passed_records"),
            F.count_if(~_passes(condition)).alias("failed_records"),
        ).select(
            F.lit(name).alias("expectation"),
            F.lit(action).alias("action"),
            "passed_records",
            "failed_records",
        )
        for name, action, condition in expectations
    ]
    return functools.reduce(lambda a, b: a.unionByName(b), rows)


# ---------------------------------------------------------------------------------------------
# Tempo (dbl-tempo 0.1.30) semantics.

_UNITS = {
    "microsec": "microseconds",
    "musec": "microseconds",
    "ms": "milliseconds",
    "millis": "milliseconds",
    "sec": "seconds",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "day": "days",
}
_ALLOWED = (
    "microsec microsecond microseconds ms millisecond milliseconds sec second seconds "
    "min minute minutes hr hour hours day days"
).split()


def _interval(freq):
    """Tempo's `checkAllowableFreq`: "1 hour", "30 minutes", "min", ... as a Spark interval."""
    if freq.lower() in _ALLOWED:
        count, unit = "1", freq.lower()
    else:
        parts = freq.split(" ")
        if len(parts) < 2 or parts[1].lower() not in _ALLOWED:
            raise ValueError(f"Allowable grouping frequencies are {', '.join(_ALLOWED)}")
        count, unit = parts[0], parts[1].lower()
    for prefix, spark_unit in _UNITS.items():
        if unit.startswith(prefix):
            return f"{count} {spark_unit}"
    raise ValueError(f"unsupported frequency {freq!r}")


class TSDF:
    """A time series: a DataFrame, its timestamp column and the columns naming a series.

    `columns` are the DataFrame's columns, which `iotwb export` writes in from the workbook's
    plan: a pipeline query function may not analyse a DataFrame (`df.columns`), and Tempo's
    calls need the names. Every method computes its result's columns itself.
    """

    def __init__(self, df, ts_col="event_ts", partition_cols=None, sequence_col=None, columns=None):
        if not isinstance(ts_col, str):
            raise TypeError("ts_col must be a string")
        if columns is None:
            raise ValueError("TSDF needs columns=[...] in a pipeline (iotwb export writes them in)")
        if partition_cols is None:
            partition_cols = []
        elif isinstance(partition_cols, str):
            partition_cols = [partition_cols]
        lower = {c.lower(): c for c in columns}
        for c in [ts_col, *partition_cols]:
            if c.lower() not in lower:
                raise ValueError(f"Column {c} not found in Dataframe")
        self.df = df
        self.columns = list(columns)
        self.ts_col = lower[ts_col.lower()]
        self.partitionCols = [lower[c.lower()] for c in partition_cols]
        self.sequence_col = sequence_col or ""

    def _window(self):
        order = [F.col(self.ts_col)] + ([F.col(self.sequence_col)] if self.sequence_col else [])
        return Window.partitionBy(*self.partitionCols).orderBy(*order)

    def EMA(self, colName, window=30, exp_factor=0.2):
        """Tempo's truncated, un-normalised EMA: sum of e(1-e)^i * lag_i for i < window,
        a missing, NULL or NaN lag counting 0."""
        name = f"EMA_{colName}"
        w = self._window()
        ema = F.lit(0)
        for i in range(window):
            weight = exp_factor * (1 - exp_factor) ** i
            lagged = F.lit(weight) * F.lag(F.col(colName), i).over(w)
            ema = ema + F.when(lagged.isNull() | F.isnan(lagged), F.lit(0)).otherwise(lagged)
        columns = self.columns + ([name] if name not in self.columns else [])
        return TSDF(self.df.withColumn(name, ema), self.ts_col, self.partitionCols, columns=columns)

    def resample(self, freq, func=None, metricCols=None, prefix=None, fill=None, perform_checks=True):
        """Epoch-aligned tumbling buckets stamped at their start, one row per non-empty bucket."""
        if fill:
            raise NotImplementedError("resample(fill=True) is not lowered by iotwb export")
        if func not in ("floor", "ceil", "min", "max", "mean"):
            raise ValueError("Allowable aggregation functions are floor, ceil, min, max, mean")
        keys = set(self.partitionCols) | {self.ts_col}
        metrics = metricCols or [c for c in self.columns if c not in keys]
        named = lambda c: f"{prefix}_{c}" if prefix else c  # noqa: E731
        bucket = F.window(F.col(self.ts_col), _interval(freq))["start"]
        grouped = self.df.groupBy(*self.partitionCols, bucket.alias(self.ts_col))
        if func in ("mean", "min", "max"):
            agg = {"mean": F.avg, "min": F.min, "max": F.max}[func]
            out = grouped.agg(*[agg(F.col(c)).alias(named(c)) for c in metrics])
        else:
            pick = F.min if func == "floor" else F.max
            row = pick(F.struct(F.col(self.ts_col).alias("__ts"), *[F.col(c) for c in metrics]))
            out = grouped.agg(row.alias("__row")).select(
                *self.partitionCols, self.ts_col, *[F.col(f"__row.{c}").alias(named(c)) for c in metrics]
            )
        ordered = sorted(named(c) for c in metrics)
        columns = [*self.partitionCols, self.ts_col, *ordered]
        return TSDF(out.select(*columns), self.ts_col, self.partitionCols, columns=columns)

    def asofJoin(
        self,
        right_tsdf,
        left_prefix=None,
        right_prefix="right",
        tsPartitionVal=None,
        fraction=0.5,
        skipNulls=True,
        sql_join_opt=False,
        suppress_null_warning=False,
        tolerance=None,
    ):
        """Tempo's default as-of join: for each left row, right rows of the same series at or
        before its time (a right row at the same time counts), the last non-NULL value of each
        right column (skipNulls) or the whole latest right row."""
        if tsPartitionVal is not None or sql_join_opt:
            raise NotImplementedError("tsPartitionVal and sql_join_opt are not lowered by iotwb export")
        for a, b in zip(self.partitionCols, right_tsdf.partitionCols):
            if a != b:
                raise ValueError("left and right dataframe partition columns should have same name in same order")
        keys = self.partitionCols

        def renamed(tsdf, prefix):
            cols = [c for c in tsdf.columns if c not in keys]
            mapping = {c: f"{prefix}_{c}" if prefix else c for c in cols}
            df = tsdf.df.select(*keys, *[F.col(c).alias(mapping[c]) for c in cols])
            return df, [mapping[c] for c in cols], mapping

        left, left_cols, left_map = renamed(self, left_prefix)
        right, right_cols, right_map = renamed(right_tsdf, right_prefix)
        left_ts, right_ts = left_map[self.ts_col], right_map[right_tsdf.ts_col]
        right_seq = right_map.get(right_tsdf.sequence_col) if right_tsdf.sequence_col else None
        # A positional union with NULL placeholders: Spark Connect analyses unionByName eagerly,
        # which a pipeline query function may not do before its inputs exist.
        left = left.select(*keys, *left_cols, *[F.lit(None).alias(c) for c in right_cols])
        right = right.select(*keys, *[F.lit(None).alias(c) for c in left_cols], *right_cols)
        combined = left.union(right)
        combined = combined.withColumn("__combined_ts", F.coalesce(F.col(left_ts), F.col(right_ts)))
        combined = combined.withColumn("__rec_ind", F.when(F.col(left_ts).isNotNull(), 1).otherwise(-1))
        order = [F.col("__combined_ts").asc_nulls_first(), F.col("__rec_ind").asc()]
        if right_seq:
            order.append(F.col(right_seq).asc())
        w = (
            Window.partitionBy(*keys)
            .orderBy(*order)
            .rowsBetween(Window.unboundedPreceding, Window.currentRow)
        )
        if skipNulls:
            values = [F.last(F.col(c), True).over(w).alias(c) for c in right_cols]
        else:
            latest = F.last(F.when(F.col("__rec_ind") == -1, F.struct(*right_cols)), True).over(w)
            values = [latest[c].alias(c) for c in right_cols]
        joined = combined.select(*keys, *left_cols, *values).where(F.col(left_ts).isNotNull())
        if tolerance is not None:
            too_old = (F.col(left_ts).cast("double") - F.col(right_ts).cast("double")) > F.lit(tolerance)
            later = [c for c in right_cols if c != right_ts] + [right_ts]
            for c in later:
                joined = joined.withColumn(c, F.when(too_old, F.lit(None)).otherwise(F.col(c)))
        return TSDF(joined, left_ts, keys, columns=[*keys, *left_cols, *right_cols])
