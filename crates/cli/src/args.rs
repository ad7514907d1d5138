//! The command line: global options, the commands and their arguments.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use losant_invites_client::{LosantId, types};
use losant_invites_housekeeping::RemovalCap;
use losant_invites_housekeeping::roster::{allowed_values, parse_grant};
use losant_invites_mock::duration::{AGE, TIMEOUT};

const EXIT_CODES: &str = "\
Exit codes:
  0  success, or nothing to do
  1  the API answered with an error (for bulk runs: at least one item did)
  2  usage error or invalid input; nothing was sent
  3  transport failure or timeout (for bulk runs: the failed items all failed so)
  130  interrupted (Ctrl-C or SIGTERM); a bulk run reports what finished
  141  stdout was closed (a pipe whose reader stopped)";

/// Look up, resend and revoke Losant instance organization invites.
///
/// Reads the token, the API's URL, the instance and the organization from flags or from
/// LOSANT_API_TOKEN, LOSANT_API_URL, LOSANT_INSTANCE_ID and LOSANT_ORG_ID; a flag always wins.
/// `losant-invites mock --seed demo` starts a local fake Losant to try every command on.
#[derive(Debug, Parser)]
#[command(name = "losant-invites", version, after_help = EXIT_CODES)]
pub struct Cli {
    // Before the command's name any output is taken; `ids` is then refused by every command
    // but `list`.
    #[command(flatten)]
    pub global: GlobalArgs<ListFormat>,

    #[command(subcommand)]
    pub command: Command,
}

/// The environment variable of the API token.
pub const TOKEN_VAR: &str = "LOSANT_API_TOKEN";
/// The environment variable of the API's base URL.
pub const URL_VAR: &str = "LOSANT_API_URL";

/// Options of every API command, accepted before or after the command's name: the command
/// line holds them twice, and [`GlobalArgs::merged`] joins the two. `F` is what `--output`
/// offers where the options stand: `ids` only where it works (`list`).
///
/// The token and the URL are read from the environment in `merged`, not by clap: clap would
/// fill the copy after the command's name from the environment, which then hid a flag given
/// before it.
#[derive(Debug, Args)]
pub struct GlobalArgs<F: OutputFormat> {
    /// Losant API token [env: LOSANT_API_TOKEN]. Never echoed, logged or shown in errors.
    #[arg(long, value_hint = ValueHint::Other)]
    pub token: Option<String>,

    // The help is an attribute, not a doc comment: rustdoc would take the URL for a link.
    #[arg(long, value_hint = ValueHint::Url,
          help = "Base URL of the Losant API, such as that of a private instance [env: LOSANT_API_URL] [default: https://api.losant.com]")]
    pub url: Option<String>,

    /// Allow a plain http:// URL whose host is not this machine: the token then crosses the
    /// network in clear text.
    #[arg(long)]
    pub allow_insecure_http: bool,

    /// Domain scope of the request (rarely needed), sent as the `losantdomain` header.
    #[arg(long, value_hint = ValueHint::Other)]
    pub losantdomain: Option<String>,

    /// How long one attempt may take, body included: a number and its unit, such as `30s`,
    /// `500ms` or `2m` [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = TIMEOUT.parser())]
    pub timeout: Option<Duration>,

    /// Do not retry failed attempts.
    #[arg(long)]
    pub no_retry: bool,

    /// The largest answer read, such as `64MiB` [default: 16MiB]: a list answers every
    /// invite at once, so an organization with very many needs more.
    #[arg(long, value_name = "SIZE", value_parser = losant_invites_mock::parse_size)]
    pub max_response_bytes: Option<usize>,

    /// How to print results: `text` for people, `json` for programs, `ndjson` for a JSON
    /// object per line as each item finishes. Default: `text` on a terminal, `json` otherwise.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output: Option<F>,

    /// On stderr: -v one line per attempt (action, method, path, status, duration, attempt,
    /// retry wait), -vv also headers (token redacted) and the start of each body.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

impl<F: OutputFormat> Default for GlobalArgs<F> {
    fn default() -> Self {
        Self {
            token: None,
            url: None,
            allow_insecure_http: false,
            losantdomain: None,
            timeout: None,
            no_retry: false,
            max_response_bytes: None,
            output: None,
            verbose: 0,
        }
    }
}

