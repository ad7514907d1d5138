//! A program that depends on the client and builds a `reqwest::Client` of its own. With the
//! rustls features reqwest carries no crypto provider, so such a program panics at
//! `reqwest::Client::new()` until it runs the one line the client README gives; then its own
//! client works. One test in its own process: the provider is installed for the whole process.
#![cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs"))]

use losant_invites_mock::{MockServer, Seed, demo};

#[tokio::test]
async fn the_readme_s_one_line_lets_a_program_build_its_own_reqwest_client() {
    let before = std::panic::catch_unwind(reqwest::Client::new);
    assert!(
        before.is_err(),
        "without a provider reqwest::Client::new() panics; if it no longer does, the README's \
         note on it can go"
    );

    assert!(losant_invites_client::install_default_crypto_provider());
    assert!(
        !losant_invites_client::install_default_crypto_provider(),
        "the first provider installed stays"
    );

    let fake = MockServer::builder()
        .seed(Seed::demo())
        .start()
        .await
        .unwrap();
    let own = reqwest::Client::new();
    let answer = own
        .get(format!(
            "{}/instances/{}/orgs/{}/invites/{}",
            fake.url(),
            demo::INSTANCE_ID,
            demo::ORG_ID,
            demo::INVITE_ID
        ))
        .bearer_auth(demo::ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}
