//! Where the passes find their parts of progenitor's output.
//!
//! Every lookup of progenitor's shape goes through here, and each one that misses fails
//! generation with a message naming the shape it expected, so a pass can never silently do
//! nothing when the generator's output changes.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, ImplItemFn, Item, ItemImpl, Token};

use crate::error::{CodegenError, problem};

/// The error of a pass that did not find `expected` in progenitor's output.
pub(crate) fn changed(expected: impl std::fmt::Display) -> CodegenError {
    problem(format!(
        "progenitor's output has changed: expected {expected}; \
         see \"Upgrading the generator\" in the codegen crate's docs"
    ))
}

/// The items of the generated module `name`, such as `builder`.
pub(crate) fn module<'a>(
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
        .ok_or_else(|| changed(format_args!("a `mod {name} {{ .. }}`")))
}

/// The variants of the generated enum `types::{name}` that each hold one value, by the name of
/// the type they hold: `[("ThingByName", "Name")]` for `enum Thing { Name(ThingByName) }`.
pub(crate) fn enum_variants(
    file: &mut syn::File,
    name: &str,
) -> Result<Vec<(String, syn::Ident)>, CodegenError> {
    let expected = || {
        changed(format_args!(
            "an `enum {name}` of one-value variants in `mod types`"
        ))
    };
    let found = module(file, "types")?.iter().find_map(|item| match item {
        Item::Enum(found) if found.ident == name => Some(found),
        _ => None,
    });
    let found = found.ok_or_else(expected)?;
    found
        .variants
        .iter()
        .map(|variant| match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                match &fields.unnamed[0].ty {
                    syn::Type::Path(held) => held
                        .path
                        .segments
                        .last()
                        .map(|segment| (segment.ident.to_string(), variant.ident.clone()))
                        .ok_or_else(expected),
                    _ => Err(expected()),
                }
            }
            _ => Err(expected()),
        })
        .collect()
}

/// The inherent `impl` block of the type `name` among `items`.
pub(crate) fn inherent_impl<'a>(
    items: &'a mut [Item],
    name: &str,
) -> Result<&'a mut ItemImpl, CodegenError> {
    items
        .iter_mut()
        .find_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() && is_impl_of(block, name) => Some(block),
            _ => None,
        })
        .ok_or_else(|| changed(format_args!("an `impl {name} {{ .. }}`")))
}

/// The method `name` of any inherent `impl Client` block: progenitor writes the constructors in
/// one and the actions in another.
pub(crate) fn client_method<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Result<&'a mut ImplItemFn, CodegenError> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Impl(block) if block.trait_.is_none() && is_impl_of(block, "Client") => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .ok_or_else(|| changed(format_args!("a method `Client::{name}`")))
}

/// The builder of an action: the inherent `impl` of `builder` in the `builder` module.
pub(crate) fn builder_impl<'a>(
    file: &'a mut syn::File,
    builder: &str,
) -> Result<&'a mut ItemImpl, CodegenError> {
    inherent_impl(module(file, "builder")?, builder)
}

/// progenitor's `send` of one builder, taken out of the builder's `impl` block. The passes that
/// edit it get it from here, and `send.rs` alone puts it back (as `send_generated`, beside the
/// public `send` and `prepare`): who holds it fixes the order the passes run in.
pub(crate) struct GeneratedSend(ImplItemFn);

impl GeneratedSend {
    /// Takes `send` out of `block`, the `impl` of `builder`.
    pub(crate) fn take(block: &mut ItemImpl, builder: &str) -> Result<Self, CodegenError> {
        let at = block
            .items
            .iter()
            .position(|item| matches!(item, ImplItem::Fn(f) if f.sig.ident == "send"))
            .ok_or_else(|| changed(format_args!("a method `{builder}::send`")))?;
        match block.items.remove(at) {
            ImplItem::Fn(send) => Ok(Self(send)),
            _ => unreachable!("the position of a method"),
        }
    }

    /// The function, handed back to be put in its block again.
    pub(crate) fn into_inner(self) -> ImplItemFn {
        self.0
    }
}

impl std::ops::Deref for GeneratedSend {
    type Target = ImplItemFn;

    fn deref(&self) -> &ImplItemFn {
        &self.0
    }
}

impl std::ops::DerefMut for GeneratedSend {
    fn deref_mut(&mut self) -> &mut ImplItemFn {
        &mut self.0
    }
}

