//! Bulk runs: invite IDs from a file, all checked up front, repeats dropped, then sent with
//! bounded concurrency; each outcome is reported as it finishes, and a summary at the end.
//! SIGINT or SIGTERM stops a run from starting more requests: the ones in flight get a
//! bounded time to finish, and the summary names the IDs that were not attempted.

use std::collections::HashMap;
use std::future::Future;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use losant_invites_client::{Error, LosantId};
use serde_json::{Value, json};

use crate::args::Output;
use crate::exit::{Failure, INTERRUPTED, Outcome};
use crate::output::{error_json, print_line, say, to_json, to_json_line};

/// One ID of the list, with the line it stands on.
#[derive(Debug, PartialEq)]
pub struct Listed {
    pub line: usize,
    pub id: LosantId,
}

/// A line whose ID an earlier line already holds.
#[derive(Debug, PartialEq)]
pub struct Repeat {
    pub line: usize,
    pub id: LosantId,
    pub first_line: usize,
}

/// The IDs of a list, each once, and the lines that repeated one.
#[derive(Debug, PartialEq)]
pub struct List {
    pub ids: Vec<Listed>,
    pub repeats: Vec<Repeat>,
}

/// Reads FILE (or stdin for `-`), holding `what`.
pub fn read_source(path: &Path, what: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(drop)
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::usage(format!("cannot read {what} from {}: {e}", path.display())))?;
    Ok(text)
}

/// The IDs of a list, blank lines and `#` comments skipped, each ID once (IDs differing only
/// in case are the same); every line that is not a Losant ID is reported, with its number,
/// before anything is sent.
pub fn parse_ids(text: &str) -> Result<List, Failure> {
    let mut list = List {
        ids: Vec::new(),
        repeats: Vec::new(),
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let line = index + 1;
        match text.parse::<LosantId>() {
            Ok(id) => match seen.get(&text.to_ascii_lowercase()) {
                Some(&first_line) => list.repeats.push(Repeat {
                    line,
                    id,
                    first_line,
                }),
                None => {
                    seen.insert(text.to_ascii_lowercase(), line);
                    list.ids.push(Listed { line, id });
                }
            },
            Err(invalid) => problems.push(format!("line {line}: {invalid}")),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::usage(format!(
            "invalid invite IDs, nothing was sent:\n  {}",
            problems.join("\n  ")
        )));
    }
    Ok(list)
}

/// What one finished item came to.
pub enum Done {
    /// The answer, as JSON, and the line a person reads.
    Ok(Value, String),
    /// Counted as done although it failed: `--ignore-missing` and an invite already gone.
    AlreadyGone(Error),
    Failed(Error),
}

/// How a bulk run reports and how long it lets requests in flight finish when interrupted.
pub struct Plan {
    pub output: Output,
    pub concurrency: usize,
    pub grace: Duration,
}

