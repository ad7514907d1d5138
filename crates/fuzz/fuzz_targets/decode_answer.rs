//! Any bytes as an answer body: decoding into each answer type never panics, and whatever
//! decodes encodes back to something that decodes to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use losant_invites_client::types;
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
        let again: T = serde_json::from_slice(&encoded).expect("an encoded value decodes");
        assert_eq!(again, value);
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<types::OrgInvite>(data);
    round_trip::<types::Success>(data);
    round_trip::<types::ApiError>(data);
    round_trip::<types::OrgRoleInfo>(data);
});
