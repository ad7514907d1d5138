//! `cargo xtask bench`: a short run of the client benchmarks and the CLI's cold start, summed
//! up in one table whose last line is the SDK/raw-reqwest ratio for `get`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The benchmarks, as (group, contenders), and how many requests one iteration makes.
const GROUPS: [(&str, u32); 4] = [
    ("get", 1),
    ("resend_invite", 1),
    ("get_32_in_flight", 32),
    ("decode", 1),
];
const CONTENDERS: [&str; 3] = ["sdk", "reqwest", "hyper"];
/// The groups only the paired harness runs: lists of 1 000 and 10 000 invites, and of 10 000
/// members.
const PAIRED_ONLY: [&str; 3] = ["list_1000", "list_10000", "members_10000"];
const DECODERS: [&str; 2] = ["org_invite", "error_body"];
/// Runs of each command timed for the cold start.
const COLD_RUNS: usize = 30;

pub fn run(root: &Path) -> Result<(), String> {
    short_criterion_pass(root, "client")?;

    println!("\n{:<34} {:>10} {:>12}", "benchmark", "µs/op", "ops/s");
    let mut per_op = std::collections::BTreeMap::new();
    for (group, requests) in GROUPS {
        let names: &[&str] = if group == "decode" {
            &DECODERS
        } else {
            &CONTENDERS
        };
        for name in names {
            let median = median_ns(root, group, name)? / f64::from(requests);
            per_op.insert(format!("{group}/{name}"), median);
            println!(
                "{:<34} {:>10.2} {:>12.0}",
                format!("{group}/{name}"),
                median / 1e3,
                1e9 / median
            );
        }
    }
    // The ratios come from the paired harness: contenders in turns, under the same load.
    let ratios = paired_ratios(root)?;
    let ratio = |group: &str, raw: &str| -> Result<f64, String> {
        ratios
            .get(&format!("{group}/{raw}"))
            .copied()
            .ok_or(format!("no paired ratio for {group}/{raw}"))
    };
    println!(
        "\nSDK / raw in ops/s, median of per-round ratios, paired (floor: ≥ 0.90 against reqwest)"
    );
    for group in GROUPS[..3]
        .iter()
        .map(|(group, _)| *group)
        .chain(PAIRED_ONLY)
    {
        println!(
            "  {group:<20} reqwest {:.3}   hyper {:.3}",
            ratio(group, "reqwest")?,
            ratio(group, "hyper")?
        );
    }

    println!(
        "  {:<20} reqwest {:.3}   (the housekeeping library's run of a roster's plan: 2 000 creates through the fake, 8 in flight)",
        "apply_2000_creates",
        ratio("apply_2000_creates", "reqwest")?
    );

    plans(root)?;
    cold_start(root)?;
    roster_memory(root)?;
    println!("sdk/raw get ratio: {:.3}", ratio("get", "reqwest")?);
    Ok(())
}

/// The paired harness's SDK / raw ratios, keyed `group/raw contender`.
fn paired_ratios(root: &Path) -> Result<std::collections::BTreeMap<String, f64>, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "bench",
            "--quiet",
            "-p",
            "losant-invites-bench",
            "--bench",
            "paired",
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err("the paired benchmark failed".into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut ratios = std::collections::BTreeMap::new();
    for line in text.lines() {
        if let ["ratio", group, name, ratio] = line.split_whitespace().collect::<Vec<_>>()[..] {
            let ratio: f64 = ratio
                .parse()
                .map_err(|_| format!("unreadable line {line:?}"))?;
            ratios.insert(format!("{group}/{name}"), ratio);
        }
    }
    Ok(ratios)
}

/// Where cargo puts what it builds for this workspace: `CARGO_TARGET_DIR`, a config file's
/// `build.target-dir`, or `target/`, as `cargo metadata` resolves it.
fn target_dir(root: &Path) -> Result<std::path::PathBuf, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err("cargo metadata failed".into());
    }
    json_string_field(&String::from_utf8_lossy(&output.stdout), "target_directory")
        .map(Into::into)
        .ok_or_else(|| "cargo metadata names no target_directory".into())
}

