//! The sqlparser dialect for Spark SQL, with the one precedence fix Spark needs.

use std::any::TypeId;

use sqlparser::ast::Expr as AstExpr;
use sqlparser::dialect::{Dialect, Precedence, SparkSqlDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// sqlparser's `SparkSqlDialect`, except that `||` binds like `+` and `-` (Spark's grammar puts
/// them on one level, so `2 + 3 || 'x'` is `'5x'`); sqlparser gives `||` the precedence of `*`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SparkDialect;

const SPARK: SparkSqlDialect = SparkSqlDialect {};

impl Dialect for SparkDialect {
    fn dialect(&self) -> TypeId {
        SPARK.dialect()
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        SPARK.is_delimited_identifier_start(ch)
    }
    fn supports_string_literal_column_alias(&self, explicit: bool) -> bool {
        SPARK.supports_string_literal_column_alias(explicit)
    }
    fn supports_string_literal_table_alias(&self, explicit: bool) -> bool {
        SPARK.supports_string_literal_table_alias(explicit)
    }
    fn supports_comparison_in_between_low_bound(&self) -> bool {
        SPARK.supports_comparison_in_between_low_bound()
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        SPARK.identifier_quote_style(identifier)
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        SPARK.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        SPARK.is_identifier_part(ch)
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }
    fn supports_group_by_expr(&self) -> bool {
        true
    }
    fn supports_group_by_with_modifier(&self) -> bool {
        true
    }
    fn supports_lambda_functions(&self) -> bool {
        true
    }
    fn supports_select_wildcard_except(&self) -> bool {
        true
    }
    fn supports_struct_literal(&self) -> bool {
        true
    }
    fn supports_nested_comments(&self) -> bool {
        true
    }
    fn supports_long_type_as_bigint(&self) -> bool {
        true
    }
    fn supports_values_as_table_factor(&self) -> bool {
        true
    }
    // Spark accepts `INTERVAL '10 minutes'` without a unit; with this off, sqlparser reads the
    // value as a literal and the unit as optional.
    fn require_interval_qualifier(&self) -> bool {
        false
    }
    fn supports_bang_not_operator(&self) -> bool {
        true
    }
    fn supports_select_item_multi_column_alias(&self) -> bool {
        true
    }
    fn supports_cte_without_as(&self) -> bool {
        true
    }
    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        true
    }
    fn supports_window_clause_named_window_reference(&self) -> bool {
        true
    }
    fn supports_window_function_null_treatment_arg(&self) -> bool {
        true
    }
    fn supports_order_by_all(&self) -> bool {
        true
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        match parser.peek_token().token {
            Token::StringConcat => Some(Ok(self.prec_value(Precedence::PlusMinus))),
            _ => None,
        }
    }
    fn parse_infix(
        &self,
        parser: &mut Parser,
        expr: &AstExpr,
        precedence: u8,
    ) -> Option<Result<AstExpr, ParserError>> {
        SPARK.parse_infix(parser, expr, precedence)
    }
}
