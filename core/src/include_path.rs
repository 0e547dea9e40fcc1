//! Where an e2guardian `.Include` points, for every reader of e2guardian
//! files (URL and site lists in [`crate::lists`], phrase lists in
//! `content`): one resolution and one confinement rule, so a phrase list's
//! `.Include` is confined below its folder exactly as a site list's is.

/// The path an `.Include` in the file named `including` gives the loader:
/// an absolute path as written, a relative one in the including file's
/// folder. A list folder names its neighbours (`.Include<porn/urls>`), and
/// a nested list's neighbours are next to it, not next to the list that
/// included it.
pub(crate) fn resolve(including: &str, path: &str) -> String {
    if is_absolute(path) {
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

/// Whether `path`, as an `.Include` in the file named `including` writes
/// it, names a file below the including file's folder: a relative path
/// whose `..` never climbs above its start, or an absolute one inside the
/// (absolute) folder. Judged on the text (symbolic links are followed as
/// e2guardian follows them).
pub(crate) fn below(including: &str, path: &str) -> bool {
    if is_absolute(path) {
        if !is_absolute(including) {
            return false;
        }
        let folder = match including.rfind(['/', '\\']) {
            Some(i) => including.get(..i).unwrap_or(""),
            None => return false,
        };
        let (Some(folder), Some(target)) = (normalise(folder), normalise(path)) else {
            return false;
        };
        return target.len() > folder.len() && target.starts_with(&folder);
    }
    let mut depth = 0usize;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => depth = depth.saturating_add(1),
        }
    }
    depth > 0
}

/// Whether `path` is absolute (`/x`, `\x`, `C:x`).
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with(['/', '\\'])
        || (bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic))
}

/// The components of an absolute path with `.` and `..` resolved; `None`
/// if `..` climbs above the root.
fn normalise(path: &str) -> Option<Vec<&str>> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            _ => out.push(part),
        }
    }
    Some(out)
}
