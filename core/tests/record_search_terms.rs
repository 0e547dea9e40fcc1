//! Search terms per engine: one named case per line, each the URL a real
//! browser sends for a search typed on that site.

#![allow(
    clippy::type_complexity,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "table-driven tests spell their case tuples out, and a failed step should fail the test loudly"
)]

use esafety::record::{SearchSite, search_terms_of};

#[test]
fn search_terms_per_engine() {
    use SearchSite::*;
    let cases: &[(&str, &str, Option<(SearchSite, &str)>)] = &[
        // Google
        (
            "google web",
            "https://www.google.com/search?q=volcanoes+for+kids&hl=en",
            Some((Google, "volcanoes for kids")),
        ),
        (
            "google uk",
            "https://www.google.co.uk/search?client=firefox-b-d&q=river+thames",
            Some((Google, "river thames")),
        ),
        (
            "google images",
            "https://www.google.com/search?q=red+panda&tbm=isch",
            Some((Google, "red panda")),
        ),
        (
            "google old images path",
            "https://images.google.com/images?q=otters",
            Some((Google, "otters")),
        ),
        (
            "google as_q",
            "https://www.google.com/search?as_q=fractions+worksheet",
            Some((Google, "fractions worksheet")),
        ),
        (
            "google ampersand",
            "https://www.google.com/search?q=cats+%26+dogs",
            Some((Google, "cats & dogs")),
        ),
        (
            "google plus sign",
            "https://www.google.com/search?q=c%2B%2B+tutorial",
            Some((Google, "c++ tutorial")),
        ),
        (
            "google utf-8",
            "https://www.google.de/search?q=m%C3%BCnchen+wetter",
            Some((Google, "münchen wetter")),
        ),
        ("google home is no search", "https://www.google.com/", None),
        (
            "google empty search",
            "https://www.google.com/search?q=",
            None,
        ),
        (
            "google maps is no search",
            "https://www.google.com/maps?q=london",
            None,
        ),
        (
            "not google",
            "https://www.google.evil.example/search?q=x",
            None,
        ),
        // Bing
        (
            "bing web",
            "https://www.bing.com/search?q=solar+system&form=QBLH",
            Some((Bing, "solar system")),
        ),
        (
            "bing images",
            "https://www.bing.com/images/search?q=polar+bear",
            Some((Bing, "polar bear")),
        ),
        (
            "bing videos",
            "https://www.bing.com/videos/search?q=times+tables+song",
            Some((Bing, "times tables song")),
        ),
        (
            "bing news",
            "https://www.bing.com/news/search?q=election",
            Some((Bing, "election")),
        ),
        // DuckDuckGo
        (
            "duckduckgo",
            "https://duckduckgo.com/?q=how+do+bees+make+honey&ia=web",
            Some((DuckDuckGo, "how do bees make honey")),
        ),
        (
            "duckduckgo html",
            "https://html.duckduckgo.com/html/?q=tudor+houses",
            Some((DuckDuckGo, "tudor houses")),
        ),
        (
            "duckduckgo lite",
            "https://lite.duckduckgo.com/lite/?q=romans",
            Some((DuckDuckGo, "romans")),
        ),
        ("duckduckgo home", "https://duckduckgo.com/", None),
        // Yahoo
        (
            "yahoo",
            "https://search.yahoo.com/search?p=great+fire+of+london&fr=yfp-t",
            Some((Yahoo, "great fire of london")),
        ),
        (
            "yahoo uk",
            "https://uk.search.yahoo.com/search?p=rainforest+animals",
            Some((Yahoo, "rainforest animals")),
        ),
        (
            "yahoo images",
            "https://images.search.yahoo.com/search/images?p=lighthouse",
            Some((Yahoo, "lighthouse")),
        ),
        ("yahoo news home", "https://news.yahoo.com/?p=x", None),
        // YouTube
        (
            "youtube results",
            "https://www.youtube.com/results?search_query=minecraft+tutorial",
            Some((YouTube, "minecraft tutorial")),
        ),
        (
            "youtube mobile",
            "https://m.youtube.com/results?search_query=phonics+song&sp=EgIQAQ",
            Some((YouTube, "phonics song")),
        ),
        (
            "youtube music",
            "https://music.youtube.com/search?q=lullaby",
            Some((YouTube, "lullaby")),
        ),
        (
            "youtube watch is no search",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            None,
        ),
        // Ecosia
        (
            "ecosia",
            "https://www.ecosia.org/search?method=index&q=tree+frogs",
            Some((Ecosia, "tree frogs")),
        ),
        (
            "ecosia images",
            "https://www.ecosia.org/images?q=volcano",
            Some((Ecosia, "volcano")),
        ),
        // Others
        (
            "brave",
            "https://search.brave.com/search?q=planets&source=web",
            Some((Brave, "planets")),
        ),
        (
            "startpage",
            "https://www.startpage.com/sp/search?query=fossils",
            Some((Startpage, "fossils")),
        ),
        (
            "yandex",
            "https://yandex.com/search/?text=chess+openings",
            Some((Yandex, "chess openings")),
        ),
        (
            "baidu",
            "https://www.baidu.com/s?wd=panda",
            Some((Baidu, "panda")),
        ),
        (
            "qwant",
            "https://www.qwant.com/?q=dinosaurs&t=web",
            Some((Qwant, "dinosaurs")),
        ),
        (
            "tiktok",
            "https://www.tiktok.com/search?q=dance+challenge",
            Some((TikTok, "dance challenge")),
        ),
        (
            "vimeo",
            "https://vimeo.com/search?q=animation",
            Some((Vimeo, "animation")),
        ),
        // Spelling of the URL
        (
            "upper-case host",
            "HTTPS://WWW.BING.COM/search?q=Tigers",
            Some((Bing, "Tigers")),
        ),
        (
            "no scheme",
            "www.google.com/search?q=eclipse",
            Some((Google, "eclipse")),
        ),
        (
            "fragment is not sent",
            "https://duckduckgo.com/?q=moon#results",
            Some((DuckDuckGo, "moon")),
        ),
        (
            "spaces collapsed",
            "https://www.google.com/search?q=++the%20%20%20moon+",
            Some((Google, "the moon")),
        ),
        (
            "first param wins",
            "https://www.google.com/search?q=first&q=second",
            Some((Google, "first")),
        ),
        (
            "raw bytes decoded once",
            "https://www.google.com/search?q=%2541",
            Some((Google, "%41")),
        ),
        ("unrelated site", "https://example.com/search?q=cats", None),
    ];
    for (name, url, want) in cases {
        let got = search_terms_of(url).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = got.as_ref().map(|t| (t.site, t.terms.as_str()));
        assert_eq!(got, *want, "{name}: {url}");
    }
}

#[test]
fn very_long_searches_are_cut() {
    let url = format!("https://www.google.com/search?q={}", "a+".repeat(2000));
    let terms = search_terms_of(&url).unwrap().unwrap().terms;
    assert_eq!(terms.chars().count(), esafety::record::MAX_TERMS_CHARS + 1);
    assert!(terms.ends_with('…'));
}

proptest::proptest! {
    /// Whatever the user types (printable text), the terms read back are
    /// what they typed, with white space collapsed.
    #[test]
    fn typed_terms_read_back(typed in "[ -~\u{e9}\u{4e2d}]{1,60}") {
        let encoded: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
        let want: Vec<&str> = typed.split_whitespace().collect();
        let want = want.join(" ");
        for url in [
            format!("https://www.google.com/search?q={encoded}"),
            format!("https://www.youtube.com/results?search_query={encoded}"),
            format!("https://search.yahoo.com/search?p={encoded}"),
        ] {
            let got = search_terms_of(&url).unwrap();
            if want.is_empty() {
                proptest::prop_assert!(got.is_none());
            } else {
                proptest::prop_assert_eq!(got.map(|t| t.terms), Some(want.clone()));
            }
        }
    }
}
