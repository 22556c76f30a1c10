//! Unit tests of the date and time functions, through the registry (cases from the SQL
//! fixtures).

use crate::ErrorClass;
use crate::functions::testing::{
    call, call_c, dates, int, longs, one, render, s, texts, timestamps, ts,
};
use crate::types::SparkType;

#[test]
fn test_date_trunc_and_trunc() {
    let d = timestamps(&[
        Some("2023-01-01 10:00:00"),
        Some("2023-01-08 23:59:59.999999"),
        None,
    ]);
    let wk = call(
        "date_trunc",
        vec![
            crate::functions::testing::strs(&[Some("week"); 3]),
            d.clone(),
        ],
    )
    .unwrap();
    assert_eq!(wk.1, SparkType::Timestamp);
    assert_eq!(
        render(&wk),
        vec![
            Some("2022-12-26 00:00:00".into()),
            Some("2023-01-02 00:00:00".into()),
            None
        ]
    );
    assert_eq!(
        one(call("date_trunc", vec![s("month"), dates(&["2023-02-17"])])),
        Some("2023-02-01 00:00:00".into())
    );
    assert_eq!(
        one(call(
            "date_trunc",
            vec![s("fortnight"), ts("2023-02-17 10:00:00")]
        )),
        None
    );
    assert_eq!(
        one(call("trunc", vec![dates(&["2023-02-17"]), s("MM")])),
        Some("2023-02-01".into())
    );
    assert_eq!(
        one(call("trunc", vec![dates(&["2023-02-17"]), s("Q")])),
        None
    );
    assert_eq!(
        one(call("trunc", vec![dates(&["2023-02-17"]), s("day")])),
        None
    );
}

#[test]
fn test_parts_and_extract() {
    let t = ts("2023-01-14 02:57:12.565");
    assert_eq!(one(call("dayofweek", vec![t.clone()])), Some("7".into()));
    assert_eq!(one(call("weekday", vec![t.clone()])), Some("5".into()));
    assert_eq!(one(call("weekofyear", vec![t.clone()])), Some("2".into()));
    assert_eq!(one(call("second", vec![t.clone()])), Some("12".into()));
    assert_eq!(one(call("dayname", vec![t.clone()])), Some("Sat".into()));
    assert_eq!(one(call("monthname", vec![t.clone()])), Some("Jan".into()));
    let es = call_c("extract", vec![s("SECOND"), t.clone()]).unwrap();
    assert_eq!(
        (es.1.to_string(), render(&es)),
        ("decimal(8,6)".into(), texts(&["12.565000"]))
    );
    assert_eq!(
        one(call_c("date_part", vec![s("dow"), t.clone()])),
        Some("7".into())
    );
    assert_eq!(one(call_c("extract", vec![s("HOUR"), t])), Some("2".into()));
    assert_eq!(
        call_c("extract", vec![s("fortnight"), dates(&["2023-01-01"])])
            .unwrap_err()
            .class(),
        "INVALID_EXTRACT_FIELD"
    );
}

