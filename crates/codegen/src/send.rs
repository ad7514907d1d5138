//! One error type from every action: each builder's `send` answers the client crate's `Error`,
//! and checks the request body (its list limits, its emails) before anything is sent; and each
//! builder's `prepare` builds the very request `send` would send, through the same code, for a
//! dry run.
//!
//! progenitor's `send` answers progenitor's own error type. This pass keeps it unchanged but
//! private, as `send_generated` (with a private `check_body` beside it where the body has
//! checks), and adds the public `send`, which hands the builder and those functions to the
//! client crate's `runtime::send` with what the runtime knows of the action (`ACTION`, from
//! the model): the runtime checks the body, runs the generated send, again on a copy of the
//! builder when a retry is worth it, and presents every failure as the client's `Error`, with
//! the action's name, what its attempts recorded, and the token scrubbed.

use quote::{format_ident, quote};
use syn::{ImplItem, ItemImpl, Visibility};

use crate::error::CodegenError;
use crate::model::Operation;
use crate::progenitor_shape::{GeneratedSend, changed};
use crate::runtime_path;

/// Puts progenitor's `send` back into `block` as a private `send_generated`, and adds the
/// public `send` and `prepare` beside it.
pub(crate) fn wrap(
    block: &mut ItemImpl,
    send: GeneratedSend,
    op: &Operation,
) -> Result<(), CodegenError> {
    let builder = &op.builder;
    let mut send = send.into_inner();
    let answer = success_type(&send.sig.output).ok_or_else(|| {
        changed(format_args!(
            "`{builder}::send(self) -> Result<ResponseValue<T>, Error<E>>`"
        ))
    })?;
    send.sig.ident = format_ident!("send_generated");
    send.vis = Visibility::Inherited;
    block.items.push(ImplItem::Fn(send));

    // The body's checks where the spec sets any, which the runtime makes before the first
    // try: kept apart from the generated send, whose state machine they would enlarge.
    let check = match &op.body {
        // A `oneOf` body has no builder: the builder holds the body itself.
        Some(body) if body.has_checks() && body.is_one_of() => {
            block.items.push(syn::parse_quote! {
                fn check_body(&self) -> Result<(), String> {
                    match &self.body {
                        Ok(body) => body.check_limits(),
                        Err(_) => Ok(()),
                    }
                }
            });
            quote!(Self::check_body)
        }
        Some(body) if body.has_checks() => {
            let schema = format_ident!("{}", body.schema);
            block.items.push(syn::parse_quote! {
                fn check_body(&self) -> Result<(), String> {
                    match &self.body {
                        Ok(body) => match types::#schema::try_from(body.clone()) {
                            Ok(body) => body.check_limits(),
                            Err(_) => Ok(()),
                        },
                        Err(_) => Ok(()),
                    }
                }
            });
            quote!(Self::check_body)
        }
        _ => {
            let unchecked = runtime_path("unchecked");
            quote!(#unchecked)
        }
    };
    // What the runtime needs to know of the action, from the model: its name, whether a
    // retry is safe, whether it changes anything, and what to check when its answer is lost.
    let (name, retry_safe, changes) = (&op.action, op.retry_safe, op.changes);
    let advice = match &op.if_outcome_unknown {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let action_type = runtime_path("Action");
    block.items.push(syn::parse_quote! {
        const ACTION: #action_type = #action_type {
            name: #name,
            retry_safe: #retry_safe,
            changes: #changes,
            if_outcome_unknown: #advice,
        };
    });
    let action = quote!(&Self::ACTION);
    let doc = format!(
        " Sends the `{}` request and decodes Losant's answer.\n\n\
         Input is checked first: when it is invalid, nothing is sent.\n\n\
         # Errors\n\n\
         An [`Error`](crate::Error) that tells apart invalid input, a transport failure, a \
         timeout, an error answer from Losant (with its `type` and `message`) and an answer \
         that could not be decoded.",
        op.action
    );
    let error = runtime_path("Error");
    let run = runtime_path("send");
    // A plain `fn` returning the runtime's future, not an `async fn` awaiting it, which
    // would hold the builder a second time and be one more layer to copy.
    let lifetime = block
        .generics
        .lifetimes()
        .next()
        .map(|param| param.lifetime.clone())
        .ok_or_else(|| changed(format_args!("`impl<'a> {builder}<'a>`")))?;
    block.items.push(syn::parse_quote! {
        #[doc = #doc]
        pub fn send(self) -> impl ::std::future::Future<Output = Result<#answer, #error>> + #lifetime {
            let client = self.client;
            #run(&client.inner, #action, self, #check, Self::send_generated)
        }
    });
    let doc = format!(
        " Builds the `{}` request `send` would send, with the same checks, and sends \
         nothing: what a dry run shows.\n\n\
         # Errors\n\n\
         An [`Error`](crate::Error) of kind `InvalidInput` when the input is invalid.",
        op.action
    );
    let prepare = runtime_path("prepare");
    let prepared = runtime_path("PreparedRequest");
    block.items.push(syn::parse_quote! {
        #[doc = #doc]
        pub async fn prepare(self) -> Result<#prepared, #error> {
            let client = self.client;
            #prepare(&client.inner, #action, self, #check, Self::send_generated).await
        }
    });
    Ok(())
}

