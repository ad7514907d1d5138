//! A roster: who should have access, with which roles. Read from CSV (a header naming the
//! columns `email` and `role`, and optionally `applicationRoles` and `dashboardRoles` holding
//! `ID=ROLE;ID=ROLE`) or from JSON lines (each line Losant's invite body), or made in code.
//! Every row is checked as the client checks a body before sending it, and every problem of
//! the whole roster is named by its line in one pass, before anything is sent.

use std::collections::HashMap;

use losant_invites_client::{LosantId, types};
use serde_json::Value;

use crate::identity::email_key;
use crate::input::{InputError, Problem, bounded, excerpt, meaningful_lines, text};

/// Who should have access, one entry a person.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Roster {
    /// The people, in the roster's order.
    pub entries: Vec<Entry>,
    /// What was read but not used, such as a column this roster format does not know; a
    /// person should be told.
    pub notes: Vec<String>,
}

/// One person of a roster: the line they stand on and the invite body that gives them access.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The line of the roster, from 1 (its place, for a roster made in code).
    pub line: usize,
    /// The email, roles and flags to invite them with.
    pub invite: types::OrgInvitePost,
}

impl Entry {
    /// The email as written in the roster.
    pub fn email(&self) -> &str {
        self.invite.email.as_str()
    }
}

/// The columns a CSV roster reads.
const COLUMNS: [&str; 4] = ["email", "role", "applicationRoles", "dashboardRoles"];

impl Roster {
    /// A roster of `invites`, made in code; each is checked as the client checks a body.
    ///
    /// # Errors
    /// Every invite that breaks a limit, and every email given twice, by its place (from 1).
    ///
    /// ```
    /// use losant_invites_client::types::{OrgInvitePost, OrgRole};
    /// use losant_invites_housekeeping::Roster;
    ///
    /// let roster = Roster::new([OrgInvitePost {
    ///     email: "ana@example.com".parse()?,
    ///     role: OrgRole::View,
    ///     application_roles: None,
    ///     dashboard_roles: None,
    ///     disallow_transfer: None,
    /// }])?;
    /// assert_eq!(roster.entries[0].email(), "ana@example.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        invites: impl IntoIterator<Item = types::OrgInvitePost>,
    ) -> Result<Self, InputError> {
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        for (index, invite) in invites.into_iter().enumerate() {
            let line = index + 1;
            match invite.check_limits() {
                Ok(()) => entries.push(Entry { line, invite }),
                Err(message) => problems.push(Problem { line, message }),
            }
        }
        let emails: Vec<(usize, String)> = entries
            .iter()
            .map(|entry| (entry.line, entry.email().to_owned()))
            .collect();
        problems.extend(repeated_emails(&emails));
        if problems.is_empty() {
            Ok(Self {
                entries,
                notes: Vec::new(),
            })
        } else {
            Err(InputError::new(problems))
        }
    }

    /// Reads a roster, CSV or JSON lines (told apart by the first line that is neither blank
    /// nor a comment: JSON lines begin with `{`). A spreadsheet's byte order mark is skipped;
    /// roles are read in any case (`View`); a CSV column the format does not know (`name`)
    /// is left out, with a note.
    ///
    /// # Errors
    /// Every problem of the roster, each by its line: text that is not UTF-8, a missing
    /// column, a bad email, role or ID, a limit broken, an email given twice (in any case).
    ///
    /// ```
    /// use losant_invites_housekeeping::Roster;
    ///
    /// let roster = Roster::parse(b"email,role,name\nana@example.com,View,Ana\n")?;
    /// assert_eq!(roster.entries[0].invite.role.to_string(), "view");
    /// assert_eq!(roster.notes, ["the column \"name\" is not read (the columns are email, role, applicationRoles, dashboardRoles)"]);
    /// # Ok::<(), losant_invites_housekeeping::InputError>(())
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, InputError> {
        let text = text(bytes)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json_lines = meaningful_lines(text)
            .next()
            .is_some_and(|(_, line)| line.trim_start().starts_with('{'));
        let read = if json_lines {
            read_json_lines(text)
        } else {
            read_csv(text)
        };
        let Read {
            mut entries,
            emails,
            mut problems,
            notes,
        } = read;
        problems.extend(repeated_emails(&emails));
        if !problems.is_empty() {
            return Err(InputError::new(problems));
        }
        entries.sort_by_key(|entry| entry.line);
        Ok(Self { entries, notes })
    }
}

