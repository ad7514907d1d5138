//! Running a parsed command line: build the client, act on one invite or a list, print.

use std::future::Future;
use std::io::{BufRead, IsTerminal};
use std::path::Path;

use losant_invites_client::{BuildError, Client, Error, LosantId, PreparedRequest, types};
use serde_json::{Value, json};

use crate::args::{Cli, Command, Delete, Get, Global, Invites, Org, Output, Resend};
use crate::bulk::{self, Done, Item, List, Plan};
use crate::exit::{Failure, Outcome};
use crate::output::{self, invite_text, print_line, say, to_json, to_json_line};
use crate::select;
use crate::verbose::excerpt;

/// Runs `cli` to its end, or to the failure that stopped it.
pub async fn run(cli: Cli) -> Result<Outcome, Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Mock(args) => {
            losant_invites_mock::run(args)
                .await
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(Outcome::SUCCESS)
        }
        Command::Completions { shell } => {
            crate::completions::print(shell);
            Ok(Outcome::SUCCESS)
        }
        Command::Get(mut get) => {
            let global = global.merged(std::mem::take(&mut get.global));
            get_invites(&global, get).await
        }
        Command::Delete(mut delete) => {
            let global = global.merged(std::mem::take(&mut delete.global));
            delete_invites(&global, delete).await
        }
        Command::Resend(mut resend) => {
            let global = global.merged(std::mem::take(&mut resend.global));
            resend_invites(&global, resend).await
        }
        Command::Renew(mut renew) => {
            let global = global.merged(std::mem::take(&mut renew.global));
            ids_output_refused(&global)?;
            crate::renew::run(&global, renew).await
        }
        Command::List(mut list) => {
            let global = global.merged(std::mem::take(&mut list.global));
            crate::list::run(&global, list).await
        }
        Command::Invite(mut invite) => {
            let global = global.merged(std::mem::take(&mut invite.global));
            ids_output_refused(&global)?;
            crate::invite::run(&global, invite).await
        }
    }
}

/// `request`, carrying the `losantdomain` header when `--losantdomain` gives one: every
/// action's builder takes it, each through its own setter.
pub(crate) fn in_domain<R>(global: &Global, request: R, set: impl FnOnce(R, String) -> R) -> R {
    match &global.losantdomain {
        Some(domain) => set(request, domain.clone()),
        None => request,
    }
}

/// instanceOrgInvite.get of invite `id` of `org`.
pub(crate) fn get_request<'a>(
    global: &Global,
    client: &'a Client,
    org: &Org,
    id: LosantId,
) -> losant_invites_client::builder::InstanceOrgInviteGet<'a> {
    let request = client
        .instance_org_invite_get()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id)
        .invite_id(id);
    in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    })
}

/// instanceOrgInvite.resendInvite of invite `id` of `org`, with `info`.
pub(crate) fn resend_request<'a>(
    global: &Global,
    client: &'a Client,
    org: &Org,
    id: LosantId,
    info: types::OrgRoleInfo,
) -> losant_invites_client::builder::InstanceOrgInviteResendInvite<'a> {
    let request = client
        .instance_org_invite_resend_invite()
        .instance_id(&org.instance_id)
        .org_id(&org.org_id)
        .invite_id(id)
        .body(info);
    in_domain(global, request, |request, domain| {
        request.losantdomain(domain)
    })
}

/// `--output ids` lists invite IDs: it goes with `list` alone.
fn ids_output_refused(global: &Global) -> Result<(), Failure> {
    match global.output {
        Some(Output::Ids) => Err(Failure::usage(
            "--output ids prints the IDs of a list: it goes with `losant-invites list`",
        )),
        _ => Ok(()),
    }
}

pub(crate) fn output(global: &Global) -> Output {
    match global.output {
        Some(output) => output,
        None if std::io::stdout().is_terminal() => Output::Text,
        None => Output::Json,
    }
}

/// The client the options describe, or why not, in the command line's words.
pub(crate) fn client(global: &Global) -> Result<Client, Failure> {
    let token = global.token.clone().unwrap_or_default();
    let mut builder = Client::builder()
        .token(token)
        .base_url(global.url.clone())
        .allow_insecure_http(global.allow_insecure_http)
        .request_timeout(global.timeout);
    if global.no_retry {
        builder = builder.no_retry();
    }
    builder.build().map_err(|e| build_failure(global, e))
}

