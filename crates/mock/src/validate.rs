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
}
