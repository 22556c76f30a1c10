-- The Tempo steps of the Python version, in plain Spark SQL:
--   EMA("rotation_speed", window=5): Tempo's truncated, un-normalised sum of 0.2 * 0.8^i * lag_i,
--     a missing lag counting 0, per (device, trip, factory, model) series;
--   resample(freq="1 hour", func="mean"): hourly means stamped at the start of the hour;
--   asofJoin(right_prefix="sensor"): for each inspection, the last non-NULL value of each
--     sensor column at or before the inspection time, per device.
CREATE OR REFRESH MATERIALIZED VIEW inspection_silver
COMMENT 'Joins bronze sensor data with defect reports'
AS WITH raw_sensors AS (
  SELECT device_id, trip_id, factory_id, model_id, `timestamp`, airflow_rate, rotation_speed,
         CASE WHEN air_pressure < 0 THEN -air_pressure ELSE air_pressure END AS air_pressure,
         temperature, delay, density
  FROM sensor_bronze
),
with_ema AS (
  SELECT *,
         0
         + coalesce(0.2D * rotation_speed, 0)
         + coalesce(0.16000000000000003D * lag(rotation_speed, 1) OVER series, 0)
         + coalesce(0.12800000000000003D * lag(rotation_speed, 2) OVER series, 0)
         + coalesce(0.10240000000000003D * lag(rotation_speed, 3) OVER series, 0)
         + coalesce(0.08192000000000002D * lag(rotation_speed, 4) OVER series, 0) AS EMA_rotation_speed
  FROM raw_sensors
  WINDOW series AS (PARTITION BY device_id, trip_id, factory_id, model_id ORDER BY `timestamp`)
),
hourly AS (
  SELECT device_id, trip_id, factory_id, model_id,
         date_trunc('HOUR', `timestamp`) AS `timestamp`,
         avg(EMA_rotation_speed) AS EMA_rotation_speed,
         avg(air_pressure) AS air_pressure,
         avg(airflow_rate) AS airflow_rate,
         avg(delay) AS delay,
         avg(density) AS density,
         avg(rotation_speed) AS rotation_speed,
         avg(temperature) AS temperature
  FROM with_ema
  GROUP BY device_id, trip_id, factory_id, model_id, date_trunc('HOUR', `timestamp`)
),
combined AS (
  SELECT device_id, `timestamp` AS ts, 1 AS rec_ind, defect, `timestamp`,
         CAST(NULL AS INT) AS r_trip_id, CAST(NULL AS STRING) AS r_factory_id,
         CAST(NULL AS STRING) AS r_model_id, CAST(NULL AS TIMESTAMP) AS r_timestamp,
         CAST(NULL AS DOUBLE) AS r_ema, CAST(NULL AS DOUBLE) AS r_air_pressure,
         CAST(NULL AS DOUBLE) AS r_airflow_rate, CAST(NULL AS DOUBLE) AS r_delay,
         CAST(NULL AS DOUBLE) AS r_density, CAST(NULL AS DOUBLE) AS r_rotation_speed,
         CAST(NULL AS DOUBLE) AS r_temperature
  FROM inspection_bronze
  UNION ALL
  SELECT device_id, `timestamp` AS ts, -1 AS rec_ind, CAST(NULL AS FLOAT) AS defect,
         CAST(NULL AS TIMESTAMP) AS `timestamp`,
         trip_id, factory_id, model_id, `timestamp`, EMA_rotation_speed, air_pressure,
         airflow_rate, delay, density, rotation_speed, temperature
  FROM hourly
),
joined AS (
  SELECT rec_ind, defect, `timestamp`, device_id,
         last_value(r_trip_id, true) OVER asof AS trip_id,
         last_value(r_factory_id, true) OVER asof AS factory_id,
         last_value(r_model_id, true) OVER asof AS model_id,
         last_value(r_timestamp, true) OVER asof AS sensor_timestamp,
         last_value(r_ema, true) OVER asof AS sensor_EMA_rotation_speed,
         last_value(r_air_pressure, true) OVER asof AS sensor_air_pressure,
         last_value(r_airflow_rate, true) OVER asof AS sensor_airflow_rate,
         last_value(r_delay, true) OVER asof AS sensor_delay,
         last_value(r_density, true) OVER asof AS sensor_density,
         last_value(r_rotation_speed, true) OVER asof AS sensor_rotation_speed,
         last_value(r_temperature, true) OVER asof AS sensor_temperature
  FROM combined
  WINDOW asof AS (PARTITION BY device_id ORDER BY ts, rec_ind
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT defect, `timestamp`, device_id, trip_id, factory_id, model_id, sensor_timestamp,
       sensor_EMA_rotation_speed, sensor_air_pressure, sensor_airflow_rate, sensor_delay,
       sensor_density, sensor_rotation_speed, sensor_temperature
FROM joined
WHERE rec_ind = 1;
