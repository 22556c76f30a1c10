//! The `pyspark.pipelines` Python front end: a tokenizer and parser for the subset pipeline
//! files use, and an evaluator that turns decorated functions into datasets whose queries are
//! query-engine DataFrames (with Tempo operations as plan nodes).

pub mod ast;
pub mod builtins;
pub mod column;
pub mod env;
pub mod error;
pub mod frame;
pub mod interp;
/// The tokenizer lives in `syntax`, shared with the editor's highlighting.
pub use syntax::python as lexer;
pub mod native;
pub mod parser;
pub mod pipelines;
pub mod spark;
pub mod tempo;
pub mod types;
pub mod value;

use std::rc::Rc;

use env::Env;
use error::{PyError, PyResult};
use frame::Frame;
use interp::{Args, Interp};
use native::{Host, PyDataset};
use value::Value;

/// A Python source file after its module-level code ran: the datasets it declares, ready to
/// be planned (each planning calls the dataset's function again with the current inputs).
pub struct PyModule {
    /// The file's project path.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The declared datasets, in order.
    pub datasets: Vec<PyDataset>,
    /// The module scope (functions close over it).
    pub globals: Rc<Env>,
}

/// Parse and run a file's module-level code (imports, constants, decorators).
pub fn load_module(file: &str, text: &str, host: &mut dyn Host) -> PyResult<PyModule> {
    let body = parser::parse_module(text).map_err(|e| PyError::new(e.offset, e.message))?;
    let globals = Env::global();
    let mut interp = Interp::new(file, text, host);
    interp.exec_module(&body, &globals)?;
    Ok(PyModule {
        file: file.to_string(),
        text: text.to_string(),
        datasets: interp.datasets,
        globals,
    })
}

/// Call dataset `index`'s function: its DataFrame and whether it reads a stream.
pub fn plan_dataset(module: &PyModule, index: usize, host: &mut dyn Host) -> PyResult<Frame> {
    let dataset = &module.datasets[index];
    let mut interp = Interp::new(&module.file, &module.text, host);
    let at = dataset.info.location.clone();
    let value = interp.call(dataset.function.clone(), Args::default())?;
    match value {
        Value::Native(n) => match &*n {
            native::Native::Frame(f) => Ok(f.clone()),
            native::Native::Tsdf(_) => Err(PyError::at(
                at,
                format!(
                    "dataset `{}` returns a TSDF: return its DataFrame with `.df`",
                    dataset.info.name
                ),
            )),
            other => Err(PyError::at(
                at,
                format!(
                    "dataset `{}` must return a DataFrame, but its function returns {}",
                    dataset.info.name,
                    other.type_name()
                ),
            )),
        },
        other => Err(PyError::at(
            at,
            format!(
                "dataset `{}` must return a DataFrame, but its function returns {}",
                dataset.info.name,
                other.type_name()
            ),
        )),
    }
}