/// The string value of the first `"field":"…"` in `json`, its escapes undone (this crate keeps
/// to no JSON parser; cargo's output is compact and well formed).
fn json_string_field(json: &str, field: &str) -> Option<String> {
    let start = json.find(&format!("\"{field}\":\""))? + field.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'u' => {
                    let code: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
}

fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(root)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

/// The median time of one iteration, in nanoseconds, from criterion's estimates.
fn median_ns(root: &Path, group: &str, name: &str) -> Result<f64, String> {
    let path = target_dir(root)?
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // {"mean":{…},"median":{"confidence_interval":{…},"point_estimate":12345.6,…},…}
    let median = text
        .split("\"median\":")
        .nth(1)
        .ok_or("no median in criterion's estimates")?;
    let value = median
        .split("\"point_estimate\":")
        .nth(1)
        .ok_or("no point estimate in criterion's estimates")?;
    let number: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || ".eE+-".contains(*c))
        .collect();
    number
        .parse()
        .map_err(|_| format!("unreadable estimate in {}", path.display()))
}

/// A short criterion pass (1 s warm-up, 2 s measured) of the bench target `bench`.
fn short_criterion_pass(root: &Path, bench: &str) -> Result<(), String> {
    cargo(
        root,
        &[
            "bench",
            "--quiet",
            "-p",
            "losant-invites-bench",
            "--bench",
            bench,
            "--",
            "--warm-up-time",
            "1",
            "--measurement-time",
            "2",
        ],
    )
}

/// The plan functions alone (criterion): no I/O, the library's own work.
fn plans(root: &Path) -> Result<(), String> {
    short_criterion_pass(root, "plans")?;
    println!("\nPlanning, median (target: well under 50 ms)");
    for name in PLANS {
        println!(
            "  {name:<34} {:>8.2} ms",
            median_ns(root, "plan", name)? / 1e6
        );
    }
    Ok(())
}

/// The criterion benchmarks of the `plan` group.
const PLANS: [&str; 2] = ["roster_10000_vs_10000", "sync_20000_vs_20000"];

/// How many rows the roster of the memory measurement has.
const ROSTER_ROWS: usize = 100_000;

/// The CLI planning a [`ROSTER_ROWS`]-row roster against the demo organization, as a dry run
/// printing the whole plan as NDJSON: its time and peak memory.
fn roster_memory(root: &Path) -> Result<(), String> {
    let release = target_dir(root)?.join("release");
    let mut roster = String::from("email,role,applicationRoles\n");
    for n in 0..ROSTER_ROWS {
        roster.push_str(&format!(
            "person{n}@example.com,view,575ec8687ae143cd83dc4a90=collaborate\n"
        ));
    }
    let roster_file = release.join("bench-roster.csv");
    std::fs::write(&roster_file, roster).map_err(|e| format!("cannot write the roster: {e}"))?;
    let mut fake = Command::new(release.join("losant-invites-mock"))
        .args(["--seed", "demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the fake server: {e}"))?;
    let url = first_line(fake.stdout.take().ok_or("no stdout")?)?;
    let mut cli = Command::new(release.join("losant-invites"));
    cli.args(["invite", "--instance-id", "575ec8687ae143cd83dc4a95"])
        .args(["--org-id", "575ec8687ae143cd83dc4a97", "--url", &url])
        .args([
            "--token",
            "demo-admin-token",
            "--dry-run",
            "--output",
            "ndjson",
        ])
        .arg("--from")
        .arg(&roster_file);
    let measured = median_of(&mut cli, 5);
    let _ = fake.kill();
    let _ = fake.wait();
    let (time, rss_kib) = measured?;
    println!(
        "CLI dry run of a {ROSTER_ROWS}-row roster, the whole plan as NDJSON, median of 5 runs: {:.0} ms, peak RSS {:.1} MiB",
        time.as_secs_f64() * 1e3,
        rss_kib as f64 / 1024.0
    );
    Ok(())
}

