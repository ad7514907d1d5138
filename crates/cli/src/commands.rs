//! Running a parsed command line: build the client, act, print.

use std::io::IsTerminal;
use std::path::Path;

use clap::CommandFactory;
use std::future::Future;

use losant_invites_client::{Client, ResponseValue, types};

use crate::args::{Cli, Command, Global, Output, Resend, Targets};
use crate::bulk;
use crate::exit::{Failure, Outcome};
use crate::output::{invite_text, to_json};

/// Runs `cli` to its end, or to the failure that stopped it.
pub async fn run(cli: Cli) -> Result<Outcome, Failure> {
    match cli.command {
        Command::Mock(args) => {
            losant_invites_mock::run(args)
                .await
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(Outcome::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "losant-invites",
                &mut std::io::stdout(),
            );
            Ok(Outcome::SUCCESS)
        }
        Command::Get(targets) => get(targets).await,
        Command::Delete(targets) => delete(targets).await,
        Command::Resend(resend) => resend_invite(resend).await,
    }
}

fn json_output(global: &Global) -> bool {
    match global.output {
        Some(output) => output == Output::Json,
        None => !std::io::stdout().is_terminal(),
    }
}

fn client(global: &Global) -> Result<Client, Failure> {
    let token = global
        .token
        .clone()
        .ok_or_else(|| Failure::usage("no API token: pass --token or set LOSANT_API_TOKEN"))?;
    let mut builder = Client::builder().token(token).base_url(global.url.clone());
    if let Some(timeout) = global.timeout {
        builder = builder.request_timeout(timeout);
    }
    if global.no_retry {
        builder = builder.no_retry();
    }
    builder.build().map_err(|e| Failure::usage(e.to_string()))
}

async fn get(targets: Targets) -> Result<Outcome, Failure> {
    let client = client(&targets.global)?;
    let send = |invite_id: String| {
        let request = client
            .instance_org_invite_get()
            .instance_id(targets.org.instance_id.as_str())
            .org_id(targets.org.org_id.as_str())
            .invite_id(invite_id);
        let request = match &targets.global.losantdomain {
            Some(domain) => request.losantdomain(domain.clone()),
            None => request,
        };
        async move { request.send().await.map(ResponseValue::into_inner) }
    };
    act_on_targets(&targets, "found", send, |_, invite| invite_text(invite)).await
}

async fn delete(targets: Targets) -> Result<Outcome, Failure> {
    let client = client(&targets.global)?;
    let send = |invite_id: String| {
        let request = client
            .instance_org_invite_delete()
            .instance_id(targets.org.instance_id.as_str())
            .org_id(targets.org.org_id.as_str())
            .invite_id(invite_id);
        let request = match &targets.global.losantdomain {
            Some(domain) => request.losantdomain(domain.clone()),
            None => request,
        };
        async move { request.send().await.map(ResponseValue::into_inner) }
    };
    act_on_targets(&targets, "deleted", send, |id, _| {
        format!("deleted invite {id}")
    })
    .await
}

/// Runs an action on the targets: the one `--invite-id`, or every ID of `--invite-ids-from`.
/// `text` renders a single answer for a person.
async fn act_on_targets<T, Fut>(
    targets: &Targets,
    verb: &str,
    send: impl Fn(String) -> Fut,
    text: impl Fn(&str, &T) -> String,
) -> Result<Outcome, Failure>
where
    T: serde::Serialize,
    Fut: Future<Output = Result<T, losant_invites_client::Error>>,
{
    let json = json_output(&targets.global);
    match &targets.invite_ids_from {
        Some(path) => {
            let ids = bulk::parse_ids(&bulk::read_source(path, "invite IDs")?)?;
            let act = |id: String| {
                let sent = send(id);
                async move {
                    sent.await
                        .map(|answer| serde_json::to_value(answer).unwrap_or_default())
                }
            };
            Ok(bulk::run(ids, targets.concurrency.into(), json, verb, act).await)
        }
        None => {
            let id = targets.invite_id.clone().unwrap_or_default();
            let answer = send(id.clone()).await?;
            println!(
                "{}",
                if json {
                    to_json(&answer)
                } else {
                    text(&id, &answer)
                }
            );
            Ok(Outcome::SUCCESS)
        }
    }
}

async fn resend_invite(args: Resend) -> Result<Outcome, Failure> {
    let global = &args.global;
    let role_info = match &args.role_info {
        Some(path) => read_role_info(path)?,
        // A flag not given sends no list; an empty list can be sent from a --role-info file.
        None => types::OrgRoleInfo {
            role: args.role,
            application_roles: Some(args.application_roles)
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
            dashboard_roles: Some(args.dashboard_roles)
                .filter(|grants| !grants.is_empty())
                .map(Into::into),
        },
    };
    let client = client(global)?;
    let mut request = client
        .instance_org_invite_resend_invite()
        .instance_id(args.org.instance_id.as_str())
        .org_id(args.org.org_id.as_str())
        .invite_id(args.invite_id.as_str())
        .body(role_info);
    if let Some(domain) = &global.losantdomain {
        request = request.losantdomain(domain.clone());
    }
    let invite = request.send().await?.into_inner();
    println!(
        "{}",
        if json_output(global) {
            to_json(&invite)
        } else {
            invite_text(&invite)
        }
    );
    Ok(Outcome::SUCCESS)
}

/// The role info of `--role-info`: JSON that must match the spec's `OrgRoleInfo` exactly.
fn read_role_info(path: &Path) -> Result<types::OrgRoleInfo, Failure> {
    let text = bulk::read_source(path, "role info")?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("invalid role info in {}: {e}", path.display())))
}
