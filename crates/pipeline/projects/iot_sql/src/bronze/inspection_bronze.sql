-- Inspection reports; rows without a timestamp or a device are unusable downstream: drop them.
CREATE OR REFRESH STREAMING TABLE inspection_bronze (
  CONSTRAINT `valid timestamp` EXPECT (`timestamp` IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT `valid device id` EXPECT (device_id IS NOT NULL) ON VIOLATION DROP ROW
)
COMMENT 'Loads raw inspection files into the bronze layer'
AS SELECT * FROM STREAM read_files(
  '/Volumes/${catalog}/${schema}/inspection_bronze',
  format => 'csv',
  header => true,
  schemaHints => 'defect float, timestamp timestamp, device_id integer'
);
