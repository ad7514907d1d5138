//! The command line of the fake, shared by the `losant-invites-mock` binary and
//! `losant-invites mock`.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::{Action, Fault, MockServer, Seed, demo};

/// Runs a fake Losant Instance Org Invite API until interrupted.
///
/// The first line printed is the base URL to point a client at.
#[derive(Clone, Debug, clap::Parser)]
#[command(name = "losant-invites-mock", version)]
pub struct MockArgs {
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,

    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// `demo` for the built-in demo data and tokens, or the path of a JSON seed file.
    #[arg(long, value_name = "demo|FILE")]
    pub seed: Option<String>,

    /// Accept TOKEN holding the given scopes, as TOKEN=SCOPE[,SCOPE...]. Repeatable.
    #[arg(long = "token", value_name = "TOKEN=SCOPES", value_parser = parse_token)]
    pub tokens: Vec<(String, Vec<String>)>,

    /// Wait before every answer to ACTION (get, delete, resendInvite or all), as ACTION=MS.
    /// Repeatable.
    #[arg(long = "latency", value_name = "ACTION=MS", value_parser = parse_latency)]
    pub latencies: Vec<(Vec<Action>, Duration)>,

    /// Script the next answers to ACTION, as ACTION=FAULT[,FAULT...]. A FAULT is `ok`,
    /// STATUS (`503`), STATUS:RETRY_AFTER_SECONDS (`429:2`), `html[:STATUS]`, `truncate`,
    /// `drop` or `trickle[:MS_PER_BYTE]`. Once the script runs out, answers are normal.
    /// Repeatable.
    #[arg(long = "fault", value_name = "ACTION=FAULTS", value_parser = parse_script)]
    pub scripts: Vec<(Vec<Action>, Vec<Fault>)>,
}

fn split_pair(text: &str) -> Result<(&str, &str), String> {
    text.split_once('=')
        .ok_or_else(|| format!("{text:?} has no `=`"))
}

fn parse_actions(name: &str) -> Result<Vec<Action>, String> {
    if name == "all" {
        Ok(Action::ALL.to_vec())
    } else {
        Ok(vec![name.parse()?])
    }
}

fn parse_token(text: &str) -> Result<(String, Vec<String>), String> {
    let (token, scopes) = split_pair(text)?;
    if token.is_empty() {
        return Err("the token is empty".into());
    }
    Ok((
        token.to_owned(),
        scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    ))
}

fn parse_latency(text: &str) -> Result<(Vec<Action>, Duration), String> {
    let (actions, ms) = split_pair(text)?;
    let ms: u64 = ms
        .parse()
        .map_err(|_| format!("{ms:?} is not a number of milliseconds"))?;
    Ok((parse_actions(actions)?, Duration::from_millis(ms)))
}

fn parse_script(text: &str) -> Result<(Vec<Action>, Vec<Fault>), String> {
    let (actions, faults) = split_pair(text)?;
    let faults = faults
        .split(',')
        .map(str::parse)
        .collect::<Result<Vec<Fault>, _>>()?;
    Ok((parse_actions(actions)?, faults))
}

/// Starts the fake that `args` describe, prints its URL and what it holds, and serves until
/// Ctrl-C.
///
/// # Errors
/// When the seed file cannot be read or is invalid, or the address cannot be bound.
pub async fn run(args: MockArgs) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = MockServer::builder().bind(SocketAddr::new(args.host, args.port));
    let is_demo = args.seed.as_deref() == Some("demo");
    match args.seed.as_deref() {
        None => {}
        Some("demo") => builder = builder.seed(Seed::demo()),
        Some(path) => {
            let path = PathBuf::from(path);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read seed file {}: {e}", path.display()))?;
            builder = builder.seed(Seed::from_json(&text)?);
        }
    }
    for (token, scopes) in &args.tokens {
        builder = builder.token(token.clone(), scopes.clone());
    }
    let server = builder.start().await?;
    for (actions, latency) in &args.latencies {
        for action in actions {
            server.set_latency(*action, *latency);
        }
    }
    for (actions, faults) in &args.scripts {
        for action in actions {
            server.script(*action, faults.iter().cloned());
        }
    }

    // What is printed is for whoever started the fake; if they stop reading (a script that
    // took the first line and closed the pipe), the fake goes on serving regardless.
    let mut banner = vec![server.url()];
    if is_demo {
        let path = |invite: &str| {
            format!(
                "/instances/{}/orgs/{}/invites/{invite}",
                demo::INSTANCE_ID,
                demo::ORG_ID
            )
        };
        banner.push(format!(
            "token {}  (scope all.Instance: every action)",
            demo::ADMIN_TOKEN
        ));
        banner.push(format!(
            "token {}  (scope all.Instance.read: get only)",
            demo::READ_TOKEN
        ));
        banner.push(format!("invite {}", path(demo::INVITE_ID)));
        banner.push(format!(
            "invite {}  (expired)",
            path(demo::EXPIRED_INVITE_ID)
        ));
    }
    for (token, scopes) in &args.tokens {
        banner.push(format!("token {token}  (scopes {})", scopes.join(", ")));
    }
    let mut stdout = std::io::stdout().lock();
    for line in banner {
        let _ = writeln!(stdout, "{line}");
    }
    let _ = stdout.flush();
    drop(stdout);
    let _ = writeln!(std::io::stderr(), "serving; press Ctrl-C to stop");
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_into_plans() {
        assert_eq!(
            parse_token("t=all.Instance,instanceOrgInvite.get").unwrap(),
            (
                "t".to_owned(),
                vec![
                    "all.Instance".to_owned(),
                    "instanceOrgInvite.get".to_owned()
                ]
            )
        );
        assert_eq!(
            parse_latency("get=250").unwrap(),
            (vec![Action::Get], Duration::from_millis(250))
        );
        let (actions, faults) = parse_script("all=503,503,ok").unwrap();
        assert_eq!(actions, Action::ALL.to_vec());
        assert_eq!(faults.len(), 3);
        assert!(parse_script("get=503,teapot").is_err());
        assert!(parse_token("=scope").is_err());
        assert!(parse_latency("patch=5").is_err());
    }
}
