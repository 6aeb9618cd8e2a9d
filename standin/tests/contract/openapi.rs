//! Reading the official OpenAPI files (vendored in `upstream/spec/`) as JSON Schemas.
//!
//! OpenAPI 3.0 schemas are almost JSON Schema draft 4; the differences handled here:
//! `$ref`s across YAML files are inlined, `nullable: true` becomes a `"null"` type, and the
//! spec's invalid `type: enum` (on `File.type`) is dropped so its `enum` still applies.

use serde_json::{Map, Value};
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

/// One vendored spec tree.
pub struct Spec {
    root: PathBuf,
    /// Where files missing from `root` are read (newer fragments refer to master's schemas).
    fallback: Option<PathBuf>,
    files: HashMap<PathBuf, Value>,
}

impl Spec {
    /// The 4.92.0 master snapshot, the most complete spec.
    pub fn master() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../upstream/spec/apidocs-master-4.92.0");
        Self { root, fallback: None, files: HashMap::new() }
    }

    /// The 2025 admin fragments (`swagger-admin.yaml`, `v1-admin/…`); the shared schemas they
    /// refer to and that this tree lacks (`schema/post.yaml`, `global/error.yaml`…) come from master.
    pub fn admin() -> Self {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../upstream/spec");
        Self {
            root: spec.join("apidocs-index-newer"),
            fallback: Some(spec.join("apidocs-master-4.92.0")),
            files: HashMap::new(),
        }
    }

    /// The operation `method` of the path item at `file#pointer` (e.g. the admin fragment
    /// `v1-admin/contents/index.yaml`, `/flags`), if declared.
    pub fn fragment_operation(&mut self, file: &str, pointer: &str, method: &str) -> Option<Value> {
        let item = self.file(Path::new(file)).pointer(pointer)?.clone();
        let item = self.resolve(&item, Path::new(file), 0);
        item.get(method.to_lowercase()).cloned()
    }

    /// The JSON schema of the `status` response of an operation from [`Self::fragment_operation`].
    pub fn fragment_response_schema(
        &mut self,
        file: &str,
        pointer: &str,
        method: &str,
        status: &str,
    ) -> Value {
        let operation = self
            .fragment_operation(file, pointer, method)
            .unwrap_or_else(|| panic!("{file}#{pointer} has no {method}"));
        let schema = operation["responses"][status]["content"]["application/json"]["schema"].clone();
        assert!(schema.is_object(), "{file}#{pointer} {method} {status} has no JSON schema");
        schema
    }

    /// The console-only admin API removed from the spec in 2024-05 (`v1/admin/`), the only
    /// official schema of the admin-token answer.
    pub fn console_admin() -> Self {
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../upstream/spec/apidocs-pre-2024-05-console-admin");
        Self { root, fallback: None, files: HashMap::new() }
    }

    fn file(&mut self, relative: &Path) -> &Value {
        let mut path = self.root.join(relative);
        if !path.exists()
            && let Some(fallback) = &self.fallback
        {
            path = fallback.join(relative);
        }
        self.files.entry(relative.to_path_buf()).or_insert_with(|| {
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            // Through a YAML value: newer fragments key responses by bare integers (`200:`),
            // which serde_json writes as string keys.
            let yaml: serde_yaml::Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
            serde_json::to_value(yaml).unwrap_or_else(|e| panic!("converting {}: {e}", path.display()))
        })
    }

    /// Whether `swagger.yaml` declares `method path` (path in spec form, `/api/v3/users/{userId}`).
    pub fn has_operation(&mut self, method: &str, path: &str) -> bool {
        let doc = self.file(Path::new("swagger.yaml"));
        doc["paths"][path][method.to_lowercase()].is_object()
    }

    /// The JSON schema of the `status` response of `method path`.
    pub fn response_schema(&mut self, method: &str, path: &str, status: &str) -> Value {
        let doc = self.file(Path::new("swagger.yaml")).clone();
        let response = &doc["paths"][path][method.to_lowercase()]["responses"][status];
        assert!(!response.is_null(), "the spec has no {status} response for {method} {path}");
        let resolved = self.resolve(response, Path::new("swagger.yaml"), 0);
        let schema = resolved["content"]["application/json"]["schema"].clone();
        assert!(schema.is_object(), "{method} {path} {status} has no JSON schema");
        schema
    }

    /// The schema at `file#pointer`, e.g. (`global/error.yaml`, `/Error`).
    pub fn schema(&mut self, file: &str, pointer: &str) -> Value {
        let node = self
            .file(Path::new(file))
            .pointer(pointer)
            .cloned()
            .unwrap_or_else(|| panic!("{file}#{pointer} missing"));
        self.resolve(&node, Path::new(file), 0)
    }

    fn resolve(&mut self, value: &Value, base: &Path, depth: usize) -> Value {
        assert!(depth < 40, "$ref nesting too deep at {}", base.display());
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let (file, pointer) = reference.split_once('#').unwrap_or((reference.as_str(), ""));
                    let target_file = if file.is_empty() {
                        base.to_path_buf()
                    } else {
                        normalize(&base.parent().unwrap_or(Path::new("")).join(file))
                    };
                    let target =
                        self.file(&target_file).pointer(pointer).cloned().unwrap_or_else(|| {
                            panic!("unresolvable $ref {reference} from {}", base.display())
                        });
                    return self.resolve(&target, &target_file, depth + 1);
                }
                let mut out = Map::new();
                for (key, child) in map {
                    if matches!(key.as_str(), "example" | "examples") {
                        continue;
                    }
                    out.insert(key.clone(), self.resolve(child, base, depth + 1));
                }
                if out.get("type") == Some(&Value::String("enum".into())) {
                    out.remove("type");
                }
                if out.get("nullable") == Some(&Value::Bool(true))
                    && let Some(Value::String(kind)) = out.get("type").cloned()
                {
                    out.insert(
                        "type".into(),
                        Value::Array(vec![Value::String(kind), Value::String("null".into())]),
                    );
                }
                out.remove("nullable");
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.resolve(v, base, depth + 1)).collect())
            }
            other => other.clone(),
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Validates `instance` against `schema` (draft 4, formats checked); returns readable errors.
pub fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("the spec schema does not compile: {e}"));
    validator.iter_errors(instance).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Fields of `instance` that the schema does not declare (the spec never sets
/// `additionalProperties: false`, so validation alone would not catch invented fields).
/// `allowed_extras` lists documented fields the 4.92.0 schema lacks.
pub fn undeclared_fields(schema: &Value, instance: &Value, allowed_extras: &[&str], at: &str) -> Vec<String> {
    let mut found = Vec::new();
    match (schema, instance) {
        (Value::Object(schema), Value::Object(object)) => {
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (key, value) in object {
                    match properties.get(key) {
                        Some(property) => found.extend(undeclared_fields(
                            property,
                            value,
                            allowed_extras,
                            &format!("{at}/{key}"),
                        )),
                        None if allowed_extras.contains(&key.as_str()) => {}
                        None => found.push(format!("{at}/{key}")),
                    }
                }
            }
        }
        (Value::Object(schema), Value::Array(items)) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    found.extend(undeclared_fields(item_schema, item, allowed_extras, &format!("{at}/{i}")));
                }
            }
        }
        _ => {}
    }
    found
}
