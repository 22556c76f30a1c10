//! Date and time functions in the UTC session time zone.

pub mod calendar;
