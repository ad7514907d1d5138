//! An answer's body decoded into the value its action promises.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The answer's JSON body as a `T`, with its status and headers: progenitor's
/// `ResponseValue::from_response`, moving the headers out of the answer where it copies them.
/// Its errors are the same, so the generated code treats both alike.
pub(crate) async fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(Error::InvalidResponsePayload(body, e)),
    }
}
