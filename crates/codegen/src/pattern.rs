//! String patterns checked without a regex engine.
//!
//! typify checks a string schema's `pattern` with a `regress` regex built on first use. The
//! spec's patterns are of one simple shape, a character class repeated a number of times
//! between `^` and `$` (a Losant ID is `^[A-Fa-f\d]{24}$`), and every ID a caller passes and
//! every ID in an answer goes through that check. This pass compiles such a pattern into a
//! length test and a byte test, which is what the regex would do, without the engine. A
//! pattern of any other shape keeps typify's regex (and the client crate then needs `regress`
//! among its dependencies again).
//!
//! ECMA-262 semantics, which JSON Schema patterns follow: without the multiline flag `^` and
//! `$` match only at the ends of the input, and `\d` is ASCII digits only.

use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;

/// Replaces typify's regex check by a direct one wherever the pattern allows.
pub(crate) struct DirectPatterns;

impl VisitMut for DirectPatterns {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let [
            syn::Stmt::Item(syn::Item::Static(pattern)),
            syn::Stmt::Expr(syn::Expr::If(check), _),
            ..,
        ] = &mut block.stmts[..]
        else {
            return;
        };
        if pattern.ident != "PATTERN" || !is_regex_check(&check.cond) {
            return;
        }
        let Some(source) = first_string(quote!(#pattern)) else {
            return;
        };
        let Some(direct) = Pattern::parse(&source).map(|p| p.check(quote!(value))) else {
            return;
        };
        *check.cond = syn::parse_quote!(!(#direct));
        block.stmts.remove(0);
    }
}

/// Whether `condition` is typify's `PATTERN.find(value).is_none()`.
fn is_regex_check(condition: &syn::Expr) -> bool {
    quote!(#condition).to_string() == quote!(PATTERN.find(value).is_none()).to_string()
}

/// The value of the first string literal in `tokens`.
fn first_string(tokens: TokenStream) -> Option<String> {
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Literal(literal) => match syn::Lit::new(literal) {
            syn::Lit::Str(text) => Some(text.value()),
            _ => None,
        },
        TokenTree::Group(group) => first_string(group.stream()),
        _ => None,
    })
}

/// A pattern of the shape `^[class]{min,max}$`, over ASCII characters only.
#[derive(Debug, PartialEq)]
struct Pattern {
    /// Inclusive byte ranges; a single character is a range of one.
    class: Vec<(u8, u8)>,
    min: usize,
    /// `None` when unbounded.
    max: Option<usize>,
}

impl Pattern {
    /// The pattern `source`, or `None` when it is of any other shape.
    fn parse(source: &str) -> Option<Self> {
        let body = source.strip_prefix("^[")?;
        let (class, rest) = body.split_once(']')?;
        let quantifier = rest.strip_suffix('$')?;
        let class = parse_class(class)?;
        let (min, max) = match quantifier {
            "" => (1, Some(1)),
            "+" => (1, None),
            "*" => (0, None),
            _ => {
                let counts = quantifier.strip_prefix('{')?.strip_suffix('}')?;
                match counts.split_once(',') {
                    None => {
                        let n = parse_count(counts)?;
                        (n, Some(n))
                    }
                    Some((min, "")) => (parse_count(min)?, None),
                    Some((min, max)) => (parse_count(min)?, Some(parse_count(max)?)),
                }
            }
        };
        if max.is_some_and(|max| max < min) {
            return None;
        }
        Some(Self { class, min, max })
    }

