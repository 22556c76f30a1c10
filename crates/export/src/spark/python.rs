//! A `pyspark.pipelines` source file lowered to open-source Spark: the learner's code kept,
//! with Auto Loader reads, expectations, `@dp.table` over batch queries and Tempo imports
//! rewritten in place, each rewrite commented.

use pipeline::python::ast::{Expr, ExprKind, FunctionDef, Stmt, StmtKind};
use pipeline::python::parser::parse_module;
use pipeline::python::value::Value;
use pipeline::sources::decl::{Expectation, OnViolation};
use pipeline::sources::text::LineIndex;

use super::reader;
use crate::edits::{Edits, indentation, line_end, line_start, offset_of};
use crate::unsupported::{TEMPO_UNLOWERED, sql_calls};
use crate::{Context, Report};

/// Call `f` on every expression of `stmts`, outermost first.
fn walk_stmts<'a>(stmts: &'a [Stmt], f: &mut dyn FnMut(&'a Expr)) {
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| walk_expr(t, f));
                walk_expr(value, f);
            }
            StmtKind::AugAssign { target, value, .. } => {
                walk_expr(target, f);
                walk_expr(value, f);
            }
            StmtKind::FunctionDef(def) => {
                def.decorators.iter().for_each(|d| walk_expr(d, f));
                walk_stmts(&def.body, f);
            }
            StmtKind::Return(Some(e)) | StmtKind::Expr(e) => walk_expr(e, f),
            StmtKind::If { test, body, orelse } => {
                walk_expr(test, f);
                walk_stmts(body, f);
                walk_stmts(orelse, f);
            }
            StmtKind::For { target, iter, body } => {
                walk_expr(target, f);
                walk_expr(iter, f);
                walk_stmts(body, f);
            }
            _ => {}
        }
    }
}

fn walk_expr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(e);
    match &e.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            items.iter().for_each(|i| walk_expr(i, f))
        }
        ExprKind::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
            walk_expr(k, f);
            walk_expr(v, f);
        }),
        ExprKind::Attribute(inner, _) | ExprKind::Unary(_, inner) => walk_expr(inner, f),
        ExprKind::Call(callee, args) => {
            walk_expr(callee, f);
            args.iter().for_each(|a| walk_expr(&a.value, f));
        }
        ExprKind::Subscript(a, b)
        | ExprKind::Binary(_, a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::And(a, b)
        | ExprKind::Or(a, b) => {
            walk_expr(a, f);
            walk_expr(b, f);
        }
        ExprKind::IfElse(a, b, c) => {
            walk_expr(a, f);
            walk_expr(b, f);
            walk_expr(c, f);
        }
        ExprKind::Lambda(_, body) => walk_expr(body, f),
        _ => {}
    }
}

