//! Running a parsed command line: build the client, act on one invite or a list, print.

use std::future::Future;
use std::io::{BufRead, IsTerminal};
use std::path::Path;

use losant_invites_client::{BuildError, Client, Error, LosantId, PreparedRequest, types};
use serde_json::{Value, json};

use crate::args::{Cli, Command, Delete, Get, Global, Invites, Output, Resend};
use crate::bulk::{self, Done, List, Plan};
use crate::exit::{Failure, Outcome};
use crate::output::{invite_text, print_line, say, to_json, to_json_line};
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
enum Selected {
    One(LosantId),
    Many(List, bool),
}

fn selected(invites: &Invites) -> Result<Selected, Failure> {
    match (&invites.invite_id, &invites.invite_ids_from) {
        (Some(id), _) => Ok(Selected::One(id.clone())),
        (None, Some(path)) => {
            let list = bulk::parse_ids(&bulk::read_source(path, "invite IDs")?)?;
            Ok(Selected::Many(list, path == Path::new("-")))
        }
        (None, None) => Err(Failure::usage("give --invite-id or --invite-ids-from")),
    }
}

fn plan(global: &Global, invites: &Invites) -> Plan {
    Plan {
        output: output(global),
        concurrency: invites.concurrency.into(),
        grace: global.timeout,
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

fn ids(selected: &Selected) -> Vec<LosantId> {
    match selected {
        Selected::One(id) => vec![id.clone()],
        Selected::Many(list, _) => list.ids.iter().map(|listed| listed.id.clone()).collect(),
    }
}

/// Runs `act` on the one invite or on the list; `show` prints a single answer.
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
    match selected {
        Selected::One(id) => match act(id.clone()).await {
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
        },
        Selected::Many(list, _) => {
            let plan = plan(global, invites);
            let act = |id: LosantId| {
                let sent = act(id.clone());
                let done = &done;
                let already_gone = &already_gone;
                async move {
                    match sent.await {
                        Ok(answer) => {
                            let text = done(&id, &answer);
                            let value = serde_json::to_value(&answer).unwrap_or_default();
                            trace_answer(global, &value);
                            Done::Ok(value, text)
                        }
                        Err(error) if already_gone(&error) => Done::AlreadyGone(error),
                        Err(error) => Done::Failed(error),
                    }
                }
            };
            Ok(bulk::run(list, plan, act).await)
        }
    }
}

async fn get_invites(global: &Global, get: Get) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
    let selected = selected(&get.invites)?;
    let client = client(global)?;
    let request = |id: LosantId| {
        let request = client
            .instance_org_invite_get()
            .instance_id(&get.org.instance_id)
            .org_id(&get.org.org_id)
            .invite_id(id);
        in_domain(global, request, |request, domain| {
            request.losantdomain(domain)
        })
    };
    if get.invites.dry_run {
        return dry_run(
            global,
            ids(&selected).into_iter().map(|id| request(id).prepare()),
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

async fn delete_invites(global: &Global, delete: Delete) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
    let selected = selected(&delete.invites)?;
    let client = client(global)?;
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
            ids(&selected).into_iter().map(|id| request(id).prepare()),
        )
        .await;
    }
    if let Selected::Many(list, from_stdin) = &selected
        && !delete.yes
        && !list.ids.is_empty()
        && !from_stdin
        && !confirmed(&format!(
            "delete {} invites of organization {}?",
            list.ids.len(),
            delete.org.org_id
        ))
    {
        say("cancelled: nothing was deleted");
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
fn confirmed(question: &str) -> bool {
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

async fn resend_invites(global: &Global, resend: Resend) -> Result<Outcome, Failure> {
    ids_output_refused(global)?;
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
    let selected = selected(&resend.invites)?;
    let client = client(global)?;
    let request = |id: LosantId| {
        let request = client
            .instance_org_invite_resend_invite()
            .instance_id(&resend.org.instance_id)
            .org_id(&resend.org.org_id)
            .invite_id(id)
            .body(role_info.clone());
        in_domain(global, request, |request, domain| {
            request.losantdomain(domain)
        })
    };
    if resend.invites.dry_run {
        return dry_run(
            global,
            ids(&selected).into_iter().map(|id| request(id).prepare()),
        )
        .await;
    }
    let send = |id: LosantId| {
        let request = request(id);
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    let new_id = |invite: &types::OrgInvite| {
        invite
            .id
            .as_ref()
            .map_or_else(|| "?".to_owned(), ToString::to_string)
    };
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
