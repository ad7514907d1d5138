//! Inputs the fuzz targets under `crates/fuzz` once failed on, kept so they never fail again.

use crate::types;

/// Decodes `input` as `T`, encodes it and decodes that again: the two values must be equal.
fn round_trips<T>(input: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_str(input).expect("the input decodes");
    let encoded = serde_json::to_string(&value).expect("a decoded value encodes");
    let again: T = serde_json::from_str(&encoded).expect("an encoded value decodes");
    assert_eq!(again, value, "{input} became {encoded}");
}

/// `decode_answer`: a long number in an unknown field came back as a neighbouring float, until
/// exact float parsing was turned on.
#[test]
fn a_long_number_in_an_unknown_field_keeps_its_value() {
    let digits = format!("10{}", "4".repeat(104));
    round_trips::<types::OrgInvite>(&format!("   {{\"\":\n\n{digits} }}"));
}
