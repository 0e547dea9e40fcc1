//! e2guardian lists: `bannedsitelist` (domains), `bannedurllist` (URL
//! prefixes, read like squidGuard `urls`) and `bannedregexpurllist`
//! (regular expressions).
//!
//! - `#listcategory: "Name"` sets [`ParsedList::list_category`](super::ParsedList::list_category)
//!   (the first one wins; an included file's does not override it);
//! - `.Include</path/to/file>` reads another list of the same kind through
//!   the caller's loader (core does no I/O; a relative path is given to it
//!   in the including file's folder), at most
//!   [`ParseOptions::max_include_depth`](super::ParseOptions::max_include_depth)
//!   deep; a file that includes itself, directly or not, is an error naming
//!   the including file and line;
//! - the blanket-block directives `**`, `**s`, `*ip`, `*ips` are counted in
//!   [`ParsedList::ignored`](super::ParsedList::ignored): they are policy,
//!   not list entries;
//! - any other line starting with `#` is a comment.

use super::ctx::{Problem, Sink};
use super::squidguard;
use super::{Format, ListError};

/// Reads the file an `.Include` names.
pub(super) type Loader<'l> = &'l mut dyn FnMut(&str) -> Result<Vec<u8>, std::io::Error>;

/// Blanket-block directives of a site list.
const BLANKET: &[&str] = &["**", "**s", "*ip", "*ips", "*ipv6", "*ips6"];

/// The value of a `#listcategory: "Name"` line.
fn list_category(text: &str) -> Option<String> {
    let rest = text.strip_prefix('#')?.trim_start();
    let head = rest.get(..13)?;
    if !head.eq_ignore_ascii_case("listcategory:") {
        return None;
    }
    let value = rest.get(13..)?.trim().trim_matches('"').trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// The path of an `.Include<path>` line.
fn include_path(text: &str) -> Option<&str> {
    let head = text.get(..9)?;
    if !head.eq_ignore_ascii_case(".include<") {
        return None;
    }
    let path = text.get(9..)?.strip_suffix('>')?.trim();
    Some(path)
}

/// The path an `.Include` in the file named `including` gives the loader:
/// an absolute path as written, a relative one in the including file's
/// folder. A list folder names its neighbours (`.Include<porn/urls>`), and
/// a nested list's neighbours are next to it, not next to the list that
/// included it.
fn resolve(including: &str, path: &str) -> String {
    let bytes = path.as_bytes();
    let absolute = path.starts_with(['/', '\\'])
        || (bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic));
    if absolute {
        return path.to_owned();
    }
    match including
        .rfind(['/', '\\'])
        .and_then(|i| including.get(..=i))
    {
        Some(folder) => format!("{folder}{path}"),
        None => path.to_owned(),
    }
}

/// Parses `bytes` into `sink`, following includes. `stack` holds the names
/// of the files being read, outermost first.
pub(super) fn parse(
    sink: &mut Sink<'_>,
    format: Format,
    bytes: &[u8],
    mut loader: Option<Loader<'_>>,
    stack: &mut Vec<String>,
) -> Result<(), ListError> {
    let mut includes: Vec<(usize, String)> = Vec::new();
    sink.lines(bytes, |sink, line, text| {
        if let Some(name) = list_category(text) {
            if sink.out.list_category.is_none() {
                sink.out.list_category = Some(name);
            }
            return Ok(());
        }
        if text.starts_with('#') {
            return Ok(());
        }
        if text.len() >= 8
            && text
                .get(..8)
                .is_some_and(|h| h.eq_ignore_ascii_case(".include"))
        {
            return match include_path(text) {
                Some(path) if !path.is_empty() => {
                    includes.push((line, path.to_owned()));
                    Ok(())
                }
                _ => sink.skip(
                    line,
                    &Problem::Directive {
                        text,
                        help: "is not a well-formed include; write `.Include</path/to/list>`",
                    },
                ),
            };
        }
        if format == Format::E2Site && BLANKET.contains(&text) {
            sink.ignore();
            return Ok(());
        }
        squidguard::line(sink, format, line, text)
    })?;
    // Includes are read after the including file, in order; their entries
    // carry their own line numbers and their skipped lines their own name.
    for (line, path) in includes {
        let Some(load) = loader.as_deref_mut() else {
            sink.skip(
                line,
                &Problem::Directive {
                    text: &path,
                    help: "is an `.Include` that this caller cannot follow; parse with `parse_with_includes` (the CLI does)",
                },
            )?;
            continue;
        };
        let file = stack.last().cloned().unwrap_or_default();
        let written = path;
        let path = resolve(&file, &written);
        if stack.len() > sink.options.max_include_depth {
            return Err(ListError::IncludeTooDeep {
                file,
                line,
                max: sink.options.max_include_depth,
            });
        }
        if stack.contains(&path) {
            return Err(ListError::IncludeCycle {
                file,
                line,
                path: written,
            });
        }
        let included = load(&path).map_err(|error| ListError::IncludeRead {
            file: file.clone(),
            line,
            path: written,
            tried: path.clone(),
            error,
        })?;
        let outer = std::mem::replace(&mut sink.source, path.clone());
        stack.push(path);
        let result = parse(sink, format, &included, Some(&mut *load), stack);
        stack.pop();
        sink.source = outer;
        result?;
    }
    Ok(())
}
