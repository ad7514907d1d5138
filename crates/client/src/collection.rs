//! The new invite out of a create's answer, whichever form Losant answers in: API 1.29.1 (and
//! every source through 1.30) types it as the organization's invites, the Python client for
//! 1.31 as the single new invite. Both decode as an `OrgInviteCollection` (every field of it
//! optional, fields it does not know kept), so the caller asks the answer for the invite.

use crate::types::{OrgInvite, OrgInviteCollection};

impl OrgInviteCollection {
    /// The invite created for `email` (compared without regard to case), out of a create's
    /// answer: from `items` when Losant answered the organization's invites (the newest with
    /// that email), or the answer itself when Losant answered the single new invite. `None`
    /// when neither holds it.
    ///
    /// ```no_run
    /// # async fn example(client: losant_invites_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use losant_invites_client::types;
    ///
    /// let answer = client
    ///     .instance_org_invites_post()
    ///     .instance_id("575ec8687ae143cd83dc4a95")
    ///     .org_id("575ec8687ae143cd83dc4a97")
    ///     .body(types::OrgInvitePost {
    ///         email: "new.member@example.com".parse()?,
    ///         role: types::OrgRole::View,
    ///         application_roles: None,
    ///         dashboard_roles: None,
    ///         disallow_transfer: None,
    ///     })
    ///     .send()
    ///     .await?;
    /// let invite = answer.created_invite("new.member@example.com").ok_or("not in the answer")?;
    /// println!("invited, ID {:?}", invite.id);
    /// # Ok(()) }
    /// ```
    pub fn created_invite(&self, email: &str) -> Option<OrgInvite> {
        let matches = |invite: &OrgInvite| {
            invite
                .email
                .as_deref()
                .is_some_and(|sent| sent.eq_ignore_ascii_case(email))
        };
        match &self.items {
            Some(items) => items
                .iter()
                .filter(|invite| matches(invite))
                .max_by(|a, b| {
                    let date = |invite: &OrgInvite| invite.invite_date.as_ref().map(|d| d.to_utc());
                    date(a).cmp(&date(b))
                })
                .cloned(),
            None => {
                let single: OrgInvite =
                    serde_json::from_value(serde_json::Value::Object(self.extra.clone())).ok()?;
                matches(&single).then_some(single)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::types::OrgInviteCollection;

    #[test]
    fn the_new_invite_comes_out_of_either_form() {
        let collection: OrgInviteCollection = serde_json::from_str(
            r#"{"items": [
                {"id": "575ec8687ae143cd83dc4a94", "email": "a@example.com", "inviteDate": "2026-01-01T00:00:00.000Z"},
                {"id": "575ec8687ae143cd83dc4a95", "email": "New@Example.com", "inviteDate": "2026-01-01T00:00:00.000Z"},
                {"id": "575ec8687ae143cd83dc4a96", "email": "new@example.com", "inviteDate": "2026-02-01T00:00:00.000Z"}
            ], "count": 3}"#,
        )
        .unwrap();
        let newest = collection.created_invite("NEW@example.com").unwrap();
        assert_eq!(newest.id.unwrap().to_string(), "575ec8687ae143cd83dc4a96");
        assert!(collection.created_invite("b@example.com").is_none());

        let single: OrgInviteCollection = serde_json::from_str(
            r#"{"id": "575ec8687ae143cd83dc4a97", "email": "one@example.com", "role": "view", "ttl": 604800000}"#,
        )
        .unwrap();
        let invite = single.created_invite("one@example.com").unwrap();
        assert_eq!(invite.id.unwrap().to_string(), "575ec8687ae143cd83dc4a97");
        assert!(single.created_invite("two@example.com").is_none());
    }
}
