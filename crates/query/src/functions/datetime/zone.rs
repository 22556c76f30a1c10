//! Named time zones for `from_utc_timestamp` and `to_utc_timestamp`, read as Spark's
//! `DateTimeUtils.getZoneId` reads them (Java's `ZoneId.of` with its short ids): region ids
//! from the IANA database bundled with `jiff` ('Europe/Paris', 'America/Los_Angeles'),
//! offsets ('+02:00', '-8', '+0530'), 'Z', 'UTC'/'GMT'/'UT' with or without an offset
//! ('GMT+1'), and the three-letter ids Java maps ('PST', 'CET', 'EST', ...).
//!
//! The bundled database makes results the same on every platform and in the browser; it
//! costs about 96 KB gzip in wasm (measured on a `-Oz` cdylib resolving a runtime name).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::TimestampMicrosecondType;
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{
    Want, arg, check_arity, coerce_args, constant_str, func, prim, strings,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::suggest::ranked;
use crate::types::{SESSION_TIME_ZONE, SparkType};

/// Java's `ZoneId.SHORT_IDS`, which Spark passes to `ZoneId.of`.
const SHORT_IDS: &[(&str, &str)] = &[
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("EST", "-05:00"),
    ("HST", "-10:00"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("MST", "-07:00"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
];

/// `ZoneOffset`'s limit: offsets lie within +-18:00.
const MAX_OFFSET_SECONDS: i32 = 18 * 3600;
const MICROS_PER_SECOND: i64 = 1_000_000;

fn invalid_zone(text: &str) -> QueryError {
    let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    let near = ranked(text, &names);
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!(" Did you mean {}?", quoted(&near))
    };
    QueryError::execution(
        ErrorClass::InvalidTimezone,
        format!(
            "The timezone: '{text}' is invalid. The timezone must be either a region-based zone \
             ID or a zone offset. Region IDs must have the form 'area/city', such as \
             'America/Los_Angeles' (case matters). Zone offsets must be in the format '(+|-)HH', \
             '(+|-)HH:mm' or '(+|-)HH:mm:ss', e.g '-08', '+01:00' or '-13:33:33', and must be in \
             the range from -18:00 to +18:00. 'Z', 'UTC' and 'GMT' are accepted as synonyms for \
             '+00:00', and 'UTC+01:00' or 'GMT-8' as offsets.{hint}"
        ),
    )
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(+|-)h`, `hh`, `hh:mm`, `hhmm`, `hh:mm:ss`, `hhmmss` after the sign, in seconds.
fn offset_seconds(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let field = |s: &str| -> Option<i32> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (h, m, s) = match digits.len() {
        1 if digits.as_bytes()[0].is_ascii_digit() => (digits.parse().ok()?, 0, 0),
        2 => (field(digits)?, 0, 0),
        4 => (field(&digits[..2])?, field(&digits[2..])?, 0),
        5 if &digits[2..3] == ":" => (field(&digits[..2])?, field(&digits[3..])?, 0),
        6 => (
            field(&digits[..2])?,
            field(&digits[2..4])?,
            field(&digits[4..])?,
        ),
        8 if &digits[2..3] == ":" && &digits[5..6] == ":" => (
            field(&digits[..2])?,
            field(&digits[3..5])?,
            field(&digits[6..])?,
        ),
        _ => return None,
    };
    let total = h * 3600 + m * 60 + s;
    (h <= 18 && m < 60 && s < 60 && total <= MAX_OFFSET_SECONDS).then_some(sign * total)
}

/// Spark rewrites `+h:mm` to `+0h:mm`, then `+hh:m` at the end to `+hh:0m`, before
/// `ZoneId.of` (forms Spark 2 accepted).
fn spark_normalise(text: &str) -> String {
    let mut out = text.to_string();
    let b = out.as_bytes();
    if let Some(at) = (0..b.len().saturating_sub(2))
        .find(|&i| matches!(b[i], b'+' | b'-') && b[i + 1].is_ascii_digit() && b[i + 2] == b':')
    {
        out.insert(at + 1, '0');
    }
    let b = out.as_bytes();
    let n = b.len();
    if n >= 5
        && matches!(b[n - 5], b'+' | b'-')
        && b[n - 4].is_ascii_digit()
        && b[n - 3].is_ascii_digit()
        && b[n - 2] == b':'
        && b[n - 1].is_ascii_digit()
    {
        out.insert(n - 1, '0');
    }
    out
}

/// The zone `text` names, or `INVALID_TIMEZONE` listing the closest region ids.
pub(crate) fn parse_zone(text: &str) -> Result<TimeZone> {
    let fixed = |secs: Option<i32>| -> Result<TimeZone> {
        let secs = secs.ok_or_else(|| invalid_zone(text))?;
        Offset::from_seconds(secs)
            .map(TimeZone::fixed)
            .map_err(|_| invalid_zone(text))
    };
    let normal = spark_normalise(text);
    let id = SHORT_IDS
        .iter()
        .find(|(short, _)| *short == normal)
        .map_or(normal.as_str(), |(_, long)| long);
    match id {
        "Z" | "UTC" | "GMT" | "UT" => return Ok(TimeZone::UTC),
        _ if id.starts_with(['+', '-']) => return fixed(offset_seconds(id)),
        _ => {}
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = id.strip_prefix(prefix)
            && rest.starts_with(['+', '-'])
        {
            return fixed(offset_seconds(rest));
        }
    }
    let zone = TimeZone::get(id).map_err(|_| invalid_zone(text))?;
    // The database lookup ignores case; Java's does not ('europe/paris' is an error there).
    if zone.iana_name().is_some_and(|canonical| canonical != id) {
        return Err(invalid_zone(text));
    }
    Ok(zone)
}

fn out_of_range(micros: i64) -> QueryError {
    QueryError::execution(
        ErrorClass::DatetimeOverflow,
        format!(
            "The timestamp {micros} (microseconds since the epoch) is out of the range of time zone conversions (years -9999 to 9999)."
        ),
    )
}

fn instant(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|_| out_of_range(micros))
}

/// `from_utc_timestamp`: the wall-clock time in `zone` of the instant `micros` (UTC),
/// written as a UTC timestamp.
pub(crate) fn utc_to_local(zone: &TimeZone, micros: i64) -> Result<i64> {
    let offset = zone.to_offset(instant(micros)?);
    Ok(micros + i64::from(offset.seconds()) * MICROS_PER_SECOND)
}

/// `to_utc_timestamp`: the instant at which `zone`'s clocks show the UTC wall time of
/// `micros`. A time skipped by a DST gap moves forward by the gap; a repeated time takes
/// the earlier instant (Java's `LocalDateTime.atZone`, jiff's "compatible" rule).
pub(crate) fn local_to_utc(zone: &TimeZone, micros: i64) -> Result<i64> {
    let wall = TimeZone::UTC.to_datetime(instant(micros)?);
    zone.to_ambiguous_timestamp(wall)
        .compatible()
        .map(Timestamp::as_microsecond)
        .map_err(|_| out_of_range(micros))
}

/// The zone of each row, parsing each distinct zone text once in a row.
struct Zones<'a> {
    texts: &'a StringArray,
    last: Option<(String, TimeZone)>,
}

impl Zones<'_> {
    fn get(&mut self, row: usize) -> Result<Option<&TimeZone>> {
        if self.texts.is_null(row) {
            return Ok(None);
        }
        let text = self.texts.value(row);
        if self.last.as_ref().is_none_or(|(t, _)| t != text) {
            self.last = Some((text.to_string(), parse_zone(text)?));
        }
        Ok(self.last.as_ref().map(|(_, z)| z))
    }
}

fn resolve_convert(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let mut types = coerce_args(name, args, &[Want::Timestamp, Want::String])?;
    // The functions take TIMESTAMP (with the session zone); TIMESTAMP_NTZ is cast to it.
    types[0] = SparkType::Timestamp;
    if let Some(text) = constant_str(args, 1) {
        parse_zone(&text)?;
    }
    Ok(Signature {
        args: types,
        result: SparkType::Timestamp,
    })
}

fn convert(args: &[ArrayRef], shift: fn(&TimeZone, i64) -> Result<i64>) -> Result<ArrayRef> {
    let ts = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    let mut zones = Zones {
        texts: strings(arg(args, 1)?.as_ref())?,
        last: None,
    };
    let mut out = Vec::with_capacity(ts.len());
    for i in 0..ts.len() {
        let zone = zones.get(i)?;
        out.push(match zone {
            Some(z) if ts.is_valid(i) => Some(shift(z, ts.value(i))?),
            _ => None,
        });
    }
    Ok(Arc::new(
        TimestampMicrosecondArray::from(out).with_timezone(SESSION_TIME_ZONE),
    ))
}

func!(
    FROM_UTC_TIMESTAMP,
    "from_utc_timestamp",
    resolve_convert,
    |args, _, _: &EvalContext| convert(args, utc_to_local)
);
func!(
    TO_UTC_TIMESTAMP,
    "to_utc_timestamp",
    resolve_convert,
    |args, _, _: &EvalContext| convert(args, local_to_utc)
);
