//! The documented keys of a bundle, so that a typo is caught with the closest valid keys.
//!
//! Only the parts the workbook reads are described in depth (bundle, variables, workspace,
//! targets, the pipeline resource); other resource kinds (jobs, dashboards, alerts, …) are
//! accepted with a shallow check so that a course project validates unchanged.

use super::yaml::{Node, Value};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::suggest;

/// What a YAML node may look like.
#[derive(Debug)]
pub enum Shape {
    /// Anything (free-form settings the workbook does not interpret).
    Any,
    /// A scalar (string, number, boolean; `${...}` allowed).
    Scalar,
    /// A mapping with exactly these keys (each optional).
    Map(&'static [(&'static str, &'static Shape)]),
    /// A mapping with free keys, each value of one shape (`variables`, `targets`, `pipelines`).
    MapOf(&'static Shape),
    /// A sequence of one shape.
    SeqOf(&'static Shape),
    /// A scalar or a sequence of scalars.
    ScalarOrSeq,
}

/// Root of `databricks.yml`.
pub static ROOT: Shape = Shape::Map(&[
    ("bundle", &BUNDLE),
    ("include", &Shape::SeqOf(&Shape::Scalar)),
    ("variables", &Shape::MapOf(&VARIABLE)),
    ("workspace", &WORKSPACE),
    ("resources", &RESOURCES),
    ("targets", &Shape::MapOf(&TARGET)),
    ("environments", &Shape::MapOf(&TARGET)),
    ("artifacts", &Shape::Any),
    ("sync", &SYNC),
    ("permissions", &Shape::SeqOf(&PERMISSION)),
    ("run_as", &RUN_AS),
    ("presets", &PRESETS),
    ("experimental", &Shape::Any),
    ("python", &Shape::Any),
    ("scripts", &Shape::Any),
]);

/// Root of a file named by `include:` (no `bundle` or `include` of its own).
pub static INCLUDED: Shape = Shape::Map(&[
    ("variables", &Shape::MapOf(&VARIABLE)),
    ("workspace", &WORKSPACE),
    ("resources", &RESOURCES),
    ("targets", &Shape::MapOf(&TARGET)),
    ("artifacts", &Shape::Any),
    ("sync", &SYNC),
    ("permissions", &Shape::SeqOf(&PERMISSION)),
    ("run_as", &RUN_AS),
    ("presets", &PRESETS),
]);

static BUNDLE: Shape = Shape::Map(&[
    ("name", &Shape::Scalar),
    ("uuid", &Shape::Scalar),
    ("cluster_id", &Shape::Scalar),
    ("compute_id", &Shape::Scalar),
    ("databricks_cli_version", &Shape::Scalar),
    (
        "git",
        &Shape::Map(&[("branch", &Shape::Scalar), ("origin_url", &Shape::Scalar)]),
    ),
    ("deployment", &Shape::Any),
]);

static VARIABLE: Shape = Shape::Map(&[
    ("description", &Shape::Scalar),
    ("default", &Shape::Any),
    ("type", &Shape::Scalar),
    ("lookup", &Shape::Any),
]);

static WORKSPACE: Shape = Shape::Map(&[
    ("host", &Shape::Scalar),
    ("profile", &Shape::Scalar),
    ("root_path", &Shape::Scalar),
    ("file_path", &Shape::Scalar),
    ("artifact_path", &Shape::Scalar),
    ("state_path", &Shape::Scalar),
    ("resource_path", &Shape::Scalar),
    ("auth_type", &Shape::Scalar),
    ("client_id", &Shape::Scalar),
    ("account_id", &Shape::Scalar),
    ("azure_client_id", &Shape::Scalar),
    ("azure_tenant_id", &Shape::Scalar),
    ("azure_environment", &Shape::Scalar),
    ("azure_login_app_id", &Shape::Scalar),
    ("azure_use_msi", &Shape::Scalar),
    ("azure_workspace_resource_id", &Shape::Scalar),
    ("google_service_account", &Shape::Scalar),
    ("metadata_service_url", &Shape::Scalar),
]);

static TARGET: Shape = Shape::Map(&[
    ("default", &Shape::Scalar),
    ("mode", &Shape::Scalar),
    ("bundle", &BUNDLE),
    ("workspace", &WORKSPACE),
    ("variables", &Shape::MapOf(&Shape::Any)),
    ("resources", &RESOURCES),
    ("artifacts", &Shape::Any),
    ("sync", &SYNC),
    ("permissions", &Shape::SeqOf(&PERMISSION)),
    ("run_as", &RUN_AS),
    ("presets", &PRESETS),
    ("git", &Shape::Any),
    ("cluster_id", &Shape::Scalar),
    ("compute_id", &Shape::Scalar),
]);

static SYNC: Shape = Shape::Map(&[
    ("include", &Shape::SeqOf(&Shape::Scalar)),
    ("exclude", &Shape::SeqOf(&Shape::Scalar)),
    ("paths", &Shape::SeqOf(&Shape::Scalar)),
]);

static PERMISSION: Shape = Shape::Map(&[
    ("level", &Shape::Scalar),
    ("user_name", &Shape::Scalar),
    ("group_name", &Shape::Scalar),
    ("service_principal_name", &Shape::Scalar),
]);

static RUN_AS: Shape = Shape::Map(&[
    ("user_name", &Shape::Scalar),
    ("service_principal_name", &Shape::Scalar),
]);

static PRESETS: Shape = Shape::Map(&[
    ("name_prefix", &Shape::Scalar),
    ("pipelines_development", &Shape::Scalar),
    ("trigger_pause_status", &Shape::Scalar),
    ("jobs_max_concurrent_runs", &Shape::Scalar),
    ("tags", &Shape::Any),
    ("source_linked_deployment", &Shape::Scalar),
    ("artifacts_dynamic_version", &Shape::Scalar),
]);

/// Resource kinds a bundle may declare. Only `pipelines` is read by the workbook.
static RESOURCES: Shape = Shape::Map(&[
    ("pipelines", &Shape::MapOf(&PIPELINE)),
    ("jobs", &Shape::MapOf(&Shape::Any)),
    ("dashboards", &Shape::MapOf(&DASHBOARD)),
    ("alerts", &Shape::MapOf(&Shape::Any)),
    ("queries", &Shape::MapOf(&Shape::Any)),
    ("experiments", &Shape::MapOf(&Shape::Any)),
    ("models", &Shape::MapOf(&Shape::Any)),
    ("registered_models", &Shape::MapOf(&Shape::Any)),
    ("model_serving_endpoints", &Shape::MapOf(&Shape::Any)),
    ("quality_monitors", &Shape::MapOf(&Shape::Any)),
    ("schemas", &Shape::MapOf(&Shape::Any)),
    ("volumes", &Shape::MapOf(&Shape::Any)),
    ("clusters", &Shape::MapOf(&Shape::Any)),
    ("apps", &Shape::MapOf(&Shape::Any)),
    ("secret_scopes", &Shape::MapOf(&Shape::Any)),
    ("sql_warehouses", &Shape::MapOf(&Shape::Any)),
    ("database_instances", &Shape::MapOf(&Shape::Any)),
    ("database_catalogs", &Shape::MapOf(&Shape::Any)),
    ("synced_database_tables", &Shape::MapOf(&Shape::Any)),
]);

static DASHBOARD: Shape = Shape::Map(&[
    ("display_name", &Shape::Scalar),
    ("warehouse_id", &Shape::Scalar),
    ("parent_path", &Shape::Scalar),
    ("file_path", &Shape::Scalar),
    ("serialized_dashboard", &Shape::Any),
    ("embed_credentials", &Shape::Scalar),
    ("etag", &Shape::Scalar),
    ("dataset_catalog", &Shape::Scalar),
    ("dataset_schema", &Shape::Scalar),
    ("permissions", &Shape::SeqOf(&PERMISSION)),
]);

/// The pipeline resource (Lakeflow Spark Declarative Pipelines settings).
static PIPELINE: Shape = Shape::Map(&[
    ("name", &Shape::Scalar),
    ("catalog", &Shape::Scalar),
    ("schema", &Shape::Scalar),
    ("target", &Shape::Scalar),
    ("libraries", &Shape::SeqOf(&LIBRARY)),
    ("root_path", &Shape::Scalar),
    ("configuration", &Shape::MapOf(&Shape::Scalar)),
    ("channel", &Shape::Scalar),
    ("development", &Shape::Scalar),
    ("continuous", &Shape::Scalar),
    ("serverless", &Shape::Scalar),
    ("photon", &Shape::Scalar),
    ("edition", &Shape::Scalar),
    ("clusters", &Shape::SeqOf(&CLUSTER)),
    ("notifications", &Shape::SeqOf(&NOTIFICATION)),
    ("storage", &Shape::Scalar),
    ("allow_duplicate_names", &Shape::Scalar),
    ("budget_policy_id", &Shape::Scalar),
    ("dry_run", &Shape::Scalar),
    ("environment", &Shape::Any),
    (
        "event_log",
        &Shape::Map(&[
            ("name", &Shape::Scalar),
            ("catalog", &Shape::Scalar),
            ("schema", &Shape::Scalar),
        ]),
    ),
    ("filters", &Shape::Any),
    ("id", &Shape::Scalar),
    ("permissions", &Shape::SeqOf(&PERMISSION)),
    ("restart_window", &Shape::Any),
    ("run_as", &RUN_AS),
    ("tags", &Shape::MapOf(&Shape::Scalar)),
    ("trigger", &Shape::Any),
    ("deployment", &Shape::Any),
    ("gateway_definition", &Shape::Any),
    ("ingestion_definition", &Shape::Any),
]);

static LIBRARY: Shape = Shape::Map(&[
    ("file", &Shape::Map(&[("path", &Shape::Scalar)])),
    ("notebook", &Shape::Map(&[("path", &Shape::Scalar)])),
    ("glob", &Shape::Map(&[("include", &Shape::Scalar)])),
    ("jar", &Shape::Scalar),
    ("maven", &Shape::Any),
    ("whl", &Shape::Scalar),
]);

static CLUSTER: Shape = Shape::Map(&[
    ("label", &Shape::Scalar),
    ("num_workers", &Shape::Scalar),
    (
        "autoscale",
        &Shape::Map(&[
            ("min_workers", &Shape::Scalar),
            ("max_workers", &Shape::Scalar),
            ("mode", &Shape::Scalar),
        ]),
    ),
    ("node_type_id", &Shape::Scalar),
    ("driver_node_type_id", &Shape::Scalar),
    ("spark_conf", &Shape::MapOf(&Shape::Scalar)),
    ("spark_env_vars", &Shape::MapOf(&Shape::Scalar)),
    ("custom_tags", &Shape::MapOf(&Shape::Scalar)),
    ("policy_id", &Shape::Scalar),
    ("apply_policy_default_values", &Shape::Scalar),
    ("instance_pool_id", &Shape::Scalar),
    ("driver_instance_pool_id", &Shape::Scalar),
    ("aws_attributes", &Shape::Any),
    ("azure_attributes", &Shape::Any),
    ("gcp_attributes", &Shape::Any),
    ("cluster_log_conf", &Shape::Any),
    ("init_scripts", &Shape::Any),
    ("ssh_public_keys", &Shape::SeqOf(&Shape::Scalar)),
    ("enable_local_disk_encryption", &Shape::Scalar),
]);

static NOTIFICATION: Shape = Shape::Map(&[
    ("email_recipients", &Shape::SeqOf(&Shape::Scalar)),
    ("alerts", &Shape::SeqOf(&Shape::Scalar)),
]);

/// Check `node` against `shape`, reporting every unknown key (with the closest valid keys) and
/// every node of the wrong kind. `context` names the enclosing section for messages.
pub fn check(node: &Node, shape: &Shape, context: &str, out: &mut Diagnostics) {
    match (shape, &node.value) {
        (Shape::Any, _) => {}
        (_, Value::Scalar { .. }) if node.is_null() => {}
        (Shape::Scalar, Value::Scalar { .. }) => {}
        (Shape::ScalarOrSeq, Value::Scalar { .. }) => {}
        (Shape::ScalarOrSeq, Value::Seq(items)) => {
            for item in items {
                check(item, &Shape::Scalar, context, out);
            }
        }
        (Shape::Map(keys), Value::Map(entries)) => {
            for (key, value) in entries {
                match keys.iter().find(|(name, _)| *name == key.name) {
                    Some((_, inner)) => check(value, inner, &key.name, out),
                    None => {
                        let suggestions =
                            suggest::closest(&key.name, keys.iter().map(|(name, _)| *name));
                        let message = format!("unknown key `{}` in `{context}`", key.name);
                        let fallback = if suggestions.is_empty() {
                            let mut valid: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
                            valid.sort_unstable();
                            vec![format!("a valid key: {}", valid.join(", "))]
                        } else {
                            suggest::quoted(suggestions)
                        };
                        out.push(
                            Diagnostic::error(Some(key.location()), message)
                                .with_suggestions(fallback),
                        );
                    }
                }
            }
        }
        (Shape::MapOf(inner), Value::Map(entries)) => {
            for (key, value) in entries {
                check(value, inner, &key.name, out);
            }
        }
        (Shape::SeqOf(inner), Value::Seq(items)) => {
            for item in items {
                check(item, inner, context, out);
            }
        }
        (expected, _) => {
            let wanted = match expected {
                Shape::Scalar => "a value",
                Shape::Map(_) | Shape::MapOf(_) => "a mapping",
                Shape::SeqOf(_) => "a list",
                Shape::ScalarOrSeq => "a value or a list",
                Shape::Any => "anything",
            };
            out.error(
                Some(node.location()),
                format!("`{context}` must be {wanted}, found {}", node.kind()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::yaml;

    fn problems(text: &str) -> Vec<String> {
        let doc = yaml::parse("databricks.yml", text).unwrap();
        let mut out = Diagnostics::new();
        check(&doc, &ROOT, "databricks.yml", &mut out);
        out.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn test_unknown_pipeline_key_suggests_closest() {
        let text = "resources:\n  pipelines:\n    p:\n      catalgo: main\n";
        assert_eq!(
            problems(text),
            ["databricks.yml:4:7: error: unknown key `catalgo` in `p` (did you mean `catalog`?)"]
        );
    }

    #[test]
    fn test_wrong_kind_is_reported() {
        let text = "resources:\n  pipelines:\n    p:\n      libraries: src/a.py\n";
        assert_eq!(
            problems(text),
            ["databricks.yml:4:18: error: `libraries` must be a list, found a scalar"]
        );
    }

    #[test]
    fn test_all_problems_are_reported() {
        let text = "bundel:\n  name: x\ntargets:\n  dev:\n    mdoe: development\n";
        assert_eq!(problems(text).len(), 2);
    }
}