/// One `get` by the CLI from process start to exit, beside curl sending the same request,
/// against the fake server; and the CLI's peak memory.
fn cold_start(root: &Path) -> Result<(), String> {
    cargo(
        root,
        &[
            "build",
            "--quiet",
            "--release",
            "-p",
            "losant-invites-cli",
            "-p",
            "losant-invites-mock",
        ],
    )?;
    let release = target_dir(root)?.join("release");
    let mut fake = Command::new(release.join("losant-invites-mock"))
        .args(["--seed", "demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the fake server: {e}"))?;
    let url = first_line(fake.stdout.take().ok_or("no stdout")?)?;
    let path = "/instances/575ec8687ae143cd83dc4a95/orgs/575ec8687ae143cd83dc4a97/invites/575ec8687ae143cd83dc4a94";

    let mut cli = Command::new(release.join("losant-invites"));
    cli.args([
        "get",
        "--instance-id",
        "575ec8687ae143cd83dc4a95",
        "--org-id",
        "575ec8687ae143cd83dc4a97",
    ])
    .args([
        "--invite-id",
        "575ec8687ae143cd83dc4a94",
        "--url",
        &url,
        "--token",
        "demo-read-token",
        "--output",
        "json",
    ]);
    let (cli_time, cli_rss_kib) = median_run(&mut cli)?;

    let mut curl = Command::new("curl");
    curl.args(["-sf", "-o", "/dev/null"])
        .args([
            "-H",
            "Authorization: Bearer demo-read-token",
            "-H",
            "Accept: application/json",
        ])
        .args([
            "-H",
            "Accept-Version: ^1.29.1",
            "-H",
            "User-Agent: losant-invites-client/0.1.0",
        ])
        .arg(format!(
            "{url}{path}?_actions=false&_links=true&_embedded=true"
        ));
    let curl_time = median_run(&mut curl).map(|(time, _)| time);
    let _ = fake.kill();
    let _ = fake.wait();
    let list_time = list_table(&release);
    let access_time = access_table(&release);

    println!("\nCLI cold start, one get, median of {COLD_RUNS} runs (target: ≤ 1.5 × curl)");
    println!("  losant-invites {:>8.2} ms", cli_time.as_secs_f64() * 1e3);
    match curl_time {
        Ok(curl_time) => {
            println!("  curl           {:>8.2} ms", curl_time.as_secs_f64() * 1e3);
            println!(
                "  ratio          {:>8.2}",
                cli_time.as_secs_f64() / curl_time.as_secs_f64()
            );
        }
        Err(why) => println!("  curl           not measured: {why}"),
    }
    println!(
        "CLI peak RSS: {:.1} MiB (target: ≤ 12 MiB)",
        cli_rss_kib as f64 / 1024.0
    );
    let (list_time, list_rss_kib) = list_time?;
    println!(
        "CLI list of {LISTED} invites as a table, median of {COLD_RUNS} runs: {:.0} ms, peak RSS {:.1} MiB (target: well under 1 s)",
        list_time.as_secs_f64() * 1e3,
        list_rss_kib as f64 / 1024.0
    );
    let (access_time, access_rss_kib) = access_time?;
    println!(
        "CLI access of {LISTED} members and {LISTED} invites as a table, median of {COLD_RUNS} runs: {:.0} ms, peak RSS {:.1} MiB (target: well under 1 s)",
        access_time.as_secs_f64() * 1e3,
        access_rss_kib as f64 / 1024.0
    );
    Ok(())
}

/// The seed of an organization of `members` members and `invites` invites.
fn seed_of(members: usize, invites: usize) -> String {
    let invites: Vec<String> = (0..invites)
        .map(|n| {
            let role = ["admin", "edit", "collaborate", "view", "none"][n % 5];
            format!(
                r#"{{"id":"{n:024x}","email":"member{n}@example.com","role":"{role}","inviteDate":"2026-01-01T00:00:00.000Z","ttl":604800000}}"#
            )
        })
        .collect();
    let members: Vec<String> = (0..members)
        .map(|n| {
            let role = ["admin", "edit", "collaborate", "view", "none"][n % 5];
            format!(
                r#"{{"userId":"{:024x}","email":"person{n}@example.org","firstName":"Person","lastName":"{n}","role":"{role}"}}"#,
                n + (1 << 40)
            )
        })
        .collect();
    format!(
        r#"{{"instances":[{{"id":"575ec8687ae143cd83dc4a95","orgs":[{{"id":"575ec8687ae143cd83dc4a97","invites":[{}],"members":[{}]}}]}}]}}"#,
        invites.join(","),
        members.join(",")
    )
}

