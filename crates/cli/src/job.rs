//! Running a planned job from the command line, the same way for every command: the plan
//! shown first, a question on a terminal, a dry run that prints the requests and sends none,
//! or the run itself (Ctrl-C stops it through the library's `Cancel`) drawn as it goes.

use losant_invites_client::{Client, LosantId, PreparedRequest};
use losant_invites_housekeeping::{Cancel, Outcome, Plan, Report, StepError, prepare};
use serde_json::{Value, json};

use crate::args::Output;
use crate::context::{Context, confirmed};
use crate::exit::{Failure, Outcome as Exit};
use crate::output::{
    SHOWN_ROWS, more_rows, print_line, say, stream_json, to_json, to_json_line, to_value,
};
use crate::run_view::RunView;

/// A planned bulk job and how to present it.
pub struct Job<'a> {
    pub ctx: &'a Context,
    pub client: &'a Client,
    pub plan: Plan,
    /// The plan for people, shown before anything is done (empty: nothing shown).
    pub plan_text: String,
    /// What a person at a terminal is asked before the run (none: never asked), and the
    /// line said when they decline.
    pub question: Option<(String, String)>,
    /// What "nothing to do" means for this job.
    pub nothing: String,
    pub dry_run: bool,
    pub concurrency: usize,
    pub ignore_missing: bool,
}

impl Job<'_> {
    /// Shows the plan, asks, and runs it (or, for a dry run, shows its requests).
    pub async fn run(self) -> Result<Exit, Failure> {
        let ctx = self.ctx;
        if self.dry_run {
            return planned_dry_run(ctx, self.client, &self.plan, &self.plan_text).await;
        }
        let acting = self.plan.acting().count();
        if acting > 0 && !self.plan_text.is_empty() {
            say(&self.plan_text);
        }
        if let Some((question, declined)) = &self.question
            && acting > 0
            && !confirmed(question)
        {
            say(declined);
            return Ok(Exit::SUCCESS);
        }
        let mut view = RunView::new(ctx, &self.plan);
        let report = apply(
            ctx,
            self.client,
            &self.plan,
            self.concurrency,
            self.ignore_missing,
            &mut view,
        )
        .await;
        Ok(view.finish(&report, &self.nothing))
    }
}

/// Runs `plan` while SIGINT and SIGTERM stop it: the first stops new steps and lets those in
/// flight finish within the request timeout, a second stops the wait. Listening starts here:
/// before, an interrupt ends the program at once, with nothing sent yet.
pub async fn apply(
    ctx: &Context,
    client: &Client,
    plan: &Plan,
    concurrency: usize,
    ignore_missing: bool,
    view: &mut impl losant_invites_housekeeping::Reporter,
) -> Report {
    let cancel = Cancel::new();
    let signals = tokio::spawn(stop_on_signals(cancel.clone()));
    let report = losant_invites_housekeeping::Apply::new(client, plan)
        .concurrency(concurrency)
        .grace(ctx.global.timeout)
        .ignore_missing(ignore_missing)
        .cancel(&cancel)
        .run(view)
        .await;
    signals.abort();
    report
}

/// Escalates `cancel` on every SIGINT or SIGTERM.
async fn stop_on_signals(cancel: Cancel) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut interrupt), Ok(mut terminate)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            loop {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
                cancel.escalate();
            }
        }
    }
    while tokio::signal::ctrl_c().await.is_ok() {
        cancel.escalate();
    }
}

/// The request `step` sends, as the client builds it, or why it cannot be built.
async fn prepared(
    client: &Client,
    plan: &Plan,
    step: &losant_invites_housekeeping::Step,
) -> Result<Option<PreparedRequest>, Failure> {
    prepare(client, &plan.org, step).await.map_err(|e| match e {
        StepError::Client(error) => error.into(),
        StepError::NewerRole(newer) => Failure::usage(format!(
            "invite {}: {newer}",
            crate::output::id_text(step.subject.invite_id.as_ref())
        )),
    })
}

/// A dry run shown after its plan: the plan's text for people (on stdout as text, else on
/// stderr beside the JSON), then [`dry_run`].
pub async fn planned_dry_run(
    ctx: &Context,
    client: &Client,
    plan: &Plan,
    plan_text: &str,
) -> Result<Exit, Failure> {
    if !plan_text.is_empty() {
        match ctx.output() {
            Output::Text => print_line(plan_text),
            _ => say(plan_text),
        }
    }
    dry_run(ctx, client, plan).await
}

