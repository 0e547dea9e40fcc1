//! e2guardian and esafety asked the same requests about the same
//! e2guardian URL lists (`fixtures/lists/e2gdiff`: `bannedsitelist`,
//! `bannedurllist`, `bannedregexpurllist` with every shape the lists
//! take), and every answer compared. e2guardian (the Debian package,
//! installed by `scripts/setup.sh`) runs as a proxy on 127.0.0.1 from
//! Debian's configuration with the fixture lists in place of its banned
//! lists, in front of a local upstream proxy (`proxyip`) that records what
//! reaches it: a request e2guardian blocked is one that never arrived.
//!
//! Every request on which the two differ is named in [`DIFFERENCES`] with
//! the documented esafety choice behind it (the `lists` docs, "how each
//! format is read"); the test fails on a difference not named there, and
//! on a named one that no longer happens.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test: a failure should panic with its message"
)]

mod e2guardian_proxy;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2guardian_proxy::{E2guardian, Scratch};
use esafety::bundle::{Bundle, BundleBuilder};
use esafety::classify::Classifier;
use esafety::lists::{ParseOptions, detect_file, parse};

/// The fixture lists, each with the group-configuration path it replaces.
const LISTS: [(&str, &str); 3] = [
    ("bannedsitelist", "/etc/e2guardian/lists/bannedsitelist"),
    ("bannedurllist", "/etc/e2guardian/lists/bannedurllist"),
    (
        "bannedregexpurllist",
        "/etc/e2guardian/lists/bannedregexpurllist",
    ),
];

/// The requests, as a browser sends them to a proxy.
const REQUESTS: &[&str] = &[
    // sites: the domain and every subdomain, nothing else.
    "http://porn.example/",
    "http://www.porn.example/a",
    "http://cdn.porn.example/v.mp4",
    "http://notporn.example/",
    "http://porn.example.evil.test/",
    "http://porn.examplex/",
    // sites: a line with a leading dot, a `www.` line, case.
    "http://dotted.example/",
    "http://sub.dotted.example/",
    "http://www.wsite.example/",
    "http://wsite.example/",
    "http://x.www.wsite.example/",
    "http://mixed-case.example/",
    "http://WWW.MIXED-CASE.EXAMPLE/A",
    // sites: ports and IP hosts.
    "http://porn.example:8080/",
    "http://10.9.8.7/",
    "http://10.9.8.7:81/a",
    // urls: a page on a shared host, its subdomains.
    "http://tumblr.example/someone/123",
    "http://www.tumblr.example/someone/123",
    "http://v2tc.tumblr.example/someone/123",
    "http://tumblr.example/someone/123/",
    "http://tumblr.example/someone/123/photo",
    "http://tumblr.example/someone/1234",
    "http://tumblr.example/someone/12",
    "http://tumblr.example/someone/",
    // urls: a directory line with and without its `/`.
    "http://dir.example/gallery",
    "http://dir.example/gallery/",
    "http://dir.example/gallery/1.jpg",
    "http://dir.example/gallery2",
    "http://nodir.example/pics",
    "http://nodir.example/pics/",
    "http://nodir.example/pics/1.jpg",
    "http://nodir.example/picsx",
    // urls: a `www.` line.
    "http://www.kept.example/page",
    "http://kept.example/page",
    "http://www2.kept.example/page",
    "http://sub.www.kept.example/page",
    // urls: queries, `&` and `=` continuations.
    "http://forum.example/forumdisplay.php?f=255",
    "http://forum.example/forumdisplay.php?f=255&ref=x",
    "http://forum.example/forumdisplay.php?f=2550",
    "http://forum.example/forumdisplay.php?f=25",
    "http://forum.example/forumdisplay.php",
    "http://shop.example/tag",
    "http://shop.example/tag?x=1",
    "http://shop.example/tag&x",
    "http://shop.example/tag=free",
    "http://shop.example/tags",
    "http://shop.example/tag/x",
    // urls: case.
    "http://mixed.example/dir/a",
    "http://MIXED.EXAMPLE/DIR/A",
    "http://mixed.example/DIR/a/b",
    "http://mixed.example/dir/ab",
    // urls: ports.
    "http://port.example:8080/p",
    "http://port.example/p",
    "http://port.example:9090/p",
    "http://mixed.example:8080/dir/a",
    // urls: IP hosts.
    "http://10.1.2.3/x",
    "http://10.1.2.3/x/y",
    "http://10.1.2.3/xy",
    "http://10.1.2.3:8080/x",
    // urls: percent-escapes in the line and in the request.
    "http://pct.example/caf%C3%A9",
    "http://pct.example/caf%c3%a9/menu",
    "http://pct.example/caf%C3%A9x",
    "http://space.example/a%20b",
    "http://space.example/a%20b/c",
    "http://tumblr.example/some%6Fne/123",
    "http://tumblr.example/someone%2F123",
    // urls: dot segments and `//` in the request.
    "http://tumblr.example/x/../someone/123",
    "http://tumblr.example/./someone/123",
    "http://tumblr.example//someone/123",
    // urls: a scheme and a fragment in the line.
    "http://scheme.example/page",
    "http://frag.example/page",
    "http://frag.example/page/x",
    // urls: a host of six labels.
    "http://a.b.c.d.six.example/x/page.html",
    "http://www.a.b.c.d.six.example/x/page.html",
    "http://z.a.b.c.d.six.example/x/page.html",
    "http://a.b.c.d.six.example/x/page.html?q=1",
    "http://b.c.d.six.example/x/page.html",
    // regexps: anywhere, ignoring case.
    "http://video.example/porn/1",
    "http://video.example/PORN.html",
    "http://video.example/pornography",
    "http://porn-video.example/",
    // regexps: anchored at the start (no scheme), at the end.
    "http://expr.example/a",
    "http://expr.example/abc",
    "http://www.expr.example/a",
    "http://expr.example:8080/a",
    "http://files.example/setup.exe",
    "http://files.example/setup.EXE",
    "http://files.example/setup.exe?dl=1",
    "http://files.example/setup.exe/",
    "http://files.example/setup.exe//",
    "http://files.example/get?f=setup.exe/",
    "http://files.example/dl/",
    "http://files.example/dl/x/",
    "http://files.example/dl",
    "http://x.adtrack.example/p",
    "http://adtrack.example/p",
    "http://x.adtrack.example.evil.test/p",
    // nothing listed.
    "http://clean.example/",
    "http://clean.example/path?q=1",
];

