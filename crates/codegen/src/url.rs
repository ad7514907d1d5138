//! How each generated request writes its URL.
//!
//! progenitor writes the path with one `format!`, percent-encoding each path parameter into a
//! new `String` (through a `to_string()` copy first), then adds each query parameter with its
//! own `RequestBuilder::query` call, which re-serializes the URL every time, and leaves unset
//! optional parameters off. Losant's own clients send every query parameter that has a
//! default, so this client does too, and it writes them straight into that one `format!`:
//! the URL is then serialized once. Each path parameter is encoded by the client crate's
//! `path::segment` (imported into the `builder` module by [`import_segment`]), straight into
//! the `format!`; a string one without the copy.
//!
//! The formatted URL is lent to reqwest (`client.client.get(url.as_str())`) rather than given
//! away, so the call keeps it as text for a retry, which parses it again: the first attempt,
//! almost always the only one, then copies no URL.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItemFn, Token};

use crate::CodegenError;
use crate::spec::{SpecOperation, parameter_schema};
use crate::surface::problem;

/// Rewrites the URL building of progenitor's `send` for operation `id`.
pub(crate) fn write_url(
    send: &mut ImplItemFn,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    id: &str,
) -> Result<(), CodegenError> {
    let defaults = defaulted_query(spec, op, id)?;
    let mut rewrite = Rewrite {
        defaulted: defaults.iter().map(|(name, _)| name.as_str()).collect(),
        taken: Vec::new(),
        string_paths: string_path_parameters(spec, op),
        url_found: false,
        url_lent: false,
        error: None,
    };
    rewrite.visit_block_mut(&mut send.block);
    if let Some(error) = rewrite.error {
        return Err(problem(format!("{id}: {error}")));
    }
    if !rewrite.url_found {
        return Err(problem(format!(
            "{id}: progenitor's `let url = format!(..)` not found"
        )));
    }
    if !rewrite.url_lent {
        return Err(problem(format!(
            "{id}: progenitor's `client.client.<method>(url)` not found"
        )));
    }

    // In the spec's order, each defaulted parameter as the caller set it or else its default.
    let mut query = String::new();
    let mut values = Vec::new();
    for (name, default) in &defaults {
        let variable = rewrite
            .taken
            .iter()
            .find_map(|(taken, variable)| (taken == name).then_some(variable))
            .ok_or_else(|| problem(format!("{id}: progenitor sends no query parameter {name}")))?;
        query.push(if query.is_empty() { '?' } else { '&' });
        // Percent-encoded, a name holds no `{` or `}` to confuse `format!`.
        query.extend(form_urlencoded::byte_serialize(name.as_bytes()));
        query.push_str("={}");
        values.push(quote!(#variable.unwrap_or(#default)));
    }
    if values.is_empty() {
        return Ok(());
    }
    let mut appended = AppendQuery {
        query,
        values,
        error: None,
    };
    appended.visit_block_mut(&mut send.block);
    match appended.error {
        Some(error) => Err(problem(format!("{id}: {error}"))),
        None => Ok(()),
    }
}

/// Imports the client crate's `path::segment`, which the rewritten URLs call, into the
/// generated `builder` module.
pub(crate) fn import_segment(builder: &mut Vec<syn::Item>) {
    let first_not_use = builder
        .iter()
        .position(|item| !matches!(item, syn::Item::Use(_)))
        .unwrap_or(builder.len());
    builder.insert(
        first_not_use,
        syn::parse_quote!(
            use crate::path::segment;
        ),
    );
}

/// The query parameters of `op` that have a default, with the default as a Rust literal.
///
/// A boolean or an integer is written on the wire as Rust displays it; other defaults would
/// need encoding, and the spec has none, so they are refused rather than sent wrong.
fn defaulted_query(
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    id: &str,
) -> Result<Vec<(String, TokenStream)>, CodegenError> {
    let mut found = Vec::new();
    for parameter in &op.parameters {
        let Parameter::Query { parameter_data, .. } = parameter else {
            continue;
        };
        let Some(default) =
            parameter_schema(spec, parameter).and_then(|s| s.schema_data.default.as_ref())
        else {
            continue;
        };
        let literal = match default {
            serde_json::Value::Bool(flag) => quote!(#flag),
            serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => number
                .to_string()
                .parse()
                .map_err(|_| problem(format!("{id}: default {number} is not a Rust literal")))?,
            other => {
                return Err(problem(format!(
                    "{id}: default {other} of query parameter {} is not a boolean or an integer",
                    parameter_data.name
                )));
            }
        };
        found.push((parameter_data.name.clone(), literal));
    }
    Ok(found)
}

/// The path parameters of `op` whose Rust type reads as a string: a plain string, or one with
/// a pattern, which typify makes a newtype that dereferences to `String`. An enum or a format
/// (a date, a UUID) becomes another type, which keeps progenitor's `to_string()`.
fn string_path_parameters(spec: &OpenAPI, op: &SpecOperation<'_>) -> Vec<String> {
    op.parameters
        .iter()
        .filter(|parameter| matches!(parameter, Parameter::Path { .. }))
        .filter(|parameter| {
            parameter_schema(spec, parameter).is_some_and(|schema| {
                matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string))
                    if string.enumeration.is_empty()
                        && matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Empty))
            })
        })
        .map(|parameter| parameter.parameter_data_ref().name.clone())
        .collect()
}

