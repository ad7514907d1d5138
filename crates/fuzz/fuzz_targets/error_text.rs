//! Any parts an answer can put into an error: formatting never panics, `Display` stays on one
//! line and bounded, and a secret the server echoes never shows.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Parts {
    kind: u8,
    status: u16,
    error_type: Option<String>,
    message: Option<String>,
    detail: Option<String>,
    body: Vec<u8>,
    secret: String,
}

fuzz_target!(|parts: Parts| {
    let (display, debug) = losant_invites_client::__internals::error_text(
        parts.kind,
        parts.status,
        parts.error_type.clone(),
        parts.message.clone(),
        parts.detail.clone(),
        &parts.body,
        &parts.secret,
    );
    assert!(!display.contains('\n') && !display.contains('\r'), "{display:?}");
    assert!(display.chars().count() < 4096, "{display:?}");
    // A token-like secret (long, letters and digits) must not show, unless the fixed words
    // of the message contain it by chance (say, `instanceOrgInvite`).
    let (fixed, _) = losant_invites_client::__internals::error_text(parts.kind, parts.status, None, None, None, b"", "");
    let token_like = parts.secret.len() >= 16 && parts.secret.chars().all(|c| c.is_ascii_alphanumeric());
    if token_like && !fixed.contains(&parts.secret) {
        assert!(!display.contains(&parts.secret), "{display:?}");
        assert!(!debug.contains(&parts.secret), "{debug:?}");
    }
});
