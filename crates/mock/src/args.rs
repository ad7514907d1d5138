//! The command line of the fake, shared by the `losant-invites-mock` binary and
//! `losant-invites mock`.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::duration::{LATENCY, TIMEOUT};
use crate::{
    Action, CreateAnswer, DEFAULT_MAX_CONNECTIONS, Fault, Limits, MemberAddAnswer, MockServer,
    OUTBOX_PATH, Seed, demo,
};

/// Runs a fake Losant API of an organization's invites and members until interrupted.
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

    /// `demo` for the built-in demo data and tokens, or the path of a JSON seed file (invites
    /// as Losant answers them, dates included; see the README).
    #[arg(long, visible_alias = "seed-file", value_name = "demo|FILE")]
    pub seed: Option<String>,

    /// What creating an invite answers with: `collection`, the organization's invites (API
    /// 1.29.1), or `invite`, the new invite alone (as the 1.31 Python client reads it).
    #[arg(long, value_enum, value_name = "FORM", default_value = "collection")]
    pub create_answers: CreateAnswerArg,

    /// What adding a member answers with: `current`, 201 with the member or 202 when an
    /// invite was sent instead (API 1.30.1 and later), or `classic`, 200 whichever it was
    /// (API 1.30.0 and before).
    #[arg(long, value_enum, value_name = "FORM", default_value = "current")]
    pub member_add_answers: MemberAddAnswerArg,

    /// Accept TOKEN holding the given scopes, as TOKEN=SCOPE[,SCOPE...]. Repeatable.
    #[arg(long = "token", value_name = "TOKEN=SCOPES", value_parser = parse_token)]
    pub tokens: Vec<(String, Vec<String>)>,

    /// Wait before every answer to ACTION (get, delete, resendInvite, list, create,
    /// listMembers, addMember, getMember, patchMember, removeMember, answerInvite or all), as
    /// ACTION=DURATION (`get=250ms`). Repeatable.
    #[arg(long = "latency", value_name = "ACTION=DURATION", value_parser = parse_latency)]
    pub latencies: Vec<(Vec<Action>, Duration)>,

    #[arg(long = "fault", value_name = "ACTION=FAULTS", value_parser = parse_script,
          help = format!(
              "Script the next answers to ACTION, as ACTION=FAULT[,FAULT...]. A FAULT is {}. \
               Once the script runs out, answers are normal. Repeatable.",
              crate::faults::FORMS
          ))]
    /// The scripted answers, per action.
    pub scripts: Vec<(Vec<Action>, Vec<Fault>)>,

    /// How long a client may take to send a request's head, from its first byte (`10s`,
    /// `500ms`, `2m`: a number and its unit).
    #[arg(long, value_name = "DURATION", value_parser = TIMEOUT.parser(),
          default_value = "10s")]
    pub header_timeout: Duration,

    /// How long a client may take to send a request's body, after its head.
    #[arg(long, value_name = "DURATION", value_parser = TIMEOUT.parser(),
          default_value = "10s")]
    pub body_timeout: Duration,

    /// How long a connection may wait for its next request before it is closed.
    #[arg(long, value_name = "DURATION", value_parser = TIMEOUT.parser(),
          default_value = "60s")]
    pub idle_timeout: Duration,

    /// The most connections open at once; at the limit the longest idle one is closed. Keep
    /// it below the open-file limit (`ulimit -n`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = parse_count)]
    pub max_connections: usize,

    /// How much the request log may hold (`64MiB`, `512KiB`, or bytes); past it the oldest
    /// requests are forgotten.
    #[arg(long, value_name = "SIZE", value_parser = parse_size,
          default_value = "64MiB")]
    pub log_budget: usize,
}

/// The forms of `--create-answers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CreateAnswerArg {
    /// The organization's invites.
    Collection,
    /// The new invite alone.
    Invite,
}

/// The forms of `--member-add-answers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MemberAddAnswerArg {
    /// 201 with the member, 202 with the invite sent.
    Current,
    /// 200.
    Classic,
}

/// A count of at least 1.
fn parse_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) | Err(_) => Err(format!("{text:?} is not a whole number of at least 1")),
        Ok(n) => Ok(n),
    }
}

