//! What every API command starts from: the options, wherever they were typed, turned into a
//! client, an output mode, an organization and a way to ask the person at the terminal.
//! Commands import this; it imports none of them.

use std::io::{BufRead, IsTerminal};

use losant_invites_client::{BuildError, Client};
use losant_invites_housekeeping::Org;
use serde_json::Value;

use crate::args::{self, Global, Output};
use crate::exit::Failure;
use crate::output::{say, to_json_line};
use crate::verbose::excerpt;

/// One API command's options, read.
pub struct Context {
    pub global: Global,
}

impl Context {
    /// The context of a command that prints results (`--output ids` goes with `list` alone).
    pub fn new(global: Global) -> Result<Self, Failure> {
        if global.output == Some(Output::Ids) {
            return Err(Failure::usage(
                "--output ids prints the IDs of a list: it goes with `losant-invites list`",
            ));
        }
        Ok(Self { global })
    }

    /// The context of `list`, which prints IDs too.
    pub fn for_list(global: Global) -> Self {
        Self { global }
    }

    /// How results are printed: as asked, else text on a terminal and JSON otherwise.
    pub fn output(&self) -> Output {
        match self.global.output {
            Some(output) => output,
            None if std::io::stdout().is_terminal() => Output::Text,
            None => Output::Json,
        }
    }

    /// The client of a command that only reads: it refuses, unsent, any request that could
    /// change something.
    pub fn reading_client(&self) -> Result<Client, Failure> {
        self.client(true)
    }

    /// The client the options describe, or why not, in the command line's words; for a dry
    /// run (`read_only`) one that refuses, unsent, any request that could change something,
    /// so that a dry run sends only reads wherever a request is made.
    pub fn client(&self, read_only: bool) -> Result<Client, Failure> {
        let global = &self.global;
        let mut builder = Client::builder()
            .read_only(read_only)
            .token(global.token.clone().unwrap_or_default())
            .base_url(global.url.clone())
            .allow_insecure_http(global.allow_insecure_http)
            .request_timeout(global.timeout)
            .max_response_bytes(global.max_response_bytes);
        if let Some(domain) = &global.losantdomain {
            builder = builder.losantdomain(domain.clone());
        }
        if global.no_retry {
            builder = builder.no_retry();
        }
        builder.build().map_err(|e| self.build_failure(e))
    }

    fn build_failure(&self, error: BuildError) -> Failure {
        let url = &self.global.url;
        Failure::usage(match error {
            BuildError::MissingToken => {
                "no API token: pass --token or set LOSANT_API_TOKEN".to_owned()
            }
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
            BuildError::InvalidHeader("losantdomain") => {
                "--losantdomain holds characters a header cannot carry (a line break?)".to_owned()
            }
            other => other.to_string(),
        })
    }

    /// The organization the command's `--instance-id` and `--org-id` name.
    pub fn org(org: &args::Org) -> Org {
        Org {
            instance_id: org.instance_id,
            org_id: org.org_id,
        }
    }

    /// With `-vv`, the start of an answer's body on stderr.
    pub fn trace_answer(&self, answer: &Value) {
        if self.global.verbose >= 2 {
            say(format!("  < body {}", excerpt(&to_json_line(answer))));
        }
    }

    /// The failure of a list call: one too large to read says how to narrow it or read more.
    pub fn list_failure(&self, error: losant_invites_client::Error) -> Failure {
        if !error.is_too_large() {
            return error.into();
        }
        let mut failure = Failure::from(error);
        failure.message = format!(
            "the organization's list is larger than {} bytes, the most this reads: narrow it \
             with --email GLOB or --role ROLE, or raise --max-response-bytes (such as 64MiB)",
            self.global.max_response_bytes
        );
        failure
    }
}

/// On a terminal, asks `question` on stderr and reads the answer; anything but yes is no.
/// Without a terminal nobody can answer, and nothing is asked.
pub fn confirmed(question: &str) -> bool {
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
