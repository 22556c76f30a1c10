//! Date and time functions in the UTC session time zone; `from_utc_timestamp` and
//! `to_utc_timestamp` convert to and from named zones.

pub mod calendar;
mod convert;
mod fields;
mod make;
pub mod pattern;
mod shift;
mod trunc;
mod zone;
#[cfg(test)]
mod zone_tests;

use crate::functions::ScalarFunction;

pub use trunc::window_type;

/// The date and time functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &convert::TO_TIMESTAMP,
    &convert::TRY_TO_TIMESTAMP,
    &convert::TO_DATE,
    &convert::TRY_TO_DATE,
    &convert::UNIX_TIMESTAMP,
    &convert::TO_UNIX_TIMESTAMP,
    &convert::FROM_UNIXTIME,
    &convert::DATE_FORMAT,
    &convert::UNIX_SECONDS,
    &convert::UNIX_MILLIS,
    &convert::UNIX_MICROS,
    &convert::TIMESTAMP_SECONDS,
    &convert::TIMESTAMP_MILLIS,
    &convert::TIMESTAMP_MICROS,
    &convert::UNIX_DATE,
    &convert::DATE_FROM_UNIX_DATE,
    &convert::CURRENT_DATE,
    &convert::CURDATE,
    &convert::CURRENT_TIMESTAMP,
    &convert::NOW,
    &convert::CURRENT_TIMEZONE,
    &fields::YEAR,
    &fields::QUARTER,
    &fields::MONTH,
    &fields::DAY,
    &fields::DAYOFMONTH,
    &fields::DAYOFWEEK,
    &fields::DAYOFYEAR,
    &fields::WEEKOFYEAR,
    &fields::WEEKDAY,
    &fields::DAYNAME,
    &fields::MONTHNAME,
    &fields::HOUR,
    &fields::MINUTE,
    &fields::SECOND,
    &fields::EXTRACT,
    &fields::DATE_PART,
    &fields::DATEPART,
    &shift::TIMESTAMPADD,
    &shift::TIMESTAMPDIFF,
    &shift::DATE_ADD,
    &shift::DATEADD,
    &shift::DATE_SUB,
    &shift::DATEDIFF,
    &shift::DATE_DIFF,
    &shift::ADD_MONTHS,
    &shift::MONTHS_BETWEEN,
    &shift::LAST_DAY,
    &shift::NEXT_DAY,
    &make::MAKE_DATE,
    &make::MAKE_TIMESTAMP,
    &make::TRY_MAKE_TIMESTAMP,
    &make::MAKE_INTERVAL,
    &make::MAKE_DT_INTERVAL,
    &make::MAKE_YM_INTERVAL,
    &trunc::DATE_TRUNC,
    &trunc::TRUNC,
    &trunc::WINDOW,
    &trunc::DATE_BIN,
    &zone::FROM_UTC_TIMESTAMP,
    &zone::TO_UTC_TIMESTAMP,
];

#[cfg(test)]
mod tests;
