//! Input checks the way Losant makes them, each failure a message that names the problem.
//!
//! This is written from the spec's schemas rather than from the generated client's types on
//! purpose: the fake is an independent reading of the spec, so a mistake in generation cannot
//! hide behind the same mistake on the server side.

use serde_json::{Map, Value};

/// The most grants one role list may hold.
pub const MAX_GRANTS: usize = 1000;

const ORG_ROLES: [&str; 5] = ["admin", "edit", "collaborate", "view", "none"];
const RESOURCE_ROLES: [&str; 3] = ["collaborate", "view", "none"];

/// Whether `id` is a Losant ID: exactly 24 hexadecimal characters.
pub fn is_losant_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a path ID, naming the parameter in the message.
pub(crate) fn check_id(name: &str, id: &str) -> Result<(), String> {
    if is_losant_id(id) {
        Ok(())
    } else {
        Err(format!(
            "{name} must be a 24 character hexadecimal string, got {id:?}"
        ))
    }
}

/// Checks the boolean query flags `_actions`, `_links` and `_embedded`; other parameters are
/// ignored, as Losant ignores them.
pub(crate) fn check_query(pairs: &[(String, String)]) -> Result<(), String> {
    for (name, value) in pairs {
        if ["_actions", "_links", "_embedded"].contains(&name.as_str())
            && value != "true"
            && value != "false"
        {
            return Err(format!(
                "{name} must be a boolean (true or false), got {value:?}"
            ));
        }
    }
    Ok(())
}

/// Parses and checks a resendInvite body against the `OrgRoleInfo` schema.
pub(crate) fn role_info(body: &[u8]) -> Result<Map<String, Value>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("roleInfo is not valid JSON: {e}"))?;
    let Value::Object(info) = value else {
        return Err(format!("roleInfo must be an object, got {}", kind(&value)));
    };
    for (field, value) in &info {
        match field.as_str() {
            "role" => check_enum("roleInfo.role", value, &ORG_ROLES)?,
            "applicationRoles" | "dashboardRoles" => {
                check_grants(&format!("roleInfo.{field}"), value)?
            }
            _ => return Err(format!("roleInfo has an unknown property {field:?}")),
        }
    }
    Ok(info)
}

/// The longest email Losant's schema allows.
pub const MAX_EMAIL_LEN: usize = 1024;

/// Parses and checks a create body against the `orgInvitePost` schema: `email` and `role`
/// required, grants as in role info, `disallowTransfer` a boolean, nothing else.
pub(crate) fn invite_post(body: &[u8]) -> Result<Map<String, Value>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("invite is not valid JSON: {e}"))?;
    let Value::Object(invite) = value else {
        return Err(format!("invite must be an object, got {}", kind(&value)));
    };
    for (field, value) in &invite {
        match field.as_str() {
            "email" => check_email("invite.email", value)?,
            "role" => check_enum("invite.role", value, &ORG_ROLES)?,
            "applicationRoles" | "dashboardRoles" => {
                check_grants(&format!("invite.{field}"), value)?
            }
            "disallowTransfer" if value.is_boolean() => {}
            "disallowTransfer" => {
                return Err(format!(
                    "invite.disallowTransfer must be a boolean, got {}",
                    kind(value)
                ));
            }
            _ => return Err(format!("invite has an unknown property {field:?}")),
        }
    }
    for required in ["email", "role"] {
        if !invite.contains_key(required) {
            return Err(format!("invite.{required} is required"));
        }
    }
    Ok(invite)
}

/// An email as JSON Schema's `format: email` reads it, loosely: one `@` with something on
/// each side, no white space, at most [`MAX_EMAIL_LEN`] characters.
fn check_email(name: &str, value: &Value) -> Result<(), String> {
    let Value::String(email) = value else {
        return Err(format!("{name} must be a string, got {}", kind(value)));
    };
    let shaped = email.chars().count() <= MAX_EMAIL_LEN
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    match shaped {
        true => Ok(()),
        false => Err(format!(
            "{name} must be an email address of at most {MAX_EMAIL_LEN} characters, got {email:?}"
        )),
    }
}