fn build_failure(global: &Global, error: BuildError) -> Failure {
    let url = &global.url;
    Failure::usage(match error {
        BuildError::MissingToken => "no API token: pass --token or set LOSANT_API_TOKEN".to_owned(),
        BuildError::InvalidToken => {
            "the API token holds characters a header cannot carry (a line break?)".to_owned()
        }
        BuildError::InvalidBaseUrl(_) if !url.contains("://") => format!(
            "--url {url:?} has no scheme: did you mean https://{url}, or http://{url} for this machine?"
        ),
        BuildError::InvalidBaseUrl(why) if why.contains("clear text") => format!(
            "--url {url:?}: plain http sends the token in clear text; use https, or add --allow-insecure-http"
        ),
        BuildError::InvalidBaseUrl(why) => format!("--url: invalid base URL {why}"),
        other => other.to_string(),
    })
}

/// The invites a command acts on.
pub(crate) enum Selected {
    One(LosantId),
    Several(Several),
}

/// Invites of a bulk run.
pub(crate) enum Several {
    /// IDs from a list; `true` when the list came on stdin, where nobody can answer a
    /// question.
    Listed(List, bool),
    /// The invites the selectors chose, and the selectors.
    Matched(Vec<types::OrgInvite>, String),
}

/// A bulk run over invites: the ID of each item, the items, the notes reported first, and
/// what to say when there are no items.
pub(crate) struct Run {
    pub ids: Vec<LosantId>,
    pub items: Vec<Item>,
    pub notes: Vec<bulk::Note>,
    pub nothing: String,
}

/// The invites `invites` names: by ID, from a list, or chosen by selectors from one list of
/// the organization's, whose plan is shown (on stdout for a dry run's text, else on stderr).
pub(crate) async fn selected(
    global: &Global,
    client: &Client,
    org: &Org,
    invites: &Invites,
) -> Result<Selected, Failure> {
    match (&invites.invite_id, &invites.invite_ids_from) {
        (Some(id), _) => Ok(Selected::One(id.clone())),
        (None, Some(path)) => {
            let list = bulk::parse_ids(&bulk::read_source(path, "invite IDs")?)?;
            Ok(Selected::Several(Several::Listed(
                list,
                path == Path::new("-"),
            )))
        }
        (None, None) if invites.select.is_given() => {
            let selection = select::fetch(global, client, org, &invites.select, None).await?;
            let plan = select::plan(&invites.select, &selection);
            if invites.dry_run && output(global) == Output::Text {
                print_line(plan);
            } else if !selection.chosen.is_empty() {
                say(plan);
            }
            // Only an invite with an ID can be acted on; Losant lists each with its ID.
            let chosen = selection
                .chosen
                .into_iter()
                .filter(|invite| invite.id.is_some())
                .collect();
            Ok(Selected::Several(Several::Matched(
                chosen,
                invites.select.describe(),
            )))
        }
        (None, None) => Err(Failure::usage(
            "say which invites: --invite-id, --invite-ids-from, or selectors such as --expired, \
             --pending, --older-than, --email or --role",
        )),
    }
}

impl Selected {
    /// The IDs acted on, in order.
    pub(crate) fn ids(&self) -> Vec<LosantId> {
        match self {
            Selected::One(id) => vec![id.clone()],
            Selected::Several(several) => several.ids(),
        }
    }

    /// Whether a person at the terminal agrees to `verb` these invites, asked when they are
    /// several or chosen by selectors, unless `yes`; `done` says what nothing was when not.
    pub(crate) fn agreed(&self, verb: &str, done: &str, org: &Org, yes: bool) -> bool {
        let count = match self {
            Selected::One(_) | Selected::Several(Several::Listed(_, true)) => return true,
            Selected::Several(Several::Listed(list, false)) => list.ids.len(),
            Selected::Several(Several::Matched(invites, _)) => invites.len(),
        };
        if yes || count == 0 {
            return true;
        }
        let invites = if count == 1 { "invite" } else { "invites" };
        if confirmed(&format!(
            "{verb} {count} {invites} of organization {}?",
            org.org_id
        )) {
            return true;
        }
        say(format!("cancelled: nothing was {done}"));
        false
    }
}

impl Several {
    /// The IDs acted on, in order.
    fn ids(&self) -> Vec<LosantId> {
        match self {
            Several::Listed(list, _) => list.ids.iter().map(|listed| listed.id.clone()).collect(),
            // Only invites with an ID are matched.
            Several::Matched(invites, _) => invites
                .iter()
                .filter_map(|invite| invite.id.clone())
                .collect(),
        }
    }