/// The options of an API command, wherever on the command line they were given.
#[derive(Debug)]
pub struct Global {
    pub token: Option<String>,
    pub url: String,
    pub allow_insecure_http: bool,
    pub losantdomain: Option<String>,
    pub timeout: Duration,
    pub no_retry: bool,
    pub max_response_bytes: usize,
    pub output: Option<Output>,
    pub verbose: u8,
}

impl Cli {
    /// The `-v` count, before and after the command's name.
    pub fn verbosity(&self) -> u8 {
        let after = match &self.command {
            Command::Get(get) => get.global.verbose,
            Command::Delete(delete) => delete.global.verbose,
            Command::Resend(resend) => resend.global.verbose,
            Command::List(list) => list.global.verbose,
            Command::Invite(invite) => invite.global.verbose,
            Command::Renew(renew) => renew.global.verbose,
            Command::Access(access) => access.global.verbose,
            Command::Sync(sync) => sync.global.verbose,
            Command::Members(members) => match &members.command {
                MembersCommand::List(list) => list.global.verbose,
                MembersCommand::Get(get) => get.global.verbose,
                MembersCommand::Add(add) => add.global.verbose,
                MembersCommand::SetRole(set) => set.global.verbose,
                MembersCommand::Remove(remove) => remove.global.verbose,
            },
            Command::Mock(_) | Command::Completions { .. } => 0,
        };
        self.global.verbose.saturating_add(after)
    }
}

impl GlobalArgs<ListFormat> {
    /// These options (given before the command's name) joined with `after` (given after it),
    /// which win where both say something; then the environment, for what neither gave; then
    /// the defaults. What the user typed always beats the environment.
    pub fn merged<F: OutputFormat>(self, after: GlobalArgs<F>) -> Global {
        self.merged_with(after, |name| std::env::var(name).ok())
    }

    /// [`merged`](Self::merged), reading the environment through `env`.
    fn merged_with<F: OutputFormat>(
        self,
        after: GlobalArgs<F>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Global {
        let from_env = |name: &str| env(name).filter(|value| !value.is_empty());
        Global {
            token: after.token.or(self.token).or_else(|| from_env(TOKEN_VAR)),
            url: after
                .url
                .or(self.url)
                .or_else(|| from_env(URL_VAR))
                .unwrap_or_else(|| losant_invites_client::DEFAULT_BASE_URL.to_owned()),
            allow_insecure_http: self.allow_insecure_http || after.allow_insecure_http,
            losantdomain: after.losantdomain.or(self.losantdomain),
            timeout: after
                .timeout
                .or(self.timeout)
                .unwrap_or(losant_invites_client::DEFAULT_REQUEST_TIMEOUT),
            no_retry: self.no_retry || after.no_retry,
            max_response_bytes: after
                .max_response_bytes
                .or(self.max_response_bytes)
                .unwrap_or(losant_invites_client::DEFAULT_MAX_RESPONSE_BYTES),
            output: after.output.map(Into::into).or(self.output.map(Into::into)),
            verbose: self.verbose.saturating_add(after.verbose),
        }
    }
}

/// How results are printed, once the command line is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Text,
    Json,
    Ndjson,
    /// One invite ID a line (`list` only).
    Ids,
}

/// What an `--output` flag offers, by where it stands.
pub trait OutputFormat: ValueEnum + Clone + Send + Sync + Into<Output> + 'static {}

/// `--output` of every command but `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Ndjson,
}

/// `--output` of `list`, and before any command's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Ndjson,
    /// One invite ID a line (`list` only), to feed `--invite-ids-from -`.
    Ids,
}

impl OutputFormat for Format {}
impl OutputFormat for ListFormat {}

impl From<Format> for Output {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => Output::Text,
            Format::Json => Output::Json,
            Format::Ndjson => Output::Ndjson,
        }
    }
}