/// A size as `64MiB`, `512KiB`, `1GiB`, or a plain number of bytes (the flags of both
/// command lines that take a size).
///
/// # Errors
/// A message quoting the text and the forms it takes.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let (number, unit) = split_unit(text);
    let number: usize = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 64MiB, 512KiB or 1048576"))?;
    let scale = match unit {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => {
            return Err(format!(
                "{text:?}: unknown unit {unit:?}; use KiB, MiB or GiB"
            ));
        }
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// `text` split into its leading digits and the rest.
fn split_unit(text: &str) -> (&str, &str) {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    (&text[..digits], text[digits..].trim())
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
    let (actions, latency) = split_pair(text)?;
    Ok((parse_actions(actions)?, LATENCY.parse(latency)?))
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
    let mut builder = MockServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .limits(Limits {
            header_read: args.header_timeout,
            body_read: args.body_timeout,
            idle: args.idle_timeout,
            max_connections: args.max_connections,
        })
        .log_budget(args.log_budget)
        .create_answers(match args.create_answers {
            CreateAnswerArg::Collection => CreateAnswer::Collection,
            CreateAnswerArg::Invite => CreateAnswer::Invite,
        })
        .member_add_answers(match args.member_add_answers {
            MemberAddAnswerArg::Current => MemberAddAnswer::Current,
            MemberAddAnswerArg::Classic => MemberAddAnswer::Classic,
        });
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
        let reads: Vec<&str> = Action::ALL
            .into_iter()
            .filter(|action| action.is_granted_by(&["all.Instance.read"]))
            .map(Action::name)
            .collect();
        banner.push(format!(
            "token {}  (scope all.Instance.read: the reads only, {})",
            demo::READ_TOKEN,
            reads.join(", ")
        ));
        banner.push(format!("invite {}", path(demo::INVITE_ID)));
        banner.push(format!(
            "invite {}  (expired)",
            path(demo::EXPIRED_INVITE_ID)
        ));
        banner.push(format!(
            "members /instances/{}/orgs/{}/members  (5; the administrator {})",
            demo::INSTANCE_ID,
            demo::ORG_ID,
            demo::ADMIN_USER_ID
        ));
        banner.push(format!(
            "outbox {OUTBOX_PATH}  (each invite's mail and token; accept with POST /invites)"
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
    let pid = std::process::id();
    let how_to_stop = if ctrl_c_reaches_us() {
        "press Ctrl-C to stop".to_owned()
    } else {
        format!("stop it with `kill {pid}`")
    };
    let _ = writeln!(std::io::stderr(), "serving (pid {pid}); {how_to_stop}");
    stopped().await;
    server.shutdown().await;
    Ok(())
}

/// Resolves on the first SIGINT or SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Whether Ctrl-C on a terminal reaches this process: its terminal's foreground process
/// group is its own. Not so for a job started in the background (`&`) or without a terminal.
fn ctrl_c_reaches_us() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let stderr = std::io::stderr();
        if !std::io::IsTerminal::is_terminal(&stderr) {
            return false;
        }
        // SAFETY: both calls only read the process's and the terminal's state.
        let (foreground, own) = unsafe { (libc::tcgetpgrp(stderr.as_raw_fd()), libc::getpgrp()) };
        foreground == own
    }
    #[cfg(not(unix))]
    {
        std::io::IsTerminal::is_terminal(&std::io::stderr())
    }
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
            parse_latency("get=250ms").unwrap(),
            (vec![Action::Get], Duration::from_millis(250))
        );
        let (actions, faults) = parse_script("all=503,503,ok").unwrap();
        assert_eq!(actions, Action::ALL.to_vec());
        assert_eq!(faults.len(), 3);
        assert!(parse_script("get=503,teapot").is_err());
        assert!(parse_token("=scope").is_err());
        assert!(parse_latency("patch=5").is_err());
    }

    // clap's defaults are text; they must say the library's defaults.
    #[test]
    fn the_flags_defaults_are_the_library_s() {
        use clap::Parser;

        let args = MockArgs::parse_from(["losant-invites-mock"]);
        let defaults = crate::Limits::default();
        assert_eq!(args.header_timeout, defaults.header_read);
        assert_eq!(args.body_timeout, defaults.body_read);
        assert_eq!(args.idle_timeout, defaults.idle);
        assert_eq!(args.max_connections, defaults.max_connections);
        assert_eq!(args.log_budget, crate::DEFAULT_LOG_BUDGET);
    }

    #[test]
    fn sizes_read_with_their_units() {
        for (text, size) in [("64MiB", 64 << 20), ("512KiB", 512 << 10), ("1000", 1000)] {
            assert_eq!(parse_size(text), Ok(size), "{text}");
        }
        assert!(parse_size("99999999999999999999GiB").is_err() && parse_size("1TB").is_err());
    }
}