/// A request on which esafety deliberately answers otherwise than
/// e2guardian 5.3.
struct Difference {
    url: &'static str,
    /// Whether e2guardian blocks it.
    e2guardian: bool,
    /// Whether esafety blocks it.
    esafety: bool,
    /// The documented choice.
    why: &'static str,
}

const DIFFERENCES: &[Difference] = &[
    Difference {
        url: "http://dotted.example/",
        e2guardian: false,
        esafety: true,
        why: "a leading `.` in a site list line: e2guardian keeps the dot and the line never matches; esafety reads `.dotted.example` as the domain and its subdomains, as squidGuard, hosts files and the line's author mean it",
    },
    Difference {
        url: "http://sub.dotted.example/",
        e2guardian: false,
        esafety: true,
        why: "a leading `.` in a site list line: e2guardian keeps the dot and the line never matches; esafety reads `.dotted.example` as the domain and its subdomains, as squidGuard, hosts files and the line's author mean it",
    },
    Difference {
        url: "http://pct.example/caf%C3%A9",
        e2guardian: false,
        esafety: true,
        why: "e2guardian decodes the request's `%XX` but not the line's, so a line with `%XX` never matches there; esafety canonicalizes the line like requests",
    },
    Difference {
        url: "http://pct.example/caf%c3%a9/menu",
        e2guardian: false,
        esafety: true,
        why: "e2guardian decodes the request's `%XX` but not the line's, so a line with `%XX` never matches there; esafety canonicalizes the line like requests",
    },
    Difference {
        url: "http://space.example/a%20b",
        e2guardian: false,
        esafety: true,
        why: "e2guardian decodes the request's `%XX` but not the line's, so a line with `%XX` never matches there; esafety canonicalizes the line like requests",
    },
    Difference {
        url: "http://space.example/a%20b/c",
        e2guardian: false,
        esafety: true,
        why: "e2guardian decodes the request's `%XX` but not the line's, so a line with `%XX` never matches there; esafety canonicalizes the line like requests",
    },
    Difference {
        url: "http://tumblr.example/./someone/123",
        e2guardian: false,
        esafety: true,
        why: "e2guardian resolves `..` and `//` in a request but not `/./`; a browser requests `/someone/123`, which esafety looks up",
    },
    Difference {
        url: "http://scheme.example/page",
        e2guardian: false,
        esafety: true,
        why: "a line with a scheme: e2guardian strips only `ftp://` from lines, so `http://scheme.example/page` never matches there; esafety reads the line without its scheme",
    },
    Difference {
        url: "http://frag.example/page",
        e2guardian: false,
        esafety: true,
        why: "a line with a `#fragment`: e2guardian keeps it, and no request has one, so the line never matches there; esafety reads the line as the page the browser fetches and reports it in the compile summary",
    },
    Difference {
        url: "http://frag.example/page/x",
        e2guardian: false,
        esafety: true,
        why: "a line with a `#fragment`: e2guardian keeps it, and no request has one, so the line never matches there; esafety reads the line as the page the browser fetches and reports it in the compile summary",
    },
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lists/e2gdiff")
}