impl From<ListFormat> for Output {
    fn from(format: ListFormat) -> Self {
        match format {
            ListFormat::Text => Output::Text,
            ListFormat::Json => Output::Json,
            ListFormat::Ndjson => Output::Ndjson,
            ListFormat::Ids => Output::Ids,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the organization's invites (instanceOrgInvites.get), filtered and sorted.
    List(List),
    /// Invite someone to the organization (instanceOrgInvites.post), or everyone of a roster
    /// who has no pending invite yet (`--from FILE`).
    Invite(Invite),
    /// Look invites up (instanceOrgInvite.get).
    Get(Get),
    /// Revoke invites (instanceOrgInvite.delete).
    Delete(Delete),
    /// Resend invites with new role info (instanceOrgInvite.resendInvite). Losant answers
    /// with the new invite; the output shows the ID sent → the ID answered.
    Resend(Resend),
    /// Resend invites with the roles they already have (instanceOrgInvite.resendInvite), such
    /// as every expired one: `renew --expired`. Shows each invite before and Losant's answer.
    Renew(Renew),
    /// Everyone with access to the organization: its members, and its invites pending or
    /// expired, with their roles (instanceOrgMembers.get and instanceOrgInvites.get).
    Access(Access),
    /// The organization's members: list, look up, add, change a role, remove
    /// (instanceOrgMembers, instanceOrgMember).
    Members(Members),
    /// Make the organization's access match a roster: invite who is missing, set the roster's
    /// roles, and with --prune remove everyone else. The plan is shown first.
    Sync(SyncAccess),
    /// Start a local fake Losant; its first line of output is its URL.
    Mock(losant_invites_mock::MockArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct Get {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub invites: Invites,
    #[command(flatten)]
    pub by_role: ByRole,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  losant-invites delete --invite-id 575ec8687ae143cd83dc4a94
  losant-invites delete --expired --older-than 30d --ignore-missing    revoke stale invites")]
pub struct Delete {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub invites: Invites,
    #[command(flatten)]
    pub by_role: ByRole,

    /// Count an invite that is already gone (404) as deleted: re-running a half-done cleanup
    /// then succeeds. (A delete whose answer was lost is settled by listing again.)
    #[arg(long)]
    pub ignore_missing: bool,

    /// Do not ask for confirmation before deleting several invites on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  losant-invites renew --expired                  every expired invite, as it is
  losant-invites renew --expired --email '*@example.com' --dry-run")]
pub struct Renew {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub invites: Invites,
    #[command(flatten)]
    pub by_role: ByRole,

    /// Do not ask for confirmation before renewing several invites on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("roles").required(true).multiple(true))]
pub struct Resend {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub invites: Invites,

    /// The organization role.
    #[arg(long, value_name = "ROLE", group = "roles",
          value_parser = role_parser::<types::OrgRole>())]
    pub role: Option<types::OrgRole>,

    /// A role on one application, as APPLICATION_ID=ROLE. Repeatable.
    #[arg(long = "application-role", value_name = "ID=ROLE", value_parser = parse_grant,
          group = "roles", value_hint = ValueHint::Other)]
    pub application_roles: Vec<types::ResourceRoleGrant>,

    /// A role on one dashboard, as DASHBOARD_ID=ROLE. Repeatable.
    #[arg(long = "dashboard-role", value_name = "ID=ROLE", value_parser = parse_grant,
          group = "roles", value_hint = ValueHint::Other)]
    pub dashboard_roles: Vec<types::ResourceRoleGrant>,

    /// The whole role info as JSON, from FILE (`-` for stdin), instead of the role flags.
    #[arg(long, value_name = "FILE", group = "roles", value_hint = ValueHint::FilePath,
          conflicts_with_all = ["role", "application_roles", "dashboard_roles"])]
    pub role_info: Option<PathBuf>,

    /// Only invites that now have this organization role (--role is the role sent).
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>(),
          conflicts_with_all = ["invite_id", "invite_ids_from"])]
    pub current_role: Option<types::OrgRole>,

    /// Do not ask for confirmation before resending several invites on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct List {
    #[command(flatten)]
    pub global: GlobalArgs<ListFormat>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub select: Select,

    /// Only invites of this organization role, sent as Losant's filter (or, with --email too,
    /// applied to what Losant answers).
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>())]
    pub role: Option<types::OrgRole>,

    /// Sort by FIELD (email, role or inviteDate), ascending unless `:desc` follows: `email`,
    /// `inviteDate:desc`. Without --sort, Losant's order (inviteDate, newest first).
    #[arg(long, value_name = "FIELD[:asc|desc]", value_parser = parse_sort)]
    pub sort: Option<Sort>,
}

/// The role selector of the commands whose `--role` selects (resend's sends a role, and its
/// selector is `--current-role`).
#[derive(Debug, Args)]
pub struct ByRole {
    /// Only invites of this organization role.
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>(),
          conflicts_with_all = ["invite_id", "invite_ids_from"])]
    pub role: Option<types::OrgRole>,
}

