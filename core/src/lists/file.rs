//! Opening a list file: [`crate::file`] with the list's limit.

use std::path::Path;

use crate::Limits;
use crate::limits::Limit;

/// Why a list file could not be read: a [`FileError`](crate::file::FileError)
/// (the one error of every file core opens).
///
/// ```
/// use esafety::lists::{read_list_file, ListFileError};
/// let err: ListFileError = read_list_file(std::env::temp_dir().as_path(), &esafety::Limits::default()).unwrap_err();
/// assert!(matches!(err, esafety::file::FileError::NotAFile { .. }), "{err}");
/// ```
pub type ListFileError = crate::file::FileError;

/// Reads a list file: a regular file of at most
/// [`Limits::max_list_file_len`] bytes, whole ([`crate::file`] says what is
/// refused and how).
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
/// let dir = std::env::temp_dir();
/// let err = read_list_file(&dir, &Limits::default()).unwrap_err();
/// assert!(matches!(err, ListFileError::NotAFile { kind: "directory" }), "{err}");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`read_regular_file`](crate::file::read_regular_file): not a regular
/// file, over [`Limits::max_list_file_len`], or unreadable.
///
/// # Panics
///
/// Never.
pub fn read_list_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ListFileError> {
    crate::file::read_regular_file(path, Limit::ListFileLen, limits)
}
