//! The IoT Pipelines Workbook: a Leptos (CSR) app over the engine crates.