/// Invites chosen by what they are: the list's selectors, combinable. The organization role
/// is a selector too, given by each command under its own flag (`--role`, or resend's
/// `--current-role`).
#[derive(Debug, Default, Args)]
pub struct Select {
    /// Only invites whose email matches GLOB (`*` for any run of characters), sent as Losant's
    /// filter.
    #[arg(long, value_name = "GLOB", value_hint = ValueHint::Other)]
    pub email: Option<String>,

    /// Only invites that have expired.
    #[arg(long, conflicts_with = "pending")]
    pub expired: bool,

    /// Only invites still pending (not expired).
    #[arg(long)]
    pub pending: bool,

    /// Only invites sent (or last resent) longer ago than DURATION: a number and its unit,
    /// such as `30d`, `12h` or `90m`.
    #[arg(long, value_name = "DURATION", value_parser = AGE.parser())]
    pub older_than: Option<Duration>,
}

/// A list's order, as `--sort` gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sort {
    pub field: types::InstanceOrgInvitesGetSortField,
    pub direction: types::InstanceOrgInvitesGetSortDirection,
}

fn parse_sort(text: &str) -> Result<Sort, String> {
    let (field, direction) = field_and_direction(text)?;
    Ok(Sort { field, direction })
}

fn parse_member_sort(text: &str) -> Result<MemberSort, String> {
    let (field, direction) = field_and_direction(text)?;
    Ok(MemberSort { field, direction })
}

/// A sort as `FIELD[:asc|desc]` gives it: ascending unless said otherwise, as a person naming
/// a field expects (Losant's own default direction is not relied on).
fn field_and_direction<F, D>(text: &str) -> Result<(F, D), String>
where
    F: std::str::FromStr + schemars::JsonSchema,
    D: std::str::FromStr,
{
    let (field, direction) = text.split_once(':').unwrap_or((text, "asc"));
    let field = field.trim().parse().map_err(|_| {
        format!(
            "unknown sort field {field:?}; expected one of {}",
            allowed_values::<F>().join(", ")
        )
    })?;
    let direction = direction
        .trim()
        .parse()
        .map_err(|_| format!("unknown sort direction {direction:?}; expected asc or desc"))?;
    Ok((field, direction))
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  losant-invites invite --email ana@example.com --role view
  losant-invites invite --from roster.csv      a CSV: email,role[,applicationRoles,dashboardRoles]")]
pub struct Invite {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,

    /// The email address to invite.
    #[arg(long, value_name = "EMAIL", value_hint = ValueHint::EmailAddress,
          required_unless_present = "from")]
    pub email: Option<String>,

    /// The organization role the invited member receives.
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>(),
          required_unless_present = "from")]
    pub role: Option<types::OrgRole>,

    /// A role on one application, as APPLICATION_ID=ROLE. Repeatable.
    #[arg(long = "application-role", value_name = "ID=ROLE", value_parser = parse_grant,
          value_hint = ValueHint::Other)]
    pub application_roles: Vec<types::ResourceRoleGrant>,

    /// A role on one dashboard, as DASHBOARD_ID=ROLE. Repeatable.
    #[arg(long = "dashboard-role", value_name = "ID=ROLE", value_parser = parse_grant,
          value_hint = ValueHint::Other)]
    pub dashboard_roles: Vec<types::ResourceRoleGrant>,

    /// Set Losant's `disallowTransfer` flag on the invite.
    #[arg(long)]
    pub disallow_transfer: bool,

    /// Invite everyone of the roster in FILE (`-` for stdin) who has no pending invite yet:
    /// CSV with a header `email,role` and optional columns `applicationRoles` and
    /// `dashboardRoles` holding `ID=ROLE;ID=ROLE`, or JSON lines with those fields. Every row
    /// is checked before anything is sent; running it again invites nobody twice.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath,
          conflicts_with_all = ["email", "role", "application_roles", "dashboard_roles", "disallow_transfer"])]
    pub from: Option<PathBuf>,

    /// How many invites of a roster may be in the making at once, from 1 to 256.
    #[arg(long, value_name = "N", default_value_t = 8, requires = "from",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Do not ask for confirmation before inviting a roster on a terminal.
    #[arg(long, short = 'y', requires = "from")]
    pub yes: bool,

    /// Invite even when the email already has an invite (pending or expired): without it,
    /// the organization's invites of that email are looked up first, and a pending one means
    /// nothing is sent.
    #[arg(long, conflicts_with = "from")]
    pub force: bool,

    /// Print what would be sent, and send nothing (a roster's pending invites are still
    /// listed, to show which rows would be skipped).
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct Access {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
}

