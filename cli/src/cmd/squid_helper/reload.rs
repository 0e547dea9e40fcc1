//! Live reload: a background thread that loads a new engine set on SIGHUP
//! (reopening the log too) and when a watched file changes, and swaps it in
//! whole. A set that does not load leaves the old one in service.
//!
//! The thread waits on a self-pipe that the SIGHUP handler writes a byte
//! to (`signal_hook::low_level::pipe`), with the time until the next look
//! at the files as the read timeout: a SIGHUP wakes it at once, and the
//! files are looked at every `--watch-interval-ms` without a poll tick in
//! between.

use std::io::{self, Read as _};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::engines::{self, Engines, Sources};
use super::log::RecordLog;

/// The read end of the SIGHUP self-pipe. Registered first of all: a SIGHUP
/// that comes while the first engines load (logrotate, `squid -k
/// reconfigure`) must not end the helper, and it is not lost (its byte
/// waits in the pipe).
pub(crate) struct Hangups {
    read: UnixStream,
}

impl Hangups {
    pub(crate) fn register() -> anyhow::Result<Hangups> {
        let (read, write) = UnixStream::pair().context("cannot make the SIGHUP pipe")?;
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGHUP, write)
            .context("cannot watch for SIGHUP")?;
        Ok(Hangups { read })
    }

    /// Waits at most `timeout` for a SIGHUP; whether one came (any number
    /// of SIGHUPs since the last wait count as one).
    fn wait(&mut self, timeout: Duration) -> bool {
        // A zero timeout is refused by `set_read_timeout`.
        let timeout = timeout.max(Duration::from_millis(1));
        if let Err(e) = self.read.set_read_timeout(Some(timeout)) {
            eprintln!("esafety: cannot wait for SIGHUP ({e}); looking at the files instead");
            std::thread::sleep(timeout);
            return false;
        }
        // The handler writes one byte per signal (none when the pipe is
        // full): one read takes them all.
        let mut bytes = [0u8; 64];
        match self.read.read(&mut bytes) {
            Ok(0) => {
                // The write end is the handler's and never closes; should it,
                // the files are still looked at on time.
                std::thread::sleep(timeout);
                false
            }
            Ok(_) => true,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                false
            }
            Err(e) => {
                eprintln!("esafety: cannot wait for SIGHUP ({e}); looking at the files instead");
                std::thread::sleep(timeout);
                false
            }
        }
    }
}

/// Starts the reloader thread: on SIGHUP (reopening the log too) and when a
/// file changes, checked every `interval`.
pub(crate) fn spawn(
    sources: Sources,
    current: engines::Current,
    log: Option<Arc<RecordLog>>,
    mut hangups: Hangups,
    interval: Duration,
) {
    std::thread::spawn(move || {
        let mut last_look = Instant::now();
        // The files of a set that failed to load, as they were: try again
        // only when they change again (or on SIGHUP).
        let mut failed: Option<Vec<(PathBuf, Option<engines::Fingerprint>)>> = None;
        loop {
            let hup = hangups.wait(interval.saturating_sub(last_look.elapsed()));
            if hup
                && let Some(log) = &log
                && let Err(e) = log.reopen()
            {
                eprintln!("esafety: {e:#}; still writing to the old file");
            }
            let due = last_look.elapsed() >= interval;
            if !hup && !due {
                continue;
            }
            if due {
                last_look = Instant::now();
            }
            let changed = hup || {
                let serving = engines::in_service(&current);
                serving.files_changed()
                    && failed.as_ref().is_none_or(|files| {
                        files
                            .iter()
                            .any(|(p, seen)| engines::fingerprint(p) != *seen)
                    })
            };
            if !changed {
                continue;
            }
            let started = Instant::now();
            match Engines::load(&sources) {
                Ok(engines) => {
                    let files = engines.files.len();
                    engines::swap(&current, engines);
                    failed = None;
                    eprintln!(
                        "esafety: reloaded ({files} files) in {} ms{}",
                        started.elapsed().as_millis(),
                        if hup { " on SIGHUP" } else { "" }
                    );
                }
                Err(e) => {
                    failed = Some(
                        engines::in_service(&current)
                            .files
                            .iter()
                            .map(|(p, _)| (p.clone(), engines::fingerprint(p)))
                            .collect(),
                    );
                    eprintln!("esafety: reload failed, the engine in service keeps serving: {e:#}");
                }
            }
        }
    });
}
