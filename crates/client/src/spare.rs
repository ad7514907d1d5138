//! What a call keeps of its request to send it again, should an attempt fail.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Body, Method, Request, Url, Version};

/// A request, but for its URL: the generated code keeps the URL as the text it formatted, and
/// it is parsed again only when a retry happens. Every call that may be retried makes one of
/// these before its first attempt, so it copies only what it must: the headers, and the body
/// once into shared bytes that each retry then shares.
pub(crate) struct Spare {
    method: Method,
    headers: HeaderMap,
    version: Version,
    body: Option<Bytes>,
}

impl Spare {
    /// What to send `request` again with; `None` when its body is streamed, which cannot be
    /// sent twice, and then there is no retry.
    pub(crate) fn of(request: &Request) -> Option<Self> {
        let body = match request.body() {
            Some(body) => Some(Bytes::copy_from_slice(body.as_bytes()?)),
            None => None,
        };
        Some(Self {
            method: request.method().clone(),
            headers: request.headers().clone(),
            version: request.version(),
            body,
        })
    }

    /// The request again, to `url`; `None` if `url` does not parse, which it did for the first
    /// attempt.
    pub(crate) fn request(&self, url: &str) -> Option<Request> {
        let mut request = Request::new(self.method.clone(), Url::parse(url).ok()?);
        *request.headers_mut() = self.headers.clone();
        *request.version_mut() = self.version;
        *request.body_mut() = self.body.clone().map(Body::from);
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spare_rebuilds_the_request_it_was_made_of() {
        let url = "https://api.losant.com/instances/a/orgs/b/invites/c?_actions=false";
        let mut original = Request::new(Method::POST, Url::parse(url).unwrap());
        original
            .headers_mut()
            .insert("content-type", "application/json".parse().unwrap());
        *original.body_mut() = Some(Body::from(r#"{"role":"edit"}"#));
        let spare = Spare::of(&original).unwrap();
        for _ in 0..2 {
            let again = spare.request(url).unwrap();
            assert_eq!(again.method(), original.method());
            assert_eq!(again.url(), original.url());
            assert_eq!(again.headers(), original.headers());
            assert_eq!(again.version(), original.version());
            assert_eq!(
                again.body().and_then(Body::as_bytes),
                original.body().and_then(Body::as_bytes)
            );
        }
        assert!(spare.request("not a url").is_none());
    }

    #[test]
    fn a_body_that_cannot_be_read_twice_has_no_spare() {
        let url = Url::parse("https://api.losant.com/").unwrap();
        let mut request = Request::new(Method::POST, url);
        // A wrapped body is read as it is sent, so reqwest cannot hand its bytes out.
        *request.body_mut() = Some(Body::wrap(http_body_util::Full::new(Bytes::from("x"))));
        assert!(Spare::of(&request).is_none());
    }
}
