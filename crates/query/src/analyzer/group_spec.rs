//! GROUP BY after lowering: plain expressions, ordinals, aliases, ALL, GROUPING SETS, ROLLUP
//! and CUBE.

use sqlparser::ast::{self, GroupByExpr, GroupByWithModifier};

use crate::analyzer::Planner;
use crate::analyzer::select::GroupSpec;
use crate::error::{QueryError, Result};
use crate::sql::lower::Lowering;

/// Most grouping sets a CUBE may expand to.
const MAX_GROUPING_SETS: usize = 4096;

impl Planner<'_> {
    /// Lower GROUP BY, expanding GROUPING SETS / ROLLUP / CUBE into membership masks.
    pub(crate) fn group_spec(
        &self,
        group_by: &GroupByExpr,
        lowering: &Lowering<'_>,
    ) -> Result<GroupSpec> {
        let (exprs, modifiers) = match group_by {
            GroupByExpr::All(mods) if mods.is_empty() => return Ok(GroupSpec::All),
            GroupByExpr::All(_) => {
                return Err(QueryError::Unsupported {
                    message: "GROUP BY ALL with modifiers".into(),
                    span: None,
                });
            }
            GroupByExpr::Expressions(exprs, modifiers) => (exprs, modifiers),
        };
        if exprs.is_empty() && modifiers.is_empty() {
            return Ok(GroupSpec::None);
        }
        let mut distinct: Vec<ast::Expr> = Vec::new();
        let index = |e: &ast::Expr, distinct: &mut Vec<ast::Expr>| -> usize {
            match distinct.iter().position(|d| d == e) {
                Some(i) => i,
                None => {
                    distinct.push(e.clone());
                    distinct.len() - 1
                }
            }
        };
        // Each grouping element contributes alternatives; the sets are their product.
        let mut elements: Vec<Vec<Vec<usize>>> = Vec::new();
        let mut plain = Vec::new();
        for e in exprs {
            match e {
                ast::Expr::GroupingSets(sets) => elements.push(
                    sets.iter()
                        .map(|s| s.iter().map(|x| index(x, &mut distinct)).collect())
                        .collect(),
                ),
                ast::Expr::Rollup(items) | ast::Expr::Cube(items) => {
                    let cols: Vec<Vec<usize>> = items
                        .iter()
                        .map(|s| s.iter().map(|x| index(x, &mut distinct)).collect())
                        .collect();
                    elements.push(if matches!(e, ast::Expr::Rollup(_)) {
                        rollup(&cols)
                    } else {
                        cube(&cols)?
                    });
                }
                other => plain.push(index(other, &mut distinct)),
            }
        }
        for m in modifiers {
            match m {
                GroupByWithModifier::Rollup => {
                    elements.push(rollup(&plain.iter().map(|&i| vec![i]).collect::<Vec<_>>()))
                }
                GroupByWithModifier::Cube => {
                    elements.push(cube(&plain.iter().map(|&i| vec![i]).collect::<Vec<_>>())?)
                }
                other => {
                    // Point at the modifier's own expression, else the GROUP BY list it follows.
                    let span = match other {
                        GroupByWithModifier::GroupingSets(e) => lowering.span(e),
                        _ => None,
                    }
                    .or_else(|| exprs.last().and_then(|e| lowering.span(e)));
                    return Err(QueryError::Unsupported {
                        message: format!("GROUP BY ... {other}"),
                        span,
                    });
                }
            }
        }
        let has_modifier = !modifiers.is_empty();
        let lowered = distinct
            .iter()
            .map(|e| lowering.expr(e))
            .collect::<Result<Vec<_>>>()?;
        if elements.is_empty() {
            return Ok(GroupSpec::Exprs {
                exprs: lowered,
                sets: None,
            });
        }
        let base: Vec<usize> = if has_modifier { vec![] } else { plain };
        let mut sets: Vec<Vec<usize>> = vec![base];
        for alternatives in elements {
            let mut next = Vec::new();
            for s in &sets {
                for alt in &alternatives {
                    let mut merged = s.clone();
                    merged.extend(alt);
                    next.push(merged);
                }
            }
            sets = next;
        }
        let masks = sets
            .iter()
            .map(|s| (0..lowered.len()).map(|i| s.contains(&i)).collect())
            .collect();
        Ok(GroupSpec::Exprs {
            exprs: lowered,
            sets: Some(masks),
        })
    }
}

pub(crate) fn rollup(cols: &[Vec<usize>]) -> Vec<Vec<usize>> {
    (0..=cols.len()).rev().map(|n| cols[..n].concat()).collect()
}

pub(crate) fn cube(cols: &[Vec<usize>]) -> Result<Vec<Vec<usize>>> {
    if (1usize << cols.len().min(63)) > MAX_GROUPING_SETS {
        return Err(QueryError::Unsupported {
            message: format!("CUBE over {} columns", cols.len()),
            span: None,
        });
    }
    Ok((0..(1usize << cols.len()))
        .rev()
        .map(|mask| {
            cols.iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << (cols.len() - 1 - i)) != 0)
                .flat_map(|(_, c)| c.clone())
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_rollup_and_cube_sets() {
        let cols = vec![vec![0], vec![1]];
        assert_eq!(rollup(&cols), vec![vec![0, 1], vec![0], vec![]]);
        let mut c = cube(&cols).unwrap();
        c.sort();
        assert_eq!(c, vec![vec![], vec![0], vec![0, 1], vec![1]]);
    }
}
