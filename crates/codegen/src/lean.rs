//! Two per-request costs of progenitor's `send` that buy nothing here, each swapped for an
//! equivalent that skips it:
//!
//! - the header map for optional header parameters is made with room for all of them, an
//!   allocation even when none is set (the common case); `HeaderMap::new()` allocates only on
//!   the first insert;
//! - `ResponseValue::from_response` copies the answer's headers before reading its body; the
//!   client crate's `answer::decode` does the same without the copy, moving them out instead.

use syn::visit_mut::VisitMut;

pub(crate) struct Lean;

impl VisitMut for Lean {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        let syn::Expr::Path(function) = &mut *call.func else {
            return;
        };
        let names: Vec<String> = function
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        if names.ends_with(&["HeaderMap".into(), "with_capacity".into()]) {
            function.path = syn::parse_quote!(::reqwest::header::HeaderMap::new);
            call.args.clear();
        } else if names == ["ResponseValue", "from_response"] {
            function.path = syn::parse_quote!(crate::answer::decode);
        }
    }
}
