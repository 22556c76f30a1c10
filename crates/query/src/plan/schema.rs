//! The schema of a plan node: typed columns with the table qualifier they can be named by.

use std::sync::Arc;

use arrow::datatypes::{Field, Schema, SchemaRef};

use crate::types::SparkType;

/// One output column of a plan node.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanField {
    /// The table name or alias that qualifies the column (`s` in `s.device_id`), if any.
    pub qualifier: Option<String>,
    /// The column name as it is shown (case preserved).
    pub name: String,
    /// Spark type.
    pub data_type: SparkType,
    /// Whether the column may hold NULL.
    pub nullable: bool,
}

impl PlanField {
    /// An unqualified, nullable column.
    pub fn new(name: impl Into<String>, data_type: SparkType) -> PlanField {
        PlanField {
            qualifier: None,
            name: name.into(),
            data_type,
            nullable: true,
        }
    }
}

/// The columns of a plan node, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanSchema {
    /// The columns.
    pub fields: Vec<PlanField>,
}

impl PlanSchema {
    /// A schema of the given columns.
    pub fn new(fields: Vec<PlanField>) -> PlanSchema {
        PlanSchema { fields }
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no columns.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Names and Spark types, as the public API reports them.
    pub fn columns(&self) -> Vec<(String, SparkType)> {
        self.fields
            .iter()
            .map(|f| (f.name.clone(), f.data_type.clone()))
            .collect()
    }

    /// The Arrow schema of batches with these columns (every field nullable).
    pub fn arrow(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.fields
                .iter()
                .map(|f| Field::new(&f.name, f.data_type.to_arrow(), true))
                .collect::<Vec<_>>(),
        ))
    }

    /// The same columns, all qualified by `alias` (a subquery or table alias).
    pub fn with_qualifier(&self, alias: &str) -> PlanSchema {
        PlanSchema {
            fields: self
                .fields
                .iter()
                .map(|f| PlanField {
                    qualifier: Some(alias.to_string()),
                    ..f.clone()
                })
                .collect(),
        }
    }

    /// The columns of `self` followed by those of `other` (a join's output).
    pub fn join(&self, other: &PlanSchema) -> PlanSchema {
        let mut fields = self.fields.clone();
        fields.extend(other.fields.iter().cloned());
        PlanSchema { fields }
    }
}
