//! What an organization holds at one moment, read once: who has access, its members and its
//! invites (one list call each however many there are), and the time they were read, which
//! every plan judges expiry and age by.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use losant_invites_client::{Client, Error, LosantId, types};

use crate::identity::email_key;
use crate::org::Org;

/// The organization's invites and members as Losant listed them, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The organization.
    pub org: Org,
    /// When the list was read: expiry and age are judged at this moment.
    pub taken_at: DateTime<Utc>,
    /// The invites, in Losant's order.
    pub invites: Vec<types::OrgInvite>,
    /// The members, in Losant's order; empty when they were not read (see
    /// [`member_listing`](Self::member_listing)).
    pub members: Vec<types::OrgMember>,
    /// The rest of Losant's answer to the members' list, when the members were read.
    pub member_listing: Option<types::OrgMemberCollection>,
    /// The rest of Losant's answer (its `count`, the filter and sort it echoed), the items
    /// taken out into [`invites`](Self::invites): `items` is left an empty list where Losant
    /// sent a list, and none where it sent none.
    pub invite_listing: types::OrgInviteCollection,
}

/// Which invites a list call asks Losant for, and in which order: Losant filters on one field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InviteQuery {
    /// Losant's filter, if any.
    pub filter: Option<InviteFilter>,
    /// Losant's order, if any: a field and a direction.
    pub sort: Option<(
        types::InstanceOrgInvitesGetSortField,
        types::InstanceOrgInvitesGetSortDirection,
    )>,
}

/// Which members a list call asks Losant for, and in which order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberQuery {
    /// Losant's filter, if any.
    pub filter: Option<InviteFilter>,
    /// Losant's order, if any: a field and a direction.
    pub sort: Option<(
        types::InstanceOrgMembersGetSortField,
        types::InstanceOrgMembersGetSortDirection,
    )>,
}

/// Losant's list filter: one field and a glob.
#[derive(Clone, Debug, PartialEq)]
pub enum InviteFilter {
    /// Invites whose email matches the glob (`*` for any run of characters).
    Email(String),
    /// Invites of this organization role.
    Role(types::OrgRole),
}

impl Snapshot {
    /// A snapshot of `invites` (and no members) taken at `taken_at`, as a program or a test
    /// makes one.
    pub fn new(org: Org, taken_at: DateTime<Utc>, invites: Vec<types::OrgInvite>) -> Self {
        Self {
            members: Vec::new(),
            member_listing: None,
            invite_listing: types::OrgInviteCollection {
                count: Some(invites.len() as i64),
                filter: None,
                filter_field: None,
                instance_id: Some(org.instance_id),
                items: Some(Vec::new().into()),
                org_id: Some(org.org_id),
                sort_direction: None,
                sort_field: None,
                extra: serde_json::Map::new(),
            },
            org,
            taken_at,
            invites,
        }
    }

    /// The same snapshot with `members` read too.
    pub fn with_members(mut self, members: Vec<types::OrgMember>) -> Self {
        self.member_listing = Some(types::OrgMemberCollection {
            count: Some(members.len() as i64),
            filter: None,
            filter_field: None,
            instance_id: Some(self.org.instance_id),
            items: Some(Vec::new().into()),
            org_id: Some(self.org.org_id),
            sort_direction: None,
            sort_field: None,
            extra: serde_json::Map::new(),
        });
        self.members = members;
        self
    }

    /// Reads who has access to `org`: every member and every invite, one list call each.
    ///
    /// # Errors
    /// The client's error, when a list call fails; a list larger than the client reads is
    /// [`Error::is_too_large`].
    pub async fn read(client: &Client, org: &Org) -> Result<Self, Error> {
        let snapshot = Self::read_invites(client, org, &InviteQuery::default()).await?;
        snapshot.and_members(client, &MemberQuery::default()).await
    }

    /// Reads the members of `org` that `query` asks for (and no invites): one list call.
    ///
    /// # Errors
    /// As [`read`](Self::read).
    pub async fn read_members(
        client: &Client,
        org: &Org,
        query: &MemberQuery,
    ) -> Result<Self, Error> {
        Self::new(org.clone(), Utc::now(), Vec::new())
            .and_members(client, query)
            .await
    }

    /// This snapshot with the members `query` asks for read too, and the time it was taken
    /// moved to when they were read.
    async fn and_members(mut self, client: &Client, query: &MemberQuery) -> Result<Self, Error> {
        let mut request = client
            .instance_org_members_get()
            .instance_id(self.org.instance_id)
            .org_id(self.org.org_id);
        match &query.filter {
            Some(InviteFilter::Email(glob)) => {
                request = request
                    .filter_field(types::InstanceOrgMembersGetFilterField::Email)
                    .filter(glob.clone());
            }
            Some(InviteFilter::Role(role)) => {
                request = request
                    .filter_field(types::InstanceOrgMembersGetFilterField::Role)
                    .filter(role.to_string());
            }
            None => {}
        }
        if let Some((field, direction)) = query.sort {
            request = request.sort_field(field).sort_direction(direction);
        }
        let mut listing = request.send().await?.into_inner();
        let items = listing.items.take();
        listing.items = items.as_ref().map(|_| Vec::new().into());
        self.members = items.map(Vec::from).unwrap_or_default();
        self.member_listing = Some(listing);
        Ok(self)
    }

