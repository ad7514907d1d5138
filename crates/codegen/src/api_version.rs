//! No `api-version` header: progenitor sends the spec's version in a header Losant does not
//! read (Losant reads `Accept-Version`, which the client crate's `pre` hook sends), so this
//! pass drops it where progenitor adds it.
//!
//! It also builds the header map empty (`HeaderMap::new()` allocates nothing until a header is
//! added) rather than sized for that header: most requests carry no other optional header, and
//! the two allocations of a sized map are a measurable share of the client's cost over raw
//! reqwest (see the README's Performance section).

use syn::visit_mut::VisitMut;
use syn::{Expr, Stmt};

use crate::error::CodegenError;
use crate::model::Operation;
use crate::progenitor_shape::{GeneratedSend, changed};

/// Drops the `api-version` header from the action's `send`.
pub(crate) fn drop_header(send: &mut GeneratedSend, op: &Operation) -> Result<(), CodegenError> {
    let builder = &op.builder;
    let mut pass = DropApiVersion::default();
    pass.visit_block_mut(&mut send.block);
    if pass.appends != 1 {
        return Err(changed(format_args!(
            "one `header_map.append(HeaderName::from_static(\"api-version\"), ..)` in `{builder}::send`"
        )));
    }
    if pass.maps != 1 {
        return Err(changed(format_args!(
            "one `let mut header_map = HeaderMap::with_capacity(..)` in `{builder}::send`"
        )));
    }
    Ok(())
}

#[derive(Default)]
struct DropApiVersion {
    appends: usize,
    maps: usize,
}

impl VisitMut for DropApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_api_version_append(stmt));
        self.appends += before - block.stmts.len();
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let is_map =
            matches!(&local.pat, syn::Pat::Ident(pattern) if pattern.ident == "header_map");
        if let Some(init) = local.init.as_mut().filter(|_| is_map)
            && let Expr::Call(call) = &*init.expr
            && let Expr::Path(function) = &*call.func
            && function
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "with_capacity")
        {
            *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
            self.maps += 1;
        }
    }
}

/// `header_map.append(::reqwest::header::HeaderName::from_static("api-version"), ..);`
fn is_api_version_append(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    let Some(Expr::Call(name)) = call.args.first() else {
        return false;
    };
    let names_api_version = matches!(
        name.args.first(),
        Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) if text.value() == "api-version"
    );
    call.method == "append"
        && matches!(&*call.receiver, Expr::Path(receiver) if receiver.path.is_ident("header_map"))
        && names_api_version
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    fn fixture(body: proc_macro2::TokenStream) -> crate::progenitor_shape::GeneratedSend {
        let mut block: syn::ItemImpl = syn::parse_quote! {
            impl<'a> ThingGet<'a> {
                pub async fn send(self) { #body }
            }
        };
        crate::progenitor_shape::GeneratedSend::take(&mut block, "ThingGet").unwrap()
    }

    #[test]
    fn the_header_goes_and_the_map_starts_empty() {
        let mut send = fixture(quote::quote! {
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
            header_map.append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
            );
            if let Some(value) = losantdomain {
                header_map.append("losantdomain", value.to_string().try_into()?);
            }
        });
        super::drop_header(&mut send, &crate::model::bare_get()).unwrap();
        let text = send.to_token_stream().to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("HeaderMap :: new ()"), "{text}");
        assert!(text.contains("\"losantdomain\""), "{text}");
    }

    #[test]
    fn a_send_of_another_shape_is_an_error() {
        let mut send = fixture(quote::quote! {
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map.insert("api-version", value);
        });
        let error = super::drop_header(&mut send, &crate::model::bare_get())
            .expect_err("a miss")
            .to_string();
        assert!(error.contains("from_static(\"api-version\")"), "{error}");
    }
}
