//! The quickstart: get → resendInvite → delete → get, against a local fake Losant unless
//! `LOSANT_API_TOKEN` is set.
//!
//! ```sh
//! cargo run -p losant-invites-client --example quickstart
//! ```
//!
//! With `LOSANT_API_TOKEN`, `LOSANT_INSTANCE_ID`, `LOSANT_ORG_ID` and `LOSANT_INVITE_ID` set, it
//! runs a single, read-only `get` against the real API instead: Losant's public API, or the
//! one `LOSANT_API_URL` names (a private instance). These are the variables the
//! `losant-invites` command line reads, read the same way: an empty one counts as unset.

use std::env;
use std::process::ExitCode;

use losant_invites_client::{Client, types};
use losant_invites_mock::{MockServer, Seed, demo};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> ExitCode {
    let run = match setting("LOSANT_API_TOKEN") {
        Some(token) => against_losant(token).await,
        None => against_the_fake().await,
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The environment variable `name`, unless it is unset or empty.
fn setting(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// A read-only `get` on a real invite: nothing on the account changes.
async fn against_losant(token: String) -> Result<()> {
    let var = |name: &str| {
        setting(name).ok_or_else(|| format!("LOSANT_API_TOKEN is set, so {name} must be too"))
    };
    let (instance, org, invite) = (
        var("LOSANT_INSTANCE_ID")?,
        var("LOSANT_ORG_ID")?,
        var("LOSANT_INVITE_ID")?,
    );
    let mut builder = Client::builder().token(token);
    if let Some(url) = setting("LOSANT_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    println!("Reading one invite from {} (read-only)", client.base_url());
    let found = client
        .instance_org_invite_get()
        .instance_id(instance.as_str())
        .org_id(org.as_str())
        .invite_id(invite.as_str())
        .send()
        .await?;
    println!("get      {}", describe(&found));
    Ok(())
}

/// The whole life of an invite, against a fake Losant started in this process.
async fn against_the_fake() -> Result<()> {
    let fake = MockServer::builder().seed(Seed::demo()).start().await?;
    println!(
        "No LOSANT_API_TOKEN set: using a local fake Losant at {}\n",
        fake.url()
    );

    let client = Client::builder()
        .token(demo::ADMIN_TOKEN)
        .base_url(fake.url())
        .build()?;
    let (instance, org) = (demo::INSTANCE_ID, demo::ORG_ID);

    let invite = client
        .instance_org_invite_get()
        .instance_id(instance)
        .org_id(org)
        .invite_id(demo::INVITE_ID)
        .send()
        .await?;
    println!("1. get     {}", describe(&invite));

    let resent = client
        .instance_org_invite_resend_invite()
        .instance_id(instance)
        .org_id(org)
        .invite_id(demo::INVITE_ID)
        .body(types::OrgRoleInfo {
            role: Some(types::OrgRole::View),
            ..Default::default()
        })
        .send()
        .await?;
    println!("2. resend  as view: {}", describe(&resent));
    let new_id = resent.id.ok_or("the resent invite has no id")?;

    let deleted = client
        .instance_org_invite_delete()
        .instance_id(instance)
        .org_id(org)
        .invite_id(new_id)
        .send()
        .await?;
    println!(
        "3. delete  {}: success = {:?}",
        new_id,
        deleted.success.unwrap_or(false)
    );

    let gone = client
        .instance_org_invite_get()
        .instance_id(instance)
        .org_id(org)
        .invite_id(new_id)
        .send()
        .await;
    match gone {
        Err(error) if error.is_not_found() => {
            println!("4. get     again: {error} (expected: it was deleted)")
        }
        Err(error) => return Err(error.into()),
        Ok(invite) => {
            return Err(format!("the deleted invite is still there: {}", describe(&invite)).into());
        }
    }
    Ok(())
}

fn describe(invite: &types::OrgInvite) -> String {
    let id = invite.id.as_ref().map_or("?", |id| id.as_str());
    let email = invite.email.as_ref().map_or("?", |email| email.as_str());
    let role = invite
        .role
        .as_ref()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    let expired = if invite.has_expired == Some(true) {
        "expired"
    } else {
        "pending"
    };
    format!("invite {id} for {email}, role {role}, {expired}")
}