/// What a reading found: the sound rows, the email of every row that has one (sound or not,
/// so that a repeat is named in the same pass as the other problems), the problems, notes.
#[derive(Default)]
struct Read {
    entries: Vec<Entry>,
    emails: Vec<(usize, String)>,
    problems: Vec<Problem>,
    notes: Vec<String>,
}

impl Read {
    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            line,
            message: message.into(),
        });
    }
}

/// Each line an invite body as Losant takes it, role values in any case.
fn read_json_lines(text: &str) -> Read {
    let mut read = Read::default();
    for (line, line_text) in meaningful_lines(text) {
        let mut value: Value = match serde_json::from_str(line_text.trim()) {
            Ok(value) => value,
            Err(e) => {
                read.problem(line, bounded(&without_position(&e)));
                continue;
            }
        };
        if let Some(email) = value.get("email").and_then(Value::as_str) {
            read.emails.push((line, email.to_owned()));
        }
        lowercase_roles(&mut value);
        match serde_json::from_value::<types::OrgInvitePost>(value) {
            Ok(invite) => match invite.check_limits() {
                Ok(()) => read.entries.push(Entry { line, invite }),
                Err(problem) => read.problem(line, problem),
            },
            Err(e) => read.problem(line, bounded(&without_position(&e))),
        }
    }
    read
}

/// A decoder's message without its own "at line 1 column 9": the roster names the line once.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) if error.line() > 0 => format!("{} (column {})", &message[..at], error.column()),
        _ => message,
    }
}

/// The `role` of a body and of each of its grants, in lower case: Losant's roles are lower
/// case, and a roster written by hand says `View` as often as `view`.
fn lowercase_roles(body: &mut Value) {
    let lower = |role: &mut Value| {
        if let Value::String(text) = role {
            *text = text.to_lowercase();
        }
    };
    if let Some(role) = body.get_mut("role") {
        lower(role);
    }
    for list in ["applicationRoles", "dashboardRoles"] {
        if let Some(Value::Array(grants)) = body.get_mut(list) {
            for grant in grants {
                if let Some(role) = grant.get_mut("role") {
                    lower(role);
                }
            }
        }
    }
}

