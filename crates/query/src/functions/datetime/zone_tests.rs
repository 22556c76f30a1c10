//! `from_utc_timestamp` / `to_utc_timestamp` with named zones and offsets. Expected wall
//! times were computed independently with Python's `zoneinfo` (IANA data):
//! `datetime(..., tzinfo=timezone.utc).astimezone(ZoneInfo(z))` for `from_utc_timestamp`,
//! `datetime(..., tzinfo=ZoneInfo(z), fold=0).astimezone(timezone.utc)` for
//! `to_utc_timestamp` (fold=0 is Java's rule: the earlier offset in an overlap, the offset
//! before the gap for a skipped time).

use crate::ErrorClass;
use crate::functions::testing::{call, call_c, one, render, s, strs, texts, timestamps};

fn from_utc(ts: &str, zone: &str) -> Option<String> {
    one(call_c("from_utc_timestamp", vec![s(ts), s(zone)]))
}

fn to_utc(ts: &str, zone: &str) -> Option<String> {
    one(call_c("to_utc_timestamp", vec![s(ts), s(zone)]))
}

#[test]
fn test_from_utc_timestamp_follows_daylight_saving() {
    let cases = [
        ("2024-03-10 12:00:00", "Europe/Paris", "2024-03-10 13:00:00"),
        ("2024-07-01 12:00:00", "Europe/Paris", "2024-07-01 14:00:00"),
        (
            "2024-03-10 12:00:00",
            "America/Los_Angeles",
            "2024-03-10 05:00:00",
        ),
        (
            "2024-01-15 08:30:00.123456",
            "Asia/Kolkata",
            "2024-01-15 14:00:00.123456",
        ),
    ];
    for (ts, zone, expected) in cases {
        assert_eq!(
            from_utc(ts, zone).as_deref(),
            Some(expected),
            "{ts} in {zone}"
        );
    }
}

#[test]
fn test_to_utc_timestamp_gaps_and_overlaps() {
    let cases = [
        ("2024-07-01 14:00:00", "Europe/Paris", "2024-07-01 12:00:00"),
        // 01:30 happens twice on 2024-11-03 in Los Angeles: the earlier instant (PDT).
        (
            "2024-11-03 01:30:00",
            "America/Los_Angeles",
            "2024-11-03 08:30:00",
        ),
        // 02:30 never happens on 2024-03-10: read with the offset before the gap (PST).
        (
            "2024-03-10 02:30:00",
            "America/Los_Angeles",
            "2024-03-10 10:30:00",
        ),
    ];
    for (ts, zone, expected) in cases {
        assert_eq!(
            to_utc(ts, zone).as_deref(),
            Some(expected),
            "{ts} from {zone}"
        );
    }
}

#[test]
fn test_offsets_and_short_ids() {
    let ts = "2024-07-01 12:00:00";
    let cases = [
        ("+02:00", "2024-07-01 14:00:00"),
        ("-08", "2024-07-01 04:00:00"),
        ("+0530", "2024-07-01 17:30:00"),
        ("+5:30", "2024-07-01 17:30:00"),
        ("-01:00:30", "2024-07-01 10:59:30"),
        ("GMT+1", "2024-07-01 13:00:00"),
        ("UTC-03:00", "2024-07-01 09:00:00"),
        ("UTC", ts),
        ("Z", ts),
        // Java's short ids: PST is Los Angeles (daylight time in July), EST a fixed -05:00.
        ("PST", "2024-07-01 05:00:00"),
        ("EST", "2024-07-01 07:00:00"),
    ];
    for (zone, expected) in cases {
        assert_eq!(from_utc(ts, zone).as_deref(), Some(expected), "zone {zone}");
    }
}

#[test]
fn test_rows_nulls_and_round_trip() {
    let ts = timestamps(&[
        Some("2024-03-10 12:00:00"),
        None,
        Some("2024-07-01 12:00:00"),
        Some("2024-07-01 12:00:00"),
    ]);
    let zones = strs(&[
        Some("Europe/Paris"),
        Some("Europe/Paris"),
        None,
        Some("America/Los_Angeles"),
    ]);
    let local = call("from_utc_timestamp", vec![ts.clone(), zones.clone()]).unwrap();
    assert_eq!(
        render(&local),
        vec![
            Some("2024-03-10 13:00:00".into()),
            None,
            None,
            Some("2024-07-01 05:00:00".into())
        ]
    );
    let back = call("to_utc_timestamp", vec![local, zones]).unwrap();
    assert_eq!(
        render(&back),
        render(&ts)
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.filter(|_| i != 2))
            .collect::<Vec<_>>()
    );
}

#[test]
fn test_unknown_zones_name_the_zone_and_suggest() {
    let e = call_c(
        "from_utc_timestamp",
        vec![s("2024-01-01"), s("Europe/Pariss")],
    )
    .unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::InvalidTimezone);
    let message = e.to_string();
    assert!(message.contains("'Europe/Pariss'"), "{message}");
    assert!(message.contains("Did you mean 'Europe/Paris'"), "{message}");
    // Region ids are case-sensitive in Spark (Java's ZoneId.of).
    let e = call_c("to_utc_timestamp", vec![s("2024-01-01"), s("europe/paris")]).unwrap_err();
    assert_eq!(e.error_class(), ErrorClass::InvalidTimezone);
    for bad in ["+19:00", "+1:5:", "Mars/Olympus", ""] {
        let e = call("from_utc_timestamp", vec![s("2024-01-01"), s(bad)]).unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::InvalidTimezone, "zone {bad:?}");
    }
}

#[test]
fn test_date_format_zone_letters_in_the_utc_session() {
    let ts = s("2024-07-01 12:00:00");
    let cases = [
        ("z", "UTC"),
        ("XXX", "Z"),
        ("xxx", "+00:00"),
        ("ZZZZ", "GMT"),
    ];
    for (pattern, expected) in cases {
        let out = call_c("date_format", vec![ts.clone(), s(pattern)]).unwrap();
        assert_eq!(render(&out), texts(&[expected]), "pattern {pattern}");
    }
}
