//! Each generated type's JSON Schema agrees with the spec's schema of the same name, so a type
//! cannot quietly lose a property, a required field or an enum value in generation.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The generated types' schemas, keyed by the component they come from, as generation lists
/// them for every component of the spec.
fn generated() -> BTreeMap<&'static str, Value> {
    losant_invites_client::__component_schemas()
        .into_iter()
        .map(|(name, schema)| {
            (
                name,
                serde_json::to_value(schema).expect("a schema is JSON"),
            )
        })
        .collect()
}

fn spec_components() -> BTreeMap<String, Value> {
    let spec: Value = serde_yaml_ng::from_str(&support::spec_text()).expect("the spec is YAML");
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("the spec has schemas");
    schemas
        .iter()
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// Follows a local `$ref`, in the spec (`#/components/schemas/X`) or in a schemars schema
/// (`#/definitions/X`).
fn resolve<'a>(schema: &'a Value, root: &'a Value, spec: &'a BTreeMap<String, Value>) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            match reference.strip_prefix("#/definitions/") {
                Some(_) => &root["definitions"][name],
                None => &spec[name],
            }
        }
        None => schema,
    }
}

fn keys(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.to_string())
        .collect()
}

/// The enum values of a schema, or of the item schema of an array.
fn enum_values(schema: &Value, root: &Value, spec: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let schema = resolve(schema, root, spec);
    // schemars wraps a reference with a description in `allOf`, an optional value in `anyOf`;
    // a role as Losant reports it is `oneOf` a known and an unknown role.
    for wrapper in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = schema[wrapper].as_array() {
            return parts
                .iter()
                .flat_map(|part| enum_values(part, root, spec))
                .collect();
        }
    }
    match schema.get("items") {
        Some(items) => enum_values(items, root, spec),
        None => strings(&schema["enum"]),
    }
}

#[test]
fn generated_schemas_agree_with_the_spec() {
    let spec = spec_components();
    let empty = BTreeMap::new();
    for (name, root) in generated() {
        let want = &spec[name];
        assert_eq!(keys(&root), keys(want), "{name}: property names");
        assert_eq!(
            strings(&root["required"]),
            strings(&want["required"]),
            "{name}: required"
        );
        assert_eq!(
            enum_values(&root, &root, &empty),
            enum_values(want, want, &spec),
            "{name}: enum values"
        );
        for property in keys(want) {
            let generated_enum = enum_values(&root["properties"][&property], &root, &empty);
            let spec_enum = enum_values(&want["properties"][&property], want, &spec);
            if (name, property.as_str()) == ("Success", "success") {
                // typify renders the one-value boolean enum `[true]` as a plain `bool`.
                assert_eq!(spec_enum, BTreeSet::from(["true".to_owned()]));
                assert!(generated_enum.is_empty());
                continue;
            }
            assert_eq!(generated_enum, spec_enum, "{name}.{property}: enum values");
        }
    }
}
