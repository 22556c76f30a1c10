use super::*;

#[test]
fn test_syntax_error_points_at_offending_token() {
    let err = parse_query(
        "SELECT device_id factory_id model_id FROM t",
        SourceOrigin::default(),
    )
    .unwrap_err();
    assert_eq!(err.class(), "PARSE_SYNTAX_ERROR");
    assert!(err.to_string().contains("'model_id'"), "{err}");
    assert_eq!(
        err.span().unwrap().start,
        Location {
            line: 1,
            column: 29
        }
    );
}

#[test]
fn test_syntax_error_at_end_of_input() {
    let err = parse_query("SELECT * FROM t WHERE x =", SourceOrigin::default()).unwrap_err();
    assert!(err.to_string().contains("end of input"), "{err}");
}

#[test]
fn test_origin_offsets_first_line_columns_and_later_lines() {
    let origin = SourceOrigin::new(10, 5);
    let err = parse_query("SELEC 1", origin).unwrap_err();
    assert_eq!(
        err.span().unwrap().start,
        Location {
            line: 10,
            column: 5
        }
    );
    let err = parse_query("SELECT 1\nFROM t WHERE", origin).unwrap_err();
    assert_eq!(err.span().unwrap().start.line, 11);
}

#[test]
fn test_parse_expression_rejects_trailing_text() {
    assert!(parse_expression("a > 0", SourceOrigin::default()).is_ok());
    let err = parse_expression("a > 0 b", SourceOrigin::default()).unwrap_err();
    assert_eq!(err.class(), "PARSE_SYNTAX_ERROR");
}

/// The statement-list parser this module called before it parsed queries only: the reference
/// the query-only parser must agree with (kept in tests, where its size costs nothing).
fn parse_with_statement_parser(sql: &str, origin: SourceOrigin) -> Result<Box<Query>> {
    use sqlparser::ast::Statement;
    let tokens = tokenize(sql, origin)?;
    let mut parser = Parser::new(&SparkDialect).with_tokens_with_locations(tokens);
    let statements = parser
        .parse_statements()
        .map_err(|e| syntax_error(e, sql, origin))?;
    match statements.as_slice() {
        [Statement::Query(q)] => Ok(q.clone()),
        [] => Err(QueryError::Syntax {
            message: "Syntax error at or near end of input: the text holds no query".into(),
            span: Some(end_span(sql, origin)),
        }),
        [_] => Err(QueryError::Unsupported {
            message: "only queries (SELECT, WITH, VALUES) can run here".into(),
            span: None,
        }),
        _ => Err(QueryError::Syntax {
            message: "Syntax error: expected one query, found several statements".into(),
            span: None,
        }),
    }
}

fn outcome(result: Result<Box<Query>>) -> std::result::Result<String, (String, Option<Span>)> {
    result
        .map(|q| q.to_string())
        .map_err(|e| (e.to_string(), e.span()))
}

#[test]
fn test_query_parser_agrees_with_statement_parser() {
    let texts = [
        "SELECT 1",
        "SELECT 1;",
        ";; SELECT 1 ;;\n",
        "(SELECT 1) UNION ALL (SELECT 2)",
        "VALUES (1, 'a'), (2, 'b')",
        "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
        "FROM sensor_bronze SELECT device_id",
        "SELECT * FROM t WHERE x =",
        "SELECT device_id factory_id model_id FROM t",
        "SELEC 1",
        "1 + 1",
        "'text'",
        "",
        "   \n  ",
        " ; ;\n",
        "-- only a comment",
        "SELECT 1 SELECT 2",
        "SELECT 1\nFROM t WHERE",
        "SELECT 1; SELECT 2",
        "SELECT 1;\nVALUES (2);",
        "SELECT 1; DROP TABLE t",
        "CREATE TABLE t (a INT)",
        "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1",
        "DROP TABLE t",
        "INSERT INTO t VALUES (1)",
        "SET spark.sql.ansi.enabled = true",
        "EXPLAIN SELECT 1",
        "SHOW TABLES",
        "; DELETE FROM t WHERE a = 1",
    ];
    for origin in [SourceOrigin::default(), SourceOrigin::new(7, 3)] {
        for text in texts {
            // The statement parser cannot place "several statements" or a statement that is
            // no query; the query parser points at it (checked below), so where only the
            // query parser has a place, the messages are compared without it.
            let (ours, reference) = (
                outcome(parse_query(text, origin)),
                outcome(parse_with_statement_parser(text, origin)),
            );
            match (&ours, &reference) {
                (Err((m, Some(_))), Err((r, None))) => {
                    assert_eq!(m.split(" (at ").next(), Some(r.as_str()), "{text:?}")
                }
                _ => assert_eq!(ours, reference, "{text:?}"),
            }
        }
    }
}

#[test]
fn test_statement_other_than_query_is_unsupported() {
    for text in [
        "CREATE TABLE t (a INT)",
        "DROP TABLE t",
        ";UPDATE t SET a = 1",
    ] {
        let err = parse_query(text, SourceOrigin::default()).unwrap_err();
        assert_eq!(err.class(), "UNSUPPORTED_FEATURE", "{text}");
        assert!(err.to_string().contains("only queries"), "{err}");
    }
}

#[test]
fn test_several_statements_are_rejected_at_the_second() {
    let err = parse_query("SELECT 1; SELECT 2;", SourceOrigin::default()).unwrap_err();
    assert_eq!(err.class(), "PARSE_SYNTAX_ERROR");
    assert!(err.to_string().contains("several statements"), "{err}");
    let span = err.span().expect("the second statement is located");
    assert_eq!((span.start.line, span.start.column), (1, 11));
}

#[test]
fn test_empty_text_points_at_its_end() {
    let err = parse_query("  ;\n ;", SourceOrigin::default()).unwrap_err();
    assert!(err.to_string().contains("end of input"), "{err}");
    assert_eq!(err.span().unwrap().start, Location { line: 2, column: 3 });
}

#[test]
fn test_second_query_without_semicolon_points_at_it() {
    let err = parse_query("SELECT 1 SELECT 2", SourceOrigin::default()).unwrap_err();
    assert!(err.to_string().contains("'SELECT'"), "{err}");
    assert_eq!(
        err.span().unwrap().start,
        Location {
            line: 1,
            column: 10
        }
    );
}
