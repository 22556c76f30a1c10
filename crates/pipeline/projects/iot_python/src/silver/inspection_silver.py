from pyspark import pipelines as dp
from pyspark.sql import functions as F
from tempo import TSDF


@dp.materialized_view(name="inspection_silver", comment="Joins bronze sensor data with defect reports")
def inspection_silver():
    inspections = spark.read.table("inspection_bronze").drop("_rescued_data")
    raw_sensors = (
        spark.read.table("sensor_bronze")
        .drop("_rescued_data")
        .withColumn(
            "air_pressure",
            F.when(F.col("air_pressure") < 0, -F.col("air_pressure")).otherwise(F.col("air_pressure")),
        )
    )

    inspections_tsdf = TSDF(inspections, ts_col="timestamp", partition_cols=["device_id"])
    sensors_tsdf = (
        TSDF(raw_sensors, ts_col="timestamp", partition_cols=["device_id", "trip_id", "factory_id", "model_id"])
        .EMA("rotation_speed", window=5)
        .resample(freq="1 hour", func="mean")
    )

    return (
        inspections_tsdf.asofJoin(sensors_tsdf, right_prefix="sensor")
        .df.withColumnRenamed("sensor_trip_id", "trip_id")
        .withColumnRenamed("sensor_model_id", "model_id")
        .withColumnRenamed("sensor_factory_id", "factory_id")
    )