/// `callee.method(...)`: the method name and the receiver.
fn method_call(e: &Expr) -> Option<(&str, &Expr)> {
    match &e.kind {
        ExprKind::Call(callee, _) => match &callee.kind {
            ExprKind::Attribute(receiver, name) => Some((name.as_str(), receiver)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `e` is a reader chain `spark.read[Stream]…load(...)`.
fn is_file_load(e: &Expr) -> bool {
    let Some(("load", mut inner)) = method_call(e) else {
        return false;
    };
    loop {
        match &inner.kind {
            ExprKind::Call(callee, _) => inner = callee,
            ExprKind::Attribute(receiver, name) => {
                if (name == "readStream" || name == "read")
                    && matches!(&receiver.kind, ExprKind::Name(n) if n == "spark")
                {
                    return true;
                }
                inner = receiver;
            }
            _ => return false,
        }
    }
}

fn comment_lines(lines: &[String], indent: &str) -> String {
    lines.iter().map(|l| format!("{indent}# {l}\n")).collect()
}

fn expectation_label(e: &Expectation) -> String {
    format!("{:?} ({}: {})", e.name, e.action.as_str(), e.sql)
}

/// The dataset index of each top-level function that declares one.
fn dataset_of(ctx: &Context<'_>, module: usize, def: &FunctionDef) -> Option<usize> {
    let py = &ctx.pipeline.modules[module];
    let local = py.datasets.iter().position(|d| match &d.function {
        Value::Function(c) => c.def.start == def.start,
        _ => false,
    })?;
    ctx.pipeline.datasets.iter().position(|d| {
        matches!(d.source, pipeline::pipeline::DatasetSource::Python { module: m, index } if m == module && index == local)
    })
}

/// Lower Python module `module` (file `file`, text `text`).
pub fn lower(
    ctx: &Context<'_>,
    module: usize,
    file: &str,
    text: &str,
    report: &mut Report,
) -> String {
    let Ok(stmts) = parse_module(text) else {
        return text.to_string();
    };
    let index = LineIndex::new(text);
    let at = |offset: usize| index.location(file, text, offset);
    let mut edits = Edits::new();
    let mut needs_support = false;
    let mut companions = Vec::new();
    let dp = pipelines_alias(&stmts).unwrap_or_else(|| "dp".to_string());
    let mut imports_tempo = false;

    for stmt in &stmts {
        match &stmt.kind {
            StmtKind::FromImport { module: m, .. } if m == "tempo" || m.starts_with("tempo.") => {
                imports_tempo = true;
                needs_support = true;
                let start = line_start(text, stmt.start);
                let end = line_end(text, stmt.start);
                let original = text[start..end].trim_end();
                edits.replace(start, end, format!(
                    "# iotwb export: {original}\n# dbl-tempo does not run on Spark 4: iotwb_spark.TSDF is the same EMA, resample and\n# asofJoin semantics (Tempo 0.1.30: truncated EMA, right rows at the same time match) in Spark window code.\nfrom iotwb_spark import TSDF\n"
                ));
                report.lowered(
                    at(stmt.start),
                    "Tempo import -> iotwb_spark.TSDF (Spark window code)",
                );
            }
            StmtKind::Import(names) if names.iter().any(|(n, _)| n == "dlt") => {
                let start = line_start(text, stmt.start);
                let end = line_end(text, stmt.start);
                edits.replace(start, end, "# iotwb export: `import dlt` -> OSS Spark's pyspark.pipelines under the same name.\nfrom pyspark import pipelines as dlt\n");
                report.lowered(
                    at(stmt.start),
                    "`import dlt` -> `from pyspark import pipelines as dlt`",
                );
            }
            StmtKind::FunctionDef(def) => {
                if let Some(d) = dataset_of(ctx, module, def) {
                    needs_support |= lower_dataset(
                        ctx,
                        d,
                        def,
                        text,
                        &dp,
                        &mut edits,
                        report,
                        &mut companions,
                        &at,
                    );
                }
            }
            _ => {}
        }
    }

    // What cannot be lowered: Tempo calls the support module lacks, Databricks-only SQL.
    for stmt in &stmts {
        let mut problems: Vec<(usize, String)> = Vec::new();
        walk_stmts(std::slice::from_ref(stmt), &mut |e| {
            if let Some((name, _)) = method_call(e) {
                if imports_tempo && TEMPO_UNLOWERED.contains(&name) {
                    problems.push((
                        e.start,
                        format!(
                            "Tempo `{name}` has no lowering to Spark window code in iotwb export"
                        ),
                    ));
                }
                if let ExprKind::Call(_, args) = &e.kind {
                    for a in args {
                        let bad_kw = match (name, a.name.as_deref()) {
                            ("asofJoin", Some(k @ ("tsPartitionVal" | "sql_join_opt"))) => Some(k),
                            ("resample", Some("fill")) => {
                                (!matches!(a.value.kind, ExprKind::NoneLit | ExprKind::Bool(false)))
                                    .then_some("fill")
                            }
                            _ => None,
                        };
                        if let (true, Some(k)) = (imports_tempo, bad_kw) {
                            problems.push((
                                a.value.start,
                                format!("Tempo `{name}({k}=...)` is not lowered by iotwb export"),
                            ));
                        }
                        if let ExprKind::Str(s) = &a.value.kind {
                            for (_, f, why) in sql_calls(s) {
                                problems.push((
                                    a.value.start,
                                    format!("`{f}` is {why}: OSS Spark has no such function"),
                                ));
                            }
                        }
                    }
                }
            }
        });
        if problems.is_empty() {
            continue;
        }
        let first = match &stmt.kind {
            StmtKind::FunctionDef(def) => def.decorators.first().map_or(stmt.start, |d| d.start),
            _ => stmt.start,
        };
        let start = line_start(text, first);
        let indent = indentation(text, first).to_string();
        let lines: Vec<String> = problems
            .iter()
            .map(|(offset, why)| {
                let location = at(*offset);
                report.not_lowered(location.clone(), why.clone());
                format!("iotwb export: NOT LOWERED at {location}: {why}")
            })
            .collect();
        edits.insert(start, comment_lines(&lines, &indent));
    }

    if needs_support {
        let first = stmts.first().map_or(0, |s| line_start(text, s.start));
        let depth = file.matches('/').count();
        let lib = std::iter::repeat_n("..", depth)
            .chain(["lib"])
            .collect::<Vec<_>>()
            .join("\", \"");
        edits.insert(first, format!(
            "# iotwb export: the support module lib/iotwb_spark.py (landing folders, expectations, Tempo).\nimport os as _os  # noqa: E402\nimport sys as _sys  # noqa: E402\n\n_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), \"{lib}\"))\nimport iotwb_spark  # noqa: E402\n\n"
        ));
    }
    let mut out = edits.apply(text);
    for companion in companions {
        out.push_str(&companion);
    }
    out
}

/// The name `pyspark.pipelines` is imported under.
fn pipelines_alias(stmts: &[Stmt]) -> Option<String> {
    stmts.iter().find_map(|s| match &s.kind {
        StmtKind::FromImport { module, names } if module == "pyspark" => names
            .iter()
            .find(|(n, _)| n == "pipelines")
            .map(|(n, alias)| alias.clone().unwrap_or_else(|| n.clone())),
        StmtKind::Import(names) => names
            .iter()
            .find(|(n, _)| n == "dlt" || n == "pyspark.pipelines")
            .map(|(n, alias)| alias.clone().unwrap_or_else(|| n.clone())),
        _ => None,
    })
}

/// Lower one dataset function; whether the support module is needed.
#[allow(clippy::too_many_arguments)]
fn lower_dataset(
    ctx: &Context<'_>,
    d: usize,
    def: &FunctionDef,
    text: &str,
    dp: &str,
    edits: &mut Edits,
    report: &mut Report,
    companions: &mut Vec<String>,
    at: &dyn Fn(usize) -> pipeline::Location,
) -> bool {
    let dataset = &ctx.pipeline.datasets[d];
    let name = dataset.short_name().to_string();
    let mut needs_support = false;
    let checked: Vec<&Expectation> = dataset
        .info
        .expectations
        .iter()
        .filter(|e| e.action != OnViolation::Drop)
        .collect();
    let companion = format!("{name}_expectations");

    for decorator in &def.decorators {
        let Some((method, _)) = method_call(decorator) else {
            continue;
        };
        if method == "table"
            && dataset.kind_from_query
            && ctx.found.streaming.get(d).copied().flatten() == Some(false)
            && let ExprKind::Call(callee, _) = &decorator.kind
        {
            edits.replace(callee.end - "table".len(), callee.end, "materialized_view");
            let start = line_start(text, decorator.start);
            edits.insert(start, format!("{}# iotwb export: @{dp}.table over a batch query is a materialized view; OSS Spark needs it said.\n", indentation(text, decorator.start)));
            report.lowered(
                at(decorator.start),
                "@dp.table over a batch query -> @dp.materialized_view",
            );
        }
        if !pipeline::python::pipelines::is_expectation(method) {
            continue;
        }
        let start = line_start(text, decorator.start);
        let end = line_end(text, decorator.end.saturating_sub(1));
        let indent = indentation(text, decorator.start).to_string();
        let mine: Vec<&Expectation> = dataset
            .info
            .expectations
            .iter()
            .filter(|e| {
                let offset = offset_of(text, e.location.line, e.location.column);
                offset >= decorator.start && offset <= decorator.end
            })
            .collect();
        let mut out = String::new();
        for line in text[start..end].lines() {
            out.push_str(&format!(
                "{indent}# iotwb export: {} (OSS Spark has no expectations)\n",
                line.trim()
            ));
        }
        for e in mine {
            let (name_lit, sql_lit) = (reader::py_str(&e.name), reader::py_str(&e.sql));
            match e.action {
                OnViolation::Drop => {
                    out.push_str(&format!(
                        "{indent}@iotwb_spark.drop_rows_failing({name_lit}, {sql_lit})\n"
                    ));
                    report.lowered(
                        e.location.clone(),
                        format!("expectation {} -> a filter", expectation_label(e)),
                    );
                }
                OnViolation::Fail => {
                    out.push_str(&format!(
                        "{indent}@iotwb_spark.fail_update_on({name_lit}, {sql_lit})\n"
                    ));
                    report.lowered(e.location.clone(), format!("expectation {} -> the run stops at a failing row; counted in `{companion}`", expectation_label(e)));
                }
                OnViolation::Warn => {
                    out.push_str(&format!(
                        "{indent}# counted in the materialized view `{companion}` below\n"
                    ));
                    report.lowered(
                        e.location.clone(),
                        format!(
                            "expectation {} -> counted in `{companion}`",
                            expectation_label(e)
                        ),
                    );
                }
            }
            needs_support = true;
        }
        edits.replace(start, end, out);
    }

    // The innermost call holding each planned offset.
    let mut calls: Vec<&Expr> = Vec::new();
    walk_stmts(&def.body, &mut |e| {
        if matches!(e.kind, ExprKind::Call(..)) {
            calls.push(e);
        }
    });
    // Which call an offset the planner recorded belongs to: the innermost of that kind.
    let innermost = |at: usize, kind: &dyn Fn(&Expr) -> bool| {
        calls
            .iter()
            .filter(|e| e.start <= at && at < e.end && kind(e))
            .min_by_key(|e| e.end - e.start)
            .copied()
    };
    let is_drop = |e: &Expr| matches!(method_call(e), Some(("drop", _)));
    let is_tsdf = |e: &Expr| matches!(&e.kind, ExprKind::Call(callee, _) if matches!(&callee.kind, ExprKind::Name(n) if n == "TSDF"));
    // `df.drop(...)` becomes a `select` of the columns left, as the workbook planned them:
    // Spark Connect analyses `drop` eagerly, and a pipeline's inputs do not exist yet then.
    for (offset, remaining) in &ctx.found.drop_columns[d] {
        if let Some(e) = innermost(*offset, &is_drop)
            && let Some(("drop", receiver)) = method_call(e)
        {
            let list: Vec<String> = remaining.iter().map(|c| reader::py_str(c)).collect();
            edits.replace(receiver.end, e.end, format!(".select({})", list.join(", ")));
            edits.insert(line_start(text, e.start), format!(
                "{}# iotwb export: `{}` -> a select of the columns left (Spark Connect analyses drop before the inputs exist).\n",
                indentation(text, e.start),
                text[receiver.end..e.end].trim()
            ));
            report.lowered(
                at(*offset),
                "DataFrame.drop -> select of the remaining columns",
            );
        }
    }
    // TSDF(...) calls get their DataFrame's columns as the workbook planned them: Spark
    // refuses to analyse a DataFrame (`df.columns`) inside a pipeline query function.
    for (offset, columns) in &ctx.found.tsdf_columns[d] {
        if let Some(e) = innermost(*offset, &is_tsdf) {
            let close = e.end - 1;
            let before = text[..close].trim_end();
            let comma = if before.ends_with(',') || before.ends_with('(') {
                ""
            } else {
                ", "
            };
            let list: Vec<String> = columns.iter().map(|c| reader::py_str(c)).collect();
            edits.insert(
                before.len(),
                format!("{comma}columns=[{}]", list.join(", ")),
            );
            edits.insert(line_start(text, e.start), format!(
                "{}# iotwb export: `columns=` are the columns the workbook planned (Spark refuses df.columns here).\n",
                indentation(text, e.start)
            ));
        }
    }

    // File reads, in source order, matched with the sources the planner saw.
    let mut loads = Vec::new();
    walk_stmts(&def.body, &mut |e| {
        if is_file_load(e) {
            loads.push(e);
        }
    });
    let sources = &ctx.found.files[d];
    if loads.len() == sources.len() {
        for (load, source) in loads.iter().zip(sources) {
            let indent = indentation(text, load.start).to_string();
            let what = if source.streaming {
                "Auto Loader (cloudFiles)"
            } else {
                "a file read"
            };
            let comment = comment_lines(&reader::comment(source, what), &indent);
            edits.insert(line_start(text, load.start), comment);
            edits.replace(
                load.start,
                load.end,
                reader::python(source, "spark", &indent),
            );
            report.lowered(
                at(load.start),
                format!(
                    "{what} over {} -> a Spark file source with an explicit schema",
                    source.options.path
                ),
            );
            needs_support = true;
        }
    } else {
        for source in sources {
            report.not_lowered(source.options.location.clone(), format!("the read of {} is not a `spark.read[Stream]…load(path)` inside the dataset function, so the export cannot replace it", source.options.path));
        }
    }

    if !checked.is_empty() {
        let list: Vec<String> = checked
            .iter()
            .map(|e| {
                format!(
                    "            ({}, {:?}, {}),",
                    reader::py_str(&e.name),
                    e.action.as_str(),
                    reader::py_str(&e.sql)
                )
            })
            .collect();
        companions.push(format!(
            "\n\n# iotwb export: OSS Spark keeps no expectation metrics. The warn and fail expectations of\n# `{name}` are counted here instead, over the whole table: query it like any table.\n@{dp}.materialized_view(name=\"{companion}\", comment=\"Expectations of {name}: rows passing and failing each\")\ndef {companion}():\n    return iotwb_spark.expectation_counts(\n        spark.read.table(\"{name}\"),\n        [\n{}\n        ],\n    )\n",
            list.join("\n")
        ));
        needs_support = true;
    }
    needs_support
}
