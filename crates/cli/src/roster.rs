//! Rosters for `invite --from`: who to invite and with which roles, as CSV (a header
//! `email,role`, optional `applicationRoles` and `dashboardRoles` columns holding
//! `ID=ROLE;ID=ROLE`) or as JSON lines (each line Losant's invite body). Every row is checked
//! as the client checks a body before sending it, and every problem is reported with its line
//! before anything is sent.

use std::collections::HashMap;

use losant_invites_client::types;

use crate::args::parse_grant;
use crate::bulk::meaningful_lines;
use crate::exit::Failure;

/// One person to invite: the line of the roster and the body to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub invite: types::OrgInvitePost,
}

impl Row {
    /// The email as written in the roster.
    pub fn email(&self) -> &str {
        self.invite.email.as_str()
    }
}

/// The columns a CSV roster may have.
const COLUMNS: [&str; 4] = ["email", "role", "applicationRoles", "dashboardRoles"];

/// Reads a roster, CSV or JSON lines (told apart by the first line that is neither blank nor
/// a comment: JSON lines begin with `{`), checking every row; `source` names it in messages.
pub fn parse(text: &str, source: &str) -> Result<Vec<Row>, Failure> {
    // A spreadsheet's CSV export may begin with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json_lines = meaningful_lines(text)
        .next()
        .is_some_and(|(_, line)| line.trim_start().starts_with('{'));
    let read = if json_lines {
        parse_json_lines(text)
    } else {
        parse_csv(text)
    };
    let mut problems = match read {
        Ok(rows) => {
            let problems = repeated_emails(&rows);
            if problems.is_empty() {
                return Ok(rows);
            }
            problems
        }
        Err(problems) => problems,
    };
    problems.sort_by_key(|(line, _)| *line);
    let problems: Vec<String> = problems
        .into_iter()
        .map(|(line, problem)| format!("line {line}: {problem}"))
        .collect();
    Err(Failure::usage(format!(
        "invalid roster {source}, nothing was sent:\n  {}",
        problems.join("\n  ")
    )))
}

