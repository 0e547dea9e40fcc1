//! Helpers shared by the CLI integration tests: run the built `esafety`
//! binary and read what it printed.
#![allow(
    dead_code,
    reason = "every test file compiles this module and uses a subset of it"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `esafety ARGS` with empty standard input. `SOURCE_DATE_EPOCH` is
/// removed so a caller's environment cannot change `compile`'s output.
pub(crate) fn esafety(args: &[&str]) -> Output {
    esafety_stdin(args, None)
}

/// Runs `esafety ARGS` with `stdin` (or nothing) on standard input.
pub(crate) fn esafety_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

/// Standard output as text.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
