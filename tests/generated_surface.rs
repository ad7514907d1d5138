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

#[test]
fn the_nine_id_parameters_share_the_client_s_losant_id() {
    let file = syn::parse_file(&generated()).expect("the generated code parses");
    let mut id_fields = Vec::new();
    for item in module(&file, "builder") {
        let Item::Struct(builder) = item else {
            continue;
        };
        for field in &builder.fields {
            let name = field
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            if ["instance_id", "org_id", "invite_id"].contains(&name.as_str()) {
                let ty = field.ty.to_token_stream().to_string().replace(' ', "");
                id_fields.push(format!("{}.{name}: {ty}", builder.ident));
            }
        }
    }
    assert_eq!(id_fields.len(), 9, "{id_fields:#?}");
    for field in &id_fields {
        assert!(
            field.ends_with(": Result<crate::runtime::LosantId,String>"),
            "{field}"
        );
    }
    let id_patterns = module(&file, "types")
        .iter()
        .filter(|item| item.to_token_stream().to_string().contains("{24}"))
        .count();
    assert_eq!(id_patterns, 0, "no generated type restates the ID pattern");
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
