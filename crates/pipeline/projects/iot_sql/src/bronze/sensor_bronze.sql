-- Raw sensor readings, ingested incrementally by Auto Loader (read_files in a streaming table).
-- Typed reads for the columns we know; anything that does not fit lands in _rescued_data.
CREATE OR REFRESH STREAMING TABLE sensor_bronze (
  CONSTRAINT `valid pressure` EXPECT (air_pressure > 0)
)
COMMENT 'Loads raw sensor data into the bronze layer'
AS SELECT * FROM STREAM read_files(
  '/Volumes/${catalog}/${schema}/sensor_bronze',
  format => 'csv',
  header => true,
  schemaHints => 'device_id integer, trip_id integer, factory_id string, model_id string, timestamp timestamp, airflow_rate double, rotation_speed double, air_pressure float, temperature float, delay float, density float'
);