/// A local upstream proxy: answers every request `200` with a small
/// `text/plain` body and records the `X-Esafety-Request` number of each
/// request that reached it.
fn upstream(seen: Arc<Mutex<BTreeSet<usize>>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || serve(stream, &seen));
        }
    });
    port
}

fn serve(mut stream: TcpStream, seen: &Mutex<BTreeSet<usize>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let number = text.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("x-esafety-request")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    if let Some(n) = number {
        seen.lock().unwrap().insert(n);
    }
    let body = b"origin";
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(body);
}

/// e2guardian with the fixture lists in front of `upstream`.
fn start(scratch: &Scratch, upstream: u16) -> E2guardian {
    let port = e2guardian_proxy::free_port();
    let mut main = e2guardian_proxy::main_settings(scratch.path(), port);
    main.push(("proxyip", "127.0.0.1".to_owned()));
    main.push(("proxyport", upstream.to_string()));
    let mut group = std::fs::read_to_string(e2guardian_proxy::GROUP_CONF).unwrap();
    for (file, shipped) in LISTS {
        let from = format!("path={shipped}'");
        assert!(group.contains(&from), "Debian's group file names {shipped}");
        group = group.replace(&from, &format!("path={}'", fixtures().join(file).display()));
    }
    e2guardian_proxy::start(scratch, port, &main, &group)
}

/// e2guardian's answer to every request: whether it blocked it (the
/// request never reached the upstream proxy, and the answer is its block),
/// and the reason its access log gives.
fn e2guardian_answers() -> Vec<(bool, String)> {
    let scratch = Scratch::new("e2gdiff");
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let up = upstream(Arc::clone(&seen));
    let proxy = start(&scratch, up);
    let mut responses = Vec::with_capacity(REQUESTS.len());
    for (i, url) in REQUESTS.iter().enumerate() {
        let host = url
            .split_once("://")
            .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
        responses
            .push(proxy.fetch_with(url, &format!("Host: {host}\r\nX-Esafety-Request: {i}\r\n")));
    }
    let seen = seen.lock().unwrap().clone();
    let log = proxy.log(REQUESTS.len());
    REQUESTS
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let response = String::from_utf8_lossy(&responses[i]);
            let reached = seen.contains(&i);
            // e2guardian answers a block with its block page (status 200),
            // or for an image with a blank GIF; a passed request with the
            // upstream's body.
            let denied = response.contains("E2Guardian - Access Denied")
                || (response.contains("Content-type: image/gif") && response.contains("GIF89a"));
            let passed = response.ends_with("\r\n\r\norigin");
            let reason = log
                .get(*url)
                .or_else(|| {
                    log.iter()
                        .find(|(u, _)| u.eq_ignore_ascii_case(url))
                        .map(|(_, l)| l)
                })
                .or_else(|| log.get(url.strip_suffix('/').unwrap_or(url)))
                .map(|l| l.what.clone())
                .unwrap_or_default();
            let blocked = match (reached, denied, passed) {
                (true, false, true) => false,
                (false, true, false) => true,
                _ => panic!(
                    "{url}: reached the upstream {reached}, block page {denied}, upstream body {passed}: {}",
                    response.chars().take(600).collect::<String>()
                ),
            };
            // The access log says so too.
            assert_eq!(
                reason.contains("*DENIED*"),
                blocked,
                "{url}: e2guardian's access log gives `{reason}`"
            );
            (blocked, reason)
        })
        .collect()
}

