//! Bulk runs: the items of a run (invite IDs from a file, all checked up front and repeats
//! dropped; the invites selectors chose; the rows of a roster) acted on with bounded
//! concurrency; each outcome is reported as it finishes, and a summary at the end. An item
//! whose answer was lost after it may have taken effect is held back until the organization
//! is looked at again, so that the account is exact. SIGINT or SIGTERM stops a run from
//! starting more requests: the ones in flight get a bounded time to finish, and the summary
//! names the items that were not attempted.

use std::collections::HashMap;
use std::future::Future;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use losant_invites_client::{Error, LosantId, types};
use serde_json::{Map, Value, json};

use crate::args::Output;
use crate::exit::{Failure, INTERRUPTED, Outcome, USAGE, code};
use crate::output::{self, error_json, print_line, say, to_json, to_json_line};

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

impl List {
    /// The run's items and its repeats, reported as notes.
    pub fn into_run(self) -> (Vec<Item>, Vec<Note>) {
        let items = self.ids.iter().map(Item::listed).collect();
        let notes = self
            .repeats
            .iter()
            .map(|repeat| {
                let mut fields = Map::new();
                fields.insert("repeatOf".into(), json!(repeat.first_line));
                Note {
                    item: Item::listed(&Listed {
                        line: repeat.line,
                        id: repeat.id.clone(),
                    }),
                    kind: NoteKind::Repeat,
                    fields,
                    text: format!("(line {} repeats line {})", repeat.line, repeat.first_line),
                }
            })
            .collect();
        (items, notes)
    }
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

/// The lines of a list or roster that say something, each with its number in the file (from
/// 1): blank lines and `#` comments are skipped.
pub(crate) fn meaningful_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        })
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
    for (line, text) in meaningful_lines(text) {
        let text = text.trim();
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

/// One item of a run: what the report names it by (an invite ID, an email) and the fields
/// that say which it is in JSON (`inviteId` and `line`, `email`, …).
pub struct Item {
    pub label: String,
    pub fields: Map<String, Value>,
}

impl Item {
    /// An invite ID of a list, with its line.
    pub fn listed(listed: &Listed) -> Item {
        let mut fields = Map::new();
        fields.insert("inviteId".into(), json!(listed.id));
        fields.insert("line".into(), json!(listed.line));
        Item {
            label: listed.id.to_string(),
            fields,
        }
    }

    /// An invite the selectors chose, by its ID and email.
    pub fn invite(invite: &types::OrgInvite) -> Item {
        let mut fields = Map::new();
        fields.insert("inviteId".into(), json!(invite.id));
        fields.insert("email".into(), json!(invite.email));
        Item {
            label: output::id_text(invite.id.as_ref()),
            fields,
        }
    }

    /// The item's place in a `json` document: its line when it has one, else its place in
    /// the run.
    fn order(&self, index: usize) -> u64 {
        self.fields
            .get("line")
            .and_then(Value::as_u64)
            .unwrap_or(index as u64)
    }
}

/// An item settled before the run starts, and not acted on.
pub struct Note {
    pub item: Item,
    pub kind: NoteKind,
    /// What the JSON item says beyond the item's fields.
    pub fields: Map<String, Value>,
    /// What a person reads after the item's label.
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A line of the input repeating an earlier one.
    Repeat,
    /// Already done: nothing to do for it, such as a roster email with a pending invite.
    Skipped,
}

/// What one finished item came to.
pub enum Done {
    /// Done: what the JSON item says beyond the item's fields (such as `answer`), and the
    /// line a person reads.
    Ok(Map<String, Value>, String),
    /// Counted as done although it failed: `--ignore-missing` and an invite already gone.
    AlreadyGone(Error),
    Failed(Error),
    /// Not sent: this item cannot be sent as it is (the reason is given).
    Refused(String),
    /// The answer was lost after the request may have taken effect: held back until a
    /// look at the organization settles it ([`Ran::settle`]), else reported failed.
    Unsure(Error),
}

/// What a fresh look at the organization shows of an item whose outcome was unknown.
pub enum Seen {
    /// It took effect: what its JSON item says and what a person reads.
    Done(Map<String, Value>, String),
    /// It did not take effect, as what was seen shows.
    NotDone(String),
    /// What was seen does not tell.
    Unclear(String),
}

/// How a bulk run reports and how long it lets requests in flight finish when interrupted.
pub struct Plan {
    pub output: Output,
    pub concurrency: usize,
    pub grace: Duration,
    /// What a person reads when there is nothing to do.
    pub nothing: String,
}

/// Runs `act` on every item (by its index in `items`) with at most `plan.concurrency` in
/// flight, reporting each outcome as it finishes (text lines, or one JSON object per line for
/// `ndjson`); the notes are reported first. The summary comes from [`Ran::outcome`], after
/// any [`Ran::settle`].
pub async fn run<F, Fut>(items: Vec<Item>, notes: Vec<Note>, plan: Plan, act: F) -> Ran
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Done>,
{
    let bar = ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let mut report = Report::new(plan.output, plan.nothing, items.len());
    for note in notes {
        report.note(note);
    }

    let mut interrupts = Interrupts::new();
    let mut pending = 0..items.len();
    let mut in_flight = FuturesUnordered::new();
    let mut next = pending.next();
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut started = vec![false; items.len()];
    loop {
        while deadline.is_none() && in_flight.len() < plan.concurrency {
            let Some(index) = next else { break };
            started[index] = true;
            let work = act(index);
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
                bar.suspend(|| report.finished(index, &items[index], done));
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
    Ran {
        items,
        report,
        started,
        interrupted: deadline.is_some(),
    }
}

/// A run whose requests are over: its account, before the summary.
pub struct Ran {
    items: Vec<Item>,
    report: Report,
    started: Vec<bool>,
    interrupted: bool,
}

impl Ran {
    /// The items whose outcome is unknown: answered in a way that says they may have taken
    /// effect, or sent and still unanswered when an interrupted run stopped waiting.
    fn unsure(&self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&index| {
                self.report.held[index].is_some()
                    || (self.started[index] && !self.report.finished[index])
            })
            .collect()
    }

    /// Settles the unsure items, if there are any, by one fresh look at the organization:
    /// `list` reads it, and `look` says what it shows of each item. One held back and found
    /// not done is reported failed, saying what was seen; one unanswered and not found done
    /// stays unanswered. When the look fails, they all stay as they were, and that is said.
    pub async fn settle<L, Fut>(
        &mut self,
        list: impl FnOnce() -> Fut,
        look: impl Fn(&L, usize) -> Seen,
    ) where
        Fut: Future<Output = Result<L, Failure>>,
    {
        let unsure = self.unsure();
        if unsure.is_empty() {
            return;
        }
        let listed = match list().await {
            Ok(listed) => listed,
            Err(failure) => {
                say(format!(
                    "losant-invites: could not list the invites again to settle {} items whose answers were lost: {}",
                    unsure.len(),
                    failure.message
                ));
                return;
            }
        };
        for index in unsure {
            match (look(&listed, index), self.report.held[index].take()) {
                (Seen::Done(fields, text), _) => {
                    self.report.confirmed += 1;
                    self.report
                        .finished(index, &self.items[index], Done::Ok(fields, text));
                }
                (Seen::NotDone(seen), Some(error)) => {
                    self.report
                        .failed(index, &self.items[index], error, Some((seen, false)));
                }
                (Seen::Unclear(seen), Some(error)) => {
                    self.report
                        .failed(index, &self.items[index], error, Some((seen, true)));
                }
                // Sent and unanswered when an interrupted run stopped: it stays so.
                (_, None) => {}
            }
        }
    }

    /// Reports what is still held back as failed, prints the summary, and gives the exit
    /// code.
    pub fn outcome(mut self) -> Outcome {
        for index in 0..self.items.len() {
            if let Some(error) = self.report.held[index].take() {
                self.report.failed(index, &self.items[index], error, None);
            }
        }
        let left = |was_started: bool| -> Vec<&str> {
            self.items
                .iter()
                .enumerate()
                .filter(|(index, _)| {
                    self.started[*index] == was_started && !self.report.finished[*index]
                })
                .map(|(_, item)| item.label.as_str())
                .collect()
        };
        let (not_attempted, unanswered) = (left(false), left(true));
        let interrupted = self.interrupted;
        let items = &self.items;
        self.report
            .summary(items, interrupted, &not_attempted, &unanswered)
    }
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
    nothing: String,
    /// `json` prints everything at the end: the items so far, each with its place.
    items: Vec<(u64, Value)>,
    /// Which items of the run have been reported, by index.
    finished: Vec<bool>,
    /// The errors of the items held back as unsure, by index.
    held: Vec<Option<Error>>,
    succeeded: usize,
    already_gone: usize,
    confirmed: usize,
    /// The exit code of each failure.
    failures: Vec<u8>,
    repeats: usize,
    skipped: usize,
}

impl Report {
    fn new(output: Output, nothing: String, items: usize) -> Self {
        Self {
            output,
            nothing,
            items: Vec::new(),
            finished: vec![false; items],
            held: std::iter::repeat_with(|| None).take(items).collect(),
            succeeded: 0,
            already_gone: 0,
            confirmed: 0,
            failures: Vec::new(),
            repeats: 0,
            skipped: 0,
        }
    }

    fn emit(&mut self, order: u64, item: Value, text: String) {
        match self.output {
            Output::Text => print_line(text),
            Output::Ndjson | Output::Ids => print_line(to_json_line(&item)),
            Output::Json => self.items.push((order, item)),
        }
    }

    /// The item's fields, then `ok`, then `more`.
    fn item(item: &Item, ok: bool, more: Map<String, Value>) -> Value {
        let mut fields = item.fields.clone();
        fields.insert("ok".into(), json!(ok));
        fields.extend(more);
        Value::Object(fields)
    }

    fn note(&mut self, note: Note) {
        match note.kind {
            NoteKind::Repeat => self.repeats += 1,
            NoteKind::Skipped => self.skipped += 1,
        }
        let text = format!("skip  {} {}", note.item.label, note.text);
        let order = note.item.order(0);
        let value = Self::item(&note.item, true, note.fields);
        self.emit(order, value, text);
    }

    fn finished(&mut self, index: usize, item: &Item, done: Done) {
        match done {
            Done::Ok(more, text) => {
                self.finished[index] = true;
                self.succeeded += 1;
                let value = Self::item(item, true, more);
                self.emit(item.order(index), value, format!("ok    {text}"));
            }
            Done::AlreadyGone(error) => {
                self.finished[index] = true;
                self.already_gone += 1;
                let text = format!("ok    {} already gone ({error})", item.label);
                let mut more = Map::new();
                more.insert("alreadyGone".into(), json!(true));
                more.insert("error".into(), error_json(&error));
                let value = Self::item(item, true, more);
                self.emit(item.order(index), value, text);
            }
            Done::Failed(error) => self.failed(index, item, error, None),
            Done::Refused(why) => {
                self.finished[index] = true;
                let mut more = Map::new();
                more.insert(
                    "error".into(),
                    json!({ "kind": "invalidInput", "mayHaveTakenEffect": false, "text": why }),
                );
                let value = Self::item(item, false, more);
                self.failures.push(USAGE);
                self.emit(
                    item.order(index),
                    value,
                    format!("FAIL  {} {why}", item.label),
                );
            }
            Done::Unsure(error) => self.held[index] = Some(error),
        }
    }

    /// Reports `item` failed with `error`; `listed_again` says what a fresh look at the
    /// organization saw, and whether the action may still have taken effect after it.
    fn failed(
        &mut self,
        index: usize,
        item: &Item,
        error: Error,
        listed_again: Option<(String, bool)>,
    ) {
        self.finished[index] = true;
        let mut more = Map::new();
        let mut error_fields = error_json(&error);
        let mut text = format!("FAIL  {} {error}", item.label);
        if let Some((seen, may_have_taken_effect)) = listed_again {
            error_fields["mayHaveTakenEffect"] = json!(may_have_taken_effect);
            text.push_str(&format!(" (listed again: {seen})"));
            more.insert("listedAgain".into(), json!(seen));
        }
        more.insert("error".into(), error_fields);
        let value = Self::item(item, false, more);
        self.failures.push(code(&error));
        self.emit(item.order(index), value, text);
    }

    /// Sums the run up; `not_attempted` were never sent, `unanswered` were sent and gave no
    /// answer within the grace time after an interrupt, so they may have taken effect.
    fn summary(
        self,
        items: &[Item],
        interrupted: bool,
        not_attempted: &[&str],
        unanswered: &[&str],
    ) -> Outcome {
        let total = items.len() + self.skipped;
        let failed = self.failures.len();
        let succeeded = self.succeeded + self.already_gone;
        let mut summary = json!({
            "total": total,
            "succeeded": succeeded,
            "failed": failed,
        });
        let counts = [
            ("skipped", self.skipped),
            ("alreadyGone", self.already_gone),
            ("confirmedByListing", self.confirmed),
            ("repeats", self.repeats),
        ];
        for (name, count) in counts {
            if count > 0 {
                summary[name] = json!(count);
            }
        }
        if interrupted {
            summary["interrupted"] = json!(true);
            summary["notAttempted"] = json!(not_attempted);
            summary["unanswered"] = json!(unanswered);
        }
        match self.output {
            Output::Json => {
                // One document, in the input's order, whatever order the answers came in.
                let mut items = self.items;
                items.sort_by_key(|(order, _)| *order);
                let items: Vec<Value> = items.into_iter().map(|(_, item)| item).collect();
                print_line(to_json(&json!({ "results": items, "summary": summary })))
            }
            Output::Ndjson | Output::Ids => {
                print_line(to_json_line(&json!({ "summary": summary })))
            }
            Output::Text => {
                let done = if total == 0 {
                    format!("nothing to do: {}", self.nothing)
                } else if self.skipped > 0 {
                    format!(
                        "{succeeded} of {total} succeeded, {} skipped, {failed} failed",
                        self.skipped
                    )
                } else {
                    format!("{succeeded} of {total} succeeded, {failed} failed")
                };
                print_line(done);
                if interrupted {
                    let listed = |labels: &[&str]| {
                        labels.iter().map(|l| format!(" {l}")).collect::<String>()
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
        Outcome::of_failures(&self.failures)
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