/// Parses and checks a member add body against `instanceOrgMemberPost`: one of two objects,
/// `{userId, role, applicationRoles?, dashboardRoles?}` or `{email, role, applicationRoles?,
/// dashboardRoles?, disallowTransfer?}`, nothing else in either.
pub(crate) fn member_post(body: &[u8]) -> Result<Map<String, Value>, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("member is not valid JSON: {e}"))?;
    let Value::Object(member) = value else {
        return Err(format!("member must be an object, got {}", kind(&value)));
    };
    let by = match (member.contains_key("userId"), member.contains_key("email")) {
        (true, false) => "userId",
        (false, true) => "email",
        _ => return Err("member must have exactly one of userId and email".to_owned()),
    };
    for (field, value) in &member {
        match field.as_str() {
            "userId" => match value {
                Value::String(id) => check_id("member.userId", id)?,
                other => {
                    return Err(format!(
                        "member.userId must be a string, got {}",
                        kind(other)
                    ));
                }
            },
            "email" => check_email("member.email", value)?,
            "role" => check_enum("member.role", value, &ORG_ROLES)?,
            "applicationRoles" | "dashboardRoles" => {
                check_grants(&format!("member.{field}"), value)?
            }
            "disallowTransfer" if by == "email" && value.is_boolean() => {}
            "disallowTransfer" if by == "email" => {
                return Err(format!(
                    "member.disallowTransfer must be a boolean, got {}",
                    kind(value)
                ));
            }
            _ => return Err(format!("member has an unknown property {field:?}")),
        }
    }
    if !member.contains_key("role") {
        return Err("member.role is required".to_owned());
    }
    Ok(member)
}

/// Parses and checks a member's change against `instanceOrgMemberPatch`: the shape of role
/// info, nothing required.
pub(crate) fn member_patch(body: &[u8]) -> Result<Map<String, Value>, String> {
    role_info(body).map_err(|message| message.replacen("roleInfo", "member", 1))
}

/// Parses and checks an invitee's answer against `orgInviteAction`: `email`, `token` (not
/// empty) and `accept`, all required, nothing else.
pub(crate) fn invite_action(body: &[u8]) -> Result<(String, String, bool), String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("answer is not valid JSON: {e}"))?;
    let Value::Object(answer) = value else {
        return Err(format!("answer must be an object, got {}", kind(&value)));
    };
    if let Some(field) = answer
        .keys()
        .find(|field| !["email", "token", "accept"].contains(&field.as_str()))
    {
        return Err(format!("answer has an unknown property {field:?}"));
    }
    let email = match answer.get("email") {
        Some(email) => {
            check_email("answer.email", email)?;
            email.as_str().unwrap_or_default().to_owned()
        }
        None => return Err("answer.email is required".to_owned()),
    };
    let token = match answer.get("token") {
        Some(Value::String(token)) if !token.is_empty() => token.clone(),
        Some(_) => return Err("answer.token must be a string that is not empty".to_owned()),
        None => return Err("answer.token is required".to_owned()),
    };
    let accept = match answer.get("accept") {
        Some(Value::Bool(accept)) => *accept,
        Some(other) => {
            return Err(format!(
                "answer.accept must be a boolean, got {}",
                kind(other)
            ));
        }
        None => return Err("answer.accept is required".to_owned()),
    };
    Ok((email, token, accept))
}

