//! The one duration syntax of every flag of the fake and of `losant-invites`: a number of
//! seconds (`1.5`), or a number with a unit (`1.5s`, `500ms`, `2m`, `30d`, `1h 30m`), read by
//! `humantime` once a bare number has been given its unit.

use std::time::Duration;

/// Reads a duration given on a command line: `1.5` (seconds), `1.5s`, `500ms`, `2m`, `30d`
/// or combinations such as `1h 30m`. Zero is refused: no flag of either command line means
/// anything by a zero duration.
///
/// # Errors
/// A message quoting the text and showing the forms it takes.
///
/// ```
/// use std::time::Duration;
/// use losant_invites_mock::parse_duration;
///
/// assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
/// assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
/// assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    let invalid = |why: String| {
        format!("{text:?} is not a duration such as 1.5 (seconds), 1.5s, 500ms or 2m: {why}")
    };
    // A bare number is seconds; humantime wants every number to carry its unit.
    let with_unit = match trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        true if !trimmed.is_empty() => format!("{trimmed}s"),
        _ => trimmed.to_owned(),
    };
    let duration = humantime::parse_duration(&with_unit).map_err(|e| invalid(e.to_string()))?;
    if duration.is_zero() {
        return Err(invalid("it must be more than zero".into()));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads() {
        for (text, expected) in [
            ("1.5", Duration::from_millis(1500)),
            ("7", Duration::from_secs(7)),
            ("1.5s", Duration::from_millis(1500)),
            ("30s", Duration::from_secs(30)),
            ("500ms", Duration::from_millis(500)),
            ("2m", Duration::from_secs(120)),
            (" 30d ", Duration::from_secs(30 * 24 * 3600)),
            ("1h 30m", Duration::from_secs(5400)),
        ] {
            assert_eq!(parse_duration(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_it_takes() {
        for bad in [
            "",
            "0",
            "0s",
            "-1",
            "soon",
            "NaN",
            "1.5.2",
            "s",
            "5 parsecs",
            "1e3",
        ] {
            let error = parse_duration(bad).expect_err(bad);
            assert!(
                error.contains(&format!("{bad:?}")) && error.contains("500ms"),
                "{bad}: {error}"
            );
        }
    }
}
