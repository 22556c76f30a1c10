//! Features the export cannot lower to open-source Spark, found in SQL text and Tempo calls.

use syntax::sql::{Tok, tokenize};

/// SQL functions only Databricks has (AI functions, streaming sources, secrets, governance,
/// geospatial H3 and others): no OSS Spark equivalent to lower to.
const DATABRICKS_FUNCTIONS: &[(&str, &str)] = &[
    ("ai_", "a Databricks AI function"),
    ("h3_", "a Databricks H3 geospatial function"),
    ("st_", "a Databricks spatial function"),
    (
        "read_kafka",
        "a Databricks streaming source (use the Kafka source in Python)",
    ),
    ("read_kinesis", "a Databricks streaming source"),
    ("read_pubsub", "a Databricks streaming source"),
    ("read_pulsar", "a Databricks streaming source"),
    ("read_state_metadata", "a Databricks function"),
    ("secret", "a Databricks secret lookup"),
    ("is_member", "a Databricks governance function"),
    (
        "is_account_group_member",
        "a Databricks governance function",
    ),
    ("current_metastore", "a Unity Catalog function"),
    ("event_log", "the Databricks pipeline event log"),
    ("vector_search", "a Databricks vector search"),
    ("http_request", "a Databricks function"),
    ("cloud_files_state", "an Auto Loader function"),
];

/// Tempo methods the support module does not implement.
pub const TEMPO_UNLOWERED: &[&str] = &[
    "interpolate",
    "withRangeStats",
    "withGroupedStats",
    "withLookbackFeatures",
    "fourier_transform",
    "vwap",
    "extractStateIntervals",
    "calc_bars",
    "describe",
    "latest",
    "earliest",
    "priorTo",
    "subsequentTo",
    "write",
];

/// Why the function `name` has no OSS Spark form, if it has none.
pub fn databricks_function(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    DATABRICKS_FUNCTIONS.iter().find_map(|(n, why)| {
        let hit = if n.ends_with('_') {
            lower.starts_with(n)
        } else {
            lower == *n
        };
        hit.then_some(*why)
    })
}

/// Calls of Databricks-only functions in SQL `text`: byte offset, name and reason.
pub fn sql_calls(text: &str) -> Vec<(usize, String, &'static str)> {
    let Ok(tokens) = tokenize(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for pair in tokens.windows(2) {
        if let (Tok::Word(name), true) = (&pair[0].tok, pair[1].is('('))
            && let Some(why) = databricks_function(name)
        {
            out.push((pair[0].start, name.clone(), why));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_finds_databricks_only_calls_but_not_columns_or_oss_functions() {
        let found = sql_calls(
            "SELECT ai_query('m', x) AS a, secret, avg(x), h3_longlatash3(1, 2, 3) FROM t",
        );
        let names: Vec<&str> = found.iter().map(|(_, n, _)| n.as_str()).collect();
        assert_eq!(names, ["ai_query", "h3_longlatash3"]);
        assert_eq!(found[0].0, 7);
    }
}