/// Checks a list's query: `sortField` against the fields the list sorts by, `sortDirection`
/// and `filterField` against the values Losant lists (`filter` takes any text).
pub(crate) fn check_list_query(
    pairs: &[(String, String)],
    sort_fields: &[&str],
) -> Result<(), String> {
    for (name, value) in pairs {
        let allowed: &[&str] = match name.as_str() {
            "sortField" => sort_fields,
            "sortDirection" => &["asc", "desc"],
            "filterField" => &["email", "role", ""],
            _ => continue,
        };
        if !allowed.contains(&value.as_str()) {
            return Err(format!(
                "{name} must be one of {}, got {value:?}",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

fn check_grants(name: &str, value: &Value) -> Result<(), String> {
    let Value::Array(grants) = value else {
        return Err(format!("{name} must be an array, got {}", kind(value)));
    };
    if grants.len() > MAX_GRANTS {
        return Err(format!(
            "{name} must hold at most {MAX_GRANTS} items, got {}",
            grants.len()
        ));
    }
    for (index, grant) in grants.iter().enumerate() {
        let name = format!("{name}[{index}]");
        let Value::Object(grant) = grant else {
            return Err(format!("{name} must be an object, got {}", kind(grant)));
        };
        for field in grant.keys() {
            if field != "resourceId" && field != "role" {
                return Err(format!("{name} has an unknown property {field:?}"));
            }
        }
        match grant.get("resourceId") {
            Some(Value::String(id)) => check_id(&format!("{name}.resourceId"), id)?,
            Some(other) => {
                return Err(format!(
                    "{name}.resourceId must be a string, got {}",
                    kind(other)
                ));
            }
            None => return Err(format!("{name}.resourceId is required")),
        }
        match grant.get("role") {
            Some(role) => check_enum(&format!("{name}.role"), role, &RESOURCE_ROLES)?,
            None => return Err(format!("{name}.role is required")),
        }
    }
    Ok(())
}

fn check_enum(name: &str, value: &Value, allowed: &[&str]) -> Result<(), String> {
    match value {
        Value::String(s) if allowed.contains(&s.as_str()) => Ok(()),
        _ => Err(format!(
            "{name} must be one of {}, got {value}",
            allowed.join(", ")
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losant_ids_are_exactly_24_hex_characters() {
        assert!(is_losant_id("575ec8687ae143cd83dc4a94"));
        assert!(is_losant_id("575EC8687AE143CD83DC4A94"));
        assert!(!is_losant_id("575ec8687ae143cd83dc4a9"));
        assert!(!is_losant_id("575ec8687ae143cd83dc4a944"));
        assert!(!is_losant_id("575ec8687ae143cd83dc4a9g"));
        assert!(!is_losant_id("５75ec8687ae143cd83dc4a9"));
    }

    #[test]
    fn role_info_messages_name_the_problem() {
        let cases = [
            (r#"{"role":"owner"}"#, "roleInfo.role must be one of"),
            (r#"{"colour":"red"}"#, "unknown property \"colour\""),
            (
                r#"{"applicationRoles":[{"resourceId":"x","role":"view"}]}"#,
                "applicationRoles[0].resourceId",
            ),
            (
                r#"{"dashboardRoles":[{"resourceId":"575ec8687ae143cd83dc4a94"}]}"#,
                "dashboardRoles[0].role is required",
            ),
            (r#"[1]"#, "must be an object"),
            ("{", "not valid JSON"),
        ];
        for (body, wanted) in cases {
            let error = role_info(body.as_bytes()).unwrap_err();
            assert!(error.contains(wanted), "{body}: {error}");
        }
        assert!(role_info(br#"{"role":"view","applicationRoles":[]}"#).is_ok());
    }

    #[test]
    fn invite_posts_are_checked_as_losant_s_schema() {
        let cases = [
            (r#"{"role":"view"}"#, "invite.email is required"),
            (r#"{"email":"a@b.example"}"#, "invite.role is required"),
            (
                r#"{"email":"nope","role":"view"}"#,
                "must be an email address",
            ),
            (
                r#"{"email":"a b@c.example","role":"view"}"#,
                "must be an email address",
            ),
            (
                r#"{"email":"a@b.example","role":"owner"}"#,
                "invite.role must be one of",
            ),
            (
                r#"{"email":"a@b.example","role":"view","x":1}"#,
                "unknown property \"x\"",
            ),
            (
                r#"{"email":"a@b.example","role":"view","disallowTransfer":1}"#,
                "a boolean",
            ),
        ];
        for (body, wanted) in cases {
            let error = invite_post(body.as_bytes()).unwrap_err();
            assert!(error.contains(wanted), "{body}: {error}");
        }
        let long = format!(
            r#"{{"email":"{}@b.example","role":"view"}}"#,
            "a".repeat(1100)
        );
        assert!(invite_post(long.as_bytes()).is_err());
        assert!(
            invite_post(br#"{"email":"a@b.example","role":"view","dashboardRoles":[]}"#).is_ok()
        );
        let sorts = ["email", "role", "inviteDate"];
        assert!(check_list_query(&[("sortField".into(), "id".into())], &sorts).is_err());
        assert!(check_list_query(&[("sortDirection".into(), "asc".into())], &sorts).is_ok());
    }

    #[test]
    fn member_posts_take_exactly_one_of_user_and_email() {
        let cases = [
            (r#"{"role":"view"}"#, "exactly one of userId and email"),
            (
                r#"{"userId":"575ef90f7ae143cd83dc4aad","email":"a@b.example","role":"view"}"#,
                "exactly one of userId and email",
            ),
            (r#"{"userId":"x","role":"view"}"#, "member.userId"),
            (r#"{"email":"a@b.example"}"#, "member.role is required"),
            (
                r#"{"userId":"575ef90f7ae143cd83dc4aad","role":"view","disallowTransfer":true}"#,
                "unknown property \"disallowTransfer\"",
            ),
        ];
        for (body, wanted) in cases {
            let error = member_post(body.as_bytes()).unwrap_err();
            assert!(error.contains(wanted), "{body}: {error}");
        }
        assert!(
            member_post(br#"{"email":"a@b.example","role":"view","disallowTransfer":true}"#)
                .is_ok()
        );
        assert!(
            member_patch(br#"{"role":"owner"}"#)
                .unwrap_err()
                .starts_with("member.role")
        );
        assert!(invite_action(br#"{"email":"a@b.example","token":"","accept":true}"#).is_err());
        assert_eq!(
            invite_action(br#"{"email":"a@b.example","token":"t","accept":false}"#),
            Ok(("a@b.example".to_owned(), "t".to_owned(), false))
        );
    }
}
