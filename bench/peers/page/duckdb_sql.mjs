// DuckDB's SQL for each operation, written to give Tempo's semantics as closely as DuckDB can
// (/work/shared/spec/tempo-semantics.md, the workbook's tsdf kernels). Each statement
// materialises its result as the temporary table `r`, as the workbook's kernels hold theirs in
// memory; the checksum query then reads `r` outside the timer.

/** Tempo's EMA weights: the truncated, un-normalised FIR `e·(1-e)^i`, i < window. */
function emaTerms(column, window, e, over) {
  const terms = [];
  for (let i = 0; i < window; i++) {
    const weight = e * (1 - e) ** i;
    const value = i === 0 ? column : `lag(${column}, ${i}) OVER ${over}`;
    // A missing lag or a NULL value counts 0, as in Tempo.
    terms.push(`coalesce(${weight}::DOUBLE * ${value}, 0)`);
  }
  return terms.join("\n + ");
}

const METRICS = ["temp", "humidity", "pressure", "status"];

function rangeStats() {
  const stats = METRICS.flatMap((m) => [
    `avg(${m}) OVER w AS mean_${m}`,
    `count(${m}) OVER w AS count_${m}`,
    `min(${m}) OVER w AS min_${m}`,
    `max(${m}) OVER w AS max_${m}`,
    `sum(${m}) OVER w AS sum_${m}`,
    `stddev_samp(${m}) OVER w AS stddev_${m}`,
  ]);
  const zscores = METRICS.map((m) => `(${m} - mean_${m}) / nullif(stddev_${m}, 0) AS zscore_${m}`);
  // Tempo: RANGE over epoch seconds, [t - 300 s, t], peers with the same ts included.
  return `SELECT *, ${zscores.join(", ")} FROM (
    SELECT *, ${stats.join(",\n      ")}
    FROM sensors
    WINDOW w AS (PARTITION BY device_id ORDER BY event_ts
                 RANGE BETWEEN INTERVAL 300 SECONDS PRECEDING AND CURRENT ROW))`;
}

// The SQL project's src/silver/inspection_silver.sql and src/gold/inspection_gold.sql in
// DuckDB's dialect: the same union + window as-of join (per-column last non-NULL value,
// right rows before left rows at equal times), the same EMA and hourly means.
const SILVER_COLUMNS = [
  ["trip_id", "INTEGER"], ["factory_id", "VARCHAR"], ["model_id", "VARCHAR"],
  ["timestamp", "TIMESTAMP"], ["ema", "DOUBLE"], ["air_pressure", "DOUBLE"],
  ["airflow_rate", "DOUBLE"], ["delay", "DOUBLE"], ["density", "DOUBLE"],
  ["rotation_speed", "DOUBLE"], ["temperature", "DOUBLE"],
];
const SILVER_NAMES = {
  trip_id: "trip_id", factory_id: "factory_id", model_id: "model_id", timestamp: "sensor_timestamp",
  ema: "sensor_EMA_rotation_speed", air_pressure: "sensor_air_pressure",
  airflow_rate: "sensor_airflow_rate", delay: "sensor_delay", density: "sensor_density",
  rotation_speed: "sensor_rotation_speed", temperature: "sensor_temperature",
};

