//! Scopes: a function's locals chained to the module's globals (Python's LEGB without the
//! enclosing-function rule's `nonlocal`, which the subset does not need).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::value::Value;

/// One scope.
#[derive(Default)]
pub struct Env {
    vars: RefCell<HashMap<String, Value>>,
    parent: Option<Rc<Env>>,
}

impl Env {
    /// A module's global scope.
    pub fn global() -> Rc<Env> {
        Rc::new(Env::default())
    }

    /// A function scope inside `parent`.
    pub fn child(parent: &Rc<Env>) -> Rc<Env> {
        Rc::new(Env {
            vars: RefCell::default(),
            parent: Some(parent.clone()),
        })
    }

    /// Look a name up here, then in enclosing scopes.
    pub fn get(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.vars.borrow().get(name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.get(name))
    }

    /// Bind a name in this scope.
    pub fn set(&self, name: &str, value: Value) {
        self.vars.borrow_mut().insert(name.to_string(), value);
    }

    /// Every name visible from here, for "did you mean" suggestions.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.borrow().keys().cloned().collect();
        if let Some(p) = &self.parent {
            names.extend(p.names());
        }
        names
    }
}
