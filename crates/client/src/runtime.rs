//! The one door from generated code into this crate: the code generated from the spec (see
//! `losant-invites-codegen`) names this module and nothing else of the crate's own, so the
//! other modules can be renamed and reshaped freely.

pub(crate) use crate::action::Action;
pub(crate) use crate::call::{prepare, send};
pub(crate) use crate::error::Error;
pub(crate) use crate::losant_id::LosantId;
pub(crate) use crate::prepared::PreparedRequest;
pub(crate) use crate::settings::Settings;
pub(crate) use crate::timestamp::Timestamp;
pub(crate) use serde_json::Number;
