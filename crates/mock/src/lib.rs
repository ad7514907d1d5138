#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod accept;
mod action;
#[cfg(feature = "cli")]
mod args;
mod auth;
mod call;
mod connections;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod duration;
mod errors;
mod faults;
mod invite;
mod invitee;
mod invites;
mod listing;
mod member;
mod members;
mod outbox;
mod recording;
mod request_log;
mod routes;
mod server;
mod state;
mod store;
mod store_members;
mod validate;

pub use action::Action;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use args::{MockArgs, parse_size, run};
pub use call::{CreateAnswer, MemberAddAnswer};
pub use connections::{
    DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, Limits,
};
pub use faults::{Fault, Faults};
pub use outbox::Mail;
pub use recording::MAX_REQUEST_BODY;
pub use request_log::{DEFAULT_LOG_BUDGET, LOGGED_BODY_BYTES, REDACTED, RecordedRequest};
pub use routes::OUTBOX_PATH;
pub use server::{MockServer, MockServerBuilder, StartError};
pub use store::{DEFAULT_TTL_MS, Seed, SeedError, SeedInstance, SeedOrg, SeedToken, demo};
pub use validate::{MAX_EMAIL_LEN, MAX_GRANTS, is_losant_id};
