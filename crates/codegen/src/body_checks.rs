//! What the spec asks of a request body that its Rust type cannot hold by itself, the list
//! limits (`maxItems`) and the shape of an email (`format: email`; typify keeps the length):
//! a `check_limits` method on each request body type that has any, which `send` calls before
//! anything is sent, so a body Losant would refuse never reaches it.

use heck::ToSnakeCase;
use quote::{format_ident, quote};
use syn::Item;

use crate::error::CodegenError;
use crate::model::{Api, Body, Limit, Object};
use crate::progenitor_shape::{changed, enum_variants};
use crate::runtime_path;

/// `check_limits` for every request body type with such checks: an object body's own, and
/// for a `oneOf` body one on each alternative with checks and one on the enum that checks the
/// alternative it holds.
pub(crate) fn checks(file: &mut syn::File, api: &Api) -> Result<Vec<Item>, CodegenError> {
    let mut bodies: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter(|body| body.has_checks())
        .collect();
    bodies.sort_unstable_by(|a, b| a.schema.cmp(&b.schema));
    bodies.dedup_by(|a, b| a.schema == b.schema);
    let mut items = Vec::new();
    for body in bodies {
        if body.is_one_of() {
            items.extend(body.variants.iter().filter(|v| v.has_checks()).map(check));
            let variants = enum_variants(file, &body.schema)?;
            items.push(check_alternatives(body, &variants)?);
        } else {
            items.push(check(&body.object));
        }
    }
    Ok(items)
}

/// `check_limits` on the enum of a `oneOf` body: the check of the alternative it holds.
/// `variants` are typify's variants of the enum, by the component each holds.
fn check_alternatives(
    body: &Body,
    variants: &[(String, syn::Ident)],
) -> Result<Item, CodegenError> {
    let ty = format_ident!("{}", body.schema);
    let mut arms = Vec::new();
    for variant in &body.variants {
        let name = variants
            .iter()
            .find(|(held, _)| *held == variant.schema)
            .map(|(_, name)| name)
            .ok_or_else(|| {
                changed(format_args!(
                    "a variant of `enum {}` holding `{}`",
                    body.schema, variant.schema
                ))
            })?;
        arms.push(match variant.has_checks() {
            true => quote!(Self::#name(alternative) => alternative.check_limits(),),
            false => quote!(Self::#name(_) => Ok(()),),
        });
    }
    let doc = " Checks what the spec asks of the alternative it holds that its type cannot hold \
               by itself.\n\n`send` calls it before sending, so a body Losant would refuse \
               never reaches it.\n\n# Errors\n\nA message naming the first field that breaks \
               its check.";
    Ok(syn::parse_quote! {
        impl types::#ty {
            #[doc = #doc]
            pub fn check_limits(&self) -> Result<(), String> {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}

/// `check_limits` on the type of the object `body`.
fn check(body: &Object) -> Item {
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
        let mut file: syn::File = syn::parse_quote!(
            mod types {}
        );
        let items = super::checks(&mut file, &api).unwrap();
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

    /// A `oneOf` body gets a check on each alternative that has one, and on its enum one that
    /// checks the alternative held, by typify's names of the variants.
    #[test]
    fn a_one_of_body_checks_the_alternative_it_holds() {
        let spec = "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things:
    post:
      operationId: thing_post
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            example: {id: abc}
      responses:
        '201': {description: ok}
components:
  schemas:
    Thing:
      oneOf:
        - $ref: '#/components/schemas/ThingById'
        - $ref: '#/components/schemas/ThingByEmail'
    ThingById:
      type: object
      properties: {id: {type: string}}
      required: [id]
      additionalProperties: false
    ThingByEmail:
      type: object
      properties: {email: {type: string, format: email}}
      required: [email]
      additionalProperties: false
";
        let source = crate::generate(spec).unwrap();
        assert!(source.contains("impl types::ThingByEmail {"), "{source}");
        assert!(!source.contains("impl types::ThingById {"), "{source}");
        assert!(
            source.contains("Self::Email(alternative) => alternative.check_limits(),")
                && source.contains("Self::Id(_) => Ok(()),"),
            "{source}"
        );
        assert!(
            source.contains("Ok(body) => body.check_limits(),"),
            "{source}"
        );
        // A missing variant is progenitor's output changing shape, said loudly.
        let api = crate::model::of(spec);
        let mut file: syn::File = syn::parse_quote!(
            mod types {
                pub enum Thing {
                    Email(ThingByEmail),
                }
            }
        );
        let Err(error) = super::checks(&mut file, &api) else {
            panic!("a missing variant is an error")
        };
        let error = error.to_string();
        assert!(error.contains("holding `ThingById`"), "{error}");
    }
}
