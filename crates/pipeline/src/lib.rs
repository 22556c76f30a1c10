//! Declarative pipelines over an in-memory or local volume.
