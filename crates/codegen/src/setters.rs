//! What users read and see of each builder setter: docs from the spec's parameter
//! descriptions, and an input error that names the parameter and says what was wrong with the
//! value, such as `invite_id: "123" is not a Losant ID (24 hexadecimal characters)`.
//!
//! progenitor's setters carry no docs, and throw the conversion's error away for a fixed
//! "conversion to `LosantId` for invite_id failed". This pass keeps the error (the setter then
//! asks that it can be displayed, which every conversion into these types satisfies) and adds
//! the docs.

use quote::quote;
use syn::ItemImpl;
use syn::visit_mut::VisitMut;

use crate::error::CodegenError;
use crate::model::Operation;
use crate::progenitor_shape::{changed, method};

/// Documents every setter of the builder of `op`, whose `impl` is `block`, and keeps its
/// conversion errors.
pub(crate) fn document(block: &mut ItemImpl, op: &Operation) -> Result<(), CodegenError> {
    let builder = &op.builder;
    for parameter in &op.parameters {
        let name = &parameter.rust_name;
        let mut doc = parameter.description.clone().unwrap_or_default();
        if let Some(default) = &parameter.sent_default {
            doc.push_str(&format!(
                "\n\nUnless set, `{default}` is sent, as Losant's own clients do."
            ));
        }
        let setter = method(block, builder, name)?;
        keep_conversion_error(setter, builder, name)?;
        setter.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
    }
    if let Some(body) = &op.body {
        let what = body.description.as_deref().unwrap_or("The request body");
        let doc = format!("{what}.");
        method(block, builder, "body")?
            .attrs
            .insert(0, syn::parse_quote!(#[doc = #doc]));
        // A `oneOf` body is an enum, which has no builder to change it through.
        if !body.is_one_of() {
            let doc = format!(
                "{what}, changed through its builder, which starts from the value `body` set \
                 or else from the default."
            );
            method(block, builder, "body_map")?
                .attrs
                .insert(0, syn::parse_quote!(#[doc = #doc]));
        }
    }
    Ok(())
}

/// Turns the setter's `.map_err(|_| "conversion to .. failed".to_string())` into
/// `.map_err(|e| format!("name: {}", e))`, and bounds the conversion error by `Display`.
fn keep_conversion_error(
    setter: &mut syn::ImplItemFn,
    builder: &str,
    name: &str,
) -> Result<(), CodegenError> {
    let expected = || {
        changed(format_args!(
            "`{builder}::{name}<V>(..) where V: TryInto<T>` mapping its error with \
             `.map_err(|_| \"..\".to_string())`"
        ))
    };
    let bound = setter
        .sig
        .generics
        .where_clause
        .as_ref()
        .and_then(|clause| match clause.predicates.first()? {
            syn::WherePredicate::Type(predicate) => {
                let ty = &predicate.bounded_ty;
                let bound = predicate.bounds.first()?;
                Some(quote!(<#ty as #bound>::Error: ::std::fmt::Display))
            }
            _ => None,
        })
        .ok_or_else(expected)?;
    let mut rewrite = KeepError {
        format: format!("{name}: {{}}"),
        found: 0,
    };
    rewrite.visit_block_mut(&mut setter.block);
    if rewrite.found != 1 {
        return Err(expected());
    }
    setter
        .sig
        .generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote!(#bound));
    Ok(())
}

struct KeepError {
    format: String,
    found: usize,
}

impl VisitMut for KeepError {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let discards = matches!(call.args.first(), Some(syn::Expr::Closure(closure))
            if call.method == "map_err"
                && call.args.len() == 1
                && matches!(closure.inputs.first(), Some(syn::Pat::Wild(_)))
                && matches!(&*closure.body, syn::Expr::MethodCall(to_string)
                    if to_string.method == "to_string"
                        && matches!(&*to_string.receiver, syn::Expr::Lit(_))));
        if discards {
            let format = &self.format;
            call.args[0] = syn::parse_quote!(|e| format!(#format, e));
            self.found += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn fixture() -> syn::ItemImpl {
        syn::parse_quote! {
                impl<'a> ThingGet<'a> {
                    pub fn thing_id<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<types::LosantId>,
                    {
                        self.thing_id = value
                            .try_into()
                            .map_err(|_| "conversion to `LosantId` for thing_id failed".to_string());
                        self
                    }
                    pub fn links<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<bool>,
                    {
                        self.links = value.try_into().map(Some).map_err(|_| "x".to_string());
                        self
                    }
                }
        }
    }

    fn op() -> crate::model::Operation {
        crate::model::of(
            "openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /things/{thingId}:
    get:
      operationId: thing_get
      parameters:
        - {name: thingId, in: path, required: true, description: The thing, schema: {type: string}}
        - {name: _links, in: query, description: Links too, x-sent-by-default: true, schema: {type: boolean, default: true}}
      responses:
        '200': {description: ok}
",
        )
        .operations
        .remove(0)
    }

    #[test]
    fn setters_get_docs_and_keep_their_errors() {
        let mut block = fixture();
        document(&mut block, &op()).unwrap();
        let text = block.to_token_stream().to_string();
        assert!(
            text.contains("# [doc = \"The thing\"] pub fn thing_id"),
            "{text}"
        );
        assert!(
            text.contains("Links too\\n\\nUnless set, `true` is sent"),
            "{text}"
        );
        assert!(
            text.contains("map_err (| e | format ! (\"thing_id: {}\" , e))"),
            "{text}"
        );
        assert!(
            text.contains("map_err (| e | format ! (\"links: {}\" , e))"),
            "{text}"
        );
        assert!(
            text.contains(
                "< V as std :: convert :: TryInto < types :: LosantId > > :: Error : :: std :: fmt :: Display"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_setter_of_another_shape_is_an_error() {
        let mut block: syn::ItemImpl = syn::parse_quote! {
                impl<'a> ThingGet<'a> {
                    pub fn thing_id<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<types::LosantId>,
                    {
                        self.thing_id = value.try_into().map_err(|e| e.to_string());
                        self
                    }
                }
        };
        let error = document(&mut block, &op()).unwrap_err().to_string();
        assert!(
            error.contains("`ThingGet::thing_id<V>(..) where V: TryInto<T>`"),
            "{error}"
        );
    }
}
