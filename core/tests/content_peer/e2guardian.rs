//! Debian's e2guardian run as a proxy on 127.0.0.1 in front of a local
//! origin, with its phrase lists and limit set by the test, and its access
//! log read back (the proxy itself is `e2guardian_proxy`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use esafety::content::{CaseMode, Counting, PassMode, ScanOptions};

use super::lists::ListSet;
use super::proxy::{self, set};
pub use super::proxy::{E2guardian, Scratch, free_port};

/// The e2guardian binary, if installed.
pub fn binary() -> Option<std::path::PathBuf> {
    proxy::binary()
}

/// Whether to run: e2guardian and its phrase lists installed (see
/// [`proxy::available`]).
pub fn available() -> bool {
    proxy::available(&[super::lists::LISTS])
}

/// An origin serving `pages[i]` at `/page/i` as `text/html`, on its own
/// thread for as long as the test runs.
pub fn origin(pages: Arc<Vec<Vec<u8>>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let pages = Arc::clone(&pages);
            std::thread::spawn(move || serve(stream, &pages));
        }
    });
    port
}

fn serve(mut stream: TcpStream, pages: &[Vec<u8>]) {
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
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let index = path
        .rsplit('/')
        .next()
        .and_then(|n| n.parse::<usize>().ok());
    let (status, body): (&str, &[u8]) = match index.and_then(|i| pages.get(i)) {
        Some(p) => ("200 OK", p),
        None => ("404 Not Found", b"no such page"),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(body);
}

/// e2guardian's settings for `options`.
fn modes(options: ScanOptions) -> [(&'static str, String); 3] {
    let passes = match options.passes {
        PassMode::Raw => 0,
        PassMode::Smart => 1,
        PassMode::Both => 2,
    };
    let case = match options.case {
        CaseMode::Fold => 0,
        CaseMode::Preserve => 1,
        CaseMode::Both => 2,
    };
    let counting = match options.counting {
        Counting::Occurrences => 1,
        Counting::OncePerPass => 2,
    };
    [
        ("phrasefiltermode", passes.to_string()),
        ("preservecase", case.to_string()),
        ("weightedphrasemode", counting.to_string()),
    ]
}

/// Starts e2guardian with `lists`, `limit` and `options` (everything else
/// as Debian ships it) and waits until it accepts connections.
pub fn start(scratch: &Scratch, lists: &ListSet, limit: u32, options: ScanOptions) -> E2guardian {
    let port = free_port();
    let quote = |p: &std::path::Path| format!("'{}'", p.display());
    let mut main = proxy::main_settings(scratch.path(), port);
    main.extend(modes(options));
    let group = std::fs::read_to_string(proxy::GROUP_CONF).unwrap();
    let group = set(
        &group,
        &[
            ("exceptionphraselist", quote(&lists.exception)),
            ("bannedphraselist", quote(&lists.banned)),
            ("weightedphraselist", quote(&lists.weighted)),
            ("naughtynesslimit", limit.to_string()),
        ],
    );
    proxy::start(scratch, port, &main, &group)
}
