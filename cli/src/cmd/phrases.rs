//! Reading e2guardian phrase lists into a scanner, for `scan` and `check`.
//!
//! Each list's kind (exception, banned, weighted) comes from its file name,
//! as e2guardian's configuration names them; its `.Include<path>` lines are
//! read from the file system. All the reading is
//! [`esafety::content::PhraseList::read_file`]; this file reports what it
//! found and maps categories.

use std::path::PathBuf;

use anyhow::Context;
use esafety::content::{PhraseList, PhraseOptions, ScanOptions, Scanner, ScannerBuilder};

/// A scanner over the phrase lists at `paths`, with `options`, and
/// `categories` (`NAME=ID`) mapped over the default mapping. `strict`
/// refuses lines e2guardian reads as other than they look; otherwise they
/// are counted on standard error. `allow_include_outside` follows an
/// `.Include` outside the including list's folder (refused otherwise).
pub(crate) fn load_scanner(
    paths: &[PathBuf],
    options: ScanOptions,
    categories: &[String],
    strict: bool,
    allow_include_outside: bool,
) -> anyhow::Result<Scanner> {
    let list_options = PhraseOptions::new()
        .with_strict(strict)
        .with_allow_include_outside(allow_include_outside);
    let mut builder = ScannerBuilder::new();
    builder.options(options);
    for path in paths {
        let name = path.display().to_string();
        // Core's loader: the kind from the file name, regular files only,
        // at most `Limits::max_list_file_len` each, includes followed.
        let list = PhraseList::read_file(path, &list_options, &esafety::Limits::default())?;
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
