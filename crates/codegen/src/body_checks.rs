//! What the spec asks of a request body that its Rust type cannot hold by itself, the list
//! limits (`maxItems`) and the shape of an email (`format: email`; typify keeps the length):
//! a `check_limits` method on each request body type that has any, which `send` calls before
//! anything is sent, so a body Losant would refuse never reaches it.

use heck::ToSnakeCase;
use quote::{format_ident, quote};
use syn::Item;

use crate::model::{Api, Body, Limit};
use crate::runtime_path;

/// `check_limits` for every request body type with such checks.
pub(crate) fn checks(api: &Api) -> Vec<Item> {
    let mut bodies: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter(|body| body.has_checks())
        .collect();
    bodies.sort_unstable_by(|a, b| a.schema.cmp(&b.schema));
    bodies.dedup_by(|a, b| a.schema == b.schema);
    bodies.into_iter().map(check).collect()
}

/// `check_limits` on the type of `body`.
fn check(body: &Body) -> Item {
    let (schema, limits) = (&body.schema, &body.limits);
    let summary = limits
        .iter()
        .map(|limit| format!("at most {} `{}`", limit.max, limit.name))
        .chain(
            body.emails
                .iter()
                .map(|(name, _)| format!("`{name}` an email address")),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        " Checks what the spec asks that the type cannot hold by itself: {summary}.\n\n\
         `send` calls it before sending, so a body Losant would refuse never reaches it.\n\n\
         # Errors\n\n\
         A message naming the first field that breaks its check."
    );
    let check_email = runtime_path("check_email");
    let emails = body.emails.iter().map(|(name, required)| {
        let field = format_ident!("{}", name.to_snake_case());
        match required {
            true => quote!(#check_email(#name, &self.#field)?;),
            false => quote! {
                if let Some(email) = &self.#field {
                    #check_email(#name, email)?;
                }
            },
        }
    });
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
                #(#emails)*
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
