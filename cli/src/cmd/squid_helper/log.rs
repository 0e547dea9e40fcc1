//! The decision log (`--log`): one JSON line per decision, whole lines
//! written with one `write` at a time (so helper processes sharing the file
//! in append mode do not interleave lines), reopened on SIGHUP for
//! logrotate.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context as _;

pub(crate) struct RecordLog {
    path: PathBuf,
    file: Mutex<File>,
}

fn open(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open the decision log `{}`", path.display()))
}

impl RecordLog {
    pub(crate) fn open(path: &Path) -> anyhow::Result<RecordLog> {
        Ok(RecordLog {
            path: path.to_path_buf(),
            file: Mutex::new(open(path)?),
        })
    }

    /// Appends whole lines (records, each with its `\n`) in one write,
    /// unbuffered: when this returns, the records are in the file.
    pub(crate) fn write_lines(&self, lines: &[u8]) -> anyhow::Result<()> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(lines)
            .with_context(|| format!("cannot write the decision log `{}`", self.path.display()))
    }

    /// Opens the path again (after logrotate moved the old file away).
    pub(crate) fn reopen(&self) -> anyhow::Result<()> {
        let fresh = open(&self.path)?;
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *file = fresh;
        Ok(())
    }
}
