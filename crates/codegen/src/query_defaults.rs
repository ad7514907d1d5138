//! The query parameters Losant's own clients send on every call (`_actions=false`,
//! `_links=true`, `_embedded=true`; marked `x-sent-by-default` in the spec) are sent by this
//! client too, from the defaults the spec gives them, unless the caller sets another value; and
//! in the URL's one `format!`.
//!
//! progenitor leaves an unset optional parameter off the wire, and adds each query parameter
//! with its own `RequestBuilder::query` call, which re-serializes the URL each time (three
//! times a request here, a measurable share of the client's cost over raw reqwest; see the
//! README's Performance section). This pass drops those calls for the parameters sent by
//! default and writes them, in the spec's order, into progenitor's `let url = format!(..)`,
//! each as the caller set it or else its default. Every other parameter, with a default (the
//! server's) or without, stays as progenitor sends it: only when the caller sets it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Expr;
use syn::visit_mut::VisitMut;

use crate::error::{CodegenError, problem};
use crate::model::Operation;
use crate::progenitor_shape::{GeneratedSend, changed, edit_url_format};

/// Writes each query parameter of `op` that is sent by default into its URL.
pub(crate) fn write(send: &mut GeneratedSend, op: &Operation) -> Result<(), CodegenError> {
    let defaults = sent_defaults(op)?;
    if defaults.is_empty() {
        return Ok(());
    }
    let builder = &op.builder;
    let mut dropped = DropQueryCalls {
        names: defaults.iter().map(|(name, _, _)| name.clone()).collect(),
        found: Vec::new(),
    };
    dropped.visit_block_mut(&mut send.block);
    let mut query = String::new();
    let mut values = Vec::new();
    for (name, rust_name, default) in &defaults {
        if !dropped.found.contains(name) {
            return Err(changed(format_args!(
                "`.query(&progenitor_client::QueryParam::new({name:?}, &{rust_name}))` in `{builder}::send`"
            )));
        }
        query.push(if query.is_empty() { '?' } else { '&' });
        // Checked by `sent_defaults`: a name holds nothing to encode, and no `{` or `}`.
        query.push_str(name);
        query.push_str("={}");
        let variable = format_ident!("{rust_name}");
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

/// The query parameters of `op` sent by default, as (name, Rust name, default literal).
///
/// A boolean or an integer default is a Rust literal as it is, and prints into the URL as
/// itself; a default of any other kind would need thought about its encoding, so it is refused
/// rather than sent wrong.
fn sent_defaults(op: &Operation) -> Result<Vec<(String, String, TokenStream)>, CodegenError> {
    let mut found = Vec::new();
    for parameter in &op.parameters {
        let Some(default) = &parameter.sent_default else {
            continue;
        };
        let name = &parameter.name;
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(problem(format!(
                "{}: query parameter {name:?} would need encoding in the URL",
                op.label()
            )));
        }
        let literal = match default {
            serde_json::Value::Bool(flag) => quote!(#flag),
            serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => number
                .to_string()
                .parse()
                .map_err(|_| problem(format!("{}: default {number} of {name}", op.label())))?,
            other => {
                return Err(problem(format!(
                    "{}: default {other} of query parameter {name}, sent by default, is not a boolean or an integer",
                    op.label()
                )));
            }
        };
        found.push((name.clone(), parameter.rust_name.clone(), literal));
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
    /// A spec of one GET with a query parameter `limit` of `query_schema`, marked
    /// `x-sent-by-default` when `sent`.
    fn spec(query_schema: &str, sent: bool) -> String {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    get:
      operationId: thing_get
      parameters:
        - {{name: limit, in: query, x-sent-by-default: {sent}, schema: {query_schema}}}
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
    fn a_default_sent_by_default_is_written_into_the_url() {
        let source = compact(&spec("{type: integer, default: 10}", true));
        assert!(
            source.contains(r#""{}/things?limit={}",client.baseurl,limit.unwrap_or(10)"#),
            "{source}"
        );
        assert!(!source.contains(r#"QueryParam::new("limit""#), "{source}");
    }

    #[test]
    fn the_server_s_defaults_and_parameters_without_one_stay_as_progenitor_sends_them() {
        for schema in [
            "{type: integer}",
            "{type: integer, default: 10}",
            "{type: string, default: inviteDate}",
            "{type: string, enum: [asc, desc], default: desc}",
            "{type: boolean, default: false}",
        ] {
            let source = compact(&spec(schema, false));
            assert!(
                source.contains(r#""{}/things",client.baseurl"#),
                "{schema}: {source}"
            );
            assert!(
                source.contains(r#"QueryParam::new("limit""#),
                "{schema}: {source}"
            );
        }
    }

    #[test]
    fn a_sent_default_that_would_need_encoding_is_refused() {
        let error = crate::generate(&spec("{type: string, default: 'a b'}", true)).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("thing_get (GET /things): default \"a b\" of query parameter limit"),
            "{error}"
        );
    }

    #[test]
    fn a_send_of_another_shape_is_an_error() {
        let api = crate::model::of(&spec("{type: integer, default: 10}", true));
        let op = &api.operations[0];
        let send = |body: proc_macro2::TokenStream| {
            let mut block: syn::ItemImpl = syn::parse_quote! {
                impl<'a> ThingGet<'a> {
                    pub async fn send(self) { #body }
                }
            };
            crate::progenitor_shape::GeneratedSend::take(&mut block, "ThingGet").unwrap()
        };
        let no_query_call = send(quote::quote! {
            let url = format!("{}/things", client.baseurl);
            let request = client.client.get(url).build()?;
        });
        let no_url = send(quote::quote! {
            let request = client.client.get(path)
                .query(&progenitor_client::QueryParam::new("limit", &limit))
                .build()?;
        });
        for (mut send, expected) in [
            (
                no_query_call,
                r#"`.query(&progenitor_client::QueryParam::new("limit", &limit))`"#,
            ),
            (
                no_url,
                "one `let url = format!(\"..\", ..);` in `ThingGet::send`",
            ),
        ] {
            let error = super::write(&mut send, op).expect_err("a miss").to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
