//! A list of invite IDs to act on, one a line: every line checked before anything is sent,
//! and each ID acted on once.

use std::collections::HashMap;

use losant_invites_client::LosantId;

use crate::input::{InputError, Problem, meaningful_lines, text};

/// The IDs of a list, each once, and the lines that repeated one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdList {
    /// Each ID with the line it first stands on.
    pub ids: Vec<Listed>,
    /// Lines whose ID an earlier line already holds.
    pub repeats: Vec<Repeat>,
}

/// One ID of a list, with the line it stands on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The line, from 1.
    pub line: usize,
    /// The ID.
    pub id: LosantId,
}

/// A line whose ID an earlier line already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeat {
    /// The line, from 1.
    pub line: usize,
    /// The ID, as this line writes it.
    pub id: LosantId,
    /// The line that holds it first.
    pub first_line: usize,
}

impl IdList {
    /// Reads a list: one ID a line, blank lines and `#` comments skipped, IDs that differ only
    /// in case the same.
    ///
    /// # Errors
    /// Every line that is not a Losant ID (or not UTF-8), by its number.
    ///
    /// ```
    /// use losant_invites_housekeeping::IdList;
    ///
    /// let list = IdList::parse(b"# stale\n575ec8687ae143cd83dc4a94\n575EC8687AE143CD83DC4A94\n")?;
    /// assert_eq!(list.ids.len(), 1);
    /// assert_eq!(list.repeats[0].first_line, 2);
    /// # Ok::<(), losant_invites_housekeeping::InputError>(())
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<IdList, InputError> {
        let text = text(bytes)?;
        let mut list = IdList {
            ids: Vec::new(),
            repeats: Vec::new(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut problems = Vec::new();
        for (line, written) in meaningful_lines(text) {
            let written = written.trim();
            match written.parse::<LosantId>() {
                Ok(id) => match seen.get(&written.to_ascii_lowercase()) {
                    Some(&first_line) => list.repeats.push(Repeat {
                        line,
                        id,
                        first_line,
                    }),
                    None => {
                        seen.insert(written.to_ascii_lowercase(), line);
                        list.ids.push(Listed { line, id });
                    }
                },
                Err(invalid) => problems.push(Problem {
                    line,
                    message: invalid.to_string(),
                }),
            }
        }
        if problems.is_empty() {
            Ok(list)
        } else {
            Err(InputError::new(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> LosantId {
        text.parse().unwrap()
    }

    #[test]
    fn lists_skip_blanks_comments_and_repeats_and_keep_line_numbers() {
        let text = "# pending invites\n575ec8687ae143cd83dc4a94\n\n  575EC8687AE143CD83DC4A98  \n# done\n575ec8687ae143cd83dc4a98\n";
        let list = IdList::parse(text.as_bytes()).unwrap();
        assert_eq!(
            list.ids,
            [
                Listed {
                    line: 2,
                    id: id("575ec8687ae143cd83dc4a94")
                },
                Listed {
                    line: 4,
                    id: id("575EC8687AE143CD83DC4A98")
                }
            ]
        );
        assert_eq!(
            list.repeats,
            [Repeat {
                line: 6,
                id: id("575ec8687ae143cd83dc4a98"),
                first_line: 4
            }]
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_and_an_excerpt() {
        let long = "f".repeat(100_000);
        let text = format!("575ec8687ae143cd83dc4a94\nnope\n\n575ec8687ae143cd83dc4a9\n{long}\n");
        let error = IdList::parse(text.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("line 2: \"nope\""), "{error}");
        assert!(
            error.contains("line 4: \"575ec8687ae143cd83dc4a9\""),
            "{error}"
        );
        assert!(error.contains("line 5: "), "{error}");
        assert!(error.len() < 400, "excerpts only: {} bytes", error.len());
        let empty = IdList::parse(b"# nothing\n\n").unwrap();
        assert!(empty.ids.is_empty() && empty.repeats.is_empty());
        let binary = IdList::parse(b"575ec8687ae143cd83dc4a94\n\xc3\x28\n").unwrap_err();
        assert_eq!(binary.to_string(), "line 2: not UTF-8 text");
    }
}
