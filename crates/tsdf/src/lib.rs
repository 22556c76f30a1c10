//! Tempo-compatible time-series operations over Arrow record batches.
