//! Every request the fake received, in arrival order, so a test can assert exactly what a
//! client sent, or that it sent nothing at all.

use serde::Serialize;

/// What `Authorization` values are replaced by in the log: the scheme stays, the secret goes.
pub const REDACTED: &str = "[redacted]";

/// One request as it arrived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedRequest {
    /// The HTTP method, such as `GET`.
    pub method: String,
    /// The path, still percent-encoded as sent.
    pub path: String,
    /// The query pairs, decoded, in the order sent.
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case, in the order sent. The `Authorization` value keeps
    /// its scheme (`Bearer`) and loses the credential.
    pub headers: Vec<(String, String)>,
    /// The body, as text (invalid UTF-8 replaced), or `None` when it was empty.
    pub body: Option<String>,
}

impl RecordedRequest {
    /// The first value of header `name` (any case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query pairs sorted by name, then value: the form to compare with.
    pub fn sorted_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        query.sort();
        query
    }

    /// The body parsed as JSON, if it was JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        self.body
            .as_deref()
            .and_then(|body| serde_json::from_str(body).ok())
    }
}

/// The `Authorization` value as the log shows it.
pub(crate) fn redact_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} {REDACTED}"),
        None => REDACTED.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_its_scheme_and_loses_its_secret() {
        assert_eq!(redact_authorization("Bearer s3cret"), "Bearer [redacted]");
        assert_eq!(redact_authorization("s3cret"), "[redacted]");
    }
}
