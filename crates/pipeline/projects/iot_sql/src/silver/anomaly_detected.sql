-- The engineers' rules, on the raw bronze values (negated pressures are not fixed here).
CREATE OR REFRESH STREAMING TABLE anomaly_detected
COMMENT 'Uses physics-based modeling to predict anomaly warnings. Feeds Databricks SQL Alerts'
AS SELECT *
FROM STREAM(sensor_bronze)
WHERE (delay > 155 AND rotation_speed > 800)
   OR temperature > 101
   OR (density > 4.6 AND air_pressure < 840);
