//! The expression sets of the expression benches (`compile`,
//! `classify_expressions`): one UT1 `strong_redirector`-style expression
//! and N ordinary UT1 `expressions`-style keyword boundaries.
//!
//! The real UT1 lists are not on this machine (`$ESAFETY_DATA` holds
//! adblock-rust's peer lists only), so the `strong_redirector` expression
//! is generated in its shape: seven `.*`-joined search-engine alternatives
//! before fifty keywords. The ordinary expressions are
//! `(^|[-/_.])WORD([-/_.]|$)`, each with its own word.

#![allow(dead_code, reason = "each bench binary uses part of this module")]

const ENGINES: [&str; 7] = [
    "google\\..*/search\\?q=cache.*",
    "bing\\.com/videos/search\\?q=.*",
    "images\\.google\\..*/images\\?.*q=.*",
    "yandex\\..*/images/search\\?.*text=.*",
    "search\\.yahoo\\.com/search.*p=.*",
    "duckduckgo\\.com/\\?q=.*",
    "translate\\.google\\..*/translate\\?.*u=.*",
];

pub const KEYWORDS: [&str; 50] = [
    "anal",
    "xxx",
    "porn",
    "sex",
    "nude",
    "teen",
    "hot",
    "girl",
    "babe",
    "adult",
    "naked",
    "erotic",
    "fetish",
    "milf",
    "bdsm",
    "hentai",
    "escort",
    "cam",
    "strip",
    "boob",
    "tits",
    "pussy",
    "cock",
    "dick",
    "fuck",
    "orgy",
    "slut",
    "whore",
    "horny",
    "lesbian",
    "gay",
    "bondage",
    "voyeur",
    "upskirt",
    "amateur",
    "blowjob",
    "cumshot",
    "gangbang",
    "handjob",
    "hardcore",
    "incest",
    "lolita",
    "masturb",
    "nipple",
    "orgasm",
    "penis",
    "playboy",
    "threesome",
    "vagina",
    "webcam",
];

/// A `strong_redirector`-shaped expression: the alternatives, then the
/// keywords.
pub fn strong_redirector() -> String {
    let engines: Vec<String> = ENGINES.iter().map(|e| format!("({e})")).collect();
    format!("({})({})", engines.join("|"), KEYWORDS.join("|"))
}

/// `n` ordinary expressions, each a keyword of its own between UT1's
/// boundaries.
pub fn ordinary(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let word = KEYWORDS.get(i % KEYWORDS.len()).copied().unwrap_or("w");
            format!("(^|[-/_.]){word}{i}([-/_.]|$)")
        })
        .collect()
}

/// The three sets the benches measure, by name.
pub fn sets() -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("strong_redirector", vec![strong_redirector()]),
        ("ordinary_1k", ordinary(1_000)),
        ("ordinary_10k", ordinary(10_000)),
    ]
}
