from pyspark import pipelines as dp
from pyspark.sql import functions as F


@dp.table(
    name="anomaly_detected",
    comment="Uses physics-based modeling to predict anomaly warnings. Feeds Databricks SQL Alerts",
)
def anomaly_detected():
    # The engineers' rules, on the raw bronze values (negated pressures are not fixed here).
    return spark.readStream.table("sensor_bronze").where(
        ((F.col("delay") > 155) & (F.col("rotation_speed") > 800))
        | (F.col("temperature") > 101)
        | ((F.col("density") > 4.6) & (F.col("air_pressure") < 840))
    )
