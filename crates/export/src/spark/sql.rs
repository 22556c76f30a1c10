//! A pipeline SQL file lowered to open-source Spark: each statement's head rewritten in the
//! OSS form (no `OR REFRESH`, no `CONSTRAINT … EXPECT`), `LIVE.` dropped, `read_files` replaced
//! by a temporary view over the same files, expectations as filters and companion counts.

use pipeline::pipeline::DatasetSource;
use pipeline::sources::decl::{DatasetInfo, DatasetKind, OnViolation};
use syntax::sql::{Tok, Token, statements, tokenize};

use crate::edits::{Edits, offset_of};
use crate::sources::FileSource;
use crate::unsupported::sql_calls;
use crate::{Context, Report};

/// A file source a SQL dataset reads, to be defined as a temporary view in Python.
pub struct FileView {
    /// The view's name.
    pub name: String,
    /// What it reads.
    pub source: FileSource,
}

fn sql_str(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn quoted(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// The OSS statement head for `info`, up to and including `AS`.
fn head(info: &DatasetInfo) -> String {
    let kind = match info.kind {
        DatasetKind::StreamingTable => "STREAMING TABLE",
        DatasetKind::MaterializedView => "MATERIALIZED VIEW",
        DatasetKind::View => "TEMPORARY VIEW",
    };
    let mut out = format!("CREATE {kind} {}", quoted(&info.name));
    if !info.columns.is_empty() {
        let cols: Vec<String> = info
            .columns
            .iter()
            .map(|c| format!("{} {}", quoted(&c.name), c.type_name))
            .collect();
        out.push_str(&format!(" ({})", cols.join(", ")));
    }
    if !info.partition_cols.is_empty() {
        out.push_str(&format!(
            "\nPARTITIONED BY ({})",
            info.partition_cols.join(", ")
        ));
    }
    if let Some(comment) = &info.comment {
        out.push_str(&format!("\nCOMMENT {}", sql_str(comment)));
    }
    if !info.table_properties.is_empty() {
        let props: Vec<String> = info
            .table_properties
            .iter()
            .map(|(k, v)| format!("{} = {}", sql_str(k), sql_str(v)))
            .collect();
        out.push_str(&format!("\nTBLPROPERTIES ({})", props.join(", ")));
    }
    out.push_str("\nAS ");
    out
}

/// The index of the `)` closing the `(` at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.is('(') {
            depth += 1;
        } else if t.is(')') {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Lower SQL file `file`; the file sources its datasets read are added to `views`.
pub fn lower(
    ctx: &Context<'_>,
    file: &str,
    text: &str,
    views: &mut Vec<FileView>,
    report: &mut Report,
) -> String {
    let Ok(tokens) = tokenize(text) else {
        return text.to_string();
    };
    let index = pipeline::sources::text::LineIndex::new(text);
    let at = |offset: usize| index.location(file, text, offset);
    let datasets: Vec<usize> = ctx
        .pipeline
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(&d.source, DatasetSource::Sql(f) if f.start.file == file))
        .map(|(i, _)| i)
        .collect();
    let creates = statements(&tokens)
        .into_iter()
        .filter(|s| s[0].is_kw("CREATE"));
    let mut edits = Edits::new();
    for (statement, &d) in creates.zip(&datasets) {
        let dataset = &ctx.pipeline.datasets[d];
        let DatasetSource::Sql(fragment) = &dataset.source else {
            continue;
        };
        let info = &dataset.info;
        let name = dataset.short_name().to_string();
        let stmt_start = statement[0].start;
        let stmt_end = statement[statement.len() - 1].end;
        let query_start = offset_of(text, fragment.start.line, fragment.start.column);
        let mut notes = vec![
            "iotwb export: the statement in its OSS form (CREATE without OR REFRESH, no CONSTRAINT ... EXPECT, no LIVE.).".to_string(),
        ];
        report.lowered(
            at(stmt_start),
            "CREATE OR REFRESH / LIVE. -> the OSS statement",
        );

        // Inside the query: LIVE., read_files, Databricks-only functions.
        let query: Vec<&Token> = statement
            .iter()
            .filter(|t| t.start >= query_start)
            .collect();
        let owned: Vec<Token> = query.iter().map(|t| (*t).clone()).collect();
        let mut reads = 0usize;
        let sources = &ctx.found.files[d];
        let mut i = 0;
        while i < owned.len() {
            let t = &owned[i];
            if t.is_kw("LIVE") && owned.get(i + 1).is_some_and(|n| n.is('.')) {
                edits.replace(t.start, owned[i + 1].end, "");
                i += 2;
                continue;
            }
            if let Tok::Word(w) = &t.tok
                && (w.eq_ignore_ascii_case("read_files") || w.eq_ignore_ascii_case("cloud_files"))
                && owned.get(i + 1).is_some_and(|n| n.is('('))
                && let Some(close) = closing(&owned, i + 1)
            {
                if let Some(source) = sources.get(reads) {
                    let view = if reads == 0 {
                        format!("{name}_files")
                    } else {
                        format!("{name}_files_{}", reads + 1)
                    };
                    let stream = i > 0 && owned[i - 1].is_kw("STREAM");
                    let start = if stream { owned[i - 1].start } else { t.start };
                    let replacement = if stream {
                        format!("STREAM({view})")
                    } else {
                        view.clone()
                    };
                    edits.replace(start, owned[close].end, replacement);
                    notes.push(format!(
                        "iotwb export: {w}({}) -> the temporary view `{view}` (src/iotwb_file_sources.py): a Spark file {} with an explicit schema.",
                        source.options.path,
                        if source.streaming { "stream" } else { "read" }
                    ));
                    report.lowered(
                        at(t.start),
                        format!(
                            "{w} over {} -> temporary view `{view}`",
                            source.options.path
                        ),
                    );
                    views.push(FileView {
                        name: view,
                        source: source.clone(),
                    });
                } else {
                    report.not_lowered(
                        at(t.start),
                        format!("`{w}` here is not a file source the workbook planned"),
                    );
                }
                reads += 1;
                i = close + 1;
                continue;
            }
            i += 1;
        }
        for (offset, f, why) in sql_calls(&text[query_start..stmt_end]) {
            let location = at(query_start + offset);
            report.not_lowered(
                location.clone(),
                format!("`{f}` is {why}: OSS Spark has no such function"),
            );
            notes.push(format!("iotwb export: NOT LOWERED at {location}: `{f}` is {why}: OSS Spark has no such function."));
        }

        // Expectations: drop and fail filter the query; warn and fail are counted alongside.
        let filters: Vec<String> = info
            .expectations
            .iter()
            .filter_map(|e| match e.action {
                OnViolation::Drop => {
                    report.lowered(e.location.clone(), format!("expectation `{}` (drop) -> a filter", e.name));
                    Some(format!("coalesce(({}), false)", e.sql))
                }
                OnViolation::Fail => {
                    report.lowered(e.location.clone(), format!("expectation `{}` (fail) -> raise_error stops the run; counted in `{name}_expectations`", e.name));
                    Some(format!(
                        "CASE WHEN coalesce(({}), false) THEN true ELSE raise_error({}) END",
                        e.sql,
                        sql_str(&format!("expectation `{}` failed: {}", e.name, e.sql))
                    ))
                }
                OnViolation::Warn => {
                    report.lowered(e.location.clone(), format!("expectation `{}` (warn) -> counted in `{name}_expectations`", e.name));
                    None
                }
            })
            .collect();
        for e in &info.expectations {
            notes.push(format!(
                "iotwb export: expectation `{}` ({}: {}) -> {}.",
                e.name,
                e.action.as_str(),
                e.sql,
                match e.action {
                    OnViolation::Drop => "a filter".to_string(),
                    OnViolation::Fail =>
                        format!("the run stops at a failing row; counted in `{name}_expectations`"),
                    OnViolation::Warn =>
                        format!("counted in the materialized view `{name}_expectations`"),
                }
            ));
        }
        let comment: String = notes.iter().map(|n| format!("-- {n}\n")).collect();
        let mut new_head = format!("{comment}{}", head(info));
        if !filters.is_empty() {
            new_head.push_str("SELECT * FROM (\n");
            edits.insert(stmt_end, format!("\n) WHERE {}", filters.join("\n  AND ")));
        }
        edits.replace(stmt_start, query_start, new_head);

        let counted: Vec<String> = info
            .expectations
            .iter()
            .filter(|e| e.action != OnViolation::Drop)
            .map(|e| {
                format!(
                    "SELECT {} AS expectation, {} AS action,\n       count_if(coalesce(({sql}), false)) AS passed_records,\n       count_if(NOT coalesce(({sql}), false)) AS failed_records\nFROM {}",
                    sql_str(&e.name),
                    sql_str(e.action.as_str()),
                    quoted(&name),
                    sql = e.sql
                )
            })
            .collect();
        if !counted.is_empty() {
            let after = tokens
                .iter()
                .find(|t| t.start >= stmt_end && t.is(';'))
                .map_or(stmt_end, |t| t.end);
            let terminator = if after == stmt_end { ";" } else { "" };
            edits.insert(after, format!(
                "{terminator}\n\n-- iotwb export: OSS Spark keeps no expectation metrics. The warn and fail expectations of\n-- `{name}` are counted here instead, over the whole table: query it like any table.\nCREATE MATERIALIZED VIEW {name}_expectations\nCOMMENT {}\nAS {}{}",
                sql_str(&format!("Expectations of {name}: rows passing and failing each")),
                counted.join("\nUNION ALL\n"),
                if terminator.is_empty() { ";" } else { "" }
            ));
        }
    }
    edits.apply(text)
}
