//! Every request the fake received, in arrival order, so a test can assert exactly what a
//! client sent, or that it sent nothing at all.

use std::collections::VecDeque;

use serde::Serialize;

/// How much of a request body the log keeps; the rest is only counted (`body_len`).
pub const LOGGED_BODY_BYTES: usize = 64 * 1024;

/// The default budget of the request log, in bytes: past it the oldest requests are forgotten.
pub const DEFAULT_LOG_BUDGET: usize = 64 * 1024 * 1024;

/// What each part of a logged request costs besides its text: a rough share of the
/// allocations and bookkeeping that hold it.
const PART_OVERHEAD: usize = 48;

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
    /// The body, as text (invalid UTF-8 replaced): at most its first [`LOGGED_BODY_BYTES`],
    /// and `None` when it was empty, or when the request carried no valid token or went to a
    /// path the fake does not serve (those are counted, not kept).
    pub body: Option<String>,
    /// The body's whole length in bytes, as far as it was read.
    pub body_len: usize,
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

    /// What the entry costs the log's budget: its text, plus a fixed overhead per part.
    pub fn size(&self) -> usize {
        let pairs = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(name, value)| name.len() + value.len() + PART_OVERHEAD)
                .sum::<usize>()
        };
        4 * PART_OVERHEAD
            + self.method.len()
            + self.path.len()
            + pairs(&self.query)
            + pairs(&self.headers)
            + self.body.as_ref().map_or(0, String::len)
    }

    /// The body parsed as JSON, if it was JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        self.body
            .as_deref()
            .and_then(|body| serde_json::from_str(body).ok())
    }
}

/// The requests received, oldest first, within a budget of bytes (see
/// [`RecordedRequest::size`]): past it the oldest are forgotten first.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<RecordedRequest>,
    bytes: usize,
    budget: usize,
}

impl RequestLog {
    pub(crate) fn new(budget: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    /// Keeps `entry`, forgetting the oldest entries as the budget needs. An entry larger than
    /// the whole budget is not kept at all.
    pub(crate) fn push(&mut self, entry: RecordedRequest) {
        let size = entry.size();
        if size > self.budget {
            return;
        }
        while self.bytes + size > self.budget {
            match self.entries.pop_front() {
                Some(oldest) => self.bytes -= oldest.size(),
                None => break,
            }
        }
        self.bytes += size;
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = &RecordedRequest> {
        self.entries.iter()
    }

    /// What the kept entries cost, in bytes.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
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

    fn entry(path: &str, body: usize) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            path: path.into(),
            query: vec![("_links".into(), "true".into())],
            headers: vec![("authorization".into(), "Bearer [redacted]".into())],
            body: (body > 0).then(|| "x".repeat(body)),
            body_len: body,
        }
    }

    #[test]
    fn the_log_keeps_to_its_budget_forgetting_the_oldest_first() {
        let one = entry("/a", 1000).size();
        let mut log = RequestLog::new(3 * one);
        for path in ["/a", "/b", "/c", "/d"] {
            log.push(entry(path, 1000));
        }
        let paths: Vec<&str> = log.entries().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/b", "/c", "/d"]);
        assert_eq!(log.bytes(), 3 * one);
        // One larger entry pushes out as many as it needs.
        log.push(entry("/e", 1000 + one));
        let paths: Vec<&str> = log.entries().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/d", "/e"]);
        assert!(log.bytes() <= 3 * one);
        // One larger than the whole budget is not kept, and nothing is lost for it.
        log.push(entry("/f", 4 * one));
        assert_eq!(log.entries().count(), 2);
        log.clear();
        assert_eq!((log.entries().count(), log.bytes()), (0, 0));
    }

    #[test]
    fn authorization_keeps_its_scheme_and_loses_its_secret() {
        assert_eq!(redact_authorization("Bearer s3cret"), "Bearer [redacted]");
        assert_eq!(redact_authorization("s3cret"), "[redacted]");
    }
}
