//! What every input file of a job shares (an ID list, a roster): UTF-8 text whose blank lines
//! and `#` comments are skipped, each line keeping its number, and problems named by line,
//! quoting at most a short excerpt of what was read.

use std::fmt;

/// One problem of an input, on its line (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line of the input the problem is on; 0 for the input as a whole.
    pub line: usize,
    /// What is wrong, quoting at most an excerpt of the line.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            line => write!(f, "line {line}: {}", self.message),
        }
    }
}

/// Why an input was refused: every problem found, in the order of the lines, all in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The problems, by line.
    pub problems: Vec<Problem>,
}

impl InputError {
    pub(crate) fn new(mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|problem| problem.line);
        Self { problems }
    }

    pub(crate) fn one(line: usize, message: impl Into<String>) -> Self {
        Self::new(vec![Problem {
            line,
            message: message.into(),
        }])
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, problem) in self.problems.iter().enumerate() {
            if n > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// `bytes` as text, or the line on which they stop being UTF-8.
pub(crate) fn text(bytes: &[u8]) -> Result<&str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        InputError::one(line, "not UTF-8 text")
    })
}

/// The lines that say something, each with its number in the input (from 1): blank lines and
/// `#` comments skipped.
pub(crate) fn meaningful_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        })
}

/// The most characters of an input a message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// `text` quoted for a message, cut to [`EXCERPT_CHARS`] with `…` when longer.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

/// A message cut to a few lines' worth: the last guard against quoting a whole input, for
/// messages of other libraries (a decoder's) that quote what they read.
pub(crate) fn bounded(message: &str) -> String {
    const LONGEST: usize = 300;
    match message.char_indices().nth(LONGEST) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_names_its_line() {
        let error = text(b"a\nb\n\xff\n").unwrap_err();
        assert_eq!(error.to_string(), "line 3: not UTF-8 text");
        assert_eq!(text(b"a\nb").unwrap(), "a\nb");
    }

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("ana"), "\"ana\"");
        let long = excerpt(&"x".repeat(10_000));
        assert!(long.ends_with('…') && long.len() < 50, "{long}");
        assert!(bounded(&"y".repeat(10_000)).len() < 310);
    }
}