/// Runs `act` on every ID of `list` with at most `plan.concurrency` in flight, reporting each
/// outcome as it finishes (text lines, or one JSON object per line for `ndjson`), then a
/// summary (or, for `json`, everything in one document at the end).
pub async fn run<F, Fut>(list: List, plan: Plan, act: F) -> Outcome
where
    F: Fn(LosantId) -> Fut,
    Fut: Future<Output = Done>,
{
    let bar =
        ProgressBar::with_draw_target(Some(list.ids.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let mut report = Report::new(plan.output, list.ids.len());
    for repeat in &list.repeats {
        report.repeat(repeat);
    }

    let mut interrupts = Interrupts::new();
    let mut pending = list.ids.iter().enumerate();
    let mut in_flight = FuturesUnordered::new();
    let mut next = pending.next();
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut started = vec![false; list.ids.len()];
    loop {
        while deadline.is_none() && in_flight.len() < plan.concurrency {
            let Some((index, listed)) = next else { break };
            started[index] = true;
            let work = act(listed.id.clone());
            in_flight.push(async move { (index, work.await) });
            next = pending.next();
        }
        if in_flight.is_empty() {
            break;
        }
        let grace_over = async {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some((index, done)) = in_flight.next() => {
                bar.suspend(|| report.finished(index, &list.ids[index], done));
                bar.inc(1);
            }
            () = interrupts.next() => {
                // A second interrupt stops the wait for the requests in flight.
                if deadline.is_some() {
                    break;
                }
                deadline = Some(tokio::time::Instant::now() + plan.grace);
                bar.suspend(|| say(format!(
                    "interrupted: finishing the {} requests in flight (at most {} s; interrupt again to stop now), starting no more",
                    in_flight.len(),
                    plan.grace.as_secs_f32()
                )));
            }
            () = grace_over => break,
        }
    }
    bar.finish_and_clear();
    let left = |was_started: bool| -> Vec<&LosantId> {
        list.ids
            .iter()
            .enumerate()
            .filter(|(index, _)| started[*index] == was_started && !report.has_finished(*index))
            .map(|(_, listed)| &listed.id)
            .collect()
    };
    let (not_attempted, unanswered) = (left(false), left(true));
    report.summary(deadline.is_some(), &not_attempted, &unanswered)
}

/// SIGINT and SIGTERM, each as it comes. Listening starts when the run starts: before, an
/// interrupt ends the program at once, with nothing sent yet.
struct Interrupts {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Interrupts {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                signals: signal(SignalKind::interrupt())
                    .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Resolves on the next SIGINT or SIGTERM.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some((int, term)) = &mut self.signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The outcomes of a run, printed as they come and summed up at the end.
struct Report {
    output: Output,
    /// `json` prints everything at the end: the items so far.
    items: Vec<Value>,
    /// Which items of the list have finished, by index.
    finished: Vec<bool>,
    succeeded: usize,
    already_gone: usize,
    failures: Vec<Error>,
    repeats: usize,
}

impl Report {
    fn new(output: Output, items: usize) -> Self {
        Self {
            output,
            items: Vec::new(),
            finished: vec![false; items],
            succeeded: 0,
            already_gone: 0,
            failures: Vec::new(),
            repeats: 0,
        }
    }

    fn emit(&mut self, item: Value, text: String) {
        match self.output {
            Output::Text => print_line(text),
            Output::Ndjson | Output::Ids => print_line(to_json_line(&item)),
            Output::Json => self.items.push(item),
        }
    }

    fn repeat(&mut self, repeat: &Repeat) {
        self.repeats += 1;
        self.emit(
            json!({ "inviteId": repeat.id, "line": repeat.line, "ok": true, "repeatOf": repeat.first_line }),
            format!(
                "skip  {} (line {} repeats line {})",
                repeat.id, repeat.line, repeat.first_line
            ),
        );
    }

    fn finished(&mut self, index: usize, listed: &Listed, done: Done) {
        self.finished[index] = true;
        let (item, text) = match done {
            Done::Ok(answer, text) => {
                self.succeeded += 1;
                (
                    json!({ "inviteId": listed.id, "line": listed.line, "ok": true, "answer": answer }),
                    format!("ok    {text}"),
                )
            }
            Done::AlreadyGone(error) => {
                self.already_gone += 1;
                let text = format!("ok    {} already gone ({error})", listed.id);
                (
                    json!({ "inviteId": listed.id, "line": listed.line, "ok": true, "alreadyGone": true, "error": error_json(&error) }),
                    text,
                )
            }
            Done::Failed(error) => {
                let item = json!({ "inviteId": listed.id, "line": listed.line, "ok": false, "error": error_json(&error) });
                let text = format!("FAIL  {} {error}", listed.id);
                self.failures.push(error);
                (item, text)
            }
        };
        self.emit(item, text);
    }

    fn has_finished(&self, index: usize) -> bool {
        self.finished[index]
    }

    /// Sums the run up; `not_attempted` were never sent, `unanswered` were sent and gave no
    /// answer within the grace time after an interrupt, so they may have taken effect.
    fn summary(
        self,
        interrupted: bool,
        not_attempted: &[&LosantId],
        unanswered: &[&LosantId],
    ) -> Outcome {
        let total = self.finished.len();
        let failed = self.failures.len();
        let mut summary = json!({
            "total": total,
            "succeeded": self.succeeded + self.already_gone,
            "failed": failed,
        });
        if self.already_gone > 0 {
            summary["alreadyGone"] = json!(self.already_gone);
        }
        if self.repeats > 0 {
            summary["repeats"] = json!(self.repeats);
        }
        if interrupted {
            summary["interrupted"] = json!(true);
            summary["notAttempted"] = json!(not_attempted);
            summary["unanswered"] = json!(unanswered);
        }
        match self.output {
            Output::Json => {
                // One document: in the list's order, whatever order the answers came in.
                let mut items = self.items;
                items.sort_by_key(|item| item["line"].as_u64());
                print_line(to_json(&json!({ "results": items, "summary": summary })))
            }
            Output::Ndjson | Output::Ids => {
                print_line(to_json_line(&json!({ "summary": summary })))
            }
            Output::Text => {
                let done = if total == 0 {
                    "nothing to do: the list holds no invite IDs".to_owned()
                } else {
                    format!(
                        "{} of {total} succeeded, {failed} failed",
                        self.succeeded + self.already_gone
                    )
                };
                print_line(done);
                if interrupted {
                    let listed = |ids: &[&LosantId]| {
                        ids.iter().map(|id| format!(" {id}")).collect::<String>()
                    };
                    print_line(format!(
                        "interrupted: {} not attempted{}",
                        not_attempted.len(),
                        listed(not_attempted)
                    ));
                    if !unanswered.is_empty() {
                        print_line(format!(
                            "sent but unanswered, may have taken effect: {}{}",
                            unanswered.len(),
                            listed(unanswered)
                        ));
                    }
                }
            }
        }
        if interrupted {
            return Outcome(INTERRUPTED);
        }
        let failures: Vec<&Error> = self.failures.iter().collect();
        Outcome::of_failures(&failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> LosantId {
        text.parse().unwrap()
    }

    #[test]
    fn lists_skip_blanks_comments_and_repeats_and_keep_line_numbers() {
        let text = "# pending invites\n575ec8687ae143cd83dc4a94\n\n  575EC8687AE143CD83DC4A98  \n# done\n575ec8687ae143cd83dc4a98\n";
        let list = parse_ids(text).unwrap();
        assert_eq!(
            list.ids,
            [
                Listed {
                    line: 2,
                    id: id("575ec8687ae143cd83dc4a94")
                },
                Listed {
                    line: 4,
                    id: id("575EC8687AE143CD83DC4A98")
                }
            ]
        );
        assert_eq!(
            list.repeats,
            [Repeat {
                line: 6,
                id: id("575ec8687ae143cd83dc4a98"),
                first_line: 4
            }]
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let failure =
            parse_ids("575ec8687ae143cd83dc4a94\nnope\n\n575ec8687ae143cd83dc4a9\n").unwrap_err();
        assert!(
            failure.message.contains("line 2: \"nope\""),
            "{}",
            failure.message
        );
        assert!(
            failure
                .message
                .contains("line 4: \"575ec8687ae143cd83dc4a9\""),
            "{}",
            failure.message
        );
        let empty = parse_ids("# nothing\n\n").unwrap();
        assert!(empty.ids.is_empty() && empty.repeats.is_empty());
    }
}
