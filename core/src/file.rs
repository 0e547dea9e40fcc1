//! Opening the files a caller names: regular files only, read with a size
//! cap.
//!
//! The one place core touches the file system, so that every caller (the
//! CLI's `compile`, `scan` and every `--bundle`, an e2guardian `.Include`, a
//! phrase list's include, the Squid helper's load and reload, the C face's
//! `esafety_bundle_from_file`) refuses the same things the same way: a
//! device (`/dev/zero` never ends), a FIFO (an open would wait for a writer
//! forever), a directory, a socket, and a file over its limit
//! ([`Limits::max_list_file_len`] for a list, [`Limits::max_bundle_len`]
//! for a bundle).
//!
//! On Unix the file is opened with `O_NONBLOCK`, so opening a FIFO returns
//! at once instead of waiting for a writer; its type is then read from the
//! open file (`fstat`, not a second lookup of the path that could name
//! another file by then), and only a regular file is read, with at most
//! the limit and one more byte asked of it.
//!
//! ```
//! use esafety::file::{read_regular_file, FileError};
//! use esafety::{limits::Limit, Limits};
//! let err = read_regular_file(std::path::Path::new("/dev/zero"), Limit::BundleLen, &Limits::default())
//!     .unwrap_err();
//! assert!(matches!(err, FileError::NotAFile { kind: "character device" }), "{err}");
//! ```

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use crate::Limits;
use crate::limits::Limit;

/// Why a file could not be read. Its message names neither the path nor
/// any of the file's bytes (the caller adds the path where it may be
/// shown: never for a file an IWF or terrorism list includes).
///
/// ```
/// use esafety::file::{read_regular_file, FileError};
/// use esafety::{limits::Limit, Limits};
/// let dir = std::env::temp_dir();
/// let err = read_regular_file(&dir, Limit::ListFileLen, &Limits::default()).unwrap_err();
/// assert!(matches!(err, FileError::NotAFile { kind: "directory" }), "{err}");
/// assert_eq!(err.to_string(), "it is a directory, not a regular file; give the path of a file");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The path names a directory, device, FIFO or socket.
    #[error("it is a {kind}, not a regular file; give the path of a file")]
    NotAFile {
        /// What it is: `directory`, `character device`, `block device`,
        /// `FIFO`, `socket` or `special file`.
        kind: &'static str,
    },
    /// The file is larger than its limit.
    #[error(
        "it is over {max} bytes, the limit `{limit}`; give a smaller file, or raise the limit (`Limits::{limit}`)"
    )]
    TooLarge {
        /// The limit exceeded ([`Limit::ListFileLen`] or
        /// [`Limit::BundleLen`]).
        limit: Limit,
        /// Its value.
        max: u64,
    },
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[source] std::io::Error),
}

impl FileError {
    /// The error's kind on every face: [`ErrorCode::TooLarge`] over the
    /// limit, [`ErrorCode::Io`] otherwise (not a file, or unreadable).
    ///
    /// ```
    /// use esafety::file::FileError;
    /// use esafety::ErrorCode;
    /// assert_eq!(FileError::NotAFile { kind: "FIFO" }.code(), ErrorCode::Io);
    /// ```
    ///
    /// [`ErrorCode::TooLarge`]: crate::ErrorCode::TooLarge
    /// [`ErrorCode::Io`]: crate::ErrorCode::Io
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            FileError::TooLarge { .. } => crate::ErrorCode::TooLarge,
            FileError::NotAFile { .. } | FileError::Io(_) => crate::ErrorCode::Io,
        }
    }
}

impl From<FileError> for std::io::Error {
    fn from(err: FileError) -> std::io::Error {
        match err {
            FileError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other),
        }
    }
}

/// The kind of a file that is not a regular file.
fn kind_name(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_char_device() {
            return "character device";
        }
        if file_type.is_block_device() {
            return "block device";
        }
        if file_type.is_fifo() {
            return "FIFO";
        }
        if file_type.is_socket() {
            return "socket";
        }
    }
    "special file"
}

/// Opens `path` without waiting on a FIFO (Unix: `O_NONBLOCK`).
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Opens a regular file of at most `limits.get(limit)` bytes, and gives it
/// with its length: for a caller that maps the file instead of reading it
/// (the C face maps a bundle). Nothing is read.
///
/// ```
/// use esafety::file::{open_regular_file, FileError};
/// use esafety::{limits::Limit, Limits};
/// let path = std::env::temp_dir().join(format!("esafety-doc-open-{}.esb", std::process::id()));
/// std::fs::write(&path, b"12345")?;
/// let (_file, len) = open_regular_file(&path, Limit::BundleLen, &Limits::default())?;
/// assert_eq!(len, 5);
/// let mut small = Limits::default();
/// small.max_bundle_len = 4;
/// let err = open_regular_file(&path, Limit::BundleLen, &small).unwrap_err();
/// assert!(matches!(err, FileError::TooLarge { limit: Limit::BundleLen, max: 4 }), "{err}");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`FileError::NotAFile`] for a directory, device, FIFO or socket (checked
/// on the open file, which a FIFO never blocks), [`FileError::TooLarge`]
/// over the limit, [`FileError::Io`] if it cannot be opened.
///
/// # Panics
///
/// Never.
pub fn open_regular_file(
    path: &Path,
    limit: Limit,
    limits: &Limits,
) -> Result<(File, u64), FileError> {
    let file = open(path).map_err(FileError::Io)?;
    let meta = file.metadata().map_err(FileError::Io)?;
    if !meta.file_type().is_file() {
        return Err(FileError::NotAFile {
            kind: kind_name(meta.file_type()),
        });
    }
    let max = limits.get(limit);
    if meta.len() > max {
        return Err(FileError::TooLarge { limit, max });
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `limits.get(limit)` bytes, whole.
///
/// ```
/// use esafety::file::{read_regular_file, FileError};
/// use esafety::{limits::Limit, Limits};
/// let path = std::env::temp_dir().join(format!("esafety-doc-read-{}.txt", std::process::id()));
/// std::fs::write(&path, "ads.example\n")?;
/// assert_eq!(read_regular_file(&path, Limit::ListFileLen, &Limits::default())?, b"ads.example\n");
/// let mut small = Limits::default();
/// small.max_list_file_len = 4;
/// let err = read_regular_file(&path, Limit::ListFileLen, &small).unwrap_err();
/// assert!(matches!(err, FileError::TooLarge { max: 4, .. }), "{err}");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`open_regular_file`], and [`FileError::TooLarge`] when reading gives
/// more than the limit (a file that grows), [`FileError::Io`] if it cannot
/// be read.
///
/// # Panics
///
/// Never.
pub fn read_regular_file(path: &Path, limit: Limit, limits: &Limits) -> Result<Vec<u8>, FileError> {
    let (file, len) = open_regular_file(path, limit, limits)?;
    let max = limits.get(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileError::Io)?;
    if bytes.len() as u64 > max {
        return Err(FileError::TooLarge { limit, max });
    }
    Ok(bytes)
}
