//! Bulk runs: invite IDs from a file, all checked up front, then sent with bounded concurrency,
//! each outcome reported and the failures counted.

use std::io::Read;
use std::path::Path;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use losant_invites_client::{Error, LosantId};
use serde_json::{Value, json};

use crate::exit::{Failure, Outcome};
use crate::output::error_json;

/// One ID of the file, with the line it stands on.
#[derive(Debug, PartialEq)]
pub struct Listed {
    pub line: usize,
    pub id: String,
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

/// The IDs of a list, blank lines and `#` comments skipped; every line that is not a Losant ID
/// is reported, with its number, before anything is sent.
pub fn parse_ids(text: &str) -> Result<Vec<Listed>, Failure> {
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let id = line.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        match id.parse::<LosantId>() {
            Ok(_) => ids.push(Listed {
                line: index + 1,
                id: id.to_owned(),
            }),
            Err(invalid) => problems.push(format!("line {}: {invalid}", index + 1)),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::usage(format!(
            "invalid invite IDs, nothing was sent:\n  {}",
            problems.join("\n  ")
        )));
    }
    if ids.is_empty() {
        return Err(Failure::usage("the list holds no invite IDs"));
    }
    Ok(ids)
}

/// What one item of a bulk run came to: the answer as JSON, or the failure.
pub type ItemResult = Result<Value, Error>;

/// Runs `act` on every ID with at most `concurrency` in flight, showing progress on a terminal
/// and each outcome as it comes, then a summary.
pub async fn run<F, Fut>(
    ids: Vec<Listed>,
    concurrency: usize,
    json_output: bool,
    verb: &str,
    act: F,
) -> Outcome
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = ItemResult>,
{
    let bar = ProgressBar::with_draw_target(Some(ids.len() as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let mut results: Vec<Option<ItemResult>> = ids.iter().map(|_| None).collect();
    let mut outcomes = futures_util::stream::iter(ids.iter().enumerate())
        .map(|(index, listed)| {
            let work = act(listed.id.clone());
            async move { (index, work.await) }
        })
        .buffer_unordered(concurrency);
    while let Some((index, result)) = outcomes.next().await {
        if !json_output {
            let id = &ids[index].id;
            let line = match &result {
                Ok(_) => format!("ok    {id} {verb}"),
                Err(error) => format!("FAIL  {id} {error}"),
            };
            bar.suspend(|| println!("{line}"));
        }
        bar.inc(1);
        results[index] = Some(result);
    }
    bar.finish_and_clear();

    let results: Vec<ItemResult> = results.into_iter().flatten().collect();
    let failures: Vec<&Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let summary = json!({ "total": results.len(), "succeeded": results.len() - failures.len(), "failed": failures.len() });
    if json_output {
        let items: Vec<Value> = ids
            .iter()
            .zip(&results)
            .map(|(listed, result)| match result {
                Ok(answer) => json!({ "inviteId": listed.id, "line": listed.line, "ok": true, "answer": answer }),
                Err(error) => json!({ "inviteId": listed.id, "line": listed.line, "ok": false, "error": error_json(error) }),
            })
            .collect();
        let document = json!({ "results": items, "summary": summary });
        println!("{}", crate::output::to_json(&document));
    } else {
        println!(
            "{} of {} succeeded, {} failed",
            summary["succeeded"], summary["total"], summary["failed"]
        );
    }
    Outcome::of_failures(&failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_skip_blanks_and_comments_and_keep_line_numbers() {
        let text =
            "# pending invites\n575ec8687ae143cd83dc4a94\n\n  575EC8687AE143CD83DC4A98  \n# done\n";
        let ids = parse_ids(text).unwrap();
        assert_eq!(
            ids,
            [
                Listed {
                    line: 2,
                    id: "575ec8687ae143cd83dc4a94".into()
                },
                Listed {
                    line: 4,
                    id: "575EC8687AE143CD83DC4A98".into()
                }
            ]
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
        assert!(parse_ids("# nothing\n\n").is_err());
    }
}
