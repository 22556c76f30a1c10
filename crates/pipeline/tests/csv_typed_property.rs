//! Property: reading a CSV file with its known column types (each field converted as it is
//! split) gives the same batches, rescued data and errors as the naive path: every column
//! read as text, then cast with `try_cast`'s rules (`read_raw` with no types).

use arrow::array::RecordBatch;
use pipeline::Location;
use pipeline::autoloader::infer::{Columns, infer_schema};
use pipeline::autoloader::options::{Reader, SourceOptions};
use pipeline::autoloader::{LoadError, RawFile, convert::to_batch, read_raw};
use proptest::prelude::*;
use query::SparkType;

const PATH: &str = "/Volumes/c/s/in/part-0.csv";

/// Names that collide ignoring case, so both sides of the name matching are exercised.
const NAMES: [&str; 6] = ["id", "ID", "a", "b", "Val", "val"];

fn types() -> Vec<SparkType> {
    use SparkType as T;
    vec![
        T::Byte,
        T::Short,
        T::Int,
        T::Long,
        T::Float,
        T::Double,
        T::Decimal(5, 2),
        T::Boolean,
        T::Date,
        T::Timestamp,
        T::TimestampNtz,
        T::String,
        T::Binary,
    ]
}

/// Field texts: values of every type, values that fit none or overflow, whitespace, quoting
/// material and a byte that is not UTF-8 (`\u{FFFF}` stands for it).
const VALUES: [&str; 30] = [
    "",
    "1",
    " 7 ",
    "-3",
    "+12",
    "300",
    "3000000000",
    "99999999999999999999",
    "1.5",
    "1.5d",
    "-2e3",
    ".5",
    "1.2.3",
    "NaN",
    "-Infinity",
    "123.456",
    "true",
    "YES",
    "f",
    "2023-01-02",
    "2023-01-02 10:30:00",
    "2023-01-02T10:30:00.123Z",
    "2023-13-45",
    "x",
    "a,b",
    "say \"hi\"",
    "line\nbreak",
    "\u{a0}5\u{a0}",
    "\t8\t",
    "\u{FFFF}",
];

#[derive(Debug, Clone)]
struct Case {
    names: Vec<usize>,
    rows: Vec<Vec<(usize, bool)>>,
    crlf: bool,
    /// `(name, type)` indexes into `NAMES` and `types()`.
    known: Vec<(usize, usize)>,
    /// The known columns are hints of a first read (then inferred) rather than the schema.
    hints: bool,
    rescued: bool,
    rescue_unknown: bool,
}

fn case() -> impl Strategy<Value = Case> {
    let ntypes = types().len();
    (1..5usize)
        .prop_flat_map(move |width| {
            (
                prop::collection::vec(0..NAMES.len(), width),
                prop::collection::vec(
                    prop::collection::vec((0..VALUES.len(), any::<bool>()), 0..width + 3),
                    0..8,
                ),
                any::<bool>(),
                prop::collection::vec((0..NAMES.len(), 0..ntypes), 0..5),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            )
        })
        .prop_map(
            |(names, rows, crlf, known, hints, rescued, rescue_unknown)| Case {
                names,
                rows,
                crlf,
                known,
                hints,
                rescued,
                rescue_unknown,
            },
        )
}

fn field(text: &str, quoted: bool, out: &mut Vec<u8>) {
    let needs = text.contains([',', '"', '\n', '\\']);
    if quoted || needs {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else if text == "\u{FFFF}" {
        out.push(0xFF);
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

fn bytes(case: &Case) -> Vec<u8> {
    let end: &[u8] = if case.crlf { b"\r\n" } else { b"\n" };
    let mut out = Vec::new();
    let header: Vec<&str> = case.names.iter().map(|&n| NAMES[n]).collect();
    out.extend_from_slice(header.join(",").as_bytes());
    out.extend_from_slice(end);
    for row in &case.rows {
        for (i, &(value, quoted)) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            field(VALUES[value], quoted, &mut out);
        }
        out.extend_from_slice(end);
    }
    out
}

fn known(case: &Case) -> Columns {
    let types = types();
    case.known
        .iter()
        .map(|&(n, t)| (NAMES[n].to_string(), types[t].clone()))
        .collect()
}

/// Read `bytes` knowing `types` beforehand, then type it against `known` as `load` does.
fn read(
    bytes: &[u8],
    case: &Case,
    types: &Columns,
) -> Result<(RawFile, Columns, RecordBatch), String> {
    let source = SourceOptions::new("/Volumes/c/s/in", Location::default(), Reader::CloudFiles);
    let raw = read_raw(PATH, bytes, None, &source, types).map_err(|e: LoadError| e.to_string())?;
    let known = known(case);
    let schema = if case.hints {
        infer_schema(std::slice::from_ref(&raw), true, &known)
    } else {
        known
    };
    let rescued = case.rescued.then_some("_rescued_data");
    let batch = to_batch(&raw, &schema, rescued, case.rescue_unknown).map_err(|e| e.to_string())?;
    Ok((raw, schema, batch))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn typed_read_equals_text_then_cast(case in case()) {
        let bytes = bytes(&case);
        let naive = read(&bytes, &case, &Vec::new());
        let typed = read(&bytes, &case, &known(&case));
        match (naive, typed) {
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (Ok((_, schema_a, a)), Ok((raw, schema_b, b))) => {
                prop_assert_eq!(schema_a, schema_b);
                prop_assert_eq!(&a, &b, "typed columns: {:?}", raw.columns.iter().map(|c| &c.1).collect::<Vec<_>>());
            }
            (a, b) => prop_assert!(false, "naive {:?}\ntyped {:?}", a.map(|r| r.2), b.map(|r| r.2)),
        }
    }
}
