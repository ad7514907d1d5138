//! Running a parsed command line: build the client, act, print.

use std::io::IsTerminal;
use std::path::Path;

use clap::CommandFactory;
use losant_invites_client::{Client, types};

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

/// The IDs a bulk run acts on, or `None` for a single invite.
fn bulk_ids(targets: &Targets) -> Result<Option<Vec<bulk::Listed>>, Failure> {
    match &targets.invite_ids_from {
        Some(path) => Ok(Some(bulk::parse_ids(&bulk::read_source(
            path,
            "invite IDs",
        )?)?)),
        None => Ok(None),
    }
}

async fn get(targets: Targets) -> Result<Outcome, Failure> {
    let global = &targets.global;
    let ids = bulk_ids(&targets)?;
    let client = client(global)?;
    let send = |invite_id: String| {
        let mut request = client
            .instance_org_invite_get()
            .instance_id(targets.org.instance_id.as_str())
            .org_id(targets.org.org_id.as_str())
            .invite_id(invite_id);
        if let Some(domain) = &global.losantdomain {
            request = request.losantdomain(domain.clone());
        }
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    let json = json_output(global);
    match ids {
        Some(ids) => {
            let act = |id: String| {
                let sent = send(id);
                async move {
                    sent.await
                        .map(|invite| serde_json::to_value(invite).unwrap_or_default())
                }
            };
            Ok(bulk::run(ids, targets.concurrency.into(), json, "found", act).await)
        }
        None => {
            let invite = send(targets.invite_id.unwrap_or_default()).await?;
            println!(
                "{}",
                if json {
                    to_json(&invite)
                } else {
                    invite_text(&invite)
                }
            );
            Ok(Outcome::SUCCESS)
        }
    }
}

async fn delete(targets: Targets) -> Result<Outcome, Failure> {
    let global = &targets.global;
    let ids = bulk_ids(&targets)?;
    let client = client(global)?;
    let send = |invite_id: String| {
        let mut request = client
            .instance_org_invite_delete()
            .instance_id(targets.org.instance_id.as_str())
            .org_id(targets.org.org_id.as_str())
            .invite_id(invite_id);
        if let Some(domain) = &global.losantdomain {
            request = request.losantdomain(domain.clone());
        }
        async move { request.send().await.map(|answer| answer.into_inner()) }
    };
    let json = json_output(global);
    match ids {
        Some(ids) => {
            let act = |id: String| {
                let sent = send(id);
                async move {
                    sent.await
                        .map(|success| serde_json::to_value(success).unwrap_or_default())
                }
            };
            Ok(bulk::run(ids, targets.concurrency.into(), json, "deleted", act).await)
        }
        None => {
            let invite_id = targets.invite_id.unwrap_or_default();
            let success = send(invite_id.clone()).await?;
            println!(
                "{}",
                if json {
                    to_json(&success)
                } else {
                    format!("deleted invite {invite_id}")
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
        None => types::OrgRoleInfo {
            role: args.role,
            application_roles: args.application_roles,
            dashboard_roles: args.dashboard_roles,
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