/// The examples of `sync --help`, short and long.
macro_rules! sync_examples {
    () => {
        "Examples:
  losant-invites sync --from team.csv --dry-run                 the plan, nothing changed
  losant-invites sync --from team.csv --prune --keep '*@ops.example'
  losant-invites sync --from team.csv --prune --dry-run --plan-out plan.json
  losant-invites sync --plan plan.json --removed-out removed.csv    apply it after review"
    };
}

#[derive(Debug, Args)]
#[command(after_help = sync_examples!(), after_long_help = concat!("Per email of the roster (trimmed, any case):
  a member with the roster's role          nothing
  a member with another role               the role is set (its grants sent with it)
  a pending invite with the roster's roles nothing (the same invite stays)
  a pending invite with other roles        resent with the roster's roles
  only expired invites                     the newest renewed with the roster's roles
  nothing                                  invited
With --prune: a member not on the roster is removed and an invite revoked; an invite of
someone who is a member already is revoked as redundant, and of two invites of one email the
one not kept is revoked.

Losant shows no application or dashboard roles of a member: a member is compared by
organization role alone, and the roster's grants are sent when that role is set.

Before anything changes, the whole plan is checked: more removals (removed members, revoked
invites and demoted roles alike) than --max-removals, or fewer administrators left than
--min-admins, refuse the run (exit 2) with nothing changed. Without a terminal to ask on, a
plan that changes anything needs --yes.

", sync_examples!()))]
pub struct SyncAccess {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,

    /// The roster (`-` for stdin), as `invite --from` reads it: CSV with a header
    /// `email,role` and optional columns `applicationRoles` and `dashboardRoles` holding
    /// `ID=ROLE;ID=ROLE`, or JSON lines with those fields. Every row is checked first.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath,
          required_unless_present = "plan")]
    pub from: Option<PathBuf>,

    /// Apply the plan saved in FILE by --plan-out, exactly: the organization is read again,
    /// a plan anything of which has changed since is refused, and the plan is held to
    /// --max-removals and --min-admins as given now.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath,
          conflicts_with_all = ["from", "prune", "keep", "plan_out"])]
    pub plan: Option<PathBuf>,

    /// Remove the members and revoke the invites of everyone not on the roster, and the
    /// invites of people who are members already. Without it nothing is removed.
    #[arg(long)]
    pub prune: bool,

    /// The most removals a run may make (removed members, revoked invites and demoted roles
    /// alike): a count, or a share of the members and invites held now, such as 10%. Over it
    /// the run is refused before any change.
    #[arg(long, value_name = "N|N%", default_value = "5",
          value_parser = clap::builder::ValueParser::new(parse_removal_cap))]
    pub max_removals: RemovalCap,

    /// The fewest administrators the organization may be left with: a plan that would leave
    /// fewer is refused before any change.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_admins: usize,

    /// Never remove or demote the people whose email matches GLOB (`*` any run of
    /// characters, `?` one, any case). Repeatable.
    #[arg(long, value_name = "GLOB", value_hint = ValueHint::Other)]
    pub keep: Vec<String>,

    /// Write the plan to FILE as JSON, with a fingerprint of the access it was made from, for
    /// review and `sync --plan FILE`; with --dry-run, nothing else is done.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub plan_out: Option<PathBuf>,

    /// Write everyone the run removes or whose invite it revokes, with their roles, to FILE
    /// as a roster (`invite --from FILE` puts them back). Opened before anything changes; a
    /// run that removes nobody leaves FILE as it is.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub removed_out: Option<PathBuf>,

    /// How many changes may be in the making at once, from 1 to 256.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Act without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Show the plan and the requests it would send, and send none: only reads leave.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--max-removals`: `N` or `N%`.
fn parse_removal_cap(text: &str) -> Result<RemovalCap, String> {
    text.parse()
}

#[derive(Debug, Args)]
pub struct Members {
    #[command(subcommand)]
    pub command: MembersCommand,
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// List the organization's members (instanceOrgMembers.get), filtered and sorted.
    List(MembersList),
    /// Look a member up (instanceOrgMember.get).
    Get(MemberGet),
    /// Add someone (instanceOrgMembers.post): a Losant user by --user-id, or someone by
    /// --email. Losant may send an invite to the email instead; the output says which.
    Add(MemberAdd),
    /// Change members' roles (instanceOrgMember.patch): one by --user-id, or those
    /// --email and --current-role choose. The last administrator is never demoted.
    SetRole(MemberSetRole),
    /// Remove members (instanceOrgMember.delete): one by --user-id, or those --email and
    /// --role choose. The last administrator is never removed.
    Remove(MemberRemove),
}

