//! The TLS of the client's own HTTP client, as the crate's features choose it: rustls on the
//! ring provider (`rustls-ring`, the default), rustls on the aws-lc-rs provider
//! (`rustls-aws-lc-rs`), or the platform's own TLS library (`native-tls`). When several are
//! on, the one a caller asks for by name wins over the default: `native-tls` first, then
//! `rustls-aws-lc-rs`, then `rustls-ring`.
//!
//! The rustls provider is set on the client's own configuration, never installed for the
//! whole process: a program may link both providers (another dependency may enable the other
//! one), and rustls then refuses to pick one by itself. Certificates are checked against the
//! platform's trust store plus the roots the caller adds
//! ([`ClientBuilder::add_root_certificate_pem`](crate::ClientBuilder::add_root_certificate_pem)).

use rustls_pki_types::CertificateDer;

use crate::BuildError;

/// Sets up TLS on `builder` for the crate's chosen backend, trusting `roots` beside the
/// platform's trust store.
#[cfg(feature = "native-tls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots: Vec<CertificateDer<'static>>,
) -> Result<reqwest::ClientBuilder, BuildError> {
    let roots = roots
        .iter()
        .map(|root| reqwest::Certificate::from_der(root))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BuildError::InvalidCertificate(e.to_string()))?;
    Ok(builder.tls_backend_native().tls_certs_merge(roots))
}

#[cfg(all(
    not(feature = "native-tls"),
    any(feature = "rustls-ring", feature = "rustls-aws-lc-rs")
))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots: Vec<CertificateDer<'static>>,
) -> Result<reqwest::ClientBuilder, BuildError> {
    use std::sync::Arc;

    let provider = Arc::new(provider());
    let setup = |e: rustls::Error| BuildError::Http(format!("TLS: {e}"));
    let verifier = platform_verifier(roots, provider.clone()).map_err(setup)?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(setup)?
        // Not a shortcut: the platform verifier checks the chain and the host name, against
        // the platform's trust store and the caller's roots.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(all(
    not(feature = "native-tls"),
    any(feature = "rustls-ring", feature = "rustls-aws-lc-rs")
))]
fn platform_verifier(
    roots: Vec<CertificateDer<'static>>,
    provider: std::sync::Arc<rustls::crypto::CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    #[cfg(not(target_os = "android"))]
    return rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider);
    #[cfg(target_os = "android")]
    return match roots.is_empty() {
        true => rustls_platform_verifier::Verifier::new(provider),
        false => Err(rustls::Error::General(
            "extra root certificates are not supported on Android".into(),
        )),
    };
}

/// Without a TLS feature the client speaks plain http only, to a loopback host or where the
/// caller allowed it; `https` is refused when the client is built, not on the first request.
#[cfg(not(any(
    feature = "native-tls",
    feature = "rustls-ring",
    feature = "rustls-aws-lc-rs"
)))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    _roots: Vec<CertificateDer<'static>>,
) -> Result<reqwest::ClientBuilder, BuildError> {
    Ok(builder)
}

/// A `reqwest::ClientBuilder` with this crate's TLS setup (the backend its features choose,
/// the platform's trust store), to build a `reqwest::Client` of your own for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client): add proxies, timeouts or
/// anything else reqwest offers, and keep the TLS this crate was built with.
///
/// With the rustls features, reqwest is built without a crypto provider of its own (so that
/// none has to be installed for the whole process): a `reqwest::Client::new()` elsewhere in the
/// program then needs one named, by reqwest's own `rustls` feature, by rustls's
/// `CryptoProvider::install_default`, or by starting from this builder.
///
/// # Errors
/// [`BuildError::Http`] when the platform's trust store cannot be read.
///
/// ```
/// let own = losant_invites_client::http_client_builder()?
///     .pool_max_idle_per_host(4)
///     .build()?;
/// let client = losant_invites_client::Client::builder()
///     .token("my-token")
///     .http_client(own)
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, BuildError> {
    configure(reqwest::Client::builder(), Vec::new())
}

/// Installs this crate's rustls crypto provider (ring with `rustls-ring`, aws-lc-rs with
/// `rustls-aws-lc-rs`) as the process-wide default, for the `reqwest::Client`s the rest of a
/// program builds for itself. Call it once, first thing in `main`.
///
/// Why it is needed: with the rustls features this crate turns on reqwest's
/// `rustls-no-provider` feature, and Cargo features hold for the whole program, so every
/// `reqwest::Client::new()` in it then needs a process-wide provider, and panics ("No rustls
/// crypto provider is configured") without one. This crate's own client never needs it (its
/// provider is set on its own TLS configuration), and it never installs one behind your back:
/// a program may want another provider, and the first one installed stays.
///
/// Returns whether it installed the provider: `false` when one was installed already, or
/// with the `native-tls` feature or no TLS feature, which need none.
///
/// ```
/// losant_invites_client::install_default_crypto_provider();
/// let own = reqwest::Client::new(); // no panic
/// # drop(own);
/// ```
pub fn install_default_crypto_provider() -> bool {
    #[cfg(feature = "__rustls")]
    return provider().install_default().is_ok();
    #[cfg(not(feature = "__rustls"))]
    false
}

/// The rustls crypto provider the crate's features choose: aws-lc-rs with
/// `rustls-aws-lc-rs`, else ring.
#[cfg(feature = "__rustls")]
fn provider() -> rustls::crypto::CryptoProvider {
    #[cfg(feature = "rustls-aws-lc-rs")]
    return rustls::crypto::aws_lc_rs::default_provider();
    // rustls 0.23.48 deprecates ring's provider because ring offers no post-quantum key
    // exchange, and names no replacement for it. ring stays the default backend because it
    // builds in seconds where aws-lc-rs compiles C for minutes; the `rustls-aws-lc-rs` feature
    // is the choice for post-quantum key exchange (the README's TLS section says so). The
    // allowance keeps the build clean against the locked rustls and the newest alike.
    #[cfg(not(feature = "rustls-aws-lc-rs"))]
    #[allow(deprecated)]
    return rustls::crypto::ring::default_provider();
}

/// Whether this build can speak `https`.
pub(crate) const AVAILABLE: bool = cfg!(any(
    feature = "native-tls",
    feature = "rustls-ring",
    feature = "rustls-aws-lc-rs"
));

/// The certificates of a PEM text, for
/// [`ClientBuilder::add_root_certificate_pem`](crate::ClientBuilder::add_root_certificate_pem).
pub(crate) fn parse_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, BuildError> {
    use rustls_pki_types::pem::PemObject;

    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BuildError::InvalidCertificate(format!("not PEM: {e}")))?;
    if certificates.is_empty() {
        return Err(BuildError::InvalidCertificate(
            "no `-----BEGIN CERTIFICATE-----` block".into(),
        ));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_without_a_certificate_is_refused() {
        for text in [
            &b""[..],
            b"hello",
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ] {
            let error = parse_pem(text).expect_err("no certificate");
            assert!(
                matches!(error, BuildError::InvalidCertificate(_)),
                "{error:?}"
            );
        }
    }

    #[test]
    fn a_broken_pem_block_is_refused() {
        let error = parse_pem(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")
            .expect_err("broken");
        assert!(error.to_string().contains("not PEM"), "{error}");
    }
}