#[test]
fn test_datediff_dateadd_family() {
    assert_eq!(
        one(call(
            "datediff",
            vec![dates(&["2023-03-01"]), dates(&["2023-02-01"])]
        )),
        Some("28".into())
    );
    assert_eq!(
        one(call(
            "datediff",
            vec![ts("2023-03-01 01:00:00"), ts("2023-02-28 23:00:00")]
        )),
        Some("1".into())
    );
    assert_eq!(
        one(call_c(
            "datediff",
            vec![
                s("DAY"),
                ts("2023-02-28 23:00:00"),
                ts("2023-03-01 01:00:00")
            ]
        )),
        Some("0".into())
    );
    assert_eq!(
        one(call("date_add", vec![dates(&["2023-02-27"]), int(3)])),
        Some("2023-03-02".into())
    );
    assert_eq!(
        one(call("date_sub", vec![dates(&["2023-03-01"]), int(1)])),
        Some("2023-02-28".into())
    );
    assert_eq!(
        one(call("date_add", vec![ts("2023-01-01 05:55:44"), int(1)])),
        Some("2023-01-02".into())
    );
    assert_eq!(
        one(call("add_months", vec![dates(&["2023-01-31"]), int(1)])),
        Some("2023-02-28".into())
    );
    assert_eq!(
        one(call(
            "months_between",
            vec![dates(&["2023-03-15"]), dates(&["2023-01-31"])]
        )),
        Some("1.48387097".into())
    );
    assert_eq!(
        one(call("last_day", vec![dates(&["2023-02-10"])])),
        Some("2023-02-28".into())
    );
    assert_eq!(
        one(call("next_day", vec![dates(&["2023-02-10"]), s("MON")])),
        Some("2023-02-13".into())
    );
    assert_eq!(
        one(call_c(
            "timestampadd",
            vec![s("HOUR"), int(2), ts("2023-01-01 05:55:44")]
        )),
        Some("2023-01-01 07:55:44".into())
    );
    assert_eq!(
        one(call_c(
            "dateadd",
            vec![s("MINUTE"), int(-30), ts("2023-01-01 05:55:44")]
        )),
        Some("2023-01-01 05:25:44".into())
    );
    assert_eq!(
        one(call_c(
            "timestampdiff",
            vec![
                s("SECOND"),
                ts("2023-01-01 00:00:00"),
                ts("2023-01-01 05:55:44")
            ]
        )),
        Some("21344".into())
    );
    assert_eq!(
        one(call_c(
            "timestampdiff",
            vec![
                s("MINUTE"),
                ts("2023-01-08 02:03:19"),
                ts("2023-01-08 02:42:59")
            ]
        )),
        Some("39".into())
    );
    assert_eq!(
        call_c(
            "timestampadd",
            vec![s("FORTNIGHT"), int(1), ts("2023-01-01 00:00:00")]
        )
        .unwrap_err()
        .class(),
        "INVALID_PARAMETER_VALUE.DATETIME_UNIT"
    );
}

#[test]
fn test_unix_time_functions() {
    assert_eq!(
        one(call("unix_timestamp", vec![ts("2023-01-01 00:00:00")])),
        Some("1672531200".into())
    );
    assert_eq!(
        one(call("unix_timestamp", vec![s("2023-01-01 00:00:00")])),
        Some("1672531200".into())
    );
    assert_eq!(
        one(call(
            "unix_timestamp",
            vec![s("01/02/2023"), s("MM/dd/yyyy")]
        )),
        Some("1672617600".into())
    );
    assert_eq!(
        one(call("from_unixtime", vec![longs(&[Some(1672531200)])])),
        Some("2023-01-01 00:00:00".into())
    );
    assert_eq!(
        one(call(
            "from_unixtime",
            vec![longs(&[Some(1672531200)]), s("yyyy-MM-dd")]
        )),
        Some("2023-01-01".into())
    );
    assert_eq!(
        one(call("timestamp_seconds", vec![longs(&[Some(1672531200)])])),
        Some("2023-01-01 00:00:00".into())
    );
    assert_eq!(
        one(call("unix_millis", vec![ts("2023-01-01 00:00:00.123")])),
        Some("1672531200123".into())
    );
    assert_eq!(
        one(call("unix_micros", vec![ts("2023-01-01 00:00:00.123456")])),
        Some("1672531200123456".into())
    );
    assert_eq!(
        one(call("to_unix_timestamp", vec![ts("2023-03-01 12:00:00")])),
        Some("1677672000".into())
    );
    assert_eq!(
        one(call("unix_timestamp", vec![])),
        Some("1677672000".into())
    );
    assert_eq!(one(call("current_date", vec![])), Some("2023-03-01".into()));
    assert_eq!(one(call("now", vec![])), Some("2023-03-01 12:00:00".into()));
}

