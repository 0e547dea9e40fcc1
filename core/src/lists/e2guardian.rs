//! e2guardian lists: `bannedsitelist` (domains), `bannedurllist` (URL
//! prefixes, read like squidGuard `urls`) and `bannedregexpurllist`
//! (regular expressions).
//!
//! - `#listcategory: "Name"` sets [`ParsedList::list_category`](super::ParsedList::list_category)
//!   (the first one wins; an included file's does not override it);
//! - `.Include</path/to/file>` reads another list of the same kind through
//!   the caller's loader (a relative path is given to it in the including
//!   file's folder; [`read_list_file`](super::read_list_file) is the loader
//!   that refuses what is not a regular file), at most
//!   [`Limits::max_include_depth`](crate::Limits::max_include_depth) deep
//!   and [`Limits::max_include_files`](crate::Limits::max_include_files)
//!   files in all (so includes that fan out cannot read exponentially many
//!   files), and only below the including file's folder unless
//!   [`ParseOptions::allow_include_outside`](super::ParseOptions::allow_include_outside);
//!   a file that includes itself, directly or not, is an error naming the
//!   including file and line (for a sensitive list, only those: never the
//!   included path);
//! - the blanket-block directives `**`, `**s`, `*ip`, `*ips` are counted in
//!   [`ParsedList::ignored`](super::ParsedList::ignored): they are policy,
//!   not list entries;
//! - any other line starting with `#` is a comment.
//!
//! # How a `bannedurllist` line matches (e2guardian 5.3 `inURLList`)
//!
//! e2guardian lowercases the line and drops a trailing `/`; it lowercases
//! the request without its scheme, decodes the path's `%XX` escapes,
//! resolves `..` and `//` in it (not `/./`) and drops a trailing `/`. A line
//! `host/page` then blocks a request that is `host/page` or goes on from
//! it with `/`, `?`, `&` or `=` (`/page/x`, `/page?q`, `/page&x`,
//! `/page=1`, not `/pagex`), on the host and every subdomain (its
//! `sitewild` default). esafety reads the line so: a case-ignoring prefix
//! of the line without its trailing `/` on a path boundary (`/`, `?`, the
//! end) and two case-ignoring string prefixes, the line followed by `&`
//! and by `=`; a line without a path is a domain. Among the choices that differ from
//! e2guardian: a line with a scheme (`http://host/page`) is read without
//! it (e2guardian strips only `ftp://` from lines, so such a line never
//! blocks there), and a `#fragment`, which e2guardian keeps and so never
//! matches, is dropped and reported
//! ([`ParsedList::fragment_lines`](super::ParsedList::fragment_lines)).
//!
//! `bannedregexpurllist` lines match, ignoring ASCII case, anywhere in the
//! request without its scheme, its path decoded, and one trailing `/`
//! chopped off the request as e2guardian chops it before it applies them
//! ([`EntryKind::E2guardianExpression`](super::EntryKind::E2guardianExpression):
//! `\.exe$` blocks `host/setup.exe/`). e2guardian
//! drops a trailing `/` from every list line it reads, expressions too, so
//! esafety drops it from an expression line (`^[^/]*\.ads\.example/` is
//! `^[^/]*\.ads\.example`); an escaped `\/` is kept. Every difference
//! from e2guardian that remains is listed in the [`lists`](super) docs
//! ("how each format is read") and is a named case of
//! `core/tests/e2guardian_differential.rs`, which runs e2guardian beside
//! esafety.

use super::ctx::{Problem, Sink, strip_inline_comment, without_fragment};
use super::squidguard;
use super::{EntryKind, Format, ListError, canon};
use crate::include_path::{below, resolve};
use crate::limits::Limit;

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
    // carry their own line numbers and their skipped lines their own name
    // (for a sensitive list, the including file's name and the line of the
    // include: never the path, which is the list's text).
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
        let file = sink.source.clone();
        let including = stack.last().cloned().unwrap_or_default();
        let written = path;
        let path = resolve(&including, &written);
        let sensitive = sink.options.sensitive;
        let refuse = |reason: &str, plain: ListError| {
            if sensitive {
                ListError::SensitiveInclude {
                    file: file.clone(),
                    line,
                    reason: reason.to_owned(),
                }
            } else {
                plain
            }
        };
        if stack.len() > sink.options.limits.max_include_depth {
            return Err(ListError::IncludeTooDeep {
                file,
                line,
                max: sink.options.limits.max_include_depth,
            });
        }
        if sink.include_files >= sink.options.limits.max_include_files {
            return Err(ListError::LimitExceeded {
                file,
                line,
                limit: Limit::IncludeFiles,
                max: sink.options.limits.get(Limit::IncludeFiles),
                what: "`.Include` files read, a file included twice counted twice",
            });
        }
        if !sink.options.allow_include_outside && !below(&including, &written) {
            return Err(refuse(
                "the `.Include` names a file outside the folder of the list; move it below that folder, or allow it (`--allow-include-outside`)",
                ListError::IncludeOutside {
                    file: file.clone(),
                    line,
                    path: written,
                },
            ));
        }
        if stack.contains(&path) {
            return Err(refuse(
                "the `.Include` includes a file that is already being read (an include cycle); remove it",
                ListError::IncludeCycle {
                    file: file.clone(),
                    line,
                    path: written,
                },
            ));
        }
        sink.include_files = sink.include_files.saturating_add(1);
        let included = match load(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                let reason = format!(
                    "cannot read the file the `.Include` names: {error}; check that it exists and is a readable list file"
                );
                return Err(refuse(
                    &reason,
                    ListError::IncludeRead {
                        file: file.clone(),
                        line,
                        path: written,
                        tried: path.clone(),
                        error,
                    },
                ));
            }
        };
        let name = if sensitive {
            format!("{file} (the `.Include` on line {line})")
        } else {
            path.clone()
        };
        let outer = std::mem::replace(&mut sink.source, name);
        stack.push(path);
        let result = parse(sink, format, &included, Some(&mut *load), stack);
        stack.pop();
        sink.source = outer;
        result?;
    }
    Ok(())
}

/// A `bannedurllist` line (see the module docs).
pub(super) fn url_line(sink: &mut Sink<'_>, line: usize, text: &str) -> Result<(), ListError> {
    let text = strip_inline_comment(text);
    let (text, fragment) = without_fragment(text);
    if sink.options.sensitive {
        // Digests of lookup expressions: the page and the pages below it.
        let mut kinds = Vec::with_capacity(2);
        return match canon::url_prefix(text, false, &mut kinds) {
            Ok(()) => kinds.into_iter().try_for_each(|k| sink.entry(line, k)),
            Err(problem) => sink.skip(line, &problem),
        };
    }
    let url = match canon::url(text) {
        Ok(url) => url,
        Err(problem) => return sink.skip(line, &problem),
    };
    if fragment {
        sink.fragment(line);
    }
    if url.path() == "/" && url.query().is_none() {
        return sink.entry(line, EntryKind::Domain(url.host().to_owned()));
    }
    let hpq = url.host_and_path_query();
    let key = hpq.strip_suffix('/').unwrap_or(hpq);
    sink.entry(line, EntryKind::UrlPrefixNoCase(key.to_owned()))?;
    for separator in ['&', '='] {
        let mut more = String::with_capacity(key.len() + 1);
        more.push_str(key);
        more.push(separator);
        sink.entry(line, EntryKind::UrlStringPrefixNoCase(more))?;
    }
    Ok(())
}
