//! Helpers shared by the CLI integration tests: run the built `esafety`
//! binary and read what it printed.
#![allow(
    dead_code,
    reason = "every test file compiles this module and uses a subset of it"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scratch folder under the system's temporary folder, removed with all it
/// holds when dropped, so a test leaves nothing behind (a failing one too:
/// the drop runs while the panic unwinds).
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty folder named after `name`, the process and a counter (so
    /// tests running in parallel, and runs at once, never share one).
    pub(crate) fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "esafety-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` to the file `name` in the folder; returns its path.
    pub(crate) fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `esafety ARGS` with empty standard input. `SOURCE_DATE_EPOCH` is
/// removed so a caller's environment cannot change `compile`'s output.
pub(crate) fn esafety(args: &[&str]) -> Output {
    esafety_stdin(args, None)
}

/// Runs `esafety ARGS` with `stdin` (or nothing) on standard input.
pub(crate) fn esafety_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    esafety_stdin_bytes(args, stdin.map(str::as_bytes))
}

/// Runs `esafety ARGS` with `stdin` bytes (not necessarily UTF-8) or
/// nothing on standard input.
pub(crate) fn esafety_stdin_bytes(args: &[&str], stdin: Option<&[u8]>) -> Output {
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
        if let Some(bytes) = stdin {
            // A command that refuses its arguments exits before it reads
            // standard input: the pipe is then closed, which is not a
            // failure of the test.
            if let Err(e) = pipe.write_all(bytes) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
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
