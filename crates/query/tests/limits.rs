//! Pathological but valid queries stay bounded: each runs in a thread with the browser's 1 MiB
//! stack and a deadline (`fuzzkit::guarded`), and ends in a result or in an error that names
//! the limit and points at the query.

use query::limits::{BUDGET_EXCEEDED, MAX_JOIN_PAIRS, MAX_NESTING, MAX_OPERATOR_VALUES};
use query::{Catalog, QueryError, Session};

/// About one megabyte of query text.
const MB: usize = 1 << 20;

fn run(sql: &str) -> Result<query::QueryResult, QueryError> {
    Session::new(Catalog::new()).sql(sql)
}

/// `item(i)` joined by `sep` until the text is about a megabyte, one line.
fn megabyte(item: impl Fn(usize) -> String, sep: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < MB {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&item(i));
        i += 1;
    }
    out
}

fn guarded(name: &str, sql: String, check: fn(&str) -> Result<(), String>) {
    fuzzkit::guarded(name, sql, move |sql| check(&sql));
}

#[test]
fn a_megabyte_in_list_runs() {
    let list = megabyte(|i| i.to_string(), ",");
    let sql = format!("SELECT count(*) AS n FROM range(100) WHERE id IN ({list})");
    guarded("1 MB IN list", sql, |sql| {
        let n = run(sql).map_err(|e| e.to_string())?.num_rows();
        (n == 1).then_some(()).ok_or(format!("{n} rows"))
    });
}

#[test]
fn a_megabyte_of_values_rows_runs() {
    let rows = megabyte(|i| format!("({i}, 'r{i}')"), ", ");
    let sql = format!("SELECT count(*) AS n, max(a) AS top FROM VALUES {rows} AS t(a, b)");
    guarded("1 MB VALUES", sql, |sql| {
        run(sql).map(|_| ()).map_err(|e| e.to_string())
    });
}

#[test]
fn a_megabyte_string_literal_runs() {
    let sql = format!("SELECT length('{}') AS n", "x".repeat(MB));
    guarded("1 MB literal", sql, |sql| {
        run(sql).map(|_| ()).map_err(|e| e.to_string())
    });
}

#[test]
fn a_megabyte_select_list_runs() {
    let columns = megabyte(|i| format!("{i} AS c{i}"), ", ");
    let sql = format!("SELECT {columns}");
    guarded("1 MB select list", sql, |sql| {
        run(sql).map(|_| ()).map_err(|e| e.to_string())
    });
}

/// Too deep: an error naming the limit, at a place on the query's one line.
fn too_deep(sql: &str) -> Result<(), String> {
    match run(sql) {
        Ok(_) => Err("a result, expected the nesting limit".into()),
        Err(e) => {
            let span = e.span().ok_or(format!("no place: {e}"))?;
            if span.start.line != 1 {
                return Err(format!("{e} at line {}", span.start.line));
            }
            let text = e.to_string();
            if text.contains(&MAX_NESTING.to_string()) || text.contains("nests too deeply") {
                Ok(())
            } else {
                Err(format!("the error does not name the limit: {e}"))
            }
        }
    }
}

#[test]
fn a_megabyte_operator_chain_stops_at_the_nesting_limit() {
    let sql = format!("SELECT {}", megabyte(|_| "1".into(), " + "));
    guarded("1 MB chain", sql, too_deep);
}

#[test]
fn deep_brackets_stop_at_the_nesting_limit() {
    for depth in [60, 1_000, 100_000] {
        let sql = format!("SELECT {}1{}", "(".repeat(depth), ")".repeat(depth));
        guarded(&format!("{depth} brackets"), sql, too_deep);
        let sql = format!("SELECT {}1{}", "abs(".repeat(depth), ")".repeat(depth));
        guarded(&format!("{depth} calls"), sql, too_deep);
        let sql = format!(
            "SELECT {}1{}",
            "CASE WHEN true THEN ".repeat(depth),
            " END".repeat(depth)
        );
        guarded(&format!("{depth} CASEs"), sql, too_deep);
        let sql = format!("SELECT {}1", "- ".repeat(depth));
        guarded(&format!("{depth} minus signs"), sql, too_deep);
        let sql = format!(
            "{}SELECT 1{}",
            "SELECT * FROM (".repeat(depth),
            ")".repeat(depth)
        );
        guarded(&format!("{depth} subqueries"), sql, too_deep);
    }
    let sql = format!("SELECT 1{}", " UNION ALL SELECT 1".repeat(10_000));
    guarded("10 000 unions", sql, too_deep);
    let sql = format!(
        "SELECT 1 FROM range(1) t0{}",
        (1..10_000)
            .map(|i| format!(" JOIN range(1) t{i} ON true"))
            .collect::<String>()
    );
    guarded("10 000 joins", sql, too_deep);
}

#[test]
fn nesting_at_the_limit_runs_in_the_browsers_stack() {
    let runs = |sql: &str| run(sql).map(|_| ()).map_err(|e| e.to_string());
    // `SELECT` + MAX_NESTING operators: exactly at the limit.
    let terms = vec!["1"; MAX_NESTING + 1].join(" + ");
    guarded("a chain at the limit", format!("SELECT {terms} AS n"), runs);
    // Two operators per step, one level for `sum(`: 99 levels.
    let terms = vec!["id"; MAX_NESTING / 2].join(" * 1 + ");
    let sql = format!("SELECT sum({terms}) AS n FROM range(10)");
    guarded("a chain at the limit over rows", sql, runs);
    let sql = format!("SELECT 1 AS n{}", " UNION ALL SELECT 1".repeat(MAX_NESTING));
    guarded("unions at the limit", sql, runs);
    let over = vec!["1"; MAX_NESTING + 2].join(" + ");
    guarded("one past the limit", format!("SELECT {over}"), too_deep);
}

/// Stopped by a budget: the error's class and the budget's name.
fn over_budget(sql: &str, budget: &'static str) -> Result<(), String> {
    match run(sql) {
        Ok(r) => Err(format!("{} rows, expected the budget", r.num_rows())),
        Err(e) if e.error_class() == BUDGET_EXCEEDED && e.to_string().contains(budget) => Ok(()),
        Err(e) => Err(format!(
            "expected {BUDGET_EXCEEDED} naming {budget}, got {e}"
        )),
    }
}

#[test]
fn a_cross_join_of_a_trillion_rows_stops_at_the_pair_budget() {
    let sql = "SELECT count(*) FROM range(1000000) a CROSS JOIN range(1000000) b".to_string();
    guarded("10^12 cross join", sql, |sql| {
        over_budget(sql, "MAX_JOIN_PAIRS")
    });
    const { assert!(1_000_000u64 * 1_000_000 > MAX_JOIN_PAIRS) };
}

#[test]
fn an_equi_join_on_one_key_stops_at_the_value_budget() {
    let sql = "SELECT count(*) FROM range(100000) a JOIN range(100000) b ON a.id % 1 = b.id % 1"
        .to_string();
    guarded("10^10 equi join", sql, |sql| {
        over_budget(sql, "MAX_OPERATOR_VALUES")
    });
}

#[test]
fn a_trillion_row_range_stops_at_the_value_budget() {
    let sql = "SELECT count(*) FROM range(1000000000000)".to_string();
    guarded("range 10^12", sql, |sql| {
        over_budget(sql, "MAX_OPERATOR_VALUES")
    });
    const { assert!(1_000_000_000_000u64 > MAX_OPERATOR_VALUES) };
}
