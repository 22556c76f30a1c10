//! One assertion of a check: read its value (a query's first cell, a configuration value)
//! and test its condition, saying what was found in words a learner can act on.

use pipeline::Project;
use pipeline::bundle::Bundle;
use protocol::{Assertion, Cell, Expect, Finding};

use super::{config, sentence};
use crate::Kernel;
use crate::rows::cells;
use crate::sources::query;

/// Rows of a query as formatted cells.
fn rows(kernel: &Kernel, sql: &str) -> Result<Vec<Vec<Cell>>, String> {
    let data = query(kernel, sql).map_err(|p| sentence(&p))?;
    Ok(cells(&data.batch, &data.schema))
}

/// Whether two formatted cells hold the same value (numbers within a relative 1e-6, so a
/// learner's `avg` summed in another order still matches).
fn same_cell(a: &Cell, b: &Cell) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() <= 1e-6 * x.abs().max(y.abs()).max(1.0),
            _ => a == b,
        },
        (None, None) => true,
        _ => false,
    }
}

fn show(row: &[Cell]) -> String {
    let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("NULL")).collect();
    format!("({})", cells.join(", "))
}

/// Test `expect` against `value` (`None`: NULL or no row); `Err` carries what was found
/// when it does not hold.
fn test_value(value: Option<&str>, expect: &Expect) -> Result<String, String> {
    let shown = value.unwrap_or("NULL (no value)").to_string();
    let number = value.and_then(|v| v.parse::<f64>().ok());
    let holds = match expect {
        Expect::Equals(serde_json::Value::Number(n)) => number
            .zip(n.as_f64())
            .is_some_and(|(a, b)| same_cell(&Some(a.to_string()), &Some(b.to_string()))),
        Expect::Equals(serde_json::Value::String(s)) => value == Some(s.as_str()),
        Expect::Equals(serde_json::Value::Null) => value.is_none(),
        Expect::Equals(other) => value == Some(other.to_string().as_str()),
        Expect::AtLeast(n) => number.is_some_and(|v| v >= *n),
        Expect::AtMost(n) => number.is_some_and(|v| v <= *n),
        Expect::SameAs(_) => unreachable!("same_as compares rows"),
    };
    if holds { Ok(shown) } else { Err(shown) }
}

fn compare_rows(kernel: &Kernel, sql: &str, reference: &str) -> Result<String, String> {
    let mut mine = rows(kernel, sql)?;
    let mut wanted = rows(kernel, reference)
        .map_err(|e| format!("the reference query failed ({e}): tell your instructor"))?;
    let key = |r: &Vec<Cell>| show(r);
    mine.sort_by_key(key);
    wanted.sort_by_key(key);
    if mine.len() != wanted.len() {
        return Err(format!(
            "{} row(s), where the reference computes {} on this data",
            mine.len(),
            wanted.len()
        ));
    }
    for (a, b) in mine.iter().zip(&wanted) {
        let same = a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_cell(x, y));
        if !same {
            return Err(format!(
                "{} row(s), but for example {} where the reference has {}",
                mine.len(),
                show(a),
                show(b)
            ));
        }
    }
    Ok(format!("the same {} row(s) as the reference", mine.len()))
}

/// Evaluate one assertion in the scratch workspace.
pub(crate) fn evaluate(
    kernel: &mut Kernel,
    project: &Project,
    bundle: &Bundle,
    assertion: &Assertion,
) -> Finding {
    let Some(expect) = assertion.expect() else {
        return Finding {
            look: assertion.look.clone(),
            expected: "one condition".into(),
            found: "an assertion without exactly one condition: tell your instructor".into(),
            passed: false,
            hint: Some(assertion.hint.clone()),
        };
    };
    let outcome = outcome(kernel, project, bundle, assertion, &expect);
    let passed = outcome.is_ok();
    Finding {
        look: assertion.look.clone(),
        expected: expect.describe(),
        found: outcome.unwrap_or_else(|e| e),
        passed,
        hint: (!passed).then(|| assertion.hint.clone()),
    }
}

fn outcome(
    kernel: &Kernel,
    project: &Project,
    bundle: &Bundle,
    assertion: &Assertion,
    expect: &Expect,
) -> Result<String, String> {
    if let Some(path) = &assertion.config {
        let value = config::lookup(&bundle.resolved, path).map(config::text)?;
        if let Expect::SameAs(_) = expect {
            return Err("a configuration value cannot be compared with a query".into());
        }
        let value = (value != "null").then_some(value);
        return test_value(value.as_deref(), expect);
    }
    let sql = if let Some(sql) = &assertion.sql {
        sql.clone()
    } else if let Some(path) = &assertion.sql_at {
        let node = config::lookup(&bundle.resolved, path)?;
        node.as_str()
            .ok_or_else(|| format!("`{path}` holds no query"))?
            .to_string()
    } else if let Some(name) = &assertion.dataset {
        config::dataset_query(project, &bundle.resolved, name)?.1
    } else {
        return Err("the assertion names nothing to look at".into());
    };
    if let Expect::SameAs(reference) = expect {
        return compare_rows(kernel, &sql, reference);
    }
    let rows = rows(kernel, &sql)?;
    let value = rows.first().and_then(|r| r.first()).cloned().flatten();
    test_value(value.as_deref(), expect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_values_compare_as_numbers_or_text() {
        assert!(test_value(Some("3.0"), &Expect::Equals(serde_json::json!(3))).is_ok());
        assert!(test_value(Some("4"), &Expect::Equals(serde_json::json!(3))).is_err());
        assert!(test_value(Some("prod"), &Expect::Equals(serde_json::json!("prod"))).is_ok());
        assert!(test_value(None, &Expect::AtLeast(1.0)).is_err());
        assert_eq!(
            test_value(Some("0"), &Expect::AtLeast(1.0)),
            Err("0".into())
        );
        assert!(test_value(Some("0"), &Expect::AtMost(0.0)).is_ok());
    }
}