/// Drops progenitor's `.query(..)` calls for the defaulted parameters, noting which variable
/// holds each, and encodes each path parameter with `segment`, a string one without copying
/// it first.
struct Rewrite<'a> {
    defaulted: Vec<&'a str>,
    /// (query parameter, variable holding the caller's value)
    taken: Vec<(String, syn::Ident)>,
    string_paths: Vec<String>,
    url_found: bool,
    /// Whether `client.client.<method>(url)` was found and made to borrow `url`.
    url_lent: bool,
    error: Option<String>,
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else {
            return;
        };
        if is_client_client(&call.receiver)
            && call.args.len() == 1
            && matches!(&call.args[0], Expr::Path(path) if path.path.is_ident("url"))
        {
            call.args[0] = syn::parse_quote!(url.as_str());
            self.url_lent = true;
            return;
        }
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some((name, variable)) = query_param(&call.args[0]) else {
            return;
        };
        if self.defaulted.contains(&name.as_str()) {
            self.taken.push((name, variable));
            *expr = (*call.receiver).clone();
        }
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        syn::visit_mut::visit_local_mut(self, local);
        let Some(mac) = url_format(local) else {
            return;
        };
        self.url_found = true;
        let mut arguments = match format_arguments(mac) {
            Ok(arguments) => arguments,
            Err(error) => {
                self.error = Some(error);
                return;
            }
        };
        for argument in arguments.iter_mut().skip(1) {
            let Some(variable) = copied_path_segment(argument) else {
                continue;
            };
            let is_string = self
                .string_paths
                .iter()
                .any(|name| variable == name.to_snake_case());
            *argument = if is_string {
                syn::parse_quote!(segment(&#variable))
            } else {
                syn::parse_quote!(segment(&#variable.to_string()))
            };
        }
        mac.tokens = quote!(#arguments);
    }
}

/// Whether `expr` is `client.client`, the generated code's reqwest client.
fn is_client_client(expr: &Expr) -> bool {
    let Expr::Field(field) = expr else {
        return false;
    };
    matches!(&field.member, syn::Member::Named(name) if name == "client")
        && matches!(&*field.base, Expr::Path(path) if path.path.is_ident("client"))
}

/// `name` and `variable` out of `&progenitor_client::QueryParam::new("name", &variable)`.
fn query_param(argument: &Expr) -> Option<(String, syn::Ident)> {
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
    if !is_query_param || call.args.len() != 2 {
        return None;
    }
    let Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    }) = &call.args[0]
    else {
        return None;
    };
    let Expr::Reference(value) = &call.args[1] else {
        return None;
    };
    let Expr::Path(variable) = &*value.expr else {
        return None;
    };
    Some((name.value(), variable.path.get_ident()?.clone()))
}

/// The `format!` of `let url = format!(..);`.
fn url_format(local: &mut syn::Local) -> Option<&mut syn::Macro> {
    let syn::Pat::Ident(pattern) = &local.pat else {
        return None;
    };
    if pattern.ident != "url" {
        return None;
    }
    match &mut *local.init.as_mut()?.expr {
        Expr::Macro(mac) if mac.mac.path.is_ident("format") => Some(&mut mac.mac),
        _ => None,
    }
}

fn format_arguments(mac: &syn::Macro) -> Result<Punctuated<Expr, Token![,]>, String> {
    mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .map_err(|e| format!("progenitor's URL `format!` does not parse: {e}"))
}

/// `variable` out of `encode_path(&variable.to_string())`.
fn copied_path_segment(argument: &Expr) -> Option<syn::Ident> {
    let Expr::Call(call) = argument else {
        return None;
    };
    let Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    let Expr::Path(variable) = &*to_string.receiver else {
        return None;
    };
    variable.path.get_ident().cloned()
}

/// Appends the defaulted query to the URL's format string, with the values to fill it.
struct AppendQuery {
    query: String,
    values: Vec<TokenStream>,
    error: Option<String>,
}

impl VisitMut for AppendQuery {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let Some(mac) = url_format(local) else {
            return;
        };
        let mut arguments = match format_arguments(mac) {
            Ok(arguments) => arguments,
            Err(error) => {
                self.error = Some(error);
                return;
            }
        };
        let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) = arguments.first_mut()
        else {
            self.error = Some("progenitor's URL `format!` has no format string".into());
            return;
        };
        *template = syn::LitStr::new(&(template.value() + &self.query), template.span());
        for value in self.values.drain(..) {
            arguments.push(syn::parse_quote!(#value));
        }
        mac.tokens = quote!(#arguments);
    }
}

#[cfg(test)]
mod tests {
    /// A spec of one GET with a path parameter of `path_schema` and a query parameter of
    /// `query_schema`.
    fn spec(path_schema: &str, query_schema: &str) -> String {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things/{{thingId}}:
    get:
      operationId: thing_get
      parameters:
        - {{name: thingId, in: path, required: true, example: 7, schema: {path_schema}}}
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
        let source = compact(&spec("{type: string}", "{type: integer, default: 10}"));
        assert!(source.contains(r#""{}/things/{}?limit={}""#), "{source}");
        assert!(source.contains("limit.unwrap_or(10)"), "{source}");
        assert!(!source.contains(r#"QueryParam::new("limit""#), "{source}");
        // A plain string path parameter is encoded without a copy; the URL is lent.
        assert!(source.contains("segment(&thing_id)"), "{source}");
        assert!(source.contains(".get(url.as_str())"), "{source}");
    }

    #[test]
    fn a_query_parameter_without_a_default_stays_as_progenitor_sends_it() {
        let source = compact(&spec("{type: integer}", "{type: integer}"));
        assert!(source.contains(r#""{}/things/{}","#), "{source}");
        assert!(source.contains(r#"QueryParam::new("limit""#), "{source}");
        // Not a string: encoded through its text.
        assert!(
            source.contains("segment(&thing_id.to_string())"),
            "{source}"
        );
    }

    #[test]
    fn a_default_that_would_need_encoding_is_refused() {
        let error =
            crate::generate(&spec("{type: string}", "{type: string, default: 'a b'}")).unwrap_err();
        assert!(
            error.to_string().contains("is not a boolean or an integer"),
            "{error}"
        );
    }
}