/// CSV with a header naming its columns, in any order and case.
fn read_csv(text: &str) -> Read {
    let mut read = Read::default();
    // The csv reader counts neither the lines it skips nor comments, so they are dropped
    // here, each kept line remembering its number in the input.
    let mut kept = String::new();
    let mut numbers = Vec::new();
    for (number, line) in meaningful_lines(text) {
        kept.push_str(line);
        kept.push('\n');
        numbers.push(number);
    }
    let line_of = |position: Option<&csv::Position>| {
        position
            .and_then(|p| usize::try_from(p.line()).ok())
            .and_then(|line| numbers.get(line.checked_sub(1)?).copied())
            .unwrap_or(0)
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(kept.as_bytes());
    let header_line = numbers.first().copied().unwrap_or(1);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            read.problem(header_line, bounded(&e.to_string()));
            return read;
        }
    };
    let mut columns: HashMap<&str, usize> = HashMap::new();
    for (index, name) in headers.iter().enumerate() {
        match COLUMNS
            .iter()
            .find(|column| column.eq_ignore_ascii_case(name))
        {
            Some(column) if columns.insert(column, index).is_some() => {
                read.problem(header_line, format!("the column {column} is named twice"));
            }
            Some(_) => {}
            None => read.notes.push(format!(
                "the column {} is not read (the columns are {})",
                excerpt(name),
                COLUMNS.join(", ")
            )),
        }
    }
    for needed in ["email", "role"] {
        if !columns.contains_key(needed) {
            read.problem(
                header_line,
                format!(
                    "the header has no {needed} column (it names {})",
                    excerpt(&headers.iter().collect::<Vec<_>>().join(","))
                ),
            );
        }
    }
    if !read.problems.is_empty() {
        return read;
    }
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = line_of(e.position());
                read.problem(line, bounded(&e.to_string()));
                continue;
            }
        };
        let line = line_of(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > headers.len() {
            read.problem(
                line,
                format!(
                    "{} fields where the header names {}",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        let field = |name: &str| {
            columns
                .get(name)
                .and_then(|&index| record.get(index))
                .unwrap_or("")
        };
        if !field("email").is_empty() {
            read.emails.push((line, field("email").to_owned()));
        }
        match row(
            field("email"),
            field("role"),
            field("applicationRoles"),
            field("dashboardRoles"),
        ) {
            Ok(invite) => read.entries.push(Entry { line, invite }),
            Err(problems) => {
                for problem in problems {
                    read.problem(line, problem);
                }
            }
        }
    }
    read
}

/// One CSV row read into the body the client sends, checked as the client checks it; every
/// problem of the row.
fn row(
    email: &str,
    role: &str,
    application_roles: &str,
    dashboard_roles: &str,
) -> Result<types::OrgInvitePost, Vec<String>> {
    let mut problems = Vec::new();
    let email: Option<types::OrgInvitePostEmail> = match email {
        "" => {
            problems.push("no email".to_owned());
            None
        }
        email => email
            .parse()
            .map_err(|e| problems.push(format!("email {}: {e}", excerpt(email))))
            .ok(),
    };
    let role = match role {
        "" => {
            problems.push("no role".to_owned());
            None
        }
        role => parse_org_role(role).map_err(|e| problems.push(e)).ok(),
    };
    let mut grants = |column: &str, text: &str| match parse_grants(text) {
        Ok(grants) => grants,
        Err(problem) => {
            problems.push(format!("{column}: {problem}"));
            None
        }
    };
    let application_roles = grants("applicationRoles", application_roles);
    let dashboard_roles = grants("dashboardRoles", dashboard_roles);
    let (Some(email), Some(role), true) = (email, role, problems.is_empty()) else {
        return Err(problems);
    };
    let invite = types::OrgInvitePost {
        email,
        role,
        application_roles,
        dashboard_roles,
        disallow_transfer: None,
    };
    invite.check_limits().map_err(|problem| vec![problem])?;
    Ok(invite)
}

/// An organization role in any case: `View` is `view`.
pub(crate) fn parse_org_role(text: &str) -> Result<types::OrgRole, String> {
    text.trim().to_lowercase().parse().map_err(|_| {
        format!(
            "unknown role {}; expected one of {}",
            excerpt(text),
            allowed_values::<types::OrgRole>().join(", ")
        )
    })
}

/// Grants written `ID=ROLE;ID=ROLE`, roles in any case; none for an empty text.
fn parse_grants(text: &str) -> Result<Option<types::ResourceRoleGrants>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let grants = text
        .split(';')
        .map(str::trim)
        .filter(|grant| !grant.is_empty())
        .map(parse_grant)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(grants.into()))
}

/// One grant written `ID=ROLE`, the role in any case.
///
/// # Errors
/// What is wrong with the text, quoting an excerpt of it.
///
/// ```
/// use losant_invites_housekeeping::roster::parse_grant;
///
/// let grant = parse_grant("575ec8687ae143cd83dc4a90=Collaborate")?;
/// assert_eq!(grant.role.to_string(), "collaborate");
/// assert!(parse_grant("575ec8687ae143cd83dc4a90=admin").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_grant(text: &str) -> Result<types::ResourceRoleGrant, String> {
    let (id, role) = text
        .split_once('=')
        .ok_or_else(|| format!("{} is not ID=ROLE", excerpt(text)))?;
    let resource_id: LosantId = id.trim().parse().map_err(|e| format!("{e}"))?;
    let role = role.trim().to_lowercase().parse().map_err(|_| {
        format!(
            "unknown role {}; expected one of {}",
            excerpt(role),
            allowed_values::<types::ResourceRole>().join(", ")
        )
    })?;
    Ok(types::ResourceRoleGrant { resource_id, role })
}