#[derive(Debug, Args)]
pub struct MembersList {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    /// Only members whose email matches GLOB (`*` for any run of characters), Losant's filter.
    #[arg(long, value_name = "GLOB", value_hint = ValueHint::Other)]
    pub email: Option<String>,
    /// Only members of this organization role.
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>())]
    pub role: Option<types::OrgRole>,
    /// Sort by FIELD (email or role), ascending unless `:desc` follows.
    #[arg(long, value_name = "FIELD[:asc|desc]", value_parser = parse_member_sort)]
    pub sort: Option<MemberSort>,
}

#[derive(Debug, Args)]
pub struct MemberGet {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    /// The member, by their user ID.
    #[arg(long, value_name = "ID", value_parser = parse_id, value_hint = ValueHint::Other)]
    pub user_id: LosantId,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("who").required(true).multiple(false))]
#[command(after_help = "Examples:
  losant-invites members add --user-id 575ef90f7ae143cd83dc4aad --role view
  losant-invites members add --email ana@example.com --role edit")]
pub struct MemberAdd {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    /// A Losant user, by ID.
    #[arg(long, value_name = "ID", value_parser = parse_id, group = "who",
          value_hint = ValueHint::Other)]
    pub user_id: Option<LosantId>,
    /// Someone by email: Losant adds the user with that email, or sends an invite.
    #[arg(long, value_name = "EMAIL", group = "who", value_hint = ValueHint::EmailAddress)]
    pub email: Option<String>,
    /// The organization role.
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>())]
    pub role: types::OrgRole,
    /// A role on one application, as APPLICATION_ID=ROLE. Repeatable.
    #[arg(long = "application-role", value_name = "ID=ROLE", value_parser = parse_grant,
          value_hint = ValueHint::Other)]
    pub application_roles: Vec<types::ResourceRoleGrant>,
    /// A role on one dashboard, as DASHBOARD_ID=ROLE. Repeatable.
    #[arg(long = "dashboard-role", value_name = "ID=ROLE", value_parser = parse_grant,
          value_hint = ValueHint::Other)]
    pub dashboard_roles: Vec<types::ResourceRoleGrant>,
    /// Set Losant's `disallowTransfer` flag (with --email only).
    #[arg(long, requires = "email")]
    pub disallow_transfer: bool,
    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Which members a command acts on: one by user ID, or those the selectors choose.
#[derive(Debug, Args)]
pub struct WhichMembers {
    /// The member, by their user ID.
    #[arg(long, value_name = "ID", value_parser = parse_id, value_hint = ValueHint::Other,
          conflicts_with = "email")]
    pub user_id: Option<LosantId>,
    /// Members whose email matches GLOB (`*` for any run of characters), Losant's filter;
    /// shown as a plan before anything is done.
    #[arg(long, value_name = "GLOB", value_hint = ValueHint::Other)]
    pub email: Option<String>,
    /// How many requests may be in flight at once, from 1 to 256.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Print what would be sent, and change nothing (selectors still list the members to
    /// show the plan).
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("roles").required(true).multiple(true))]
#[command(after_help = "Examples:
  losant-invites members set-role --user-id 575ef90f7ae143cd83dc4aad --role edit
  losant-invites members set-role --current-role view --email '*@example.com' --role collaborate")]
pub struct MemberSetRole {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub members: WhichMembers,
    /// Only members that now have this organization role (--role is the role set).
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>(),
          conflicts_with = "user_id")]
    pub current_role: Option<types::OrgRole>,
    /// The organization role set.
    #[arg(long, value_name = "ROLE", group = "roles",
          value_parser = role_parser::<types::OrgRole>())]
    pub role: Option<types::OrgRole>,
    /// A role on one application, as APPLICATION_ID=ROLE. Repeatable. Losant's members do not
    /// show these back.
    #[arg(long = "application-role", value_name = "ID=ROLE", value_parser = parse_grant,
          group = "roles", value_hint = ValueHint::Other)]
    pub application_roles: Vec<types::ResourceRoleGrant>,
    /// A role on one dashboard, as DASHBOARD_ID=ROLE. Repeatable.
    #[arg(long = "dashboard-role", value_name = "ID=ROLE", value_parser = parse_grant,
          group = "roles", value_hint = ValueHint::Other)]
    pub dashboard_roles: Vec<types::ResourceRoleGrant>,
    /// Do not ask for confirmation before changing several members on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  losant-invites members remove --user-id 575ef90f7ae143cd83dc4aad
  losant-invites members remove --email '*@former-partner.example' --dry-run")]
