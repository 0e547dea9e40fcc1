//! e2guardian's phrase lists as the installed package has them, loaded
//! into esafety from the same files e2guardian reads.

use std::path::{Path, PathBuf};

use esafety::content::{ListKind, PhraseList, PhraseOptions, ScanOptions, Scanner, ScannerBuilder};

/// Where Debian's `e2guardian` package puts its lists.
pub const LISTS: &str = "/etc/e2guardian/lists";

/// The folder of the per-topic phrase lists.
pub fn phraselists() -> PathBuf {
    Path::new(LISTS).join("phraselists")
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Reads `path` (and what it includes) from the file system.
pub fn load(path: &Path, kind: ListKind) -> PhraseList {
    let mut loader = |p: &str| std::fs::read(p);
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    // e2guardian's lists include by absolute path (`/etc/e2guardian/...`)
    // while the tests write their top-level lists in a scratch folder.
    let options = PhraseOptions::new().with_allow_include_outside(true);
    PhraseList::parse_with_includes(&name, &bytes, kind, &options, &mut loader)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The three top-level lists e2guardian is configured with.
#[derive(Debug, Clone)]
pub struct ListSet {
    pub exception: PathBuf,
    pub banned: PathBuf,
    pub weighted: PathBuf,
}

impl ListSet {
    /// Debian's shipped configuration.
    pub fn debian() -> ListSet {
        ListSet {
            exception: Path::new(LISTS).join("exceptionphraselist"),
            banned: Path::new(LISTS).join("bannedphraselist"),
            weighted: Path::new(LISTS).join("weightedphraselist"),
        }
    }

    /// Every phrase list of the package, written as three top-level lists
    /// of `.Include`s into `dir`: each `exception*`, `banned*` and
    /// `weighted*` file under `phraselists/`.
    pub fn everything(dir: &Path) -> ListSet {
        let mut lines = [String::new(), String::new(), String::new()];
        for f in files_under(&phraselists()) {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slot = match ListKind::detect(&name) {
                ListKind::Exception => 0,
                ListKind::Banned => 1,
                ListKind::Weighted if name.starts_with("weighted") => 2,
                ListKind::Weighted => continue,
            };
            lines[slot].push_str(&format!(".Include<{}>\n", f.display()));
        }
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        ListSet {
            exception: write("exceptionphraselist", &lines[0]),
            banned: write("bannedphraselist", &lines[1]),
            weighted: write("weightedphraselist", &lines[2]),
        }
    }

    /// The three lists, parsed.
    pub fn parse(&self) -> [PhraseList; 3] {
        [
            load(&self.exception, ListKind::Exception),
            load(&self.banned, ListKind::Banned),
            load(&self.weighted, ListKind::Weighted),
        ]
    }

    /// The fixture lists in `core/tests/fixtures/content/NAME`.
    pub fn fixture(name: &str) -> ListSet {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/content")
            .join(name);
        ListSet {
            exception: dir.join("exceptionphraselist"),
            banned: dir.join("bannedphraselist"),
            weighted: dir.join("weightedphraselist"),
        }
    }

    /// An esafety scanner over them.
    pub fn scanner(&self, options: ScanOptions) -> Scanner {
        let mut b = ScannerBuilder::new();
        b.options(options);
        for list in self.parse() {
            b.add_list(list);
        }
        b.build().unwrap()
    }
}