/// The values an enum of the spec takes, read from its JSON Schema.
pub fn allowed_values<T: schemars::JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    schema
        .schema
        .enum_values
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// A roster names each person once: an email twice (in any case) is a problem of the later
/// line, since which of the two rows was meant cannot be told.
fn repeated_emails(emails: &[(usize, String)]) -> Vec<Problem> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (line, email) in emails {
        match first.get(&email_key(email)) {
            Some(first_line) => problems.push(Problem {
                line: *line,
                message: format!("{} is already on line {first_line}", excerpt(email)),
            }),
            None => {
                first.insert(email_key(email), *line);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Roster, InputError> {
        Roster::parse(text.as_bytes())
    }

    #[test]
    fn csv_rows_become_the_bodies_sent() {
        let roster = parse(
            "email,role,applicationRoles\n\
             ana@example.com, View ,575ec8687ae143cd83dc4a90=Collaborate;575ec8687ae143cd83dc4a91=view\n\
             # a comment\n\
             \n\
             bo@example.com,edit,\n",
        )
        .unwrap();
        let rows = &roster.entries;
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[1].line), (2, 5));
        assert_eq!(
            serde_json::to_value(&rows[0].invite).unwrap(),
            serde_json::json!({
                "email": "ana@example.com",
                "role": "view",
                "applicationRoles": [
                    {"resourceId": "575ec8687ae143cd83dc4a90", "role": "collaborate"},
                    {"resourceId": "575ec8687ae143cd83dc4a91", "role": "view"},
                ],
            })
        );
        assert!(rows[1].invite.application_roles.is_none());
    }

    #[test]
    fn every_problem_is_named_by_line_in_one_pass() {
        let error = parse(
            "email,role,dashboardRoles\n\
             ana@example.com,owner,\n\
             not-an-email,view,\n\
             cy@example.com,view,nope=view\n\
             dee@example.com,,\n\
             ,view,\n\
             ANA@example.com,edit,\n",
        )
        .unwrap_err()
        .to_string();
        for expected in [
            "line 2: unknown role \"owner\"; expected one of admin, edit, collaborate, view, none",
            "line 3: email: \"not-an-email\" is not an email address",
            "line 4: dashboardRoles: \"nope\" is not a Losant ID",
            "line 5: no role",
            "line 6: no email",
            // Named in the same pass, although line 2 has a problem of its own.
            "line 7: \"ANA@example.com\" is already on line 2",
        ] {
            assert!(error.contains(expected), "{expected}: {error}");
        }
    }

    #[test]
    fn a_spreadsheet_s_export_reads_as_written() {
        let roster = parse("\u{feff}Email,Role\r\nana@example.com,view\r\n").unwrap();
        assert_eq!(roster.entries.len(), 1);
        assert_eq!(
            (roster.entries[0].line, roster.entries[0].email()),
            (2, "ana@example.com")
        );
    }

    #[test]
    fn unknown_columns_are_noted_and_missing_ones_refused() {
        let roster = parse("email,role,name\na@example.com,view,A\n").unwrap();
        assert_eq!(roster.entries.len(), 1);
        assert_eq!(roster.notes.len(), 1);
        assert!(roster.notes[0].contains("\"name\""), "{:?}", roster.notes);
        let no_role = parse("email\na@example.com\n").unwrap_err().to_string();
        assert!(no_role.contains("no role column"), "{no_role}");
    }

    #[test]
    fn json_lines_are_losant_s_bodies_with_roles_in_any_case() {
        let roster = parse(
            "{\"email\": \"ana@example.com\", \"role\": \"View\", \"dashboardRoles\": []}\n\n{\"email\": \"bo@example.com\", \"role\": \"edit\"}\n",
        )
        .unwrap();
        let rows = &roster.entries;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[0].invite.role, types::OrgRole::View);
        assert_eq!(
            rows[0].invite.dashboard_roles.as_ref().map(|g| g.len()),
            Some(0)
        );
        let commented =
            parse("# who joins this month\n{\"email\": \"cy@example.com\", \"role\": \"view\"}\n")
                .unwrap();
        assert_eq!(commented.entries[0].line, 2);
        let bad = parse(
            "{\"email\": \"ana@example.com\", \"role\": \"boss\"}\n{\"email\": \"x@y\", \"role\": \"view\", \"colour\": 1}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(bad.contains("line 1: "), "{bad}");
        assert!(bad.contains("line 2: "), "{bad}");
        assert!(!bad.contains("at line"), "the line is named once: {bad}");
    }

    #[test]
    fn huge_lines_are_quoted_as_excerpts() {
        let huge = "x".repeat(1_000_000);
        let csv = format!("email,role\n{huge}@example.com,view\nbo@example.com,{huge}\n");
        let error = parse(&csv).unwrap_err().to_string();
        assert!(error.len() < 1_000, "{} bytes of error", error.len());
        let json = format!("{{\"email\": \"a@b.example\", \"role\": \"{huge}\"}}\n");
        let error = parse(&json).unwrap_err().to_string();
        assert!(error.len() < 1_000, "{} bytes of error", error.len());
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line() {
        let error = Roster::parse(b"email,role\nana@example.com,view\n\xffbo@x,view\n")
            .unwrap_err()
            .to_string();
        assert_eq!(error, "line 3: not UTF-8 text");
    }
}
