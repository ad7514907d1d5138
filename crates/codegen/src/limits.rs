//! The list limits the spec sets (`maxItems`) that a Rust type cannot hold by itself: a
//! `check_limits` method on each request body type that has any, which `send` calls before
//! anything is sent, so an over-long list never reaches the server.

use heck::ToSnakeCase;
use quote::{format_ident, quote};
use syn::Item;

use crate::model::{Api, Limit};

/// `check_limits` for every request body type whose arrays have a `maxItems`.
pub(crate) fn checks(api: &Api) -> Vec<Item> {
    let mut bodies: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter(|body| !body.limits.is_empty())
        .collect();
    bodies.sort_unstable_by(|a, b| a.schema.cmp(&b.schema));
    bodies.dedup_by(|a, b| a.schema == b.schema);
    bodies
        .into_iter()
        .map(|body| check(&body.schema, &body.limits))
        .collect()
}

/// `check_limits` on the body type `schema`.
fn check(schema: &str, limits: &[Limit]) -> Item {
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
    let ty = format_ident!("{schema}");
    syn::parse_quote! {
        impl types::#ty {
            #[doc = #doc]
            pub fn check_limits(&self) -> Result<(), String> {
                #(#checks)*
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_body_with_max_items_gets_a_check_naming_the_list() {
        let api = crate::model::of(
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
        );
        let items = super::checks(&api);
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
