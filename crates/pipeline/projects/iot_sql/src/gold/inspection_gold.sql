CREATE OR REFRESH MATERIALIZED VIEW inspection_gold
COMMENT 'Aggregates defects by categorical variables'
AS SELECT device_id, factory_id, model_id, defect,
          count(*) AS `count`,
          avg(sensor_temperature) AS average_temperature,
          avg(sensor_density) AS average_density,
          avg(sensor_delay) AS average_delay,
          avg(sensor_rotation_speed) AS average_rotation_speed,
          avg(sensor_air_pressure) AS average_air_pressure
FROM inspection_silver
GROUP BY device_id, factory_id, model_id, defect;
