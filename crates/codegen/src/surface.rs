//! Shapes progenitor's output into the surface users call, from what the spec says.
//!
//! progenitor gives each action a builder whose `send` answers progenitor's own error type, and
//! enforces no array limits. This pass keeps progenitor's request code and adds, per action and
//! derived from the spec only:
//!
//! - a `send` that answers `crate::Error` (the client crate's error type) and checks the
//!   request body's limits before anything is sent; progenitor's `send` stays as the private
//!   `send_generated`, which takes the call's state and sends through the client crate's
//!   `Client::send_attempts` instead of the `exec` hook;
//! - a compiled example in the docs of each `Client` method, from the spec's parameter and body
//!   examples, in place of progenitor's uncompiled one;
//! - `check_limits` on each request body type, from the spec's `maxItems`;
//! - the request URL written in one go, with the query parameters the spec gives defaults for
//!   (see [`crate::url`]).
//!
//! It also escapes `gen`, which typify emits as a plain identifier but edition 2024 reserves,
//! drops the `api-version` header progenitor sends, which Losant does not read, checks simple
//! string patterns without a regex engine (see [`crate::pattern`]) and skips two copies per
//! request (see [`crate::lean`]).

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{ImplItem, Item, ItemImpl, Visibility};

use crate::CodegenError;
use crate::spec::{
    SpecOperation, component_schema, operations, parameter_schema, referenced_name,
    request_body_schema,
};

/// The crate the generated code is compiled into, as doc examples name it.
const CLIENT_CRATE: &str = "losant_invites_client";

pub(crate) fn problem(message: impl Into<String>) -> CodegenError {
    CodegenError::Surface(message.into())
}

/// Applies every step of the pass to the generated `file`.
pub(crate) fn shape(file: &mut syn::File, spec: &OpenAPI) -> Result<(), CodegenError> {
    RawKeywords.visit_file_mut(file);
    NoApiVersionHeader.visit_file_mut(file);
    crate::pattern::DirectPatterns.visit_file_mut(file);
    crate::lean::Lean.visit_file_mut(file);
    for op in operations(spec) {
        let id = op
            .operation
            .operation_id
            .as_deref()
            .ok_or_else(|| problem("every operation needs an operationId"))?;
        wrap_send(file, spec, &op, id)?;
        document_example(file, spec, &op, id)?;
    }
    crate::url::import_segment(module_items(file, "builder")?);
    seal_constructors(file)?;
    // progenitor's `prelude` holds only `Client`, which the client crate exports itself.
    file.items
        .retain(|item| !matches!(item, Item::Mod(module) if module.ident == "prelude"));
    file.items.extend(limit_checks(spec)?);
    Ok(())
}

/// Drops progenitor's `Client::new`, which panics when the HTTP client cannot be built, and
/// keeps `new_with_client` for the crate's own builder: users construct a `Client` through the
/// builder, which validates the configuration and returns errors instead.
fn seal_constructors(file: &mut syn::File) -> Result<(), CodegenError> {
    let block = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() && is_impl_of(block, "Client") => {
                Some(block)
            }
            _ => None,
        })
        .ok_or_else(|| problem("progenitor emitted no `impl Client`"))?;
    block
        .items
        .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
    for item in &mut block.items {
        if let ImplItem::Fn(f) = item
            && f.sig.ident == "new_with_client"
        {
            f.vis = syn::parse_quote!(pub(crate));
        }
    }
    Ok(())
}

/// Removes the `api-version` header progenitor adds to every request: Losant reads the API
/// version from `Accept-Version`, which the client crate's hooks send.
struct NoApiVersionHeader;

impl VisitMut for NoApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| {
            !quote::ToTokens::to_token_stream(stmt)
                .to_string()
                .contains("\"api-version\"")
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// Escapes identifiers that later editions reserve.
struct RawKeywords;

impl VisitMut for RawKeywords {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}

/// Losant's name of an action: the operationId with its first `_` read as the dot, so
/// `instanceOrgInvite_get` is `instanceOrgInvite.get`.
pub(crate) fn action_name(operation_id: &str) -> String {
    operation_id.replacen('_', ".", 1)
}

/// The items of the generated module `name`.
fn module_items<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Result<&'a mut Vec<Item>, CodegenError> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == name => {
                module.content.as_mut().map(|(_, items)| items)
            }
            _ => None,
        })
        .ok_or_else(|| problem(format!("progenitor emitted no `{name}` module")))
}

