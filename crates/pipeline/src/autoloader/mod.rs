//! Auto Loader (`cloudFiles`, `read_files`): incremental, exactly-once file ingestion with
//! schema inference, schema hints, rescued data and schema evolution.

pub mod csv;
