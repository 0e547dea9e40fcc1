//! Opening a list file: regular files only, read with a size cap.
//!
//! The one place core touches the file system for lists, so that every
//! caller (the CLI's `compile` and `scan`, an e2guardian `.Include`, a
//! phrase list's include) refuses the same things the same way: a device
//! (`/dev/zero` never ends), a FIFO (an open would wait for a writer
//! forever), a directory, a socket, and a file over
//! [`Limits::max_list_file_len`].
//!
//! On Unix the file is opened with `O_NONBLOCK`, so opening a FIFO returns
//! at once instead of waiting for a writer; its type is then read from the
//! open file (`fstat`, not a second lookup of the path that could name
//! another file by then), and only a regular file is read, with at most
//! the limit and one more byte asked of it.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use crate::Limits;
use crate::limits::Limit;

/// Why a list file could not be read. Its message names neither the path
/// nor any of the file's bytes (the caller adds the path where it may be
/// shown: never for a file an IWF or terrorism list includes).
///
/// ```
/// use esafety::lists::{read_list_file, ListFileError};
/// use esafety::Limits;
/// let dir = std::env::temp_dir();
/// let err = read_list_file(&dir, &Limits::default()).unwrap_err();
/// assert!(matches!(err, ListFileError::NotAFile { kind: "directory" }), "{err}");
/// assert_eq!(err.to_string(), "it is a directory, not a regular file; give a list file");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListFileError {
    /// The path names a directory, device, FIFO or socket.
    #[error("it is a {kind}, not a regular file; give a list file")]
    NotAFile {
        /// What it is: `directory`, `character device`, `block device`,
        /// `FIFO`, `socket` or `special file`.
        kind: &'static str,
    },
    /// The file is larger than [`Limits::max_list_file_len`].
    #[error(
        "it is over {max} bytes, the limit `{limit}`; split the list, or raise the limit (`Limits::{limit}`)"
    )]
    TooLarge {
        /// The limit exceeded ([`Limit::ListFileLen`]).
        limit: Limit,
        /// Its value.
        max: u64,
    },
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[source] std::io::Error),
}

impl From<ListFileError> for std::io::Error {
    fn from(err: ListFileError) -> std::io::Error {
        match err {
            ListFileError::Io(e) => e,
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

/// Reads a list file: a regular file of at most
/// [`Limits::max_list_file_len`] bytes, whole.
///
/// ```
/// use esafety::lists::{read_list_file, ListFileError};
/// use esafety::Limits;
/// let path = std::env::temp_dir().join(format!("esafety-doc-{}.txt", std::process::id()));
/// std::fs::write(&path, "ads.example\n")?;
/// assert_eq!(read_list_file(&path, &Limits::default())?, b"ads.example\n");
/// let mut small = Limits::default();
/// small.max_list_file_len = 4;
/// assert!(matches!(read_list_file(&path, &small), Err(ListFileError::TooLarge { max: 4, .. })));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ListFileError::NotAFile`] for a directory, device, FIFO or socket
/// (checked on the open file, which a FIFO never blocks),
/// [`ListFileError::TooLarge`] over the limit (by its size, or by what
/// reading it gave, for a file that grows), [`ListFileError::Io`] if it
/// cannot be opened or read.
///
/// # Panics
///
/// Never.
pub fn read_list_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ListFileError> {
    let file = open(path).map_err(ListFileError::Io)?;
    let meta = file.metadata().map_err(ListFileError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ListFileError::NotAFile {
            kind: kind_name(meta.file_type()),
        });
    }
    let max = limits.max_list_file_len;
    let too_large = ListFileError::TooLarge {
        limit: Limit::ListFileLen,
        max,
    };
    if meta.len() > max {
        return Err(too_large);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ListFileError::Io)?;
    if bytes.len() as u64 > max {
        return Err(too_large);
    }
    Ok(bytes)
}