    /// The run over these invites.
    pub(crate) fn into_run(self) -> Run {
        let ids = self.ids();
        match self {
            Several::Listed(list, _) => {
                let (items, notes) = list.into_run();
                Run {
                    ids,
                    items,
                    notes,
                    nothing: "the list holds no invite IDs".to_owned(),
                }
            }
            Several::Matched(invites, selectors) => Run {
                ids,
                items: invites.iter().map(Item::invite).collect(),
                notes: Vec::new(),
                nothing: format!("no invites match ({selectors})"),
            },
        }
    }
}

pub(crate) fn plan(global: &Global, invites: &Invites, nothing: String) -> Plan {
    Plan {
        output: output(global),
        concurrency: invites.concurrency.into(),
        grace: global.timeout,
        nothing,
    }
}

/// With `-vv`, the start of an answer's body on stderr.
pub(crate) fn trace_answer(global: &Global, answer: &Value) {
    if global.verbose >= 2 {
        say(format!("  < body {}", excerpt(&to_json_line(answer))));
    }
}

/// `--dry-run`: the requests the client would send, each built by the client exactly as it
/// would send it (`prepare`), and none sent.
pub(crate) async fn dry_run<Fut>(
    global: &Global,
    prepared: impl IntoIterator<Item = Fut>,
) -> Result<Outcome, Failure>
where
    Fut: Future<Output = Result<PreparedRequest, Error>>,
{
    let mut requests = Vec::new();
    for request in prepared {
        requests.push(request.await?);
    }
    let as_json = |request: &PreparedRequest| {
        let headers: serde_json::Map<String, Value> = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), Value::String(value))
            })
            .collect();
        let body = request.body().map(|body| {
            serde_json::from_slice(body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
        });
        json!({
            "method": request.method().as_str(),
            "url": request.url().as_str(),
            "headers": headers,
            "body": body,
        })
    };
    match output(global) {
        Output::Text => {
            for request in &requests {
                print_line(format!("would send {request}"));
                for (name, value) in request.headers() {
                    print_line(format!(
                        "  {name}: {}",
                        String::from_utf8_lossy(value.as_bytes())
                    ));
                }
                if let Some(body) = request.body() {
                    print_line(format!("  {}", String::from_utf8_lossy(body)));
                }
            }
            let count = match requests.len() {
                1 => "1 request".to_owned(),
                n => format!("{n} requests"),
            };
            print_line(format!("dry run: {count}, none sent"));
        }
        Output::Json => {
            let requests: Vec<Value> = requests.iter().map(as_json).collect();
            print_line(to_json(&json!({ "dryRun": true, "requests": requests })));
        }
        Output::Ndjson | Output::Ids => {
            for request in &requests {
                print_line(to_json_line(&as_json(request)));
            }
        }
    }
    Ok(Outcome::SUCCESS)
}

/// Runs `act` on the one invite, or on each of several; `show` prints a single answer, `done`
/// says what became of each of several.
async fn act_on<T, Fut>(
    global: &Global,
    invites: &Invites,
    selected: Selected,
    act: impl Fn(LosantId) -> Fut,
    show: impl Fn(&LosantId, &T) -> String,
    done: impl Fn(&LosantId, &T) -> String,
    already_gone: impl Fn(&Error) -> bool,
) -> Result<Outcome, Failure>
where
    T: serde::Serialize,
    Fut: Future<Output = Result<T, Error>>,
{
    let several = match selected {
        Selected::Several(several) => several,
        Selected::One(id) => {
            return match act(id.clone()).await {
                Ok(answer) => {
                    let value = serde_json::to_value(&answer).unwrap_or_default();
                    trace_answer(global, &value);
                    match output(global) {
                        Output::Text => print_line(show(&id, &answer)),
                        Output::Json => print_line(to_json(&value)),
                        Output::Ndjson | Output::Ids => print_line(to_json_line(&value)),
                    }
                    Ok(Outcome::SUCCESS)
                }
                Err(error) if already_gone(&error) => {
                    print_line(match output(global) {
                        Output::Text => format!("invite {id} already gone ({error})"),
                        _ => to_json_line(&json!({ "inviteId": id, "alreadyGone": true })),
                    });
                    Ok(Outcome::SUCCESS)
                }
                Err(error) => Err(error.into()),
            };
        }
    };
    let Run {
        ids,
        items,
        notes,
        nothing,
    } = several.into_run();
    let act = |index: usize| {
        let id = ids[index].clone();
        let sent = act(id.clone());
        let done = &done;
        let already_gone = &already_gone;
        async move {
            match sent.await {
                Ok(answer) => {
                    let text = done(&id, &answer);
                    let value = serde_json::to_value(&answer).unwrap_or_default();
                    trace_answer(global, &value);
                    let mut fields = serde_json::Map::new();
                    fields.insert("answer".into(), value);
                    Done::Ok(fields, text)
                }
                Err(error) if already_gone(&error) => Done::AlreadyGone(error),
                Err(error) => Done::Failed(error),
            }
        }
    };
    let ran = bulk::run(items, notes, plan(global, invites, nothing), act).await;
    Ok(ran.outcome())
}

