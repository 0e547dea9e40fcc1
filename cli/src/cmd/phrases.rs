//! Reading e2guardian phrase lists into a scanner, for `scan` and `check`.
//!
//! Each list's kind (exception, banned, weighted) comes from its file name,
//! as e2guardian's configuration names them; its `.Include<path>` lines are
//! read from the file system. All the reading of list text is
//! [`esafety::content`]; this file opens files.

use std::path::PathBuf;

use anyhow::Context;
use esafety::content::{ListKind, PhraseList, PhraseOptions, ScanOptions, Scanner, ScannerBuilder};

/// A scanner over the phrase lists at `paths`, with `options`, and
/// `categories` (`NAME=ID`) mapped over the default mapping. `strict`
/// refuses lines e2guardian reads as other than they look; otherwise they
/// are counted on standard error.
pub(crate) fn load_scanner(
    paths: &[PathBuf],
    options: ScanOptions,
    categories: &[String],
    strict: bool,
) -> anyhow::Result<Scanner> {
    let list_options = PhraseOptions::new().with_strict(strict);
    let mut builder = ScannerBuilder::new();
    builder.options(options);
    for path in paths {
        let name = path.display().to_string();
        // Regular files only, at most `Limits::max_list_file_len` each: a
        // device, FIFO or directory is refused, never read or waited on.
        let limits = esafety::Limits::default();
        let bytes = esafety::lists::read_list_file(path, &limits)
            .with_context(|| format!("cannot read phrase list `{name}`"))?;
        let mut loader = |included: &str| {
            esafety::lists::read_list_file(std::path::Path::new(included), &limits)
                .map_err(std::io::Error::from)
        };
        let list = PhraseList::parse_with_includes(
            &name,
            &bytes,
            ListKind::detect(&name),
            &list_options,
            &mut loader,
        )?;
        if !list.problems().is_empty() {
            eprintln!(
                "esafety: note: `{name}`: {} lines are read as e2guardian reads them, not as they look \
                 (the first: {}); give --strict to refuse them",
                list.problems().len(),
                list.problems()
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
        }
        builder.add_list(list);
    }
    for mapping in categories {
        let (name, id) = mapping.rsplit_once('=').with_context(|| {
            format!("`{mapping}` is not a category mapping; write `LIST CATEGORY=ID`")
        })?;
        builder.map_category(name, id)?;
    }
    Ok(builder.build()?)
}
