//! The query parameters Losant's own clients send on every call (`_actions=false`,
//! `_links=true`, `_embedded=true`) are sent by this client too, from the defaults the spec
//! gives them, unless the caller sets another value.
//!
//! progenitor leaves an unset optional parameter off the wire. Each action builder's `new`
//! starts such a parameter at `Ok(None)`; this pass starts it at `Ok(Some(default))` instead,
//! and progenitor's own request code then sends it like any value the caller set.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter};
use proc_macro2::TokenStream;
use quote::quote;

use crate::progenitor_shape::{builder_impl, changed, method};
use crate::spec::{OperationNames, SpecOperation, parameter_schema};
use crate::{CodegenError, problem};

/// Starts each defaulted query parameter of the operation at its default.
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
    let new = method(builder_impl(file, builder)?, builder, "new")?;
    let Some(syn::Stmt::Expr(syn::Expr::Struct(fields), None)) = new.block.stmts.last_mut() else {
        return Err(changed(format_args!(
            "`{builder}::new` to end in a `Self {{ .. }}` expression"
        )));
    };
    for (field, default) in defaults {
        let value = fields
            .fields
            .iter_mut()
            .find(|f| matches!(&f.member, syn::Member::Named(name) if name == &field))
            .map(|f| &mut f.expr)
            .filter(|value| quote!(#value).to_string() == quote!(Ok(None)).to_string())
            .ok_or_else(|| changed(format_args!("`{field}: Ok(None)` in `{builder}::new`")))?;
        *value = syn::parse_quote!(Ok(Some(#default)));
    }
    Ok(())
}

/// The query parameters of `op` that have a default, as (builder field, default literal).
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
        let Parameter::Query { parameter_data, .. } = parameter else {
            continue;
        };
        let Some(default) =
            parameter_schema(spec, parameter).and_then(|s| s.schema_data.default.as_ref())
        else {
            continue;
        };
        let name = &parameter_data.name;
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
        found.push((name.to_snake_case(), literal));
    }
    Ok(found)
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

    /// The generated builder's `new`, without whitespace.
    fn builder_new(spec: &str) -> String {
        let source: String = crate::generate(spec).unwrap().split_whitespace().collect();
        let start = source.find("fnnew(client:").expect("a builder `new`");
        source[start..start + 120].to_owned()
    }

    #[test]
    fn a_defaulted_query_parameter_starts_at_its_default() {
        let new = builder_new(&spec("{type: integer, default: 10}"));
        assert!(new.contains("limit:Ok(Some(10))"), "{new}");
    }

    #[test]
    fn a_query_parameter_without_a_default_starts_unset() {
        let new = builder_new(&spec("{type: integer}"));
        assert!(new.contains("limit:Ok(None)"), "{new}");
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
    fn a_builder_new_of_another_shape_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ThingGet<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client, limit: Err(String::new()) }
                    }
                }
            }
        };
        let spec = crate::parse_spec(&spec("{type: integer, default: 10}")).unwrap();
        let op = &crate::spec::operations(&spec)[0];
        let names = crate::spec::OperationNames::of(op).unwrap();
        let error = super::write(&mut file, &spec, op, &names)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("expected `limit: Ok(None)` in `ThingGet::new`"),
            "{error}"
        );
    }
}
