//! One error type from every action: each builder's `send` answers the client crate's `Error`,
//! and checks the request body's list limits before anything is sent; and each builder's
//! `prepare` builds the very request `send` would send, through the same code, for a dry run.
//!
//! progenitor's `send` answers progenitor's own error type. This pass keeps it unchanged but
//! private, as `send_generated`, and adds the public `send`, which runs it through the client
//! crate's `runtime::send`: that presents every failure as the client's `Error`, with the
//! action's name, what its attempts recorded, and the token scrubbed.

use openapiv3::OpenAPI;
use quote::{format_ident, quote};
use syn::Visibility;

use crate::progenitor_shape::{builder_impl, changed, method};
use crate::spec::{OperationNames, SpecOperation, request_body_schema};
use crate::{CodegenError, limits, runtime_path};

/// Renames the builder's `send` to a private `send_generated` and adds the public `send`.
pub(crate) fn wrap(
    file: &mut syn::File,
    spec: &OpenAPI,
    op: &SpecOperation<'_>,
    names: &OperationNames,
) -> Result<(), CodegenError> {
    let builder = &names.builder;
    let block = builder_impl(file, builder)?;
    let send = method(block, builder, "send")?;
    let answer = success_type(&send.sig.output).ok_or_else(|| {
        changed(format_args!(
            "`{builder}::send(self) -> Result<ResponseValue<T>, Error<E>>`"
        ))
    })?;
    send.sig.ident = format_ident!("send_generated");
    send.vis = Visibility::Inherited;

    // The generated send itself, after the body's limit check where the spec sets limits.
    let generated = match request_body_schema(spec, op.operation) {
        Some(schema) if limits::has_limits(spec, schema)? => {
            let schema = format_ident!("{schema}");
            quote! {
                async move {
                    if let Ok(body) = &self.body {
                        if let Ok(body) = types::#schema::try_from(body.clone()) {
                            body.check_limits().map_err(Error::InvalidRequest)?;
                        }
                    }
                    self.send_generated().await
                }
            }
        }
        _ => quote!(self.send_generated()),
    };
    let doc = format!(
        " Sends the `{}` request and decodes Losant's answer.\n\n\
         Input is checked first: when it is invalid, nothing is sent.\n\n\
         # Errors\n\n\
         An [`Error`](crate::Error) that tells apart invalid input, a transport failure, a \
         timeout, an error answer from Losant (with its `type` and `message`) and an answer \
         that could not be decoded.",
        names.action
    );
    let action = &names.action;
    let error = runtime_path("Error");
    let run = runtime_path("send");
    block.items.push(syn::parse_quote! {
        #[doc = #doc]
        pub async fn send(self) -> Result<#answer, #error> {
            #run(self.client, #action, #generated).await
        }
    });
    let doc = format!(
        " Builds the `{}` request `send` would send, with the same checks, and sends \
         nothing: what a dry run shows.\n\n\
         # Errors\n\n\
         An [`Error`](crate::Error) of kind `InvalidInput` when the input is invalid.",
        names.action
    );
    let prepare = runtime_path("prepare");
    let prepared = runtime_path("PreparedRequest");
    block.items.push(syn::parse_quote! {
        #[doc = #doc]
        pub async fn prepare(self) -> Result<#prepared, #error> {
            #prepare(self.client, #action, #generated).await
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
        let spec = crate::spec::bare_get();
        let op = &crate::spec::operations(&spec)[0];
        wrap(&mut file, &spec, op, &OperationNames::of(op).unwrap())?;
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
            text.contains("crate :: runtime :: send (self . client , \"thing.get\""),
            "{text}"
        );
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
