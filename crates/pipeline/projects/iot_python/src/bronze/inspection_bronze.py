from pyspark import pipelines as dp

catalog = spark.conf.get("catalog", "default")
schema = spark.conf.get("schema")

inspection_landing = f"/Volumes/{catalog}/{schema}/inspection_bronze"
checkpoints = f"/Volumes/{catalog}/{schema}/iot_checkpoints"


@dp.table(name="inspection_bronze", comment="Loads raw inspection files into the bronze layer")
@dp.expect_or_drop("valid timestamp", "`timestamp` is not null")
@dp.expect_or_drop("valid device id", "device_id is not null")
def inspection_bronze():
    return (
        spark.readStream.format("cloudFiles")
        .option("cloudFiles.format", "csv")
        .option("cloudFiles.schemaHints", "defect float, timestamp timestamp, device_id integer")
        .option("cloudFiles.schemaLocation", f"{checkpoints}/inspection")
        .load(inspection_landing)
    )
