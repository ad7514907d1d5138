//! Guards the generated client: the committed snapshot is the reviewed copy of the code users
//! compile, and this test fails whenever the spec or the generator changes without
//! `cargo xtask codegen`.

mod support;

use quote::ToTokens;
use syn::{Item, ItemMod};

fn generated() -> String {
    losant_invites_codegen::generate(&support::spec_text()).expect("the spec generates")
}

/// The items of the top-level module `name` of the generated file.
fn module<'a>(file: &'a syn::File, name: &str) -> &'a [Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(ItemMod {
                ident,
                content: Some((_, items)),
                ..
            }) if ident == name => Some(items.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the generated code has a `{name}` module"))
}

#[test]
fn generated_client_matches_the_reviewed_snapshot() {
    insta::assert_snapshot!("generated_client", generated());
}

#[test]
fn generated_source_says_it_is_generated() {
    assert!(generated().starts_with(losant_invites_codegen::GENERATED_NOTICE));
}

#[test]
fn no_generated_type_is_named_error() {
    let file = syn::parse_file(&generated()).expect("the generated code parses");
    let names: Vec<String> = module(&file, "types")
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        names.iter().any(|n| n == "ApiError"),
        "the error body is `ApiError`: {names:?}"
    );
    assert!(
        !names.iter().any(|n| n == "Error"),
        "`Error` would shadow the client's own: {names:?}"
    );
}

/// The path parameters of every operation that are Losant IDs, as `Builder.field` names.
fn spec_id_parameters() -> Vec<String> {
    use heck::{ToSnakeCase, ToUpperCamelCase};
    let spec: serde_json::Value =
        serde_yaml_ng::from_str(&support::spec_text()).expect("the spec is YAML");
    let parameters = &spec["components"]["parameters"];
    let mut found = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            for parameter in item["parameters"]
                .as_array()
                .into_iter()
                .chain(operation["parameters"].as_array())
                .flatten()
            {
                let parameter = match parameter["$ref"].as_str() {
                    Some(reference) => &parameters[reference.rsplit('/').next().unwrap()],
                    None => parameter,
                };
                if parameter["in"] == "path"
                    && parameter["schema"]["$ref"] == "#/components/schemas/LosantId"
                {
                    let name = parameter["name"].as_str().unwrap().to_snake_case();
                    found.push(format!("{}.{name}", id.to_upper_camel_case()));
                }
            }
        }
    }
    found.sort();
    found
}

/// Every ID parameter of every builder is the client's own `LosantId`, and no generated type
/// restates the ID's pattern.
#[test]
fn every_id_parameter_is_the_client_s_losant_id() {
    let file = syn::parse_file(&generated()).expect("the generated code parses");
    let wanted = spec_id_parameters();
    assert!(!wanted.is_empty());
    let mut found = Vec::new();
    for item in module(&file, "builder") {
        let Item::Struct(builder) = item else {
            continue;
        };
        for field in &builder.fields {
            let name = format!(
                "{}.{}",
                builder.ident,
                field
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
            if wanted.contains(&name) {
                let ty = field.ty.to_token_stream().to_string().replace(' ', "");
                assert_eq!(ty, "Result<crate::runtime::LosantId,String>", "{name}");
                found.push(name);
            }
        }
    }
    found.sort();
    assert_eq!(found, wanted);
    let id_patterns = module(&file, "types")
        .iter()
        .filter(|item| item.to_token_stream().to_string().contains("{24}"))
        .count();
    assert_eq!(id_patterns, 0, "no generated type restates the ID pattern");
}

/// Every action's `Client` method documents its scopes and carries a compiled example (the
/// client's doc tests compile it), and no uncompiled one is left.
#[test]
fn every_action_documents_its_scopes_and_a_compiled_example() {
    let source = generated();
    let operations = spec_operation_count();
    assert_eq!(source.matches("# Authentication").count(), operations);
    assert_eq!(source.matches("```no_run").count(), operations);
    assert!(!source.contains("```ignore"));
}

fn spec_operation_count() -> usize {
    let spec: serde_json::Value =
        serde_yaml_ng::from_str(&support::spec_text()).expect("the spec is YAML");
    spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter(|operation| operation["operationId"].is_string())
        .count()
}

/// The generated code reaches the client crate's own code through one door, `crate::runtime`,
/// so renaming any other module of the client cannot break it.
#[test]
fn generated_code_names_only_the_runtime_module_of_the_client() {
    let source = generated();
    let mut doors: Vec<&str> = source
        .match_indices("crate::")
        .map(|(at, _)| {
            let rest = &source[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    doors.sort_unstable();
    doors.dedup();
    // `crate::Error` appears only in doc links to the public error type.
    assert_eq!(doors, ["Error", "runtime"], "{doors:?}");
    for line in source.lines().filter(|line| line.contains("crate::Error")) {
        assert!(line.contains("[`Error`](crate::Error)"), "{line}");
    }
}