/// The method `name` of the `impl` block `block` of `owner`.
pub(crate) fn method<'a>(
    block: &'a mut ItemImpl,
    owner: &str,
    name: &str,
) -> Result<&'a mut ImplItemFn, CodegenError> {
    block
        .items
        .iter_mut()
        .find_map(|item| match item {
            ImplItem::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .ok_or_else(|| changed(format_args!("a method `{owner}::{name}`")))
}

/// The text of the first `#[doc = "..."]` of `f`, to be replaced in place.
pub(crate) fn doc_mut<'a>(
    f: &'a mut ImplItemFn,
    owner: &str,
) -> Result<&'a mut syn::LitStr, CodegenError> {
    let name = f.sig.ident.to_string();
    f.attrs
        .iter_mut()
        .find_map(|attr| match &mut attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                path,
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) if path.is_ident("doc") => Some(text),
            _ => None,
        })
        .ok_or_else(|| changed(format_args!("docs on `{owner}::{name}`")))
}

/// The arguments of progenitor's URL `format!` in `builder`'s `send` (`let url =
/// format!("{}/things/{}", client.baseurl, ..);`, the format string first), given to `edit`
/// and then written back.
pub(crate) fn edit_url_format(
    send: &mut ImplItemFn,
    builder: &str,
    edit: impl FnOnce(&mut Punctuated<Expr, Token![,]>),
) -> Result<(), CodegenError> {
    let mut finder = UrlFormat {
        edit: Some(edit),
        found: 0,
        error: None,
    };
    finder.visit_block_mut(&mut send.block);
    if let Some(error) = finder.error {
        return Err(changed(format_args!("{error} in `{builder}::send`")));
    }
    if finder.found != 1 {
        return Err(changed(format_args!(
            "one `let url = format!(\"..\", ..);` in `{builder}::send`"
        )));
    }
    Ok(())
}

struct UrlFormat<F> {
    edit: Option<F>,
    found: usize,
    error: Option<String>,
}

impl<F: FnOnce(&mut Punctuated<Expr, Token![,]>)> VisitMut for UrlFormat<F> {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let is_url = matches!(&local.pat, syn::Pat::Ident(pattern) if pattern.ident == "url");
        let Some(init) = local.init.as_mut().filter(|_| is_url) else {
            return;
        };
        let Expr::Macro(mac) = &mut *init.expr else {
            return;
        };
        if !mac.mac.path.is_ident("format") {
            return;
        }
        self.found += 1;
        // syn sees a macro's arguments as bare tokens: parsed here, edited, written back.
        let mut arguments = match mac
            .mac
            .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        {
            Ok(arguments) => arguments,
            Err(e) => {
                self.error = Some(format!("a URL `format!` that parses ({e})"));
                return;
            }
        };
        if !matches!(
            arguments.first(),
            Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(_),
                ..
            }))
        ) {
            self.error = Some("a URL `format!` with a format string".into());
            return;
        }
        if let Some(edit) = self.edit.take() {
            edit(&mut arguments);
        }
        mac.mac.tokens = quote::quote!(#arguments);
    }
}

fn is_impl_of(item: &ItemImpl, name: &str) -> bool {
    matches!(&*item.self_ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                pub struct ThingGet<'a> { client: &'a super::Client }
                impl<'a> ThingGet<'a> {
                    ///Sends a `GET` request
                    pub async fn send(self) {}
                }
            }
        }
    }

    #[test]
    fn lookups_find_progenitor_s_items() {
        let mut file = fixture();
        let block = builder_impl(&mut file, "ThingGet").unwrap();
        let send = method(block, "ThingGet", "send").unwrap();
        assert_eq!(
            doc_mut(send, "ThingGet").unwrap().value(),
            "Sends a `GET` request"
        );
    }

    #[test]
    fn a_missed_lookup_names_the_shape_it_expected() {
        let mut file = fixture();
        let error = builder_impl(&mut file, "ThingPut")
            .err()
            .expect("a miss")
            .to_string();
        assert!(
            error.contains("expected an `impl ThingPut { .. }`"),
            "{error}"
        );
        let block = builder_impl(&mut file, "ThingGet").unwrap();
        let error = method(block, "ThingGet", "body")
            .err()
            .expect("a miss")
            .to_string();
        assert!(
            error.contains("expected a method `ThingGet::body`"),
            "{error}"
        );
        let error = module(&mut file, "types")
            .err()
            .expect("a miss")
            .to_string();
        assert!(error.contains("progenitor's output has changed"), "{error}");
    }
}