    /// Reads the invites of `org` that `query` asks for: one list call.
    ///
    /// # Errors
    /// As [`read`](Self::read).
    pub async fn read_invites(
        client: &Client,
        org: &Org,
        query: &InviteQuery,
    ) -> Result<Self, Error> {
        let mut request = client
            .instance_org_invites_get()
            .instance_id(org.instance_id)
            .org_id(org.org_id);
        match &query.filter {
            Some(InviteFilter::Email(glob)) => {
                request = request
                    .filter_field(types::InstanceOrgInvitesGetFilterField::Email)
                    .filter(glob.clone());
            }
            Some(InviteFilter::Role(role)) => {
                request = request
                    .filter_field(types::InstanceOrgInvitesGetFilterField::Role)
                    .filter(role.to_string());
            }
            None => {}
        }
        if let Some((field, direction)) = query.sort {
            request = request.sort_field(field).sort_direction(direction);
        }
        let mut listing = request.send().await?.into_inner();
        let taken_at = Utc::now();
        let items = listing.items.take();
        // Left an empty list where Losant sent one, and none where it sent none, so that the
        // listing still says which it was.
        listing.items = items.as_ref().map(|_| Vec::new().into());
        let invites = items.map(Vec::from).unwrap_or_default();
        Ok(Self {
            org: org.clone(),
            taken_at,
            invites,
            invite_listing: listing,
            members: Vec::new(),
            member_listing: None,
        })
    }

    /// Whether `invite` counts as pending: not known to have expired when the snapshot was
    /// taken. An invite whose expiry cannot be told counts as pending, so that nobody is
    /// invited twice on a guess.
    pub fn is_pending(&self, invite: &types::OrgInvite) -> bool {
        invite.has_expired_at(self.taken_at) != Some(true)
    }

    /// The members by the key of their email ([`email_key`]); a member without an email is
    /// left out.
    pub fn members_by_email(&self) -> HashMap<String, &types::OrgMember> {
        self.members
            .iter()
            .filter_map(|member| Some((email_key(member.email.as_deref()?), member)))
            .collect()
    }

    /// A fingerprint of the access the snapshot holds: every member (user, email, role) and
    /// every invite (ID, email, roles, date), in an order that does not depend on Losant's
    /// nor on the time it is read. Two snapshots of the same access have the same fingerprint;
    /// any change to a member or an invite changes it. (FNV-1a, 64 bits, of each item, then of
    /// the items' sorted: a check against change, not against forgery.)
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write;
        let id =
            |id: Option<&LosantId>| id.map_or(String::new(), |id| id.as_str().to_ascii_lowercase());
        let email = |email: Option<&String>| email.map(|e| email_key(e)).unwrap_or_default();
        // Each item written straight into its hash: no text is built for it.
        let mut items: Vec<u64> = Vec::with_capacity(self.members.len() + self.invites.len());
        for member in &self.members {
            let mut hash = Fnv::new();
            let role = member.role.as_ref().map(ToString::to_string);
            let _ = write!(
                hash,
                "member {} {} {}",
                id(member.user_id.as_ref()),
                email(member.email.as_deref()),
                role.as_deref().unwrap_or_default()
            );
            items.push(hash.0);
        }
        for invite in &self.invites {
            let mut hash = Fnv::new();
            let date = invite.invite_date.as_ref().map(|d| d.to_utc());
            let _ = write!(
                hash,
                "invite {} {} {} {:?}",
                id(invite.id.as_ref()),
                email(invite.email.as_deref()),
                crate::roles::Roles::of_invite(invite),
                date
            );
            items.push(hash.0);
        }
        items.sort_unstable();
        let mut all = Fnv::new();
        for item in items {
            all.bytes(&item.to_le_bytes());
        }
        format!("fnv1a64:{:016x}", all.0)
    }

    /// How many members are administrators.
    pub fn admins(&self) -> usize {
        self.members
            .iter()
            .filter(|member| is_admin(member))
            .count()
    }

    /// The invites of each email (by [`email_key`]), in the snapshot's order.
    pub fn invites_by_email(&self) -> HashMap<String, Vec<&types::OrgInvite>> {
        let mut by_email: HashMap<String, Vec<&types::OrgInvite>> = HashMap::new();
        for invite in &self.invites {
            if let Some(email) = invite.email.as_deref() {
                by_email.entry(email_key(email)).or_default().push(invite);
            }
        }
        by_email
    }
}

/// The newest of `invites` by their date; of two with the same date (or none), the one with
/// the greater ID, so that the choice never depends on the order Losant listed them in.
pub(crate) fn newest<'a>(
    invites: impl IntoIterator<Item = &'a types::OrgInvite>,
) -> Option<&'a types::OrgInvite> {
    invites.into_iter().max_by_key(|invite| {
        (
            invite.invite_date.as_ref().map(|d| d.to_utc()),
            invite
                .id
                .as_ref()
                .map(|id| id.as_str().to_ascii_lowercase()),
        )
    })
}

/// Whether `member` is an administrator of the organization.
pub fn is_admin(member: &types::OrgMember) -> bool {
    member
        .role
        .as_ref()
        .is_some_and(|role| role.to_string() == "admin")
}

/// FNV-1a, 64 bits, fed as text is written into it.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.bytes(text.as_bytes());
        Ok(())
    }
}
