//! Lexers of the languages a learner edits, shared by the engine (which parses with them) and
//! the page (which colours the editor with them), so what is coloured is what the engine reads.

pub mod highlight;
pub mod python;
pub mod sql;
