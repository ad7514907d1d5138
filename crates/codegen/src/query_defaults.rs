//! The query parameters Losant's own clients send on every call (`_actions=false`,
//! `_links=true`, `_embedded=true`) are sent by this client too, from the defaults the spec
//! gives them, unless the caller sets another value; and in the URL's one `format!`.
//!
//! progenitor leaves an unset optional parameter off the wire, and adds each query parameter
//! with its own `RequestBuilder::query` call, which re-serializes the URL each time (three
//! times a request here, a measurable share of the client's cost over raw reqwest; see the
//! README's Performance section). This pass drops those calls for the defaulted parameters and
//! writes them, in the spec's order, into progenitor's `let url = format!(..)`, each as the
//! caller set it or else its default. Parameters without a default stay as progenitor sends
//! them.

use heck::ToSnakeCase;
use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Expr;
use syn::visit_mut::VisitMut;

use crate::progenitor_shape::{builder_impl, changed, edit_url_format, method};
use crate::spec::{OperationNames, SpecOperation, query_default};
use crate::{CodegenError, problem};

/// Writes each defaulted query parameter of the operation into its URL.
pub(crate) fn write(
    file: &mut syn::File,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    names: &OperationNames,
) -> Result<(), CodegenError> {
    let defaults = defaulted_query(spec, op, names)?;
    if defaults.is_empty() {
        return Ok(());
    }
    let builder = &names.builder;
    let send = method(builder_impl(file, builder)?, builder, "send")?;
    let mut dropped = DropQueryCalls {
        names: defaults.iter().map(|(name, _)| name.clone()).collect(),
        found: Vec::new(),
    };
    dropped.visit_block_mut(&mut send.block);
    let mut query = String::new();
    let mut values = Vec::new();
    for (name, default) in &defaults {
        if !dropped.found.contains(name) {
            return Err(changed(format_args!(
                "`.query(&progenitor_client::QueryParam::new({name:?}, &{}))` in `{builder}::send`",
                name.to_snake_case()
            )));
        }
        query.push(if query.is_empty() { '?' } else { '&' });
        // Checked by `defaulted_query`: a name holds nothing to encode, and no `{` or `}`.
        query.push_str(name);
        query.push_str("={}");
        let variable = format_ident!("{}", name.to_snake_case());
        values.push(quote!(#variable.unwrap_or(#default)));
    }
    edit_url_format(send, builder, |arguments| {
        if let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) = arguments.first_mut()
        {
            *template = syn::LitStr::new(&(template.value() + &query), template.span());
        }
        for value in values {
            arguments.push(syn::parse_quote!(#value));
        }
    })
}

/// The query parameters of `op` that have a default, as (name, default literal).
///
/// A boolean or an integer default is a Rust literal as it is; the spec has no other kind,
/// and one would need thought about its encoding, so it is refused rather than sent wrong.
fn defaulted_query(
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    names: &OperationNames,
) -> Result<Vec<(String, TokenStream)>, CodegenError> {
    let mut found = Vec::new();
    for parameter in &op.parameters {
        let Some(default) = query_default(spec, parameter) else {
            continue;
        };
        let name = &parameter.parameter_data_ref().name;
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(problem(format!(
                "{}: query parameter {name:?} would need encoding in the URL",
                names.id
            )));
        }
        let literal = match default {
            serde_json::Value::Bool(flag) => quote!(#flag),
            serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => number
                .to_string()
                .parse()
                .map_err(|_| problem(format!("{}: default {number} of {name}", names.id)))?,
            other => {
                return Err(problem(format!(
                    "{}: default {other} of query parameter {name} is not a boolean or an integer",
                    names.id
                )));
            }
        };
        found.push((name.clone(), literal));
    }
    Ok(found)
}

/// Drops progenitor's `.query(..)` calls for the parameters `names`, noting which it found.
struct DropQueryCalls {
    names: Vec<String>,
    found: Vec<String>,
}

impl VisitMut for DropQueryCalls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some(name) = query_param_name(&call.args[0]) else {
            return;
        };
        if self.names.contains(&name) {
            self.found.push(name);
            *expr = (*call.receiver).clone();
        }
    }
}

/// `name` out of `&progenitor_client::QueryParam::new("name", &variable)`.
fn query_param_name(argument: &Expr) -> Option<String> {
    let Expr::Reference(reference) = argument else {
        return None;
    };
    let Expr::Call(call) = &*reference.expr else {
        return None;
    };
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    let mut segments = function.path.segments.iter().rev().map(|s| &s.ident);
    let is_query_param = segments.next().is_some_and(|s| s == "new")
        && segments.next().is_some_and(|s| s == "QueryParam");
    match call.args.first() {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        })) if is_query_param && call.args.len() == 2 => Some(name.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// A spec of one GET with a query parameter `limit` of `query_schema`.
    fn spec(query_schema: &str) -> String {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    get:
      operationId: thing_get
      parameters:
        - {{name: limit, in: query, schema: {query_schema}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: object}}
"
        )
    }

    /// The generated source for `spec`, without whitespace, which prettyplease places freely
    /// inside macro calls.
    fn compact(spec: &str) -> String {
        crate::generate(spec).unwrap().split_whitespace().collect()
    }

    #[test]
    fn a_defaulted_query_parameter_is_written_into_the_url() {
        let source = compact(&spec("{type: integer, default: 10}"));
        assert!(
            source.contains(r#""{}/things?limit={}",client.baseurl,limit.unwrap_or(10)"#),
            "{source}"
        );
        assert!(!source.contains(r#"QueryParam::new("limit""#), "{source}");
    }

    #[test]
    fn a_query_parameter_without_a_default_stays_as_progenitor_sends_it() {
        let source = compact(&spec("{type: integer}"));
        assert!(source.contains(r#""{}/things",client.baseurl"#), "{source}");
        assert!(source.contains(r#"QueryParam::new("limit""#), "{source}");
    }

    #[test]
    fn a_default_that_would_need_encoding_is_refused() {
        let error = crate::generate(&spec("{type: string, default: 'a b'}")).unwrap_err();
        assert!(
            error.to_string().contains("is not a boolean or an integer"),
            "{error}"
        );
    }

    #[test]
    fn a_send_of_another_shape_is_an_error() {
        let spec = crate::parse_spec(&spec("{type: integer, default: 10}")).unwrap();
        let op = &crate::spec::operations(&spec)[0];
        let names = crate::spec::OperationNames::of(op).unwrap();
        let fixture = |body: proc_macro2::TokenStream| -> syn::File {
            syn::parse_quote! {
                pub mod builder {
                    impl<'a> ThingGet<'a> {
                        pub async fn send(self) { #body }
                    }
                }
            }
        };
        let no_query_call = fixture(quote::quote! {
            let url = format!("{}/things", client.baseurl);
            let request = client.client.get(url).build()?;
        });
        let no_url = fixture(quote::quote! {
            let request = client.client.get(path)
                .query(&progenitor_client::QueryParam::new("limit", &limit))
                .build()?;
        });
        for (mut file, expected) in [
            (
                no_query_call,
                r#"`.query(&progenitor_client::QueryParam::new("limit", &limit))`"#,
            ),
            (
                no_url,
                "one `let url = format!(\"..\", ..);` in `ThingGet::send`",
            ),
        ] {
            let error = super::write(&mut file, &spec, op, &names)
                .expect_err("a miss")
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