function gold() {
  const nulls = SILVER_COLUMNS.map(([c, t]) => `CAST(NULL AS ${t}) AS r_${c}`).join(", ");
  const lasts = SILVER_COLUMNS.map(
    ([c]) => `last_value(r_${c} IGNORE NULLS) OVER upto AS ${SILVER_NAMES[c]}`,
  ).join(",\n      ");
  return `WITH raw_sensors AS (
    SELECT device_id, trip_id, factory_id, model_id, "timestamp", airflow_rate, rotation_speed,
           CASE WHEN air_pressure < 0 THEN -air_pressure ELSE air_pressure END AS air_pressure,
           temperature, delay, density
    FROM sensor_bronze
  ),
  with_ema AS (
    SELECT *, 0 + ${emaTerms("rotation_speed", 5, 0.2, "series")} AS EMA_rotation_speed
    FROM raw_sensors
    WINDOW series AS (PARTITION BY device_id, trip_id, factory_id, model_id ORDER BY "timestamp")
  ),
  hourly AS (
    SELECT device_id, trip_id, factory_id, model_id,
           date_trunc('hour', "timestamp") AS "timestamp",
           avg(EMA_rotation_speed) AS EMA_rotation_speed, avg(air_pressure) AS air_pressure,
           avg(airflow_rate) AS airflow_rate, avg(delay) AS delay, avg(density) AS density,
           avg(rotation_speed) AS rotation_speed, avg(temperature) AS temperature
    FROM with_ema
    GROUP BY device_id, trip_id, factory_id, model_id, date_trunc('hour', "timestamp")
  ),
  combined AS (
    SELECT device_id, "timestamp" AS ts, 1 AS rec_ind, defect, "timestamp", ${nulls}
    FROM inspection_bronze
    UNION ALL
    SELECT device_id, "timestamp" AS ts, -1 AS rec_ind, CAST(NULL AS FLOAT) AS defect,
           CAST(NULL AS TIMESTAMP) AS "timestamp", trip_id, factory_id, model_id, "timestamp",
           EMA_rotation_speed, air_pressure, airflow_rate, delay, density, rotation_speed,
           temperature
    FROM hourly
  ),
  joined AS (
    SELECT rec_ind, defect, "timestamp", device_id,
      ${lasts}
    FROM combined
    WINDOW upto AS (PARTITION BY device_id ORDER BY ts, rec_ind
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  inspection_silver AS (SELECT * EXCLUDE (rec_ind) FROM joined WHERE rec_ind = 1)
  SELECT device_id, factory_id, model_id, defect,
         count(*) AS "count",
         avg(sensor_temperature) AS average_temperature,
         avg(sensor_density) AS average_density,
         avg(sensor_delay) AS average_delay,
         avg(sensor_rotation_speed) AS average_rotation_speed,
         avg(sensor_air_pressure) AS average_air_pressure
  FROM inspection_silver
  GROUP BY device_id, factory_id, model_id, defect`;
}

/** The query of each operation (its result becomes table `r`). */
export const QUERIES = {
  // Tempo's default as-of join: each sensor row gets the latest inspection of its device at
  // or before it (left outer; the inspections have no NULLs, so per-column NULL skipping and
  // DuckDB's whole-row match agree).
  asof: `SELECT l.*, r.event_ts AS right_event_ts, r.score AS right_score,
                r.severity AS right_severity
         FROM sensors l ASOF LEFT JOIN inspections r
           ON l.device_id = r.device_id AND l.event_ts >= r.event_ts`,
  ema: `SELECT *, ${emaTerms("temp", 30, 0.2, "w")} AS EMA_temp
        FROM sensors WINDOW w AS (PARTITION BY device_id ORDER BY event_ts)`,
  // Epoch-aligned hourly buckets (DuckDB's default origin is hour-aligned), every metric's mean.
  resample: `SELECT device_id, time_bucket(INTERVAL 1 HOUR, event_ts) AS event_ts,
                    avg(humidity) AS humidity, avg(pressure) AS pressure,
                    avg(status) AS status, avg(temp) AS temp
             FROM sensors GROUP BY ALL`,
  range_stats: rangeStats(),
  gold: gold(),
};

/** The same sums as the workbook's `checksum::columns`, over DuckDB's result `r`. */
export const CHECKSUM_COLUMNS = {
  asof: ["right_score", "right_severity"],
  ema: ["EMA_temp"],
  resample: ["temp", "humidity", "pressure", "status"],
  range_stats: ["mean_temp", "count_humidity", "max_pressure", "stddev_temp", "zscore_status"],
  gold: ["count", "average_temperature", "average_rotation_speed"],
};