#[test]
fn test_to_timestamp_and_to_date() {
    assert_eq!(
        one(call("to_timestamp", vec![s("2023-02-14 10:00:00")])),
        Some("2023-02-14 10:00:00".into())
    );
    assert_eq!(
        one(call(
            "try_to_timestamp",
            vec![s("2023-02-14"), s("yyyy-MM-dd")]
        )),
        Some("2023-02-14 00:00:00".into())
    );
    assert_eq!(one(call("try_to_timestamp", vec![s("garbage")])), None);
    assert_eq!(
        one(call(
            "try_to_timestamp",
            vec![s("14/02/2023"), s("yyyy-MM-dd")]
        )),
        None
    );
    assert_eq!(
        call("to_timestamp", vec![s("14/02/2023"), s("yyyy-MM-dd")])
            .unwrap_err()
            .error_class(),
        ErrorClass::CannotParseTimestamp
    );
    assert_eq!(
        call("to_timestamp", vec![s("garbage")])
            .unwrap_err()
            .error_class(),
        ErrorClass::CastInvalidInput
    );
    assert_eq!(
        call("to_date", vec![s("2023-02-30")])
            .unwrap_err()
            .error_class(),
        ErrorClass::CastInvalidInput
    );
    assert_eq!(
        one(call("to_date", vec![ts("2023-01-08 04:11:50.897")])),
        Some("2023-01-08".into())
    );
    assert_eq!(
        one(call("to_date", vec![s("14.02.2023"), s("dd.MM.yyyy")])),
        Some("2023-02-14".into())
    );
    assert_eq!(
        one(call(
            "date_format",
            vec![ts("2023-01-08 04:45:14.515"), s("yyyy/MM/dd HH:mm")]
        )),
        Some("2023/01/08 04:45".into())
    );
}

#[test]
fn test_constructors() {
    assert_eq!(
        one(call("make_date", vec![int(2023), int(2), int(28)])),
        Some("2023-02-28".into())
    );
    assert_eq!(
        call("make_date", vec![int(2023), int(2), int(30)])
            .unwrap_err()
            .error_class(),
        ErrorClass::DatetimeFieldOutOfBoundsWithoutSuggestion
    );
    let sec = crate::functions::testing::double(30.5);
    assert_eq!(
        one(call(
            "make_timestamp",
            vec![int(2023), int(2), int(28), int(13), int(5), sec]
        )),
        Some("2023-02-28 13:05:30.5".into())
    );
    let mi = call(
        "make_interval",
        vec![int(0), int(0), int(0), int(1), int(2), int(0), int(0)],
    )
    .unwrap();
    assert_eq!(
        (mi.1.clone(), render(&mi)),
        (SparkType::CalendarInterval, texts(&["1 days 2 hours"]))
    );
}

#[test]
fn test_window_and_date_bin() {
    let t = timestamps(&[Some("2023-01-04 17:25:00"), None]);
    let w = call_c(
        "window",
        vec![
            t.clone(),
            crate::functions::testing::strs(&[Some("1 hour"), Some("1 hour")]),
        ],
    );
    // Two rows of the duration are not a constant: window() requires a literal duration.
    assert_eq!(
        w.unwrap_err().error_class(),
        ErrorClass::DatatypeMismatchNonFoldableInput
    );
    let w = call_c("window", vec![ts("2023-01-04 17:25:00"), s("1 hour")]).unwrap();
    assert_eq!(w.1.to_string(), "struct<start:timestamp,end:timestamp>");
    assert_eq!(
        render(&w),
        texts(&["{2023-01-04 17:00:00, 2023-01-04 18:00:00}"])
    );
    let day = call_c("window", vec![ts("2023-01-01 13:01:21"), s("1 day")]).unwrap();
    assert_eq!(
        render(&day),
        texts(&["{2023-01-01 00:00:00, 2023-01-02 00:00:00}"])
    );
    assert_eq!(
        call_c(
            "window",
            vec![ts("2023-01-01 13:01:21"), s("1 hour"), s("10 minutes")]
        )
        .unwrap_err()
        .class(),
        "UNSUPPORTED_FEATURE"
    );
    let bin = call("date_bin", vec![s("15 minutes"), ts("2023-01-01 13:01:21")]).unwrap();
    assert_eq!(render(&bin), texts(&["2023-01-01 13:00:00"]));
}
