//! A moment as Losant writes it: an RFC 3339 date-time, kept as sent.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone, Utc};

/// A date and time from an answer, such as an invite's `inviteDate`: checked to be an RFC 3339
/// date-time when it is read, and kept as the text Losant sent, so an answer encodes back
/// exactly as it came (`2016-05-13T04:00:00.000Z` stays that, rather than becoming
/// `2016-05-13T04:00:00Z`).
///
/// ```
/// use losant_invites_client::Timestamp;
///
/// let sent: Timestamp = "2016-05-13T06:00:00.000+02:00".parse()?;
/// assert_eq!(sent.to_string(), "2016-05-13T06:00:00.000+02:00");
/// assert_eq!(sent.to_utc().to_rfc3339(), "2016-05-13T04:00:00+00:00");
/// # Ok::<(), chrono::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    at: DateTime<FixedOffset>,
}

impl Timestamp {
    /// The date-time as Losant wrote it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The moment, with the offset Losant wrote.
    pub fn date_time(&self) -> DateTime<FixedOffset> {
        self.at
    }

    /// The moment in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.at.to_utc()
    }
}

impl FromStr for Timestamp {
    type Err = chrono::ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self {
            at: DateTime::parse_from_rfc3339(text)?,
            text: text.to_owned(),
        })
    }
}

/// Written as Losant writes dates: UTC with milliseconds, `2016-05-13T04:00:00.000Z`.
impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp {
    fn from(at: DateTime<Tz>) -> Self {
        let at = at.fixed_offset();
        Self {
            text: at.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true),
            at,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match DateTime::parse_from_rfc3339(&text) {
            Ok(at) => Ok(Self { text, at }),
            Err(e) => Err(serde::de::Error::custom(format_args!(
                "{text:?} is not an RFC 3339 date-time: {e}"
            ))),
        }
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date-time".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_kept_and_the_moment_read() {
        for text in [
            "2016-05-13T04:00:00.000Z",
            "2016-05-13T04:00:00Z",
            "2016-05-13T09:00:00.000000+05:00",
        ] {
            let at: Timestamp = serde_json::from_str(&format!("{text:?}")).unwrap();
            assert_eq!(serde_json::to_string(&at).unwrap(), format!("{text:?}"));
            assert_eq!(at.to_utc().timestamp(), 1_463_112_000);
        }
    }

    #[test]
    fn what_is_not_a_date_time_is_refused() {
        for text in ["", "yesterday", "2016-05-13", "2016-05-13T04:00:00"] {
            let error = serde_json::from_str::<Timestamp>(&format!("{text:?}")).unwrap_err();
            assert!(error.to_string().contains("RFC 3339"), "{text}: {error}");
        }
    }

    #[test]
    fn a_chrono_date_is_written_as_losant_writes_dates() {
        let at = Utc.timestamp_millis_opt(1_463_112_000_000).unwrap();
        assert_eq!(Timestamp::from(at).to_string(), "2016-05-13T04:00:00.000Z");
    }
}
