//! What the command line's test files share.
// Each test file uses a part of this module.
#![allow(dead_code)]

/// Whether `program` can be run, for a test that needs a program a fresh machine may lack
/// (a shell, `script`). Where it is missing the test says so on stderr and passes without
/// running; under CI (`CI` set), where `.ci/run` installs it, a missing program fails the test.
pub fn have(program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is not installed; .ci/run installs it"
        );
        eprintln!("skipped: {program} is not installed (.ci/run installs it)");
    }
    found
}

/// Sends SIGINT to `child`, as Ctrl-C at a terminal would.
pub fn interrupt(child: &std::process::Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits in pid_t");
    // SAFETY: kill(2) takes any pid and signal number; the child is ours and still running.
    let sent = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(sent, 0, "SIGINT reached the process");
}
