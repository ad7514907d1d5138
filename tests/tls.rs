//! https through the client's own TLS, whichever backend feature it is built with (`.ci/run`
//! runs this file once per feature set): a TLS server on loopback, with a certificate from a
//! certificate authority made for the test run, in front of the fake Losant.
#![cfg(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc-rs",
    feature = "native-tls"
))]

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use losant_invites_client::{Client, ErrorKind};
use losant_invites_mock::{MockServer, Seed, demo};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority, and a server certificate it signed for `127.0.0.1`.
struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // Names of their own: a certificate whose issuer is its own subject reads as self-signed.
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "losant-invites test authority");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    server_params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let server = server_params.signed_by(&server_key, &issuer).unwrap();
    Pki {
        ca_pem: ca.pem(),
        server_chain: vec![server.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
    }
}

/// Starts a TLS server on loopback that hands each connection, decrypted, to `backend`. Ring's
/// provider is deprecated by newer rustls (no post-quantum key exchange), which a test server
/// on loopback does not need.
#[allow(deprecated)]
async fn tls_in_front_of(backend: SocketAddr, pki: &Pki) -> SocketAddr {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to forward.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    addr
}

struct Setup {
    fake: MockServer,
    https: String,
    pki: Pki,
}

async fn setup() -> Setup {
    let fake = MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .unwrap();
    let pki = pki();
    let addr = tls_in_front_of(fake.addr(), &pki).await;
    Setup {
        fake,
        https: format!("https://{addr}"),
        pki,
    }
}

async fn get(client: &Client) -> Result<String, losant_invites_client::Error> {
    let invite = support::get(client, demo::INVITE_ID).await?;
    Ok(invite.id.map(|id| id.to_string()).unwrap_or_default())
}

#[tokio::test]
async fn https_works_with_a_root_the_caller_trusts() {
    let setup = setup().await;
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(&setup.https)
        .add_root_certificate_pem(setup.pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    assert_eq!(get(&client).await.unwrap(), demo::INVITE_ID);
    assert_eq!(setup.fake.requests().len(), 1);
    // The provider was set on the client's own configuration: none was installed for the
    // process, which a program linking both rustls providers relies on.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_before_anything_is_sent() {
    let setup = setup().await;
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(&setup.https)
        .build()
        .unwrap();
    let error = get(&client).await.expect_err("an unknown authority");
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "{error}"
    );
    assert!(setup.fake.requests().is_empty());
}

#[tokio::test]
async fn a_caller_s_own_reqwest_client_keeps_working() {
    let setup = setup().await;
    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(&setup.https)
        .http_client(callers_client(&setup.pki.ca_pem))
        .build()
        .unwrap();
    assert_eq!(get(&client).await.unwrap(), demo::INVITE_ID);
}

/// A reqwest client as a caller would set it up with the TLS backend of this build.
#[cfg(feature = "native-tls")]
fn callers_client(ca_pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_native()
        .tls_certs_merge([reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap()])
        .build()
        .unwrap()
}

#[cfg(not(feature = "native-tls"))]
#[allow(deprecated)] // ring's provider, as in `tls_in_front_of`
fn callers_client(ca_pem: &str) -> reqwest::Client {
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap()
}

#[test]
fn a_pem_without_a_certificate_fails_the_build() {
    let error = Client::builder()
        .token("t")
        .add_root_certificate_pem(b"not a certificate")
        .build()
        .expect_err("no certificate");
    assert!(
        error.to_string().starts_with("invalid root certificate"),
        "{error}"
    );
}
