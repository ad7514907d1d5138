//! The command line: global options, the commands and their arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use losant_invites_client::types;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the API answered with an error (for bulk runs: at least one item did)
  2  usage error or invalid input; nothing was sent
  3  transport failure or timeout (for bulk runs: the failed items all failed so)";

/// Look up, resend and revoke Losant instance organization invites.
///
/// Reads the token from --token or LOSANT_API_TOKEN and the API from --url or LOSANT_API_URL.
/// `losant-invites mock --seed demo` starts a local fake Losant to try every command on.
#[derive(Debug, Parser)]
#[command(name = "losant-invites", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// How loudly to trace: the `-v` count of the API command, 0 for the others.
    pub fn verbosity(&self) -> u8 {
        match &self.command {
            Command::Get(targets) | Command::Delete(targets) => targets.global.verbose,
            Command::Resend(resend) => resend.global.verbose,
            Command::Mock(_) | Command::Completions { .. } => 0,
        }
    }
}

/// Options every API command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Losant API token. Never echoed, logged or shown in errors.
    #[arg(long, env = "LOSANT_API_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Base URL of the Losant API.
    #[arg(long, env = "LOSANT_API_URL", default_value = losant_invites_client::DEFAULT_BASE_URL)]
    pub url: String,

    /// Domain scope of the request (rarely needed), sent as the `losantdomain` header.
    #[arg(long)]
    pub losantdomain: Option<String>,

    /// Seconds one attempt may take, body included.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<std::time::Duration>,

    /// Do not retry failed attempts.
    #[arg(long)]
    pub no_retry: bool,

    /// How to print results: `text` for people, `json` for programs. Default: `text` on a
    /// terminal, `json` otherwise.
    #[arg(long, value_enum)]
    pub output: Option<Output>,

    /// Trace requests on stderr: -v for each request, -vv for everything.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look invites up (instanceOrgInvite.get).
    Get(Targets),
    /// Revoke invites (instanceOrgInvite.delete).
    Delete(Targets),
    /// Resend an invite with new role info (instanceOrgInvite.resendInvite). Losant replaces it
    /// by a new invite with a new ID.
    Resend(Resend),
    /// Start a local fake Losant; its first line of output is its URL.
    Mock(losant_invites_mock::MockArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Which invites a `get` or `delete` acts on.
#[derive(Debug, Args)]
pub struct Targets {
    #[command(flatten)]
    pub global: Global,

    #[command(flatten)]
    pub org: Org,

    /// The invite.
    #[arg(
        long,
        required_unless_present = "invite_ids_from",
        conflicts_with = "invite_ids_from"
    )]
    pub invite_id: Option<String>,

    /// Act on every invite ID in FILE (`-` for stdin), one per line; blank lines and lines
    /// starting with `#` are skipped. Every ID is checked before anything is sent.
    #[arg(long, value_name = "FILE")]
    pub invite_ids_from: Option<PathBuf>,

    /// How many requests of a bulk run may be in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// The organization an invite belongs to.
#[derive(Debug, Args)]
pub struct Org {
    /// The instance.
    #[arg(long)]
    pub instance_id: String,
    /// The organization.
    #[arg(long)]
    pub org_id: String,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("roles").required(true).multiple(true))]
pub struct Resend {
    #[command(flatten)]
    pub global: Global,

    #[command(flatten)]
    pub org: Org,

    /// The invite to resend.
    #[arg(long)]
    pub invite_id: String,

    /// The organization role.
    #[arg(long, value_parser = parse_org_role, group = "roles")]
    pub role: Option<types::OrgRole>,

    /// A role on one application, as APPLICATION_ID=ROLE. Repeatable.
    #[arg(long = "application-role", value_name = "ID=ROLE", value_parser = parse_grant, group = "roles")]
    pub application_roles: Vec<types::ResourceRoleGrant>,

    /// A role on one dashboard, as DASHBOARD_ID=ROLE. Repeatable.
    #[arg(long = "dashboard-role", value_name = "ID=ROLE", value_parser = parse_grant, group = "roles")]
    pub dashboard_roles: Vec<types::ResourceRoleGrant>,

    /// The whole role info as JSON, from FILE (`-` for stdin), instead of the role flags.
    #[arg(long, value_name = "FILE", group = "roles", conflicts_with_all = ["role", "application_roles", "dashboard_roles"])]
    pub role_info: Option<PathBuf>,
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    std::time::Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{text:?} is not a positive number of seconds"))
}

/// The values an enum of the spec accepts, read from its JSON Schema.
fn allowed_values<T: schemars::JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let values = schema.schema.enum_values.unwrap_or_default();
    values
        .iter()
        .filter_map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_org_role(text: &str) -> Result<types::OrgRole, String> {
    text.parse().map_err(|_| {
        format!(
            "unknown role {text:?}; expected one of {}",
            allowed_values::<types::OrgRole>()
        )
    })
}

fn parse_grant(text: &str) -> Result<types::ResourceRoleGrant, String> {
    let (id, role) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not ID=ROLE"))?;
    let resource_id = id
        .parse()
        .map_err(|_| format!("{id:?} is not a Losant ID (24 hexadecimal characters)"))?;
    let role = role.parse().map_err(|_| {
        format!(
            "unknown role {role:?}; expected one of {}",
            allowed_values::<types::ResourceRole>()
        )
    })?;
    Ok(types::ResourceRoleGrant { resource_id, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn role_errors_list_the_spec_s_values() {
        let error = parse_org_role("owner").unwrap_err();
        assert!(
            error.contains("admin, edit, collaborate, view, none"),
            "{error}"
        );
        let error = parse_grant("575ec8687ae143cd83dc4a90=admin").unwrap_err();
        assert!(error.contains("collaborate, view, none"), "{error}");
        assert!(parse_grant("x=view").unwrap_err().contains("Losant ID"));
        assert!(parse_grant("575ec8687ae143cd83dc4a90").is_err());
        assert_eq!(
            parse_grant("575ec8687ae143cd83dc4a90=view").unwrap().role,
            types::ResourceRole::View
        );
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(
            parse_seconds("1.5").unwrap(),
            std::time::Duration::from_millis(1500)
        );
        for bad in ["0", "-1", "soon", "NaN"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
