//! Who constructs what: users build a `Client` through the client crate's builder, which
//! validates the configuration and returns errors, and get an action's builder from a `Client`
//! method.
//!
//! progenitor's `Client::new` panics when the HTTP client cannot be built, so it goes;
//! `new_with_client` stays for the client crate's builder alone. Each action builder's `new`
//! is called only by its `Client` method, so it leaves the public surface.

use syn::{ImplItem, Visibility};

use syn::ItemImpl;

use crate::error::CodegenError;
use crate::model::Operation;
use crate::progenitor_shape::{changed, inherent_impl, method};

/// Drops `Client::new` and makes `Client::new_with_client` crate-private.
pub(crate) fn seal_client(file: &mut syn::File) -> Result<(), CodegenError> {
    let block = inherent_impl(&mut file.items, "Client")?;
    let before = block.items.len();
    block
        .items
        .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
    if block.items.len() == before {
        return Err(changed("a method `Client::new`"));
    }
    method(block, "Client", "new_with_client")?.vis = crate_private();
    Ok(())
}

/// Makes the `new` of the action's builder, whose `impl` is `block`, crate-private.
pub(crate) fn hide_builder_new(block: &mut ItemImpl, op: &Operation) -> Result<(), CodegenError> {
    method(block, &op.builder, "new")?.vis = crate_private();
    Ok(())
}

fn crate_private() -> Visibility {
    syn::parse_quote!(pub(crate))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn fixture() -> syn::File {
        syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str, inner: Settings) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: Settings) -> Self { todo!() }
            }
            pub mod builder {
                impl<'a> ThingGet<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                }
            }
        }
    }

    #[test]
    fn users_see_neither_constructor() {
        let mut file = fixture();
        seal_client(&mut file).unwrap();
        let block = crate::progenitor_shape::builder_impl(&mut file, "ThingGet").unwrap();
        hide_builder_new(block, &crate::model::bare_get()).unwrap();
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("pub fn new ("), "{text}");
        assert!(text.contains("pub (crate) fn new_with_client"), "{text}");
        assert!(text.contains("pub (crate) fn new (client"), "{text}");
    }

    #[test]
    fn a_client_without_new_is_an_error() {
        let mut file = fixture();
        seal_client(&mut file).unwrap();
        let error = seal_client(&mut file).unwrap_err().to_string();
        assert!(error.contains("expected a method `Client::new`"), "{error}");
    }
}
