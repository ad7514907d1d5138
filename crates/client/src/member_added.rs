//! What adding a member (`instanceOrgMembers.post`) did, from the status of Losant's answer:
//! API 1.30.0 and before answer 200 with the new member; 1.30.1 and later 201 with the new
//! member, or 202 when Losant sent an invite to the email instead.

use progenitor_client::ResponseValue;
use reqwest::StatusCode;

use crate::types::OrgMember;

/// What adding a member did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberAdded {
    /// The person is a member now (200 or 201): the answer is the member.
    Member,
    /// Losant sent an invite to the email instead (202): the person becomes a member once
    /// they accept it. Losant does not publish that answer's schema; it is kept whole, read
    /// into the member's fields as far as it has them, every other field in `extra`.
    InviteSent,
}

impl MemberAdded {
    /// What Losant's answer to adding a member says happened, by its status.
    ///
    /// ```no_run
    /// # async fn example(client: losant_invites_client::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use losant_invites_client::{MemberAdded, types};
    ///
    /// let body: types::OrgMemberPost = types::OrgMemberPostByEmail {
    ///     email: "ana@example.com".parse()?,
    ///     role: types::OrgRole::View,
    ///     application_roles: None,
    ///     dashboard_roles: None,
    ///     disallow_transfer: None,
    /// }
    /// .into();
    /// let answer = client
    ///     .instance_org_members_post()
    ///     .instance_id("575ec8687ae143cd83dc4a95")
    ///     .org_id("575ec8687ae143cd83dc4a97")
    ///     .body(body)
    ///     .send()
    ///     .await?;
    /// match MemberAdded::of(&answer) {
    ///     MemberAdded::Member => println!("member {:?}", answer.user_id),
    ///     MemberAdded::InviteSent => println!("invited; a member once they accept"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn of(answer: &ResponseValue<OrgMember>) -> Self {
        Self::of_status(answer.status())
    }

    /// [`of`](Self::of), from the status alone.
    pub fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::ACCEPTED => MemberAdded::InviteSent,
            _ => MemberAdded::Member,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_says_what_happened() {
        assert_eq!(MemberAdded::of_status(StatusCode::OK), MemberAdded::Member);
        assert_eq!(
            MemberAdded::of_status(StatusCode::CREATED),
            MemberAdded::Member
        );
        assert_eq!(
            MemberAdded::of_status(StatusCode::ACCEPTED),
            MemberAdded::InviteSent
        );
    }
}
