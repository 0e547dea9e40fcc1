//! A deterministic corpus of web pages: real text from the machine's own
//! documentation (HTML manuals, man pages in many languages, copyright
//! files), with phrases from the phrase lists written into it in the ways
//! pages carry them (any case, inside tags, split by tags, between
//! punctuation, at the very end).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::lists::files_under;

/// xorshift64*: the same pages on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 if `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A text to build pages from.
pub struct Source {
    pub name: String,
    pub html: bool,
    pub bytes: Vec<u8>,
}

/// Man page languages, English first.
const LANGUAGES: &[&str] = &[
    "", "de", "fr", "es", "it", "pl", "pt", "pt_BR", "ru", "uk", "ja", "zh_CN", "nl", "sv", "da",
    "cs", "hu", "tr", "fi", "ro",
];

fn every(items: Vec<PathBuf>, want: usize) -> Vec<PathBuf> {
    if items.len() <= want {
        return items;
    }
    let step = items.len() / want;
    items.into_iter().step_by(step.max(1)).take(want).collect()
}

fn gunzip(path: &Path) -> Option<Vec<u8>> {
    let out = Command::new("gzip").arg("-dc").arg(path).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Texts from `/usr/share/doc` and `/usr/share/man`, in a fixed order.
pub fn sources() -> Vec<Source> {
    let mut out = Vec::new();
    let html: Vec<PathBuf> = files_under(Path::new("/usr/share/doc"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 400_000))
        .collect();
    for p in every(html, 60) {
        if let Ok(bytes) = std::fs::read(&p) {
            out.push(Source {
                name: p.display().to_string(),
                html: true,
                bytes,
            });
        }
    }
    for lang in LANGUAGES {
        let dir = Path::new("/usr/share/man").join(lang).join("man1");
        let pages: Vec<PathBuf> = files_under(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "gz"))
            .collect();
        let want = if lang.is_empty() { 20 } else { 6 };
        for p in every(pages, want) {
            if let Some(bytes) = gunzip(&p) {
                out.push(Source {
                    name: p.display().to_string(),
                    html: false,
                    bytes,
                });
            }
        }
    }
    let copyrights: Vec<PathBuf> = files_under(Path::new("/usr/share/doc"))
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "copyright"))
        .collect();
    for p in every(copyrights, 20) {
        if let Ok(bytes) = std::fs::read(&p) {
            out.push(Source {
                name: p.display().to_string(),
                html: false,
                bytes,
            });
        }
    }
    out
}

/// The phrases to write into pages, by what they are in their lists.
pub struct Pools {
    pub weighted: Vec<Vec<u8>>,
    pub banned: Vec<Vec<u8>>,
    pub exception: Vec<Vec<u8>>,
}

fn escape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for &b in text {
        match b {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            _ => out.push(b),
        }
    }
    out
}

/// `phrase` as a page might carry it.
fn dress(rng: &mut Rng, phrase: &[u8]) -> Vec<u8> {
    match rng.below(9) {
        0 | 1 => phrase.to_vec(),
        2 => phrase.to_ascii_uppercase(),
        // Latin-1 small letters as capitals (e2guardian folds 192–221).
        3 => phrase
            .iter()
            .map(|&b| {
                if (224..=253).contains(&b) && b != 247 {
                    b - 32
                } else {
                    b.to_ascii_uppercase()
                }
            })
            .collect(),
        4 => {
            let mut v = b"<span title=\"".to_vec();
            v.extend_from_slice(phrase);
            v.extend_from_slice(b"\">x</span>");
            v
        }
        5 => {
            let cut = rng.below(phrase.len() + 1);
            let mut v = phrase[..cut].to_vec();
            v.extend_from_slice(b"<b>");
            v.extend_from_slice(&phrase[cut..]);
            v.extend_from_slice(b"</b>");
            v
        }
        6 => {
            let mut v = b"(".to_vec();
            v.extend_from_slice(phrase.trim_ascii());
            v.extend_from_slice(b"),");
            v
        }
        7 => phrase
            .iter()
            .flat_map(|&b| {
                if b == b' ' {
                    b"  \n ".to_vec()
                } else {
                    vec![b]
                }
            })
            .collect(),
        _ => {
            let mut v = b" ".to_vec();
            v.extend_from_slice(phrase);
            v.push(b' ');
            v
        }
    }
}

