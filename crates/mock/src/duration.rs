//! The one duration syntax of every flag of the fake and of `losant-invites`: a number with
//! its unit (`1.5s`, `500ms`, `2m`, `30d`, `1h 30m`), read by `humantime`. A number without a
//! unit is refused rather than guessed: `--older-than 30` meant 30 seconds to the program
//! and 30 days to the person who typed it.

use std::time::Duration;

/// How one kind of duration flag reads its value and what its messages suggest: examples
/// that fit the flag (`30d` for an age, `30s` for a timeout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DurationSyntax {
    examples: &'static [&'static str],
}

/// Ages, such as `--older-than`: days, hours, minutes.
pub const AGE: DurationSyntax = DurationSyntax::new(&["30d", "12h", "90m"]);
/// Timeouts, such as `--timeout` and the fake's `--idle-timeout`.
pub const TIMEOUT: DurationSyntax = DurationSyntax::new(&["30s", "500ms", "2m"]);
/// Latencies and pauses, such as the fake's `--latency get=250ms`.
pub const LATENCY: DurationSyntax = DurationSyntax::new(&["250ms", "1s"]);

/// Every unit the syntax reads, as a message names them.
const UNITS: &str = "ms, s, m, h, d";

impl DurationSyntax {
    /// A syntax whose messages suggest `examples`, each a number with its unit.
    pub const fn new(examples: &'static [&'static str]) -> Self {
        Self { examples }
    }

    /// Reads `text`: a number with a unit, or several (`1h 30m`). Zero is refused too: no
    /// flag of either command line means anything by a zero duration.
    ///
    /// # Errors
    /// A message quoting (the start of) the text and giving examples that fit the flag; a
    /// bare number is told which units it could take.
    ///
    /// ```
    /// use std::time::Duration;
    /// use losant_invites_mock::duration::{AGE, TIMEOUT};
    ///
    /// assert_eq!(TIMEOUT.parse("500ms"), Ok(Duration::from_millis(500)));
    /// assert_eq!(AGE.parse("30d"), Ok(Duration::from_secs(30 * 24 * 3600)));
    /// let bare = AGE.parse("30").unwrap_err();
    /// assert!(bare.contains("30d, 30h or 30m"), "{bare}");
    /// ```
    pub fn parse(&self, text: &str) -> Result<Duration, String> {
        let trimmed = text.trim();
        let quoted = quote(trimmed);
        let is_number = trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && trimmed.parse::<f64>().is_ok();
        if is_number {
            let suggestions: Vec<String> = self
                .examples
                .iter()
                .map(|example| format!("{trimmed}{}", unit_of(example)))
                .collect();
            return Err(format!(
                "{quoted} has no unit: write {} (units: {UNITS})",
                or_list(&suggestions)
            ));
        }
        let invalid = |why: &str| {
            let examples: Vec<String> = self.examples.iter().map(|e| (*e).to_owned()).collect();
            format!(
                "{quoted} is not a duration such as {} ({why})",
                or_list(&examples)
            )
        };
        let duration = humantime::parse_duration(trimmed).map_err(|e| invalid(&e.to_string()))?;
        if duration.is_zero() {
            return Err(invalid("it must be more than zero"));
        }
        Ok(duration)
    }

    /// [`parse`](Self::parse) as a function a command-line parser takes.
    pub fn parser(self) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync {
        move |text| self.parse(text)
    }
}

/// Reads a timeout-like duration (`30s`, `500ms`, `2m`): [`TIMEOUT`]'s syntax.
///
/// # Errors
/// As [`DurationSyntax::parse`].
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    TIMEOUT.parse(text)
}

/// A duration as people write it: `30 days`, `1 hour 30 minutes`, `500 milliseconds`.
///
/// ```
/// use std::time::Duration;
/// use losant_invites_mock::duration::format_duration;
///
/// assert_eq!(format_duration(Duration::from_secs(30 * 86_400)), "30 days");
/// assert_eq!(format_duration(Duration::from_secs(5_400)), "1 hour 30 minutes");
/// ```
pub fn format_duration(duration: Duration) -> String {
    let mut seconds = duration.as_secs();
    let mut parts = Vec::new();
    for (size, unit) in [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ] {
        let count = seconds / size;
        seconds %= size;
        if count > 0 {
            parts.push(counted(count, unit));
        }
    }
    let millis = u64::from(duration.subsec_millis());
    if millis > 0 || parts.is_empty() {
        parts.push(counted(millis, "millisecond"));
    }
    parts.join(" ")
}

fn counted(count: u64, unit: &str) -> String {
    match count {
        1 => format!("1 {unit}"),
        n => format!("{n} {unit}s"),
    }
}

/// The unit of an example such as `30d` or `500ms`: what follows its number.
fn unit_of(example: &str) -> &str {
    example.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The text quoted for a message, cut to its first 40 characters: a message quotes what was
/// typed, never a whole file's worth of it.
fn quote(text: &str) -> String {
    const SHOWN: usize = 40;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_with_a_unit_reads() {
        for (text, expected) in [
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
    fn a_bare_number_is_refused_with_units_that_fit_the_flag() {
        let age = AGE.parse("30").unwrap_err();
        assert!(age.contains("\"30\" has no unit"), "{age}");
        assert!(age.contains("30d, 30h or 30m"), "{age}");
        let timeout = TIMEOUT.parse("1.5").unwrap_err();
        assert!(timeout.contains("1.5s, 1.5ms or 1.5m"), "{timeout}");
        for bare in ["0", "7", "1.5"] {
            assert!(parse_duration(bare).unwrap_err().contains("has no unit"));
        }
    }

    #[test]
    fn anything_else_is_refused_with_examples_that_fit_the_flag() {
        for bad in [
            "",
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
            assert!(error.contains("30s, 500ms or 2m"), "{bad}: {error}");
        }
        assert!(AGE.parse("soon").unwrap_err().contains("30d, 12h or 90m"));
        let long = "x".repeat(10_000);
        let error = AGE.parse(&long).unwrap_err();
        assert!(error.len() < 200, "quotes an excerpt: {}", error.len());
    }

    #[test]
    fn durations_print_as_people_write_them() {
        for (duration, text) in [
            (Duration::from_secs(30 * 86_400), "30 days"),
            (Duration::from_secs(86_400 + 3_600), "1 day 1 hour"),
            (Duration::from_secs(12 * 3_600), "12 hours"),
            (Duration::from_secs(90 * 60), "1 hour 30 minutes"),
            (Duration::from_millis(1_500), "1 second 500 milliseconds"),
            (Duration::ZERO, "0 milliseconds"),
        ] {
            assert_eq!(format_duration(duration), text);
        }
    }
}
