//! The ID of anything in Losant: 24 hexadecimal characters.

use std::fmt;
use std::str::FromStr;

/// A Losant ID, such as the `575ec8687ae143cd83dc4a94` of an instance, an organization or an
/// invite: 24 hexadecimal characters, checked when it is made, so every `LosantId` a request
/// carries or an answer holds is valid.
///
/// Builder setters take anything that converts into one, a `&str` or a `String` among them,
/// and report a value that does not convert as invalid input before anything is sent.
///
/// ```
/// use losant_invites_client::LosantId;
///
/// let id: LosantId = "575ec8687ae143cd83dc4a94".parse()?;
/// assert_eq!(id.as_str(), "575ec8687ae143cd83dc4a94");
///
/// let error = "123".parse::<LosantId>().unwrap_err();
/// assert_eq!(error.to_string(), r#""123" is not a Losant ID (24 hexadecimal characters)"#);
/// # Ok::<(), losant_invites_client::InvalidLosantId>(())
/// ```
///
/// It is held inline, as its 24 bytes, so it is `Copy`: IDs are copied into every request and
/// decoded out of every answer, and none of them allocates.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LosantId([u8; 24]);

/// The longest excerpt of a rejected value an [`InvalidLosantId`] shows, in characters.
const SHOWN_CHARS: usize = 40;

impl LosantId {
    /// The ID as text.
    pub fn as_str(&self) -> &str {
        // Hexadecimal digits, checked when the ID was made: always UTF-8, so never the empty
        // fallback.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The ID `text` holds, when it is one.
    fn of(text: &str) -> Option<Self> {
        let bytes: [u8; 24] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_hexdigit)
            .then_some(Self(bytes))
    }
}

/// Why a text is not a [`LosantId`]; its `Display` shows the text, cut short if it is long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidLosantId {
    value: String,
}

impl InvalidLosantId {
    /// The text that was rejected.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for InvalidLosantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.value.chars().take(SHOWN_CHARS).collect();
        let cut = if shown.len() < self.value.len() {
            "…"
        } else {
            ""
        };
        write!(
            f,
            "{shown:?}{cut} is not a Losant ID (24 hexadecimal characters)"
        )
    }
}

impl std::error::Error for InvalidLosantId {}

impl FromStr for LosantId {
    type Err = InvalidLosantId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::of(text).ok_or_else(|| InvalidLosantId {
            value: text.to_owned(),
        })
    }
}

impl TryFrom<String> for LosantId {
    type Error = InvalidLosantId;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::of(&text).ok_or(InvalidLosantId { value: text })
    }
}

impl TryFrom<&str> for LosantId {
    type Error = InvalidLosantId;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<&String> for LosantId {
    type Error = InvalidLosantId;

    fn try_from(text: &String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<&LosantId> for LosantId {
    fn from(id: &LosantId) -> Self {
        *id
    }
}

impl From<LosantId> for String {
    fn from(id: LosantId) -> Self {
        id.as_str().to_owned()
    }
}

impl AsRef<str> for LosantId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::ops::Deref for LosantId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for LosantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for LosantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for LosantId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for LosantId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read from the text where it lies, without a copy of its own.
        struct Id;
        impl serde::de::Visitor<'_> for Id {
            type Value = LosantId;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Losant ID (24 hexadecimal characters)")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<LosantId, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Id)
    }
}

impl schemars::JsonSchema for LosantId {
    fn schema_name() -> String {
        "LosantId".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            metadata: Some(Box::new(schemars::schema::Metadata {
                description: Some("A Losant ID, 24 hexadecimal characters.".to_owned()),
                ..Default::default()
            })),
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            string: Some(Box::new(schemars::schema::StringValidation {
                pattern: Some(r"^[A-Fa-f\d]{24}$".to_owned()),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_24_hexadecimal_characters_are_an_id() {
        for valid in ["575ec8687ae143cd83dc4a94", "ABCDEFabcdef012345678901"] {
            assert_eq!(valid.parse::<LosantId>().unwrap().as_str(), valid);
        }
        for invalid in [
            "",
            "575ec8687ae143cd83dc4a9",
            "575ec8687ae143cd83dc4a944",
            "575ec8687ae143cd83dc4a9g",
            "575ec8687ae143cd83dc4a9\u{e9}",
            "５75ec8687ae143cd83dc4a94",
        ] {
            assert_eq!(
                invalid.parse::<LosantId>().unwrap_err().value(),
                invalid,
                "{invalid:?}"
            );
        }
    }

    #[test]
    fn a_long_rejected_value_is_shown_cut_short() {
        let text = "x".repeat(10_000);
        let shown = text.parse::<LosantId>().unwrap_err().to_string();
        assert!(
            shown.starts_with(&format!("\"{}\"…", "x".repeat(SHOWN_CHARS))),
            "{shown}"
        );
        assert!(shown.len() < 120, "{shown}");
    }

    #[test]
    fn serde_reads_only_valid_ids() {
        let id: LosantId = serde_json::from_str("\"575ec8687ae143cd83dc4a94\"").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"575ec8687ae143cd83dc4a94\""
        );
        let error = serde_json::from_str::<LosantId>("\"123\"").unwrap_err();
        assert!(error.to_string().contains("is not a Losant ID"), "{error}");
    }
}
