//! Pipeline source files: SQL and Python front ends and what they declare.

pub mod decl;
pub mod fragment;
pub mod sql;
pub mod sql_lexer;
pub mod text;