    /// An expression that is true exactly when the `&str` named by `value` matches.
    ///
    /// Every character the class admits is ASCII, so a matching string's length in bytes is
    /// its length in characters, and a byte outside the class (any byte of a non-ASCII
    /// character among them) fails it.
    fn check(&self, value: TokenStream) -> TokenStream {
        let length = match (self.min, self.max) {
            (min, Some(max)) if min == max => {
                let n = Literal::usize_unsuffixed(min);
                quote!(#value.len() == #n)
            }
            (0, None) => quote!(true),
            (min, None) => {
                let min = Literal::usize_unsuffixed(min);
                quote!(#value.len() >= #min)
            }
            (min, Some(max)) => {
                let (min, max) = (
                    Literal::usize_unsuffixed(min),
                    Literal::usize_unsuffixed(max),
                );
                quote!((#min..=#max).contains(&#value.len()))
            }
        };
        let ranges = self.class.iter().map(|&(low, high)| {
            let (low, high) = (Literal::byte_character(low), Literal::byte_character(high));
            if low.to_string() == high.to_string() {
                quote!(#low)
            } else {
                quote!(#low..=#high)
            }
        });
        quote! {
            #length && #value.bytes().all(|byte| match byte {
                #(#ranges)|* => true,
                _ => false,
            })
        }
    }
}

fn parse_count(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The ranges of a class body such as `A-Fa-f\d`; `None` for anything beyond literal ASCII
/// letters, digits and `_`, ranges of those, `\d` and `\w`.
fn parse_class(class: &str) -> Option<Vec<(u8, u8)>> {
    let bytes = class.as_bytes();
    let mut ranges = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'\\' {
            match bytes.get(at + 1)? {
                b'd' => ranges.push((b'0', b'9')),
                b'w' => ranges.extend([(b'A', b'Z'), (b'a', b'z'), (b'0', b'9'), (b'_', b'_')]),
                _ => return None,
            }
            at += 2;
            continue;
        }
        let low = literal(bytes[at])?;
        if bytes.get(at + 1) == Some(&b'-') && at + 2 < bytes.len() {
            let high = literal(bytes[at + 2])?;
            if high < low {
                return None;
            }
            ranges.push((low, high));
            at += 3;
        } else {
            ranges.push((low, low));
            at += 1;
        }
    }
    (!ranges.is_empty()).then_some(ranges)
}

/// `byte` when it stands for itself in a class: an ASCII letter, digit or `_`.
fn literal(byte: u8) -> Option<u8> {
    (byte.is_ascii_alphanumeric() || byte == b'_').then_some(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_losant_id_pattern_is_a_class_repeated_24_times() {
        let pattern = Pattern::parse(r"^[A-Fa-f\d]{24}$").unwrap();
        assert_eq!(
            pattern,
            Pattern {
                class: vec![(b'A', b'F'), (b'a', b'f'), (b'0', b'9')],
                min: 24,
                max: Some(24),
            }
        );
    }

    #[test]
    fn quantifiers_give_the_length_bounds() {
        let bounds = |source: &str| Pattern::parse(source).map(|p| (p.min, p.max));
        assert_eq!(bounds("^[a-z]$"), Some((1, Some(1))));
        assert_eq!(bounds("^[a-z]+$"), Some((1, None)));
        assert_eq!(bounds("^[a-z]*$"), Some((0, None)));
        assert_eq!(bounds("^[a-z]{2,}$"), Some((2, None)));
        assert_eq!(bounds("^[a-z]{2,5}$"), Some((2, Some(5))));
        assert_eq!(bounds("^[a-z]{5,2}$"), None);
    }

    #[test]
    fn other_shapes_keep_the_regex() {
        for source in [
            r"[A-F]{24}",                        // unanchored
            r"^[A-F]{24}",                       // open end
            r"^[^A-F]{24}$",                     // negated class
            r"^[A-F\s]{24}$",                    // an escape beyond \d and \w
            r"^[A-F.]{24}$",                     // punctuation
            r"^[é]{2}$",                         // not ASCII
            r"^[A-F]{24}x$",                     // more after the quantifier
            r"^[A-F]{2}[a]$",                    // two classes
            r"^[F-A]$",                          // reversed range
            r"^[]$",                             // empty class
            r"^[a-z]{,3}$",                      // no minimum
            r"^[a-z]{99999999999999999999999}$", // too large to count
        ] {
            assert_eq!(Pattern::parse(source), None, "{source}");
        }
    }

    #[test]
    fn the_check_tests_length_then_bytes() {
        let check = Pattern::parse(r"^[A-Fa-f\d]{24}$")
            .unwrap()
            .check(quote!(value))
            .to_string();
        assert_eq!(
            check,
            quote!(
                value.len() == 24
                    && value.bytes().all(|byte| match byte {
                        b'A'..=b'F' | b'a'..=b'f' | b'0'..=b'9' => true,
                        _ => false,
                    })
            )
            .to_string()
        );
    }
}