/// Each line an invite body as Losant takes it; blank lines and `#` comments skipped.
fn parse_json_lines(text: &str) -> Result<Vec<Row>, Vec<(usize, String)>> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, line_text) in meaningful_lines(text) {
        match serde_json::from_str::<types::OrgInvitePost>(line_text.trim()) {
            Ok(invite) => match invite.check_limits() {
                Ok(()) => rows.push(Row { line, invite }),
                Err(problem) => problems.push((line, problem)),
            },
            Err(e) => problems.push((line, e.to_string())),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// CSV with a header naming its columns, in any order; blank lines and `#` lines skipped.
fn parse_csv(text: &str) -> Result<Vec<Row>, Vec<(usize, String)>> {
    // The csv reader counts neither the lines it skips nor comments, so they are dropped
    // here, each kept line remembering its number in the file.
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
        Err(e) => return Err(vec![(header_line, e.to_string())]),
    };
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (index, name) in headers.iter().enumerate() {
        match COLUMNS
            .iter()
            .find(|column| column.eq_ignore_ascii_case(name))
        {
            Some(column) if columns.insert(column, index).is_some() => {
                problems.push((header_line, format!("the column {column} is named twice")));
            }
            Some(_) => {}
            None => problems.push((
                header_line,
                format!(
                    "unknown column {name:?}; the columns are {}",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    for needed in ["email", "role"] {
        if !columns.contains_key(needed) {
            problems.push((header_line, format!("the header has no {needed} column")));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push((line_of(e.position()), e.to_string()));
                continue;
            }
        };
        let line = line_of(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > headers.len() {
            problems.push((
                line,
                format!(
                    "{} fields where the header names {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        let field = |name: &str| {
            columns
                .get(name)
                .and_then(|&index| record.get(index))
                .unwrap_or("")
        };
        match row(
            line,
            field("email"),
            field("role"),
            field("applicationRoles"),
            field("dashboardRoles"),
        ) {
            Ok(row) => rows.push(row),
            Err(problem) => problems.push((line, problem)),
        }
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// One CSV row read into the body the client sends, checked as the client checks it.
fn row(
    line: usize,
    email: &str,
    role: &str,
    application_roles: &str,
    dashboard_roles: &str,
) -> Result<Row, String> {
    if email.is_empty() {
        return Err("no email".to_owned());
    }
    let email: types::OrgInvitePostEmail =
        email.parse().map_err(|e| format!("email {email:?}: {e}"))?;
    if role.is_empty() {
        return Err("no role".to_owned());
    }
    let role: types::OrgRole = role.parse().map_err(|_| {
        format!(
            "unknown role {role:?}; expected one of {}",
            crate::args::allowed_values::<types::OrgRole>().join(", ")
        )
    })?;
    let grants = |column: &str, text: &str| -> Result<Option<types::ResourceRoleGrants>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        let grants = text
            .split(';')
            .map(str::trim)
            .filter(|grant| !grant.is_empty())
            .map(|grant| parse_grant(grant).map_err(|e| format!("{column}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(grants.into()))
    };
    let invite = types::OrgInvitePost {
        email,
        role,
        application_roles: grants("applicationRoles", application_roles)?,
        dashboard_roles: grants("dashboardRoles", dashboard_roles)?,
        disallow_transfer: None,
    };
    invite.check_limits()?;
    Ok(Row { line, invite })
}

/// A roster names each person once: an email twice (in any case) is a problem of the later
/// line, since which of the two rows was meant cannot be told.
fn repeated_emails(rows: &[Row]) -> Vec<(usize, String)> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for row in rows {
        let key = row.email().to_lowercase();
        match first.get(&key) {
            Some(line) => problems.push((
                row.line,
                format!("{} is already on line {line}", row.email()),
            )),
            None => {
                first.insert(key, row.line);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_the_bodies_sent() {
        let rows = parse(
            "email,role,applicationRoles\n\
             ana@example.com, view ,575ec8687ae143cd83dc4a90=collaborate;575ec8687ae143cd83dc4a91=view\n\
             # a comment\n\
             \n\
             bo@example.com,edit,\n",
            "roster.csv",
        )
        .unwrap();
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
    fn every_bad_row_is_named_by_line_and_problem() {
        let failure = parse(
            "email,role,dashboardRoles\n\
             ana@example.com,owner,\n\
             not-an-email,view,\n\
             cy@example.com,view,nope=view\n\
             ANA@example.com,view,\n\
             ,view,\n",
            "roster.csv",
        )
        .unwrap_err();
        let message = failure.message;
        for expected in [
            "line 2: unknown role \"owner\"",
            "line 3: ",
            "line 4: dashboardRoles: ",
            "line 6: no email",
        ] {
            assert!(message.contains(expected), "{expected}: {message}");
        }
        assert_eq!(failure.code, crate::exit::USAGE);
        // A repeated email is named once the rows themselves are sound.
        let repeated = parse(
            "email,role\nana@example.com,view\nANA@example.com,edit\n",
            "r",
        )
        .unwrap_err();
        assert!(
            repeated
                .message
                .contains("line 3: ANA@example.com is already on line 2"),
            "{}",
            repeated.message
        );
    }

    #[test]
    fn a_spreadsheet_s_export_reads_as_written() {
        let rows = parse("\u{feff}Email,Role\r\nana@example.com,view\r\n", "r").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].line, rows[0].email()), (2, "ana@example.com"));
    }

    #[test]
    fn headers_are_checked() {
        let unknown = parse("email,role,colour\na@example.com,view,red\n", "r").unwrap_err();
        assert!(
            unknown.message.contains("unknown column \"colour\""),
            "{}",
            unknown.message
        );
        let no_role = parse("email\na@example.com\n", "r").unwrap_err();
        assert!(
            no_role.message.contains("no role column"),
            "{}",
            no_role.message
        );
    }

    #[test]
    fn json_lines_are_losant_s_bodies() {
        let rows = parse(
            "{\"email\": \"ana@example.com\", \"role\": \"view\", \"dashboardRoles\": []}\n\n{\"email\": \"bo@example.com\", \"role\": \"edit\"}\n",
            "-",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        let commented = parse(
            "# who joins this month\n{\"email\": \"cy@example.com\", \"role\": \"view\"}\n",
            "-",
        )
        .unwrap();
        assert_eq!(
            (commented[0].line, commented[0].email()),
            (2, "cy@example.com")
        );
        assert_eq!(
            rows[0].invite.dashboard_roles.as_ref().map(|g| g.len()),
            Some(0)
        );
        let bad = parse("{\"email\": \"ana@example.com\", \"role\": \"boss\"}\n{\"email\": \"x\", \"role\": \"view\", \"colour\": 1}\n", "-").unwrap_err();
        assert!(bad.message.contains("line 1: "), "{}", bad.message);
        assert!(bad.message.contains("line 2: "), "{}", bad.message);
    }
}
