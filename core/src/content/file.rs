//! Reading a phrase-list file and its `.Include`s from the file system:
//! the one loader every face uses (the CLI's `scan`, `check` and Squid
//! helper, the C face's `esafety_scanner_new`).

use std::path::Path;

use super::{ContentError, ListKind, PhraseList, PhraseOptions};
use crate::Limits;

impl PhraseList {
    /// Reads the phrase list at `path` as e2guardian reads it: its kind
    /// from its file name ([`ListKind::detect`]: `exception…`, `banned…`,
    /// else weighted), its `.Include<path>` lines read from the file
    /// system. The list and every file it includes are regular files of at
    /// most [`Limits::max_list_file_len`] bytes
    /// ([`read_list_file`](crate::lists::read_list_file)): a device, FIFO
    /// or directory is refused, never read or waited on.
    ///
    /// ```
    /// use esafety::content::{ContentError, ListKind, PhraseList, PhraseOptions};
    /// use esafety::Limits;
    ///
    /// let dir = std::env::temp_dir().join(format!("esafety-doc-phrases-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("weightedphraselist"), "<poker><30>\n.Include<more>\n")?;
    /// std::fs::write(dir.join("more"), "<casino><20>\n")?;
    /// let list = PhraseList::read_file(&dir.join("weightedphraselist"), &PhraseOptions::new(), &Limits::default())?;
    /// assert_eq!((list.kind(), list.len()), (ListKind::Weighted, 2));
    ///
    /// let err = PhraseList::read_file(&dir.join("missing"), &PhraseOptions::new(), &Limits::default()).unwrap_err();
    /// assert!(matches!(err, ContentError::ListRead { .. }));
    /// assert!(err.to_string().starts_with("cannot read phrase list `"), "{err}");
    /// std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ContentError::ListRead`] when the file cannot be read (its
    /// [`code`](ContentError::code) is [`TooLarge`](crate::ErrorCode::TooLarge)
    /// over the limit, else [`Io`](crate::ErrorCode::Io)); an include that
    /// cannot be read, or a line esafety refuses, as
    /// [`PhraseList::parse_with_includes`].
    ///
    /// # Panics
    ///
    /// Never.
    pub fn read_file(
        path: &Path,
        options: &PhraseOptions,
        limits: &Limits,
    ) -> Result<PhraseList, ContentError> {
        let name = path.display().to_string();
        let bytes =
            crate::lists::read_list_file(path, limits).map_err(|error| ContentError::ListRead {
                file: name.clone(),
                error,
            })?;
        let mut loader = |included: &str| {
            crate::lists::read_list_file(Path::new(included), limits).map_err(std::io::Error::from)
        };
        PhraseList::parse_with_includes(
            &name,
            &bytes,
            ListKind::detect(&name),
            options,
            &mut loader,
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// A scratch folder removed when dropped.
    struct Dir(std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn dir(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("esafety-phrase-file-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    #[test]
    fn read_file_cases() {
        let d = dir("cases");
        std::fs::write(d.0.join("bannedphraselist"), "<badword>\n").unwrap();
        std::fs::write(d.0.join("exceptionphraselist"), "<medical>\n").unwrap();
        std::fs::write(d.0.join("big"), "<a><1>\n".repeat(10)).unwrap();
        let small = Limits {
            max_list_file_len: 8,
            ..Limits::DEFAULT
        };
        // (case, file, limits, want: kind or error code)
        let cases: [(&str, &str, &Limits, Result<ListKind, crate::ErrorCode>); 5] = [
            (
                "banned by name",
                "bannedphraselist",
                &Limits::DEFAULT,
                Ok(ListKind::Banned),
            ),
            (
                "exception by name",
                "exceptionphraselist",
                &Limits::DEFAULT,
                Ok(ListKind::Exception),
            ),
            (
                "missing file",
                "nothing-here",
                &Limits::DEFAULT,
                Err(crate::ErrorCode::Io),
            ),
            (
                "a directory",
                ".",
                &Limits::DEFAULT,
                Err(crate::ErrorCode::Io),
            ),
            (
                "over the limit",
                "big",
                &small,
                Err(crate::ErrorCode::TooLarge),
            ),
        ];
        for (case, file, limits, want) in cases {
            let got = PhraseList::read_file(&d.0.join(file), &PhraseOptions::new(), limits)
                .map(|l| l.kind())
                .map_err(|e| e.code());
            assert_eq!(got, want, "{case}");
        }
    }

    #[test]
    fn an_unreadable_include_names_the_including_line() {
        let d = dir("include");
        std::fs::write(d.0.join("weighted"), "<a><1>\n.Include<gone>\n").unwrap();
        let err = PhraseList::read_file(
            &d.0.join("weighted"),
            &PhraseOptions::new(),
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert!(
            matches!(err, ContentError::IncludeRead { line: 2, .. }),
            "{err}"
        );
    }
}
