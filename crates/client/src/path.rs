//! Path parameters as they go into a request URL.

use std::fmt::Display;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a path parameter may hold unencoded: RFC 3986's unreserved characters. Anything else,
/// `/`, `?`, `#` and `%` among them, is percent-encoded, so a value can never end its segment
/// or the path early.
const UNRESERVED_KEPT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` percent-encoded as one path segment, written straight into the URL being
/// formatted: the generated code builds each URL with one `format!` and no copy per segment.
pub(crate) fn segment(value: &str) -> impl Display + '_ {
    utf8_percent_encode(value, UNRESERVED_KEPT)
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn a_segment_cannot_break_out_of_its_place() {
        let cases = [
            ("575ec8687ae143cd83dc4a94", "575ec8687ae143cd83dc4a94"),
            ("a/b", "a%2Fb"),
            ("a?b#c", "a%3Fb%23c"),
            ("100%", "100%25"),
            ("x y", "x%20y"),
            ("é", "%C3%A9"),
            ("-._~", "-._~"),
        ];
        for (value, encoded) in cases {
            assert_eq!(segment(value).to_string(), encoded, "{value}");
        }
    }
}