/// esafety's answer to every request: whether any fixture list matches.
fn esafety_answers() -> Vec<bool> {
    let mut b = BundleBuilder::new();
    for (file, _) in LISTS {
        let bytes = std::fs::read(fixtures().join(file)).unwrap();
        let format = detect_file(file, &bytes);
        let options = ParseOptions::new().with_strict(true);
        let parsed = parse(format, file, &bytes, &options).unwrap();
        let id = b.add_list(file, "adult").unwrap();
        b.add_entries(id, &parsed.entries).unwrap();
    }
    let classifier = Classifier::new(Bundle::from_bytes(b.build().unwrap()).unwrap());
    REQUESTS
        .iter()
        .map(|url| !classifier.classify_str(url).unwrap().matches.is_empty())
        .collect()
}

#[test]
fn e2guardian_and_esafety_agree_but_for_the_named_differences() {
    if !e2guardian_proxy::available(&[]) {
        return;
    }
    let e2g = e2guardian_answers();
    let es = esafety_answers();
    let mut unnamed = Vec::new();
    let mut agree = 0usize;
    for ((url, (e2g, reason)), es) in REQUESTS.iter().zip(&e2g).zip(&es) {
        let named = DIFFERENCES.iter().find(|d| d.url == *url);
        if e2g == es {
            agree += 1;
            assert!(
                named.is_none(),
                "{url}: named as a difference, but both answer blocked={e2g}"
            );
            continue;
        }
        match named {
            Some(d) => assert_eq!((*e2g, *es), (d.e2guardian, d.esafety), "{url}: {}", d.why),
            None => unnamed.push(format!(
                "{url}: e2guardian blocks {e2g} (`{reason}`), esafety blocks {es}"
            )),
        }
    }
    assert!(
        unnamed.is_empty(),
        "differences not named in DIFFERENCES:\n{}",
        unnamed.join("\n")
    );
    for d in DIFFERENCES {
        assert!(REQUESTS.contains(&d.url), "{}: not a request", d.url);
    }
    eprintln!(
        "e2guardian and esafety: {agree} of {} requests agree, {} named differences",
        REQUESTS.len(),
        DIFFERENCES.len()
    );
}

/// e2guardian drops a trailing `/` from every list line it reads,
/// expressions too; esafety reads an expression line so (without
/// e2guardian: the end-to-end test above shows the request it decides).
#[test]
fn an_expression_line_loses_its_trailing_slash_as_in_e2guardian() {
    use esafety::lists::{EntryKind, Format};
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "trailing slash",
            "^[^/]*\\.adtrack\\.example/",
            Some("^[^/]*\\.adtrack\\.example"),
        ),
        ("no trailing slash", "\\.exe$", Some("\\.exe$")),
        ("escaped slash kept", "ads\\/", Some("ads\\/")),
        ("one slash only", "ads//", Some("ads/")),
        ("only a slash", "/", None),
    ];
    for (name, line, want) in cases {
        let parsed = parse(
            Format::E2Regexp,
            "bannedregexpurllist",
            format!("{line}\n").as_bytes(),
            &ParseOptions::new(),
        )
        .unwrap();
        let got: Vec<&str> = parsed
            .entries
            .iter()
            .map(|e| match &e.kind {
                EntryKind::E2guardianExpression(r) => r.as_str(),
                other => panic!("{name}: {other:?}"),
            })
            .collect();
        assert_eq!(got, want.iter().copied().collect::<Vec<_>>(), "{name}");
        if want.is_none() {
            assert_eq!(
                parsed.skipped.len(),
                1,
                "{name}: an empty expression is a skipped line"
            );
        }
    }
}
