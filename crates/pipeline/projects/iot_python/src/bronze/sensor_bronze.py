from pyspark import pipelines as dp

catalog = spark.conf.get("catalog", "default")
schema = spark.conf.get("schema")

sensor_landing = f"/Volumes/{catalog}/{schema}/sensor_bronze"
checkpoints = f"/Volumes/{catalog}/{schema}/iot_checkpoints"

# Typed reads for the columns we know; anything that does not fit lands in _rescued_data.
schema_hints = (
    "device_id integer, trip_id integer, factory_id string, model_id string, "
    "timestamp timestamp, airflow_rate double, rotation_speed double, "
    "air_pressure float, temperature float, delay float, density float"
)


@dp.table(name="sensor_bronze", comment="Loads raw sensor data into the bronze layer")
@dp.expect("valid pressure", "air_pressure > 0")
def sensor_bronze():
    return (
        spark.readStream.format("cloudFiles")
        .option("cloudFiles.format", "csv")
        .option("cloudFiles.schemaHints", schema_hints)
        .option("cloudFiles.schemaLocation", f"{checkpoints}/sensor")
        .load(sensor_landing)
    )
