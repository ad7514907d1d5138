//! What the handle and every connection share: the data, the tokens, the planned faults, the
//! request log, and how the fake was started; and the one way to lock a part of it. A leaf:
//! it imports no module that imports it.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use crate::action::Action;
use crate::call::{CreateAnswer, MemberAddAnswer};
use crate::connections::Limits;
use crate::faults::Faults;
use crate::request_log::RequestLog;
use crate::store::Store;

/// State shared by the handle and every connection.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) tokens: Mutex<BTreeMap<String, Vec<String>>>,
    pub(crate) faults: Mutex<BTreeMap<Action, Faults>>,
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) limits: Limits,
    pub(crate) create_answer: CreateAnswer,
    pub(crate) member_add_answer: MemberAddAnswer,
}

/// Locks `mutex`, shrugging off poisoning: every critical section here leaves the data whole.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