pub struct MemberRemove {
    #[command(flatten)]
    pub global: GlobalArgs<Format>,
    #[command(flatten)]
    pub org: Org,
    #[command(flatten)]
    pub members: WhichMembers,
    /// Only members of this organization role.
    #[arg(long, value_name = "ROLE", value_parser = role_parser::<types::OrgRole>(),
          conflicts_with = "user_id")]
    pub role: Option<types::OrgRole>,
    /// Count a member already gone (404) as removed. (A removal whose answer was lost is
    /// settled by listing again.)
    #[arg(long)]
    pub ignore_missing: bool,
    /// Do not ask for confirmation before removing several members on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// A members' list's order, as `--sort` gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberSort {
    pub field: types::InstanceOrgMembersGetSortField,
    pub direction: types::InstanceOrgMembersGetSortDirection,
}

/// The organization the invites belong to.
#[derive(Debug, Args)]
pub struct Org {
    /// The instance.
    #[arg(long, env = "LOSANT_INSTANCE_ID", hide_env_values = true, value_name = "ID",
          value_parser = parse_id, value_hint = ValueHint::Other)]
    pub instance_id: LosantId,

    /// The organization.
    #[arg(long, env = "LOSANT_ORG_ID", hide_env_values = true, value_name = "ID",
          value_parser = parse_id, value_hint = ValueHint::Other)]
    pub org_id: LosantId,
}

/// Which invites a command acts on: one, every one of a list, or every one the selectors
/// choose from the organization's list.
#[derive(Debug, Args)]
pub struct Invites {
    /// The invite.
    #[arg(long, value_name = "ID", value_parser = parse_id, value_hint = ValueHint::Other,
          conflicts_with_all = ["invite_ids_from", "email", "expired", "pending", "older_than"])]
    pub invite_id: Option<LosantId>,

    /// Act on every invite ID in FILE (`-` for stdin), one per line; blank lines and lines
    /// starting with `#` are skipped, a repeated ID is acted on once. Every ID is checked
    /// before anything is sent.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath,
          conflicts_with_all = ["email", "expired", "pending", "older_than"])]
    pub invite_ids_from: Option<PathBuf>,

    // Instead of IDs: the invites these select from one list of the organization's, shown
    // as a plan before anything is done.
    #[command(flatten)]
    pub select: Select,

    /// How many requests of a bulk run may be in flight at once, from 1 to 256.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Print what would be sent, and change nothing: selectors still list the organization's
    /// invites to show the plan, and `renew` reads each invite given by ID for its roles.
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_id(text: &str) -> Result<LosantId, String> {
    text.trim()
        .parse()
        .map_err(|e: losant_invites_client::InvalidLosantId| e.to_string())
}

