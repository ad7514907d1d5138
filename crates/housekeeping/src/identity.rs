//! How people are told apart: by email, trimmed and without regard to case, as Losant's own
//! lists show the same person written `Ana@Example.com` in one place and `ana@example.com` in
//! another.

/// The key an email is compared by: trimmed, in lower case.
///
/// ```
/// use losant_invites_housekeeping::email_key;
///
/// assert_eq!(email_key(" Ana@Example.com "), email_key("ana@example.com"));
/// ```
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}
