//! Share links are untrusted input: the decoder is fuzzed with arbitrary and mutated links
//! (it must answer, never panic, and accept only what passes every check), and round trips
//! are checked against the files they came from.

use std::collections::BTreeMap;

use proptest::prelude::*;
use protocol::Variant;
use protocol::share::{
    MAX_FILES, MAX_LINK_CHARS, MAX_PAYLOAD_BYTES, SHARE_FORMAT, ShareError, SharedWork,
    base64url_decode, base64url_encode, check_path, fragment_data, link_bytes, read_payload,
};

fn published() -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            "databricks.yml".to_string(),
            "bundle:\n  name: iot\n".to_string(),
        ),
        ("src/bronze/a.py".to_string(), "import dlt\n".to_string()),
        ("src/silver/b.sql".to_string(), "SELECT 1\n".to_string()),
    ])
}

fn path_strategy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec("[a-z_][a-z0-9_-]{0,8}", 0..3),
        "[a-z][a-z0-9_]{0,8}",
        prop::sample::select(vec!["py", "sql", "yml", "json"]),
    )
        .prop_map(|(dirs, name, ext)| {
            let mut parts = dirs;
            parts.push(format!("{name}.{ext}"));
            parts.join("/")
        })
}

proptest! {
    #[test]
    fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = base64url_encode(&bytes);
        prop_assert!(text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        prop_assert_eq!(base64url_decode(&text).unwrap(), bytes);
    }

    #[test]
    fn learners_files_round_trip(
        edits in prop::collection::btree_map(path_strategy(), "\\PC{0,40}", 0..6),
        delete in prop::collection::vec(any::<bool>(), 3),
    ) {
        let published = published();
        let mut mine = published.clone();
        for ((path, _), gone) in published.iter().zip(&delete) {
            if *gone { mine.remove(path); }
        }
        mine.extend(edits);
        let work = SharedWork::changes(Variant::Sql, &published, &mine);
        let link = base64url_encode(&work.payload());
        let back = read_payload(&link_bytes(&link).unwrap()).unwrap();
        prop_assert_eq!(&back, &work);
        prop_assert_eq!(back.apply(&published), mine);
    }

    /// Arbitrary fragments: an answer every time, never a panic.
    #[test]
    fn any_fragment_is_answered(fragment in "\\PC{0,200}") {
        if let Some(data) = fragment_data(&fragment)
            && let Ok(bytes) = link_bytes(data)
        {
            let _ = read_payload(&bytes);
        }
    }

    /// Arbitrary bytes as the inflated document: accepted only when every path checks.
    #[test]
    fn any_payload_is_checked(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(work) = read_payload(&bytes) {
            prop_assert!(work.files.keys().chain(&work.deleted).all(|p| check_path(p).is_ok()));
        }
    }

    /// A valid document with one byte changed is either refused or still fully checked.
    #[test]
    fn mutated_payloads_are_checked(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut mine = published();
        mine.insert("src/gold/c.sql".into(), "SELECT 2\n".into());
        let mut bytes = SharedWork::changes(Variant::Python, &published(), &mine).payload();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        if let Ok(work) = read_payload(&bytes) {
            prop_assert!(work.files.keys().chain(&work.deleted).all(|p| check_path(p).is_ok()));
        }
    }

    /// A link cut anywhere is refused (or, cut in the base64 text at a byte boundary, left to
    /// the inflater, which the page reports as truncated).
    #[test]
    fn cut_json_is_refused(cut in 1usize..60) {
        let mut mine = published();
        mine.insert("src/gold/c.sql".into(), "SELECT 2\n".into());
        let bytes = SharedWork::changes(Variant::Python, &published(), &mine).payload();
        let cut = bytes.len().saturating_sub(cut);
        prop_assert!(read_payload(&bytes[..cut]).is_err());
    }
}

fn document(json: &str) -> Result<SharedWork, ShareError> {
    read_payload(json.as_bytes())
}

#[test]
fn only_share_fragments_are_read() {
    assert_eq!(fragment_data("#share=abc"), Some("abc"));
    assert_eq!(fragment_data("share=abc"), Some("abc"));
    assert_eq!(fragment_data("#expectation"), None);
    assert_eq!(fragment_data(""), None);
}

#[test]
fn hostile_paths_are_refused() {
    for path in [
        "../etc/passwd.py",
        "/abs.py",
        "src//a.py",
        "src/./a.py",
        "<script>alert(1)</script>.py",
        "a\\b.py",
        "index.html",
        "src/run.js",
        "noextension",
        "src.py/dir",
        "",
    ] {
        let json = format!(
            r#"{{"format":{SHARE_FORMAT},"variant":"python","files":{{{}:"x"}}}}"#,
            serde_json::to_string(path).unwrap()
        );
        match document(&json) {
            Err(ShareError::BadPath { .. }) => {}
            other => panic!("{path:?} gave {other:?}"),
        }
    }
    assert!(check_path("src/silver/sensor_silver.py").is_ok());
    assert!(check_path(&format!("{}.py", "a".repeat(200))).is_err());
}

#[test]
fn script_in_a_text_is_only_text() {
    let json = format!(
        r#"{{"format":{SHARE_FORMAT},"variant":"python","files":{{"src/a.py":"<script>alert(1)</script>"}}}}"#
    );
    let work = document(&json).unwrap();
    assert_eq!(work.files["src/a.py"], "<script>alert(1)</script>");
}

#[test]
fn other_versions_are_refused_for_their_version() {
    let err = document(r#"{"format":2,"variant":"kotlin","files":[]}"#).unwrap_err();
    assert_eq!(err, ShareError::Version { found: 2 });
    assert!(err.to_string().contains("format 2"));
}

#[test]
fn limits_hold() {
    let long = "A".repeat(MAX_LINK_CHARS + 1);
    assert!(matches!(link_bytes(&long), Err(ShareError::TooLong { .. })));
    assert_eq!(
        read_payload(&vec![b' '; MAX_PAYLOAD_BYTES + 1]),
        Err(ShareError::TooLarge)
    );
    let files: BTreeMap<String, String> = (0..=MAX_FILES)
        .map(|i| (format!("src/f{i}.py"), String::new()))
        .collect();
    let work = SharedWork {
        format: SHARE_FORMAT,
        variant: Variant::Python,
        files,
        deleted: vec![],
    };
    assert!(matches!(
        read_payload(&work.payload()),
        Err(ShareError::TooManyFiles { .. })
    ));
}

#[test]
fn bad_base64_and_cut_links_say_where() {
    assert_eq!(
        base64url_decode("abc<d"),
        Err(ShareError::NotBase64 { column: 4 })
    );
    assert_eq!(base64url_decode("abcde"), Err(ShareError::Truncated));
    assert!(document("not json").is_err());
    assert!(matches!(
        read_payload(&[0xff, 0xfe]),
        Err(ShareError::Malformed(_))
    ));
    assert!(matches!(
        document(r#"{"format":1,"variant":"python","files":{},"extra":1}"#),
        Err(ShareError::Malformed(_))
    ));
}
