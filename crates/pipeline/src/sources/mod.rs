//! Pipeline source files: SQL and Python front ends and what they declare.

pub mod decl;
pub mod fragment;
pub mod sql;
/// The tokenizer lives in `syntax`, shared with the editor's highlighting.
pub use syntax::sql as sql_lexer;
pub mod text;
