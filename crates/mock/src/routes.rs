//! What the fake serves: one table of (method, path template) → action and handler, and the
//! way every request goes through it: the action's scripted fault first, then authentication,
//! the path's IDs and the query checked, the handler, and the fault again on the answer.
//! Adding an action is a line here and a handler beside the others of its resource.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::middleware;
use axum::response::Response;
use axum::routing::any;

use crate::action::Action;
use crate::call::Call;
use crate::state::{Shared, lock};
use crate::store::Store;
use crate::{auth, errors, invite, invitee, invites, member, members, recording, validate};

/// A handler: the answer, a success or Losant's error.
type Handler = fn(&mut Store, &Call<'_>) -> Response;

struct Route {
    action: Action,
    handler: Handler,
}

/// Which handler answers each action (the action's method and path are its own:
/// `action.rs`).
const ROUTES: [Route; 11] = [
    Route {
        action: Action::Get,
        handler: invite::get,
    },
    Route {
        action: Action::Delete,
        handler: invite::delete,
    },
    Route {
        action: Action::ResendInvite,
        handler: invite::resend_invite,
    },
    Route {
        action: Action::List,
        handler: invites::list,
    },
    Route {
        action: Action::Create,
        handler: invites::create,
    },
    Route {
        action: Action::ListMembers,
        handler: members::list,
    },
    Route {
        action: Action::AddMember,
        handler: members::add,
    },
    Route {
        action: Action::GetMember,
        handler: member::get,
    },
    Route {
        action: Action::PatchMember,
        handler: member::patch,
    },
    Route {
        action: Action::RemoveMember,
        handler: member::delete,
    },
    Route {
        action: Action::AnswerInvite,
        handler: invitee::respond,
    },
];

/// Where the fake shows the mail it would have sent: outside Losant's paths, taking no token.
pub const OUTBOX_PATH: &str = "/_fake/outbox";

/// The fake's router: each path of the table, the outbox, the request log in front of all,
/// and Losant's 404 for anything else.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new();
    let mut paths: Vec<&'static str> = ROUTES.iter().map(|route| route.action.path()).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        router = router.route(
            path,
            any(move |state, method, params, query, uri, headers, body| {
                dispatch(path, state, method, params, query, uri, headers, body)
            }),
        );
    }
    router
        .route(OUTBOX_PATH, axum::routing::get(outbox))
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            recording::record,
        ))
        .with_state(shared)
}

/// Every invitation mail, oldest first, as a JSON array.
async fn outbox(State(shared): State<Arc<Shared>>) -> Response {
    axum::response::IntoResponse::into_response(axum::Json(lock(&shared.store).outbox()))
}

async fn unknown_route(method: Method, uri: Uri) -> Response {
    errors::not_found(format!("no route for {method} {}", uri.path()))
}

#[allow(clippy::too_many_arguments)]
async fn dispatch(
    path: &'static str,
    State(shared): State<Arc<Shared>>,
    method: Method,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    RawQuery(query): RawQuery,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(route) = ROUTES
        .iter()
        .find(|route| route.action.path() == path && route.action.method() == method.as_str())
    else {
        let allowed: Vec<&str> = ROUTES
            .iter()
            .filter(|route| route.action.path() == path)
            .map(|route| route.action.method())
            .collect();
        return errors::method_not_allowed(method.as_str(), &allowed);
    };
    let (latency, fault) = lock(&shared.faults).entry(route.action).or_default().next();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(instead) = fault.instead_of_acting(&uri) {
        return instead;
    }
    let answer = act(&shared, route, params, query.as_deref(), &headers, &body);
    fault.reshape(answer).await
}

/// Runs `route`'s action as Losant would: authenticate, authorize, validate, then the handler.
fn act(
    shared: &Shared,
    route: &Route,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    if route.action.needs_token()
        && let Some(refused) = auth::refusal(shared, route.action, headers)
    {
        return refused;
    }
    let params = match params {
        Ok(params) => params,
        Err(e) => return errors::validation(format!("invalid path: {e}")),
    };
    for (name, value) in params.iter() {
        if let Err(message) = validate::check_id(name, value) {
            return errors::validation(message);
        }
    }
    let query: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    if let Err(message) = validate::check_query(&query) {
        return errors::validation(message);
    }
    let call = Call {
        params: &params,
        query: &query,
        body,
        create_answer: shared.create_answer,
        member_add_answer: shared.member_add_answer,
    };
    (route.handler)(&mut lock(&shared.store), &call)
}