fn insert(page: &mut Vec<u8>, rng: &mut Rng, bytes: &[u8]) {
    let at = rng.below(page.len() + 1);
    page.splice(at..at, bytes.iter().copied());
}

/// `n` pages from `sources`, with phrases from `pools`.
pub fn pages(sources: &[Source], pools: &Pools, n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let src = &sources[(i.wrapping_mul(7) + rng.below(3)) % sources.len()];
        let max = [2_000, 8_000, 30_000, 120_000][rng.below(4)];
        let mut text = src.bytes.clone();
        if text.len() > max {
            let start = rng.below(text.len() - max);
            text = text[start..start + max].to_vec();
        }
        let mut page = if src.html {
            text
        } else {
            let body = if rng.chance(50) { escape(&text) } else { text };
            let mut p =
                format!("<html><head><title>{}</title></head><body><pre>", src.name).into_bytes();
            p.extend_from_slice(&body);
            p.extend_from_slice(b"</pre></body></html>\n");
            p
        };
        let k = match rng.below(10) {
            0..=2 => 0,
            3 => 40,
            _ => 1 + rng.below(12),
        };
        for _ in 0..k {
            if pools.weighted.is_empty() {
                break;
            }
            // Neighbours in a list are often the parts of one combination.
            let j = rng.below(pools.weighted.len());
            let p = dress(&mut rng, &pools.weighted[j]);
            insert(&mut page, &mut rng, &p);
            if rng.chance(40) && j + 1 < pools.weighted.len() {
                let q = dress(&mut rng, &pools.weighted[j + 1]);
                insert(&mut page, &mut rng, &q);
            }
        }
        if rng.chance(8) && !pools.banned.is_empty() {
            let j = rng.below(pools.banned.len());
            let p = dress(&mut rng, &pools.banned[j]);
            insert(&mut page, &mut rng, &p);
        }
        if rng.chance(8) && !pools.exception.is_empty() {
            let j = rng.below(pools.exception.len());
            let p = dress(&mut rng, &pools.exception[j]);
            insert(&mut page, &mut rng, &p);
        }
        // How the page ends: as it is, without its last new line, or with a
        // phrase as its very last bytes.
        match rng.below(8) {
            0 => {
                while page.last().is_some_and(u8::is_ascii_whitespace) {
                    page.pop();
                }
            }
            1 | 2 if !pools.weighted.is_empty() => {
                let p = &pools.weighted[rng.below(pools.weighted.len())];
                page.extend_from_slice(p.trim_ascii_end());
            }
            3 if !pools.weighted.is_empty() => {
                let p = &pools.weighted[rng.below(pools.weighted.len())];
                page.extend_from_slice(p);
                page.extend_from_slice(b"</p>");
            }
            _ => {}
        }
        if page.is_empty() {
            page.push(b'.');
        }
        out.push(page);
    }
    out
}

/// Pages that end in every way a phrase can end a page: with and without
/// its spaces, closing tags and a new line, split by a tag, alone (shorter
/// than other phrases), after a short and after a long text (e2guardian's
/// quick search writes different sentinels for texts under 126 bytes).
pub fn endings(phrases: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let filler = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ";
    let mut out = Vec::new();
    for p in phrases {
        let t = p.trim_ascii();
        let mut forms: Vec<Vec<u8>> = vec![
            p.clone(),
            t.to_vec(),
            [b"<p>".as_slice(), p].concat(),
            [b"<p>".as_slice(), t].concat(),
            [b"<p>".as_slice(), t, b"</p>"].concat(),
            [b"<p>".as_slice(), t, b" </p>\n"].concat(),
            [b"<p>".as_slice(), p, b"</p>\n"].concat(),
            [b"text ".as_slice(), t].concat(),
            [b"text ".as_slice(), t, b"."].concat(),
            [t, t].concat(),
            [b"x".as_slice(), p, b"x"].concat(),
            [b"<i>".as_slice(), t, b"</i>"].concat(),
            [b" ".as_slice(), t].concat(),
            [t, b" "].concat(),
            t.get(..t.len().saturating_sub(1))
                .unwrap_or_default()
                .to_vec(),
        ];
        for k in 1..t.len() {
            forms.push([b"<p>".as_slice(), &t[..k], b"<b>", &t[k..], b"</b>"].concat());
        }
        for f in forms {
            out.push([filler.as_slice(), &f].concat());
            out.push(f);
        }
    }
    out
}