fn is_impl_of(item: &ItemImpl, name: &str) -> bool {
    matches!(&*item.self_ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Renames the builder's `send` to a private `send_generated` and adds the public `send`.
fn wrap_send(
    file: &mut syn::File,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    id: &str,
) -> Result<(), CodegenError> {
    let builder = id.to_upper_camel_case();
    let action = action_name(id);
    let items = module_items(file, "builder")?;
    let block = items
        .iter_mut()
        .find_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() && is_impl_of(block, &builder) => {
                Some(block)
            }
            _ => None,
        })
        .ok_or_else(|| problem(format!("no builder `{builder}` for {id}")))?;
    let send = block
        .items
        .iter_mut()
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
        .ok_or_else(|| problem(format!("builder `{builder}` has no `send`")))?;
    crate::url::write_url(send, spec, op, id)?;
    send.sig.ident = format_ident!("send_generated");
    send.vis = Visibility::Inherited;
    send.sig
        .inputs
        .push(syn::parse_quote!(call: &crate::call::Call));
    let mut attempts = SendThroughCall { found: 0 };
    attempts.visit_block_mut(&mut send.block);
    if attempts.found != 1 {
        return Err(problem(format!(
            "{id}: expected one `client.exec(request, &info)` in progenitor's `send`, found {}",
            attempts.found
        )));
    }
    let answer = success_type(&send.sig.output)
        .ok_or_else(|| problem(format!("{id}: unexpected `send` signature")))?;

    let body_check = match request_body_schema(spec, op.operation) {
        Some(schema) if !limits(spec, schema)?.is_empty() => {
            let schema = format_ident!("{schema}");
            quote! {
                if let Ok(body) = &self.body {
                    if let Ok(body) = types::#schema::try_from(body.clone()) {
                        body.check_limits().map_err(Error::InvalidRequest)?;
                    }
                }
            }
        }
        _ => TokenStream::new(),
    };
    let doc = format!(
        " Sends the `{action}` request and decodes Losant's answer.\n\n\
         Input is checked first: when it is invalid, nothing is sent.\n\n\
         # Errors\n\n\
         A [`crate::Error`] that tells apart invalid input, a transport failure, a timeout, an \
         error answer from Losant (with its `type` and `message`) and an answer that could not \
         be decoded."
    );
    let wrapper: ImplItem = syn::parse_quote! {
        #[doc = #doc]
        pub async fn send(self) -> Result<#answer, crate::Error> {
            let call = &crate::call::Call::new(#action);
            crate::call::run(self.client, call, ::std::boxed::Box::pin(async move {
                #body_check
                self.send_generated(call).await
            }))
            .await
        }
    };
    block.items.push(wrapper);
    Ok(())
}

/// Sends each request through the client crate's `Client::send_attempts` with its URL text
/// (kept by [`crate::url`] for retries) and the call's state, where progenitor calls its
/// `exec` hook: the attempts and retries record what the call's error will need in that
/// state, passed down explicitly rather than through a task-local, which would cost a swap on
/// every poll.
struct SendThroughCall {
    found: usize,
}

impl VisitMut for SendThroughCall {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let receiver_is_client =
            matches!(&*call.receiver, syn::Expr::Path(path) if path.path.is_ident("client"));
        if call.method == "exec" && receiver_is_client && call.args.len() == 2 {
            self.found += 1;
            call.method = format_ident!("send_attempts");
            call.args.pop();
            call.args.push(syn::parse_quote!(&url));
            call.args.push(syn::parse_quote!(call));
        }
    }
}

/// `ResponseValue<T>` out of `-> Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = &**ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    }
}

/// Replaces progenitor's uncompiled example in the docs of the `Client` method by a compiled
/// one built from the spec's examples.
fn document_example(
    file: &mut syn::File,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    id: &str,
) -> Result<(), CodegenError> {
    let method = id.to_snake_case();
    let example = example(spec, op, &method)?;
    let function = file
        .items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() && is_impl_of(block, "Client") => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == method.as_str() => Some(f),
            _ => None,
        })
        .ok_or_else(|| problem(format!("`Client` has no method `{method}`")))?;
    let doc = function
        .attrs
        .iter_mut()
        .find(|attr| attr.path().is_ident("doc"))
        .ok_or_else(|| problem(format!("`Client::{method}` has no docs")))?;
    let syn::Meta::NameValue(syn::MetaNameValue {
        value: syn::Expr::Lit(lit),
        ..
    }) = &mut doc.meta
    else {
        return Err(problem(format!("`Client::{method}` docs are not a string")));
    };
    let syn::Lit::Str(text) = &lit.lit else {
        return Err(problem(format!("`Client::{method}` docs are not a string")));
    };
    let text = text.value();
    let kept = text.split("```ignore").next().unwrap_or(&text).trim_end();
    lit.lit = syn::Lit::Str(syn::LitStr::new(
        &format!("{kept}\n\n# Example\n\n{example}"),
        Span::call_site(),
    ));
    Ok(())
}

