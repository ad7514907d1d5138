#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod access;
mod apply;
mod cancel;
mod id_list;
mod identity;
mod input;
mod org;
mod plan;
pub mod plan_invites;
pub mod plan_members;
pub mod plan_roster;
pub mod plan_sync;
mod report;
mod reporter;
mod requests;
mod roles;
pub mod roster;
mod selection;
pub mod settle;
mod snapshot;
pub mod stale;
pub mod undo;

pub use apply::{Apply, DEFAULT_CONCURRENCY, DEFAULT_GRACE};
pub use cancel::Cancel;
pub use id_list::{IdList, Listed, Repeat};
pub use identity::email_key;
pub use input::{EXCERPT_CHARS, InputError, Problem, excerpt};
pub use org::Org;
pub use plan::{Action, Plan, Reason, Step, Subject};
pub use plan_invites::Intent;
pub use plan_members::{MemberIntent, MemberSelection};
pub use plan_sync::{RemovalCap, SyncOptions, SyncRefusal};
pub use report::{Answer, Done, Failed, ListedAgain, Outcome, Report, Totals};
pub use reporter::Reporter;
pub use requests::{StepError, prepare};
pub use roles::{Grant, Roles};
pub use roster::{Entry, Roster};
pub use selection::Selection;
pub use snapshot::{InviteFilter, InviteQuery, MemberQuery, Snapshot, is_admin};
