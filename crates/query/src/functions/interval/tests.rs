//! Unit tests of interval literals.

use arrow::array::{
    Array, DurationMicrosecondArray, IntervalMonthDayNanoArray, IntervalYearMonthArray,
};

use super::*;
use crate::functions::datetime::calendar::{MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE};

fn micros(value: &str, from: Option<&str>, to: Option<&str>) -> (String, i64) {
    let (t, a) = parse_interval_literal(value, from, to).unwrap();
    (
        t.to_string(),
        a.as_any()
            .downcast_ref::<DurationMicrosecondArray>()
            .unwrap()
            .value(0),
    )
}

#[test]
fn test_single_unit_literals() {
    assert_eq!(
        micros("10", Some("MINUTES"), None),
        ("interval minute".into(), 10 * MICROS_PER_MINUTE)
    );
    assert_eq!(
        micros("1", Some("HOUR"), None),
        ("interval hour".into(), MICROS_PER_HOUR)
    );
    assert_eq!(
        micros("-2", Some("day"), None),
        ("interval day".into(), -2 * MICROS_PER_DAY)
    );
    assert_eq!(
        micros("1.5", Some("second"), None),
        ("interval second".into(), 1_500_000)
    );
    assert_eq!(
        micros("2", Some("weeks"), None),
        ("interval day".into(), 14 * MICROS_PER_DAY)
    );
}

#[test]
fn test_day_to_second_literal() {
    let expected = MICROS_PER_DAY + 2 * MICROS_PER_HOUR + 3 * MICROS_PER_MINUTE + 4_000_000;
    assert_eq!(
        micros("1 02:03:04", Some("DAY"), Some("SECOND")),
        ("interval day to second".into(), expected)
    );
    assert_eq!(
        micros("-1 2:03:04", Some("DAY"), Some("SECOND")).1,
        -expected
    );
    assert!(parse_interval_literal("1 02:03", Some("DAY"), Some("SECOND")).is_err());
    let e = parse_interval_literal("1 24:00:00", Some("DAY"), Some("SECOND")).unwrap_err();
    assert_eq!(e.class(), "INVALID_INTERVAL_FORMAT");
}

#[test]
fn test_multi_unit_literals() {
    assert_eq!(
        micros("1 DAY 2 HOURS", None, None),
        (
            "interval day to hour".into(),
            MICROS_PER_DAY + 2 * MICROS_PER_HOUR
        )
    );
    assert_eq!(
        micros("10 minutes", None, None),
        ("interval minute".into(), 10 * MICROS_PER_MINUTE)
    );
    let (t, a) = parse_interval_literal("1 year 2 months", None, None).unwrap();
    assert_eq!(t.to_string(), "interval year to month");
    assert_eq!(
        a.as_any()
            .downcast_ref::<IntervalYearMonthArray>()
            .unwrap()
            .value(0),
        14
    );
    let (t, a) = parse_interval_literal("1 month 1 day", None, None).unwrap();
    assert_eq!(t, SparkType::CalendarInterval);
    let v = a
        .as_any()
        .downcast_ref::<IntervalMonthDayNanoArray>()
        .unwrap()
        .value(0);
    assert_eq!((v.months, v.days, v.nanoseconds), (1, 1, 0));
    assert!(parse_interval_literal("1 fortnight", None, None).is_err());
    assert!(parse_interval_literal("1 day 2", None, None).is_err());
}

#[test]
fn test_year_month_literals() {
    let (t, a) = parse_interval_literal("1", Some("MONTH"), None).unwrap();
    assert_eq!(t.to_string(), "interval month");
    assert_eq!(
        a.as_any()
            .downcast_ref::<IntervalYearMonthArray>()
            .unwrap()
            .value(0),
        1
    );
    let (t, a) = parse_interval_literal("2-3", Some("YEAR"), Some("MONTH")).unwrap();
    assert_eq!(t.to_string(), "interval year to month");
    assert_eq!(
        a.as_any()
            .downcast_ref::<IntervalYearMonthArray>()
            .unwrap()
            .value(0),
        27
    );
}

#[test]
fn test_interval_string_round_trip() {
    use crate::types::DayTimeField::{Day, Second};
    let micros = 5_400_000_000;
    let text = format::format_day_time(micros, Day, Second);
    assert_eq!(parse_day_time_text(&text, Day, Second), Some(micros));
}
