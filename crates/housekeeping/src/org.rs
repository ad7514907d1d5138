//! Which organization a job works on.

use losant_invites_client::LosantId;
use serde::{Deserialize, Serialize};

/// An organization of a Losant instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    /// The instance.
    pub instance_id: LosantId,
    /// The organization, inside the instance.
    pub org_id: LosantId,
}

impl Org {
    /// The organization `org_id` of instance `instance_id`.
    ///
    /// # Errors
    /// When either is not a Losant ID.
    ///
    /// ```
    /// let org = losant_invites_housekeeping::Org::new(
    ///     "575ec8687ae143cd83dc4a95",
    ///     "575ec8687ae143cd83dc4a97",
    /// )?;
    /// assert_eq!(org.org_id.as_str(), "575ec8687ae143cd83dc4a97");
    /// # Ok::<(), losant_invites_client::InvalidLosantId>(())
    /// ```
    pub fn new(
        instance_id: impl TryInto<LosantId, Error = losant_invites_client::InvalidLosantId>,
        org_id: impl TryInto<LosantId, Error = losant_invites_client::InvalidLosantId>,
    ) -> Result<Self, losant_invites_client::InvalidLosantId> {
        Ok(Self {
            instance_id: instance_id.try_into()?,
            org_id: org_id.try_into()?,
        })
    }
}
