//! The shape of an email address, as the spec's `format: email` asks of a request body:
//! checked before the body is sent (the length the spec sets is the body type's own check).

/// Refuses `email` unless it has the shape of an address: text, one `@`, text, and no white
/// space. Losant checks deliverability; this only keeps an obvious slip from being sent.
pub(crate) fn check_email(field: &str, email: &str) -> Result<(), String> {
    let shaped = !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    if shaped {
        return Ok(());
    }
    // A message quotes what was given, never a whole file's worth of it.
    const SHOWN_CHARS: usize = 40;
    let shown = match email.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{:?}…", &email[..cut]),
        None => format!("{email:?}"),
    };
    Err(format!("{field}: {shown} is not an email address"))
}

#[cfg(test)]
mod tests {
    use super::check_email;

    #[test]
    fn only_an_address_shape_passes() {
        for good in ["a@b.example", "first.last+tag@sub.example.org"] {
            assert_eq!(check_email("email", good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "nobody",
            "@b.example",
            "a@",
            "a@b@c",
            "a b@c.example",
            "a@b\n",
        ] {
            let error = check_email("email", bad).unwrap_err();
            assert!(error.starts_with("email: "), "{error}");
        }
        let long = format!("{} @x", "a".repeat(10_000));
        let error = check_email("email", &long).unwrap_err();
        assert!(error.len() < 100 && error.contains('…'), "{error}");
    }
}
