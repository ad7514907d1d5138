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
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LosantId(String);

/// The longest excerpt of a rejected value an [`InvalidLosantId`] shows, in characters.
const SHOWN_CHARS: usize = 40;

impl LosantId {
    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn is_valid(text: &str) -> bool {
        text.len() == 24 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
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
        Self::try_from(text.to_owned())
    }
}

impl TryFrom<String> for LosantId {
    type Error = InvalidLosantId;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        if Self::is_valid(&text) {
            Ok(Self(text))
        } else {
            Err(InvalidLosantId { value: text })
        }
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
        id.clone()
    }
}

impl From<LosantId> for String {
    fn from(id: LosantId) -> Self {
        id.0
    }
}

impl AsRef<str> for LosantId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for LosantId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LosantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LosantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl serde::Serialize for LosantId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for LosantId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::try_from(text).map_err(serde::de::Error::custom)
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
