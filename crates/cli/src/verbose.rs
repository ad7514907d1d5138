//! `-v` and `-vv`: what the client traces, as lines on stderr a person reads.
//!
//! The client traces each attempt as one event (`attempt answered` or `attempt failed`, with
//! the action, method, path, attempt, status and duration), each retry as a `retrying` event
//! with its wait, and, at `trace` level under `losant_invites_client::wire`, the headers (the
//! token redacted) and the start of each request body. This layer prints each as a line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::output::say;

/// How much of a body `-vv` shows.
pub const SHOWN_BODY_BYTES: usize = 300;

/// Starts printing what the client traces: nothing at 0, each attempt at 1, the wire at 2.
pub fn init(verbosity: u8) {
    if verbosity == 0 {
        return;
    }
    let mut targets = Targets::new().with_target("losant_invites_client", Level::DEBUG);
    if verbosity >= 2 {
        targets = targets.with_target("losant_invites_client::wire", Level::TRACE);
    }
    let _ = tracing_subscriber::registry()
        .with(Lines.with_filter(targets))
        .try_init();
}

/// `text` cut to [`SHOWN_BODY_BYTES`], on one line.
pub fn excerpt(text: &str) -> String {
    let mut cut: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(SHOWN_BODY_BYTES)
        .collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

struct Lines;

#[derive(Default)]
struct Fields(BTreeMap<&'static str, String>);

impl Fields {
    fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("-", String::as_str)
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }
}

impl<S: Subscriber> Layer<S> for Lines {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = String::new();
        let _ = match fields.get("message") {
            "attempt answered" => write!(
                line,
                "{} {} {} → {} in {} ms (attempt {})",
                fields.get("action"),
                fields.get("method"),
                fields.get("path"),
                fields.get("status"),
                fields.get("duration_ms"),
                fields.get("attempt"),
            ),
            "attempt failed" => write!(
                line,
                "{} {} {} → failed in {} ms (attempt {}): {}",
                fields.get("action"),
                fields.get("method"),
                fields.get("path"),
                fields.get("duration_ms"),
                fields.get("attempt"),
                fields.get("error"),
            ),
            "retrying" => write!(
                line,
                "  retrying in {} ms (attempt {} next)",
                fields.get("wait_ms"),
                fields.get("attempt"),
            ),
            "request" => write!(
                line,
                "  > {}\n  > {}{}",
                fields.get("url"),
                fields.get("headers"),
                match fields.get("body") {
                    "" | "-" => String::new(),
                    body => format!("\n  > body {}", excerpt(body)),
                }
            ),
            "answer headers" => write!(line, "  < {}", fields.get("headers")),
            _ => return,
        };
        say(line);
    }
}