/// `ResponseValue<T>` out of `-> Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = &**ty else {
        return None;
    };
    let result = path.path.segments.last()?;
    if result.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &result.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(ty @ syn::Type::Path(answer))
            if answer
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "ResponseValue") =>
        {
            Some(ty.clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use syn::ImplItem;

    use super::*;

    /// Whether `item` is the public `send` this pass adds.
    fn is_public_send(item: &ImplItem) -> bool {
        matches!(item, ImplItem::Fn(f)
            if f.sig.ident == "send" && matches!(f.vis, Visibility::Public(_)))
    }

    fn wrapped(mut file: syn::File) -> Result<syn::File, CodegenError> {
        let block = crate::progenitor_shape::builder_impl(&mut file, "ThingGet")?;
        let send = GeneratedSend::take(block, "ThingGet")?;
        wrap(block, send, &crate::model::bare_get())?;
        Ok(file)
    }

    #[test]
    fn send_answers_the_client_s_error_through_the_runtime() {
        let file = wrapped(syn::parse_quote! {
            pub mod builder {
                impl<'a> ThingGet<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {
                        todo!()
                    }
                }
            }
        })
        .unwrap();
        let syn::Item::Mod(module) = &file.items[0] else {
            panic!("a module")
        };
        let syn::Item::Impl(block) = &module.content.as_ref().unwrap().1[0] else {
            panic!("an impl")
        };
        assert_eq!(block.items.iter().filter(|i| is_public_send(i)).count(), 1);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("pub async fn prepare (self) -> Result < crate :: runtime :: PreparedRequest , crate :: runtime :: Error >"),
            "{text}"
        );
        let text = file.to_token_stream().to_string();
        assert!(text.contains("async fn send_generated (self)"), "{text}");
        assert!(
            text.contains(
                "Result < ResponseValue < types :: Thing > , crate :: runtime :: Error >"
            ),
            "{text}"
        );
        assert!(
            text.contains("const ACTION : crate :: runtime :: Action = crate :: runtime :: Action { name : \"thing.get\" , retry_safe : true , changes : false , if_outcome_unknown : None , } ;"),
            "{text}"
        );
        assert!(
            text.contains("crate :: runtime :: send (& client . inner , & Self :: ACTION , self , crate :: runtime :: unchecked , Self :: send_generated)"),
            "{text}"
        );
    }

    #[test]
    fn a_builder_without_its_lifetime_is_an_error() {
        let error = wrapped(syn::parse_quote! {
            pub mod builder {
                impl ThingGet {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ApiError>> {
                        todo!()
                    }
                }
            }
        })
        .err()
        .expect("a miss")
        .to_string();
        assert!(error.contains("`impl<'a> ThingGet<'a>`"), "{error}");
    }

    #[test]
    fn a_send_of_another_shape_is_an_error() {
        let error = wrapped(syn::parse_quote! {
            pub mod builder {
                impl<'a> ThingGet<'a> {
                    pub async fn send(self) -> types::Thing { todo!() }
                }
            }
        })
        .err()
        .expect("a miss")
        .to_string();
        assert!(
            error.contains("`ThingGet::send(self) -> Result<ResponseValue<T>, Error<E>>`"),
            "{error}"
        );
    }
}
