//! The error conditions the engine raises, each named once with its exact Spark string, so a
//! raise site names a class the compiler checks instead of free text (a typo there would show
//! learners a condition Spark's documentation does not have).

use std::fmt;

/// Writes the enum, its strings and the list of every class from one table, so a class's
/// variant and its string cannot drift apart.
macro_rules! error_classes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// An error condition, by Spark's name (`UNRESOLVED_COLUMN.WITH_SUGGESTION`,
        /// `DIVIDE_BY_ZERO`, ...): a class and, after a dot, its sub-class.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorClass {
            $($(#[doc = $doc])* #[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl ErrorClass {
            /// Every class, in the table's order.
            pub const ALL: &'static [ErrorClass] = &[$(ErrorClass::$variant,)*];

            /// The condition's name as Spark writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorClass::$variant => $name,)*
                }
            }
        }
    };
}

error_classes! {
    // Spark's conditions (Spark 4.3's error-conditions.json has each of these names).
    AmbiguousReference = "AMBIGUOUS_REFERENCE",
    /// Integer or decimal arithmetic that leaves its type's range (ANSI mode).
    ArithmeticOverflow = "ARITHMETIC_OVERFLOW",
    AssignmentArityMismatch = "ASSIGNMENT_ARITY_MISMATCH",
    /// tinyint or smallint arithmetic that leaves its type's range (the message names the
    /// operands).
    BinaryArithmeticOverflow = "BINARY_ARITHMETIC_OVERFLOW",
    /// Text that does not match the timestamp pattern.
    CannotParseTimestamp = "CANNOT_PARSE_TIMESTAMP",
    CannotResolveStarExpand = "CANNOT_RESOLVE_STAR_EXPAND",
    /// A string that does not parse as the cast's target type.
    CastInvalidInput = "CAST_INVALID_INPUT",
    CastOverflow = "CAST_OVERFLOW",
    ConversionInvalidInput = "CONVERSION_INVALID_INPUT",
    DatatypeMismatchBinaryOpDiffTypes = "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
    DatatypeMismatchBinaryOpWrongType = "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE",
    /// A cast between types Spark does not convert.
    DatatypeMismatchCastWithoutSuggestion = "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
    DatatypeMismatchCreateMapKeyDiffTypes = "DATATYPE_MISMATCH.CREATE_MAP_KEY_DIFF_TYPES",
    DatatypeMismatchCreateNamedStructWithoutFoldableString = "DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
    /// Arguments that must share one type do not.
    DatatypeMismatchDataDiffTypes = "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
    DatatypeMismatchInvalidOrderingType = "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
    DatatypeMismatchInSubqueryLengthMismatch = "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH",
    /// An argument that must be a constant (a format, a seed) is not.
    DatatypeMismatchNonFoldableInput = "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
    DatatypeMismatchRangeFrameInvalidType = "DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
    DatatypeMismatchRangeFrameMultiOrder = "DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER",
    DatatypeMismatchSpecifiedWindowFrameWithoutFoldable = "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WITHOUT_FOLDABLE",
    /// An argument of a type the function does not take.
    DatatypeMismatchUnexpectedInputType = "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
    DatatypeMismatchValueOutOfRange = "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
    /// A date or time field outside its range (month 13).
    DatetimeFieldOutOfBoundsWithoutSuggestion = "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
    DatetimeOverflow = "DATETIME_OVERFLOW",
    DecimalPrecisionExceedsMaxPrecision = "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
    /// Division (or remainder) by zero in ANSI mode.
    DivideByZero = "DIVIDE_BY_ZERO",
    /// `map()` given the same key twice (Spark's default `mapKeyDedupPolicy`).
    DuplicatedMapKey = "DUPLICATED_MAP_KEY",
    FieldNotFound = "FIELD_NOT_FOUND",
    GroupByAggregate = "GROUP_BY_AGGREGATE",
    GroupByPosAggregate = "GROUP_BY_POS_AGGREGATE",
    GroupByPosOutOfRange = "GROUP_BY_POS_OUT_OF_RANGE",
    /// `grouping(x)` on an expression that is not a group key.
    GroupingColumnMismatch = "GROUPING_COLUMN_MISMATCH",
    /// `grouping_id(...)` with columns other than the group keys in their order.
    GroupingIdColumnMismatch = "GROUPING_ID_COLUMN_MISMATCH",
    IllegalDayOfWeek = "ILLEGAL_DAY_OF_WEEK",
    IncompatibleColumnType = "INCOMPATIBLE_COLUMN_TYPE",
    /// A week-based datetime pattern letter (`Y`, `w`), which Spark 2 read.
    InconsistentBehaviorCrossVersionDatetimePatternRecognition = "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION",
    InternalError = "INTERNAL_ERROR",
    /// `arr[i]` out of range (ANSI).
    InvalidArrayIndex = "INVALID_ARRAY_INDEX",
    InvalidArrayIndexInElementAt = "INVALID_ARRAY_INDEX_IN_ELEMENT_AT",
    InvalidDatetimePattern = "INVALID_DATETIME_PATTERN",
    InvalidExtractBaseFieldType = "INVALID_EXTRACT_BASE_FIELD_TYPE",
    InvalidExtractField = "INVALID_EXTRACT_FIELD",
    InvalidFormat = "INVALID_FORMAT",
    InvalidFormatEscAtTheEnd = "INVALID_FORMAT.ESC_AT_THE_END",
    InvalidFormatEscInTheMiddle = "INVALID_FORMAT.ESC_IN_THE_MIDDLE",
    InvalidIndexOfZero = "INVALID_INDEX_OF_ZERO",
    InvalidInlineTableNumColumnsMismatch = "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
    InvalidIntervalFormat = "INVALID_INTERVAL_FORMAT",
    InvalidIntervalWithMicrosecondsAddition = "INVALID_INTERVAL_WITH_MICROSECONDS_ADDITION",
    /// RIGHT or FULL joins of a LATERAL subquery.
    InvalidLateralJoinType = "INVALID_LATERAL_JOIN_TYPE",
    InvalidLimitLikeExpressionIsNegative = "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
    InvalidParameterValue = "INVALID_PARAMETER_VALUE",
    InvalidParameterValueDatetimeUnit = "INVALID_PARAMETER_VALUE.DATETIME_UNIT",
    InvalidParameterValuePattern = "INVALID_PARAMETER_VALUE.PATTERN",
    InvalidParameterValueRegexGroupIndex = "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
    InvalidSqlSyntaxFunctionWithUnsupportedSyntax = "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
    InvalidSubqueryExpressionScalarSubqueryReturnMoreThanOneOutputColumn = "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
    /// A time zone that is neither a region id nor an offset.
    InvalidTimezone = "INVALID_TIMEZONE",
    /// `DATE'2023-02-30'`: a typed literal whose text is not a value of its type.
    InvalidTypedLiteral = "INVALID_TYPED_LITERAL",
    InvalidUsageOfStarOrRegex = "INVALID_USAGE_OF_STAR_OR_REGEX",
    InvalidWhereCondition = "INVALID_WHERE_CONDITION",
    InvalidWithinGroupExpression = "INVALID_WITHIN_GROUP_EXPRESSION",
    MissingAggregation = "MISSING_AGGREGATION",
    MissingAttributesResolvedAttributeAppearInOperation = "MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_APPEAR_IN_OPERATION",
    MissingWindowSpecification = "MISSING_WINDOW_SPECIFICATION",
    NestedAggregateFunction = "NESTED_AGGREGATE_FUNCTION",
    NonFoldableArgument = "NON_FOLDABLE_ARGUMENT",
    /// A value that does not fit the target decimal precision.
    NumericValueOutOfRangeWithSuggestion = "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
    NumColumnsMismatch = "NUM_COLUMNS_MISMATCH",
    /// A NULL key in `map()`.
    NullMapKey = "NULL_MAP_KEY",
    OrderByPosOutOfRange = "ORDER_BY_POS_OUT_OF_RANGE",
    ParseSyntaxError = "PARSE_SYNTAX_ERROR",
    PathNotFound = "PATH_NOT_FOUND",
    /// `%` or `pmod` by zero in ANSI mode.
    RemainderByZero = "REMAINDER_BY_ZERO",
    ScalarSubqueryIsInGroupByOrAggregateFunction = "SCALAR_SUBQUERY_IS_IN_GROUP_BY_OR_AGGREGATE_FUNCTION",
    ScalarSubqueryTooManyRows = "SCALAR_SUBQUERY_TOO_MANY_ROWS",
    TableOrViewNotFound = "TABLE_OR_VIEW_NOT_FOUND",
    UdtfAliasNumberMismatch = "UDTF_ALIAS_NUMBER_MISMATCH",
    UnresolvableTableValuedFunction = "UNRESOLVABLE_TABLE_VALUED_FUNCTION",
    UnresolvedColumnWithoutSuggestion = "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
    UnresolvedColumnWithSuggestion = "UNRESOLVED_COLUMN.WITH_SUGGESTION",
    UnresolvedRoutine = "UNRESOLVED_ROUTINE",
    UnresolvedUsingColumnForJoin = "UNRESOLVED_USING_COLUMN_FOR_JOIN",
    /// A type name this engine does not know.
    UnsupportedDatatype = "UNSUPPORTED_DATATYPE",
    UnsupportedExprForOperator = "UNSUPPORTED_EXPR_FOR_OPERATOR",
    UnsupportedExprForWindow = "UNSUPPORTED_EXPR_FOR_WINDOW",
    UnsupportedFeature = "UNSUPPORTED_FEATURE",
    UnsupportedGeneratorMultiGenerator = "UNSUPPORTED_GENERATOR.MULTI_GENERATOR",
    UnsupportedGeneratorNotGenerator = "UNSUPPORTED_GENERATOR.NOT_GENERATOR",
    UnsupportedGeneratorOutsideSelect = "UNSUPPORTED_GENERATOR.OUTSIDE_SELECT",
    /// `grouping()` / `grouping_id()` without GROUPING SETS, ROLLUP or CUBE.
    UnsupportedGroupingExpression = "UNSUPPORTED_GROUPING_EXPRESSION",
    /// `raise_error(...)` or a failed `assert_true(...)`.
    UserRaisedException = "USER_RAISED_EXCEPTION",
    WindowFunctionFrameNotOrdered = "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
    WindowFunctionNotAllowedInClause = "WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE",
    WindowFunctionWithoutOverClause = "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
    /// A function called with too few or too many arguments.
    WrongNumArgsWithoutSuggestion = "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",

    // The workbook's own conditions: failures Spark reports in a way a browser engine cannot
    // copy (a pipeline's inputs, Tempo's calls, saved tables), or cases Spark names
    // differently.
    Cancelled = "CANCELLED",
    CircularDependency = "CIRCULAR_DEPENDENCY",
    DatatypeMismatchInvalidWindowDuration = "DATATYPE_MISMATCH.INVALID_WINDOW_DURATION",
    /// An Arrow kernel failed on the data in a way no Spark condition names (its message says
    /// how); an engine bug stays `INTERNAL_ERROR`.
    ExecutionError = "EXECUTION_ERROR",
    InvalidArgument = "INVALID_ARGUMENT",
    InvalidOption = "INVALID_OPTION",
    InvalidParameterValueRegexPosition = "INVALID_PARAMETER_VALUE.REGEX_POSITION",
    InvalidTablesManifest = "INVALID_TABLES_MANIFEST",
    InvalidTableData = "INVALID_TABLE_DATA",
    InvalidTableFunctionArgument = "INVALID_TABLE_FUNCTION_ARGUMENT",
    MalformedCsv = "MALFORMED_CSV",
    /// A pipeline read whose input is not provided yet.
    PipelineInputPending = "PIPELINE_INPUT_PENDING",
    PipelineNotFound = "PIPELINE_NOT_FOUND",
    TempoError = "TEMPO_ERROR",
    TempoInvalidArgument = "TEMPO_INVALID_ARGUMENT",
    UnsupportedFeaturePivotAggregate = "UNSUPPORTED_FEATURE.PIVOT_AGGREGATE",
    /// A query stopped by one of the engine's row or memory budgets (the `limits` module).
    WorkbookBudgetExceeded = "WORKBOOK_BUDGET_EXCEEDED",
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Spark's format: a class, optionally `.` and a sub-class, each upper-case words joined
    /// by single underscores.
    fn is_condition_name(name: &str) -> bool {
        let parts: Vec<&str> = name.split('.').collect();
        parts.len() <= 2
            && parts.iter().all(|p| {
                p.split('_').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                }) && p.starts_with(|c: char| c.is_ascii_uppercase())
            })
    }

    #[test]
    fn test_every_class_is_a_condition_name_written_once() {
        let mut seen = HashSet::new();
        for class in ErrorClass::ALL {
            let name = class.as_str();
            assert!(
                is_condition_name(name),
                "{class:?}: `{name}` is not a condition name"
            );
            assert!(seen.insert(name), "`{name}` is listed twice");
        }
        assert!(!is_condition_name("DIVIDE__BY_ZERO"));
        assert!(!is_condition_name("Divide_by_zero"));
        assert!(!is_condition_name("A.B.C"));
    }

    #[test]
    fn test_a_variant_is_named_after_its_condition() {
        for class in ErrorClass::ALL {
            let expected: String = class
                .as_str()
                .split(['.', '_'])
                .map(|w| w[..1].to_string() + &w[1..].to_ascii_lowercase())
                .collect();
            assert_eq!(format!("{class:?}"), expected);
        }
    }
}