/// A parser of a role enum of the spec that knows its values, for `--help` and for shell
/// completion.
fn role_parser<T>() -> impl TypedValueParser<Value = T>
where
    T: schemars::JsonSchema + std::str::FromStr + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(allowed_values::<T>()).try_map(|text: String| {
        text.parse::<T>()
            .map_err(|_| format!("unknown role {text:?}"))
    })
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
        let error = parse_grant("575ec8687ae143cd83dc4a90=admin").unwrap_err();
        assert!(error.contains("collaborate, view, none"), "{error}");
        assert!(parse_grant("x=view").unwrap_err().contains("Losant ID"));
        assert!(parse_grant("575ec8687ae143cd83dc4a90").is_err());
        assert_eq!(
            parse_grant("575ec8687ae143cd83dc4a90=view").unwrap().role,
            types::ResourceRole::View
        );
        assert_eq!(
            allowed_values::<types::OrgRole>(),
            ["admin", "edit", "collaborate", "view", "none"]
        );
    }

    /// The options naming one invite.
    const ONE_INVITE: [&str; 6] = [
        "--instance-id",
        "575ec8687ae143cd83dc4a95",
        "--org-id",
        "575ec8687ae143cd83dc4a97",
        "--invite-id",
        "575ec8687ae143cd83dc4a94",
    ];

    /// Every duration flag of the command line, the fake's included, reads one syntax: a
    /// number and its unit; a bare number is refused, naming units that fit the flag.
    #[test]
    fn every_duration_flag_reads_the_same_forms() {
        let org = ONE_INVITE;
        for (text, expected) in [
            ("1.5s", Duration::from_millis(1500)),
            ("500ms", Duration::from_millis(500)),
            ("2m", Duration::from_secs(120)),
        ] {
            let get = Cli::try_parse_from(
                ["losant-invites", "get", "--timeout", text]
                    .into_iter()
                    .chain(org),
            )
            .unwrap_or_else(|e| panic!("--timeout {text}: {e}"));
            let Command::Get(get) = get.command else {
                panic!("a get")
            };
            assert_eq!(get.global.timeout, Some(expected), "--timeout {text}");
            let mock = Cli::try_parse_from(["losant-invites", "mock", "--idle-timeout", text])
                .unwrap_or_else(|e| panic!("--idle-timeout {text}: {e}"));
            let Command::Mock(mock) = mock.command else {
                panic!("a mock")
            };
            assert_eq!(mock.idle_timeout, expected, "--idle-timeout {text}");
        }
        for bad in ["0s", "1.5", "30", "soon", "5 parsecs"] {
            assert!(Cli::try_parse_from(["losant-invites", "get", "--timeout", bad]).is_err());
            assert!(
                Cli::try_parse_from(["losant-invites", "mock", "--idle-timeout", bad]).is_err()
            );
            assert!(Cli::try_parse_from(["losant-invites", "list", "--older-than", bad]).is_err());
        }
        let error = Cli::try_parse_from(["losant-invites", "list", "--older-than", "30"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("30d, 30h or 30m"), "{error}");
    }

    #[test]
    fn the_default_timeout_is_the_client_s() {
        let cli = Cli::parse_from(["losant-invites", "get"].into_iter().chain(ONE_INVITE));
        let Command::Get(get) = cli.command else {
            panic!("a get")
        };
        let global = cli.global.merged_with(get.global, |_| None);
        assert_eq!(
            global.timeout,
            losant_invites_client::DEFAULT_REQUEST_TIMEOUT
        );
        assert_eq!(global.url, losant_invites_client::DEFAULT_BASE_URL);
    }

    #[test]
    fn options_after_the_command_win_over_those_before() {
        let cli = Cli::parse_from([
            "losant-invites",
            "-v",
            "--timeout",
            "5s",
            "--output",
            "text",
            "delete",
            "--instance-id",
            "575ec8687ae143cd83dc4a95",
            "--org-id",
            "575ec8687ae143cd83dc4a97",
            "--invite-id",
            "575ec8687ae143cd83dc4a94",
            "--timeout",
            "500ms",
            "-v",
        ]);
        let Command::Delete(delete) = cli.command else {
            panic!("a delete")
        };
        let global = cli.global.merged_with(delete.global, |_| None);
        assert_eq!(global.timeout, Duration::from_millis(500));
        assert_eq!(global.output, Some(Output::Text));
        assert_eq!(global.verbose, 2);
    }

    /// A flag typed before or after the command's name beats the environment; the
    /// environment fills in only what no flag gave.
    #[test]
    fn flags_in_either_place_beat_the_environment() {
        let env = |name: &str| match name {
            TOKEN_VAR => Some("env-token".to_owned()),
            URL_VAR => Some("http://127.0.0.1:9".to_owned()),
            _ => None,
        };
        let parse = |args: &[&str]| {
            let cli = Cli::parse_from(args.iter().copied().chain(ONE_INVITE));
            let Command::Get(get) = cli.command else {
                panic!("a get")
            };
            cli.global.merged_with(get.global, env)
        };
        for args in [
            &[
                "losant-invites",
                "--token",
                "typed",
                "--url",
                "http://127.0.0.1:1",
                "get",
            ][..],
            &[
                "losant-invites",
                "get",
                "--token",
                "typed",
                "--url",
                "http://127.0.0.1:1",
            ],
        ] {
            let global = parse(args);
            assert_eq!(global.token.as_deref(), Some("typed"), "{args:?}");
            assert_eq!(global.url, "http://127.0.0.1:1", "{args:?}");
        }
        let global = parse(&["losant-invites", "get"]);
        assert_eq!(global.token.as_deref(), Some("env-token"));
        assert_eq!(global.url, "http://127.0.0.1:9");
    }
}
