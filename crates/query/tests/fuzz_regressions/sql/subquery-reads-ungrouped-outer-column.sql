SELECT count(*) AS n_not_hot, (SELECT count(*) sor_bronze WHERE temperature > 80) AS n_hotc, (SELECT count(*) FROM sensor_bronze) AS n_all FROM sensor_bronze WHERE NOT (temperature > 80)
