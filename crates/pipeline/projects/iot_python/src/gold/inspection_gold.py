from pyspark import pipelines as dp
from pyspark.sql import functions as F


@dp.materialized_view(name="inspection_gold", comment="Aggregates defects by categorical variables")
def inspection_gold():
    return (
        spark.read.table("inspection_silver")
        .groupBy("device_id", "factory_id", "model_id", "defect")
        .agg(
            F.count("*").alias("count"),
            F.avg("sensor_temperature").alias("average_temperature"),
            F.avg("sensor_density").alias("average_density"),
            F.avg("sensor_delay").alias("average_delay"),
            F.avg("sensor_rotation_speed").alias("average_rotation_speed"),
            F.avg("sensor_air_pressure").alias("average_air_pressure"),
        )
    )