/// `--dry-run`: the requests the client would send, each built by the client exactly as it
/// would send it, and none sent. Text shows the first of them; JSON and NDJSON the whole
/// plan, written as it is made.
pub async fn dry_run(ctx: &Context, client: &Client, plan: &Plan) -> Result<Exit, Failure> {
    let acting: Vec<_> = plan.acting().collect();
    match ctx.output() {
        Output::Text => {
            for step in acting.iter().take(SHOWN_ROWS) {
                if let Some(request) = prepared(client, plan, step).await? {
                    print_line(request_text(&request));
                }
            }
            if let Some(more) = more_rows(acting.len(), "requests") {
                print_line(more);
            }
            let count = match acting.len() {
                1 => "1 request".to_owned(),
                n => format!("{n} requests"),
            };
            print_line(format!("dry run: {count}, none sent"));
        }
        Output::Json => {
            // Built first: a request that cannot be built fails the dry run before it prints.
            let mut requests = Vec::with_capacity(acting.len());
            for step in &acting {
                if let Some(request) = prepared(client, plan, step).await? {
                    requests.push(request_json(&request));
                }
            }
            stream_json(|out| {
                out.write_all(b"{\"dryRun\": true, \"plan\": ")?;
                serde_json::to_writer(&mut *out, plan)?;
                out.write_all(b", \"requests\": [")?;
                for (n, request) in requests.iter().enumerate() {
                    if n > 0 {
                        out.write_all(b",\n")?;
                    }
                    serde_json::to_writer(&mut *out, request)?;
                }
                out.write_all(b"]}\n")
            });
        }
        Output::Ndjson | Output::Ids => {
            for step in &plan.steps {
                let request = prepared(client, plan, step).await?;
                let mut line = to_value(step);
                line["request"] = request.as_ref().map_or(Value::Null, request_json);
                print_line(to_json_line(&line));
            }
        }
    }
    Ok(Exit::SUCCESS)
}

/// Prints one prepared request as a dry run does, for a command that sends one request.
pub fn print_prepared(ctx: &Context, request: PreparedRequest) -> Result<Exit, Failure> {
    match ctx.output() {
        Output::Text => {
            print_line(request_text(&request));
            print_line("dry run: 1 request, none sent");
        }
        Output::Json => print_line(to_json(
            &json!({ "dryRun": true, "requests": [request_json(&request)] }),
        )),
        Output::Ndjson | Output::Ids => print_line(to_json_line(&request_json(&request))),
    }
    Ok(Exit::SUCCESS)
}

/// A prepared request for people: its line, each header (the token redacted), its body.
fn request_text(request: &PreparedRequest) -> String {
    let mut text = format!("would send {request}");
    for (name, value) in request.headers() {
        text.push_str(&format!(
            "\n  {name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    if let Some(body) = request.body() {
        text.push_str(&format!("\n  {}", String::from_utf8_lossy(body)));
    }
    text
}

/// A prepared request as JSON: method, URL, headers (the token redacted), body.
fn request_json(request: &PreparedRequest) -> Value {
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
}

/// The one step of a single-invite command, run: its outcome, or the failure that ends the
/// command (with the error's exit code).
pub async fn run_one(
    client: &Client,
    plan: &Plan,
    ignore_missing: bool,
) -> Result<Outcome, Failure> {
    // No signal handling: Ctrl-C ends a single request at once, as it ends any command.
    let report = losant_invites_housekeeping::Apply::new(client, plan)
        .concurrency(1)
        .ignore_missing(ignore_missing)
        .run(&mut ())
        .await;
    let Some(outcome) = report.outcomes.into_iter().next() else {
        return Err(Failure::usage("nothing to do"));
    };
    match outcome {
        Outcome::Failed(failed) => {
            let mut failure = Failure::from(failed.error);
            if let Some(listed) = failed.listed_again {
                failure
                    .message
                    .push_str(&format!(" (listed again: {})", listed.seen));
            }
            Err(failure)
        }
        Outcome::Refused(why) => Err(Failure::usage(format!(
            "invite {}: {why}",
            crate::output::id_text(plan.steps[0].subject.invite_id.as_ref())
        ))),
        Outcome::NotAttempted | Outcome::Unanswered => Err(Failure {
            code: crate::exit::INTERRUPTED,
            message: "interrupted; the request may have taken effect".to_owned(),
        }),
        other => Ok(other),
    }
}

/// What a command that takes one thing away names it: `invite` under `inviteId`, done when
/// `deleted`; `member` under `userId`, done when `removed`.
pub struct Removal<'a> {
    pub noun: &'static str,
    pub key: &'static str,
    pub done: &'static str,
    pub id: &'a LosantId,
}

/// The one step of a command that takes one thing away (`delete`, `members remove`): a dry
/// run, or run and said, "already gone" where `ignore_missing` lets a 404 pass.
pub async fn remove_one(
    ctx: &Context,
    client: &Client,
    plan: &Plan,
    dry: bool,
    ignore_missing: bool,
    removal: Removal<'_>,
) -> Result<Exit, Failure> {
    if dry {
        return dry_run(ctx, client, plan).await;
    }
    let Removal {
        noun,
        key,
        done,
        id,
    } = removal;
    match run_one(client, plan, ignore_missing).await? {
        Outcome::AlreadyGone(error) => print_one(
            ctx,
            || format!("{noun} {id} already gone ({error})"),
            &json!({ (key): id, "alreadyGone": true }),
        ),
        _ => print_one(
            ctx,
            || format!("{done} {noun} {id}"),
            &json!({ "success": true }),
        ),
    }
    Ok(Exit::SUCCESS)
}

/// Prints one result: `text` for people, `value` as JSON otherwise.
pub fn print_one(ctx: &Context, text: impl FnOnce() -> String, value: &Value) {
    ctx.trace_answer(value);
    match ctx.output() {
        Output::Text => print_line(text()),
        Output::Json => print_line(to_json(value)),
        Output::Ndjson | Output::Ids => print_line(to_json_line(value)),
    }
}
