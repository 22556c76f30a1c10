//! The `pyspark.pipelines` Python front end: a tokenizer and parser for the subset pipeline
//! files use, and an evaluator that turns decorated functions into datasets.

pub mod ast;
pub mod lexer;
pub mod parser;
