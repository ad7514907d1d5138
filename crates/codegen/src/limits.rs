//! The list limits the spec sets (`maxItems`) that a Rust type cannot hold by itself: a
//! `check_limits` method on each request body type that has any, which `send` calls before
//! anything is sent, so an over-long list never reaches the server.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use quote::{format_ident, quote};
use syn::Item;

use crate::spec::{component_schema, operations, property_type_name, request_body_schema};
use crate::{CodegenError, problem};

/// Whether the object schema `name` has any array with a `maxItems`.
pub(crate) fn has_limits(spec: &OpenAPI, name: &str) -> Result<bool, CodegenError> {
    Ok(!limits(spec, name)?.is_empty())
}

/// A list property of a request body with a `maxItems`.
struct Limit {
    name: String,
    max: usize,
    /// An optional property of a named list type, which typify makes an `Option`: one not set
    /// is not sent, and so has no limit to check.
    optional: bool,
}

/// The list properties of the object schema `name` that carry `maxItems`: inline arrays, and
/// `$ref`s (plain or in a one-element `allOf`) to named arrays.
fn limits(spec: &OpenAPI, name: &str) -> Result<Vec<Limit>, CodegenError> {
    let schema =
        component_schema(spec, name).ok_or_else(|| problem(format!("no inline schema {name}")))?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Vec::new());
    };
    let max_items = |schema: &Schema| match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.max_items,
        _ => None,
    };
    Ok(object
        .properties
        .iter()
        .filter_map(|(property, schema)| {
            let (max, named) = match property_type_name(schema) {
                Some(named) => (max_items(component_schema(spec, named)?)?, true),
                None => match schema {
                    ReferenceOr::Item(schema) => (max_items(schema)?, false),
                    ReferenceOr::Reference { .. } => return None,
                },
            };
            Some(Limit {
                name: property.clone(),
                max,
                optional: named && !object.required.contains(property),
            })
        })
        .collect())
}

/// `check_limits` for every request body type whose arrays have a `maxItems`.
pub(crate) fn checks(spec: &OpenAPI) -> Result<Vec<Item>, CodegenError> {
    let mut bodies: Vec<&str> = operations(spec)
        .iter()
        .filter_map(|op| request_body_schema(spec, op.operation))
        .collect();
    bodies.sort_unstable();
    bodies.dedup();
    let mut items = Vec::new();
    for body in bodies {
        let limits = limits(spec, body)?;
        if limits.is_empty() {
            continue;
        }
        let summary = limits
            .iter()
            .map(|limit| format!("at most {} `{}`", limit.max, limit.name))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(
            " Checks the limits the spec sets that the type cannot hold by itself: {summary}.\n\n\
             `send` calls it before sending, so an over-long list never reaches the server.\n\n\
             # Errors\n\n\
             A message naming the first list over its limit."
        );
        let checks = limits.iter().map(
            |Limit {
                 name,
                 max,
                 optional,
             }| {
                let field = format_ident!("{}", name.to_snake_case());
                let list = match optional {
                    true => quote!(self.#field.as_ref()),
                    false => quote!(Some(&self.#field)),
                };
                quote! {
                    if let Some(list) = #list && list.len() > #max {
                        return Err(format!(
                            "{} holds {} items; at most {} are allowed",
                            #name,
                            list.len(),
                            #max,
                        ));
                    }
                }
            },
        );
        let ty = format_ident!("{body}");
        items.push(syn::parse_quote! {
            impl types::#ty {
                #[doc = #doc]
                pub fn check_limits(&self) -> Result<(), String> {
                    #(#checks)*
                    Ok(())
                }
            }
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_body_with_max_items_gets_a_check_naming_the_list() {
        let spec = crate::parse_spec(
            "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things:
    post:
      operationId: thing_create
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Thing:
      type: object
      properties:
        tags: {type: array, items: {type: string}, maxItems: 3}
        labels: {allOf: [$ref: '#/components/schemas/Labels']}
        name: {type: string}
    Labels: {type: array, items: {type: string}, maxItems: 5}
",
        )
        .unwrap();
        let items = super::checks(&spec).unwrap();
        assert_eq!(items.len(), 1);
        let text = quote::ToTokens::to_token_stream(&items[0]).to_string();
        assert!(text.contains("impl types :: Thing"), "{text}");
        assert!(
            text.contains("if let Some (list) = Some (& self . tags)"),
            "{text}"
        );
        assert!(
            text.contains("if let Some (list) = self . labels . as_ref ()"),
            "{text}"
        );
        assert!(
            text.contains("& self . tags) && list . len () > 3usize"),
            "{text}"
        );
        assert!(
            text.contains("as_ref () && list . len () > 5usize"),
            "{text}"
        );
        assert!(!text.contains("self . name"), "{text}");
    }
}