async fn get_invites(global: &Global, mut get: Get) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
    get.invites.select.role = get.by_role.role;
    let client = client(global)?;
    let selected = selected(global, &client, &get.org, &get.invites).await?;
    let request = |id: LosantId| get_request(global, &client, &get.org, id);
    if get.invites.dry_run {
        return dry_run(
            global,
            selected.ids().into_iter().map(|id| request(id).prepare()),
        )
        .await;
    }
    let send = |id: LosantId| {
        let request = request(id);
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    act_on(
        global,
        &get.invites,
        selected,
        send,
        |_, invite| invite_text(invite),
        |id, _| format!("{id} found"),
        |_| false,
    )
    .await
}

async fn delete_invites(global: &Global, mut delete: Delete) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
    delete.invites.select.role = delete.by_role.role;
    let client = client(global)?;
    let selected = selected(global, &client, &delete.org, &delete.invites).await?;
    let request = |id: LosantId| {
        let request = client
            .instance_org_invite_delete()
            .instance_id(&delete.org.instance_id)
            .org_id(&delete.org.org_id)
            .invite_id(id);
        in_domain(global, request, |request, domain| {
            request.losantdomain(domain)
        })
    };
    if delete.invites.dry_run {
        return dry_run(
            global,
            selected.ids().into_iter().map(|id| request(id).prepare()),
        )
        .await;
    }
    if !selected.agreed("delete", "deleted", &delete.org, delete.yes) {
        return Ok(Outcome::SUCCESS);
    }
    let send = |id: LosantId| {
        let request = request(id);
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    let ignore_missing = delete.ignore_missing;
    act_on(
        global,
        &delete.invites,
        selected,
        send,
        |id, _: &types::Success| format!("deleted invite {id}"),
        |id, _| format!("{id} deleted"),
        |error| ignore_missing && (error.is_not_found() || error.may_have_taken_effect()),
    )
    .await
}

/// On a terminal, asks `question` on stderr and reads the answer; anything but yes is no.
/// Without a terminal nobody can answer, and nothing is asked.
pub(crate) fn confirmed(question: &str) -> bool {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return true;
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("{question} [y/N] ").as_bytes(),
    );
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

async fn resend_invites(global: &Global, mut resend: Resend) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
    resend.invites.select.role = resend.current_role;
    let role_info = match &resend.role_info {
        Some(path) => read_role_info(path)?,
        // A flag not given sends no list; an empty list can be sent from a --role-info file.
        None => types::OrgRoleInfo {
            role: resend.role,
            application_roles: Some(resend.application_roles.clone())
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
            dashboard_roles: Some(resend.dashboard_roles.clone())
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
        },
    };
    let client = client(global)?;
    let selected = selected(global, &client, &resend.org, &resend.invites).await?;
    let request =
        |id: LosantId| resend_request(global, &client, &resend.org, id, role_info.clone());
    if resend.invites.dry_run {
        return dry_run(
            global,
            selected.ids().into_iter().map(|id| request(id).prepare()),
        )
        .await;
    }
    if !selected.agreed("resend", "resent", &resend.org, resend.yes) {
        return Ok(Outcome::SUCCESS);
    }
    let send = |id: LosantId| {
        let request = request(id);
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    let new_id = |invite: &types::OrgInvite| output::id_text(invite.id.as_ref());
    act_on(
        global,
        &resend.invites,
        selected,
        send,
        |old, invite| {
            format!(
                "resent invite {old} → {}\n{}",
                new_id(invite),
                invite_text(invite)
            )
        },
        |old, invite| format!("{old} → {}", new_id(invite)),
        |_| false,
    )
    .await
}

/// The role info of `--role-info`: JSON that must match the spec's `OrgRoleInfo` exactly.
fn read_role_info(path: &Path) -> Result<types::OrgRoleInfo, Failure> {
    let text = bulk::read_source(path, "role info")?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "--role-info {}: invalid role info: {e}",
            path.display()
        ))
    })
}
