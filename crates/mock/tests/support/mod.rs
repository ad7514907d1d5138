//! What the fake's test files share.

use std::sync::Arc;

/// A reqwest client builder for talking to the fake. In a workspace build reqwest carries
/// rustls without a crypto provider (the client crate sets its own on its own configuration),
/// so a plain reqwest client must name one, even for plain http. Ring's provider is deprecated
/// by newer rustls (it has no post-quantum key exchange), which nothing here needs.
#[allow(deprecated)]
pub fn http() -> reqwest::ClientBuilder {
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder().tls_backend_preconfigured(config)
}