/// `losant-invites access --output text` of [`LISTED`] members and as many invites from the
/// fake, start to exit.
fn access_table(release: &Path) -> Result<(Duration, i64), String> {
    timed_cli(
        release,
        &seed_of(LISTED, LISTED),
        "bench-access-seed.json",
        &["access"],
    )
}

/// How many invites the CLI's list benchmark lists.
const LISTED: usize = 10_000;

/// `losant-invites list --output text` of [`LISTED`] invites from the fake, start to exit.
fn list_table(release: &Path) -> Result<(Duration, i64), String> {
    timed_cli(
        release,
        &seed_of(0, LISTED),
        "bench-list-seed.json",
        &["list"],
    )
}

/// `losant-invites COMMAND --output text` against a fake seeded with `seed` (written to
/// `file` beside the binaries): the median of [`COLD_RUNS`] runs, and the peak memory.
fn timed_cli(
    release: &Path,
    seed: &str,
    file: &str,
    command: &[&str],
) -> Result<(Duration, i64), String> {
    let seed_file = release.join(file);
    std::fs::write(&seed_file, seed).map_err(|e| format!("cannot write the seed: {e}"))?;
    let mut fake = Command::new(release.join("losant-invites-mock"))
        .arg("--seed")
        .arg(&seed_file)
        .args(["--token", "bench-token=all.Instance"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the fake server: {e}"))?;
    let url = first_line(fake.stdout.take().ok_or("no stdout")?)?;
    let mut cli = Command::new(release.join("losant-invites"));
    cli.args(command)
        .args(["--instance-id", "575ec8687ae143cd83dc4a95"])
        .args(["--org-id", "575ec8687ae143cd83dc4a97", "--url", &url])
        .args(["--token", "bench-token", "--output", "text"]);
    let measured = median_run(&mut cli);
    let _ = fake.kill();
    let _ = fake.wait();
    measured
}

fn first_line(stdout: std::process::ChildStdout) -> Result<String, String> {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim().to_owned())
}

/// The median wall time of [`COLD_RUNS`] runs of `command`, each of which must succeed, and
/// the largest peak resident set of any run, in KiB.
fn median_run(command: &mut Command) -> Result<(Duration, i64), String> {
    median_of(command, COLD_RUNS)
}

/// [`median_run`] over `runs` runs.
fn median_of(command: &mut Command, runs: usize) -> Result<(Duration, i64), String> {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let mut times = Vec::with_capacity(runs);
    let mut peak_kib = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let child = command
            .spawn()
            .map_err(|e| format!("cannot run {command:?}: {e}"))?;
        let (status, rss_kib) = wait_with_usage(child.id())?;
        times.push(started.elapsed());
        peak_kib = peak_kib.max(rss_kib);
        if status != 0 {
            return Err(format!("{command:?} failed with wait status {status}"));
        }
    }
    times.sort();
    Ok((times[runs / 2], peak_kib))
}

/// Waits for the child `pid` and returns its wait status and its own peak resident set in KiB
/// (`getrusage` on all children would count the compilers run before it too).
fn wait_with_usage(pid: u32) -> Result<(i32, i64), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|e| e.to_string())?;
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and the zeroed rusage it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        return Err(format!("waiting for process {pid} failed"));
    }
    Ok((status, usage.ru_maxrss))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_string_field_is_read_with_its_escapes_undone() {
        let json = r#"{"packages":[],"target_directory":"/tmp/a \"b\"\\c","version":1}"#;
        assert_eq!(
            super::json_string_field(json, "target_directory").as_deref(),
            Some(r#"/tmp/a "b"\c"#)
        );
        assert_eq!(super::json_string_field(json, "workspace_root"), None);
    }
}