/// A compiled example of the action: its required parameters and body from the spec's examples.
fn example(spec: &OpenAPI, op: &SpecOperation<'_>, method: &str) -> Result<String, CodegenError> {
    let mut calls = String::new();
    for parameter in &op.parameters {
        let data = parameter.parameter_data_ref();
        if !data.required {
            continue;
        }
        let value = data
            .example
            .clone()
            .or_else(|| {
                parameter_schema(spec, parameter)?
                    .schema_data
                    .example
                    .clone()
            })
            .ok_or_else(|| problem(format!("{method}: parameter {} has no example", data.name)))?;
        calls.push_str(&format!("    .{}({value})\n", data.name.to_snake_case()));
    }
    if let Some(schema) = request_body_schema(spec, op.operation) {
        calls.push_str(&format!("    .body({})\n", body_example(spec, op, schema)?));
    }
    let answer = op
        .operation
        .responses
        .responses
        .iter()
        .find(|(status, _)| status.to_string().starts_with('2'))
        .and_then(|(_, response)| match response {
            ReferenceOr::Item(response) => {
                response.content.get("application/json")?.schema.as_ref()
            }
            ReferenceOr::Reference { .. } => None,
        })
        .and_then(referenced_name)
        .map(|name| {
            name.to_snake_case()
                .rsplit('_')
                .next()
                .unwrap_or("answer")
                .to_owned()
        })
        .unwrap_or_else(|| "answer".to_owned());
    Ok(format!(
        "```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         # use {CLIENT_CRATE}::{{Client, types}};\n\
         let client = Client::builder().token(std::env::var(\"LOSANT_API_TOKEN\")?).build()?;\n\
         let {answer} = client\n    .{method}()\n{calls}    .send()\n    .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ))
}

/// The Rust expression building the body example: a struct literal of the body type, with
/// enum-valued fields from the spec's example.
fn body_example(
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    schema_name: &str,
) -> Result<String, CodegenError> {
    let unsupported = |what: &str| {
        problem(format!(
            "{schema_name}: cannot render the body example: {what}"
        ))
    };
    let from_body = op
        .operation
        .request_body
        .as_ref()
        .and_then(|body| match body {
            ReferenceOr::Item(body) => body.content.get("application/json")?.example.clone(),
            ReferenceOr::Reference { .. } => None,
        });
    let schema = component_schema(spec, schema_name)
        .ok_or_else(|| unsupported("the schema is not inline"))?;
    let example = from_body
        .or_else(|| schema.schema_data.example.clone())
        .ok_or_else(|| unsupported("no example"))?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err(unsupported("not an object"));
    };
    let serde_json::Value::Object(fields) = example else {
        return Err(unsupported("the example is not an object"));
    };
    let mut parts = Vec::new();
    for (name, value) in fields {
        let property = object
            .properties
            .get(&name)
            .ok_or_else(|| unsupported(&format!("{name} is not a property")))?;
        let enum_name = referenced_name(property)
            .ok_or_else(|| unsupported(&format!("{name} is not a named enum")))?;
        let value = value
            .as_str()
            .ok_or_else(|| unsupported(&format!("{name} is not a string")))?;
        let variant = format!("types::{enum_name}::{}", value.to_upper_camel_case());
        let variant = if object.required.contains(&name) {
            variant
        } else {
            format!("Some({variant})")
        };
        parts.push(format!("{}: {variant}", name.to_snake_case()));
    }
    Ok(format!(
        "types::{schema_name} {{ {}, ..Default::default() }}",
        parts.join(", ")
    ))
}

/// The array properties of the object schema `name` that carry `maxItems`, as (name, limit).
fn limits(spec: &OpenAPI, name: &str) -> Result<Vec<(String, usize)>, CodegenError> {
    let schema =
        component_schema(spec, name).ok_or_else(|| problem(format!("no inline schema {name}")))?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Ok(Vec::new());
    };
    Ok(object
        .properties
        .iter()
        .filter_map(|(property, schema)| match schema {
            ReferenceOr::Item(schema) => match &schema.schema_kind {
                SchemaKind::Type(Type::Array(array)) => {
                    array.max_items.map(|max| (property.clone(), max))
                }
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        })
        .collect())
}

/// `check_limits` for every request body type whose arrays have a `maxItems`.
fn limit_checks(spec: &OpenAPI) -> Result<Vec<Item>, CodegenError> {
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
            .map(|(name, max)| format!("at most {max} `{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(
            " Checks the limits the spec sets that the type cannot hold by itself: {summary}.\n\n\
             `send` calls it before sending, so an over-long list never reaches the server.\n\n\
             # Errors\n\n\
             A message naming the first list over its limit."
        );
        let checks = limits.iter().map(|(name, max)| {
            let field = format_ident!("{}", name.to_snake_case());
            quote! {
                if self.#field.len() > #max {
                    return Err(format!(
                        "{} holds {} items; at most {} are allowed",
                        #name,
                        self.#field.len(),
                        #max,
                    ));
                }
            }
        });
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
