//! Escapes `gen`, which typify emits as a plain identifier (in the schemars 0.8 code of its
//! `JsonSchema` impls) but edition 2024 reserves: the client crate would not compile without it.
//!
//! Unlike the other passes this one matches no shape of progenitor's output: it rewrites a
//! reserved word wherever it stands, as a formatter would, and a file without one is left as
//! it is, rightly.

use syn::visit_mut::VisitMut;

/// Escapes every `gen` in `file`.
pub(crate) fn escape(file: &mut syn::File) {
    RawGen.visit_file_mut(file);
}

struct RawGen;

impl VisitMut for RawGen {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn gen_becomes_a_raw_identifier() {
        let mut file: syn::File = syn::parse_quote! {
            fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> General {}
        };
        super::escape(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("r#gen : & mut :: schemars :: r#gen :: SchemaGenerator) -> General"),
            "{text}"
        );
    }
}
