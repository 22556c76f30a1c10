-- The benchmark table, defined by formulas of the row number so the Rust bench and DuckDB
-- build identical data without exchanging files. 1 M rows, 100 devices, ~10% NULL temperatures.
SELECT
    CAST((i * 37) % 100 AS INTEGER) AS device_id,
    ['A06', 'C04', 'D18', 'J15', 'T10'][CAST(i % 5 AS INTEGER) + 1] AS factory_id,
    CASE WHEN i % 10 = 3 THEN NULL ELSE 60 + ((i * 7919) % 5000) / 100.0 END AS temperature,
    CAST(((i * 104729) % 2000) / 2.0 AS FLOAT) AS air_pressure,
    ((i * 31) % 20000) / 100.0 AS delay
FROM range(1000000) r(i)
