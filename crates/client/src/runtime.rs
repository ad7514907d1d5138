//! The one door from generated code into this crate: the code generated from the spec (see
//! `losant-invites-codegen`) names this module and nothing else of the crate's own, so the
//! other modules can be renamed and reshaped freely.
//!
//! What lies behind the door does not name the generated code in turn: a call (`call.rs`)
//! takes the client's `Settings` and any error body that serializes, and the attempts
//! (`attempts.rs`) take the HTTP client and the `Settings`. Two places must name generated
//! items, and only they do: `hooks.rs`, where progenitor's hook trait is implemented for the
//! generated `Client` (the seam progenitor offers), and the impls that add to generated types
//! (`roles.rs`; `client_builder.rs`, which builds the `Client`).

pub(crate) use crate::action::Action;
pub(crate) use crate::call::{prepare, send, unchecked};
pub(crate) use crate::email::check_email;
pub(crate) use crate::error::Error;
pub(crate) use crate::losant_id::LosantId;
pub(crate) use crate::prepared::PreparedRequest;
pub(crate) use crate::settings::Settings;
pub(crate) use crate::timestamp::Timestamp;
pub(crate) use serde_json::Number;
