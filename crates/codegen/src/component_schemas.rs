//! A hidden function listing the JSON Schema of the Rust type of every component schema of the
//! spec, by the component's name, so the workspace's tests can hold each generated type to the
//! spec's schema of the same name without a hand-kept list of types.

use heck::ToUpperCamelCase;
use syn::Item;

use crate::model::Api;
use crate::{REPLACED, runtime_path};

/// `__component_schemas()`, for every component of `api`.
pub(crate) fn list(api: &Api) -> Item {
    let entries = api.components.iter().map(|name| {
        let ty = match REPLACED.iter().find(|(schema, _, _)| schema == name) {
            Some((_, replacement, _)) => runtime_path(replacement),
            None => {
                let ty = quote::format_ident!("{}", name.to_upper_camel_case());
                quote::quote!(types::#ty)
            }
        };
        quote::quote!((#name, ::schemars::schema_for!(#ty)))
    });
    syn::parse_quote! {
        /// The JSON Schema of the Rust type of each component schema of the spec, by the
        /// component's name: for the tests that hold the generated types to the spec.
        #[doc(hidden)]
        pub fn __component_schemas() -> ::std::vec::Vec<(&'static str, ::schemars::schema::RootSchema)> {
            ::std::vec![#(#entries),*]
        }
    }
}
