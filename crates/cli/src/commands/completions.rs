//! `losant-invites completions SHELL`: the script that completes commands, options and their
//! values in bash, zsh, fish, elvish and PowerShell.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::args::Cli;
use crate::exit::Outcome;
use crate::output::print_bytes;

const NAME: &str = "losant-invites";

/// The name clap_complete's bash script is generated under. Its bash generator names the
/// functions of a binary whose name has a hyphen in two different ways, so that completion
/// stops after the command's name; without a hyphen, they agree.
const BASH_NAME: &str = "losant_invites";

/// Prints the completion script for `shell`.
pub fn run(shell: Shell) -> Outcome {
    print_bytes(&script(shell));
    Outcome::SUCCESS
}

fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    if shell != Shell::Bash {
        clap_complete::generate(shell, &mut command, NAME, &mut script);
        return script;
    }
    clap_complete::generate(shell, &mut command, BASH_NAME, &mut script);
    // Registered for the real name: `complete -F _losant_invites … losant_invites` lines end
    // with the name the script completes.
    let text = String::from_utf8_lossy(&script);
    let registered: Vec<String> = text
        .lines()
        .map(|line| match line.trim_start().starts_with("complete -F ") {
            true => match line.strip_suffix(BASH_NAME) {
                Some(start) => format!("{start}{NAME}"),
                None => line.to_owned(),
            },
            false => line.to_owned(),
        })
        .collect();
    let mut fixed = registered.join("\n");
    fixed.push('\n');
    fixed.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bash_script_completes_the_real_name() {
        let script = String::from_utf8(script(Shell::Bash)).unwrap();
        let registrations: Vec<&str> = script
            .lines()
            .filter(|line| line.trim_start().starts_with("complete -F "))
            .collect();
        assert!(!registrations.is_empty(), "{script}");
        for line in registrations {
            assert!(line.ends_with(" losant-invites"), "{line}");
        }
    }
}
