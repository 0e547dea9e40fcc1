//! Debian's e2guardian run as a proxy on 127.0.0.1 in front of a local
//! origin, with its phrase lists and limit set by the test, and its access
//! log read back.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use esafety::content::{CaseMode, Counting, PassMode, ScanOptions};

use super::lists::ListSet;

/// The e2guardian binary, if installed.
pub fn binary() -> Option<PathBuf> {
    ["/usr/sbin/e2guardian", "/usr/bin/e2guardian"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Whether to run: without e2guardian the tests are skipped with a note,
/// except under CI (`CI` set), where it is a failure (the test command
/// installs it).
pub fn available() -> bool {
    let found = binary().is_some() && Path::new(super::lists::LISTS).exists();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "e2guardian is not installed: run scripts/setup.sh"
        );
        eprintln!("note: e2guardian is not installed; skipping the e2guardian comparison");
    }
    found
}

/// A scratch folder, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "esafety-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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

/// e2guardian, killed when dropped.
pub struct E2guardian {
    child: Child,
    pub port: u16,
    log: PathBuf,
    out: PathBuf,
}

impl Drop for E2guardian {
    fn drop(&mut self) {
        // It does not always stop on SIGTERM while workers are busy: kill.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `text` with each `key = …` line replaced by `key = value` (added at
/// the end if missing).
fn set(text: &str, settings: &[(&str, String)]) -> String {
    let mut out = String::new();
    let mut done = vec![false; settings.len()];
    for line in text.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        match settings.iter().position(|(k, _)| *k == key) {
            Some(i) if !line.trim_start().starts_with('#') => {
                if !done[i] {
                    out.push_str(&format!("{} = {}\n", settings[i].0, settings[i].1));
                    done[i] = true;
                }
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    for (i, (k, v)) in settings.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!("{k} = {v}\n"));
        }
    }
    out
}

fn id(flag: &str) -> String {
    let out = Command::new("id").arg(flag).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
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
    let dir = scratch.path();
    let port = free_port();
    let quote = |p: &Path| format!("'{}'", p.display());
    let log = dir.join("access.log");
    let main = std::fs::read_to_string("/etc/e2guardian/e2guardian.conf").unwrap();
    let main = set(
        &main,
        &[
            ("filterip", "127.0.0.1".to_owned()),
            ("filterports", port.to_string()),
            // Its transparent-HTTPS listener would take 8443 otherwise.
            ("transparenthttpsport", free_port().to_string()),
            ("loglocation", quote(&log)),
            ("pidfilename", quote(&dir.join("e2guardian.pid"))),
            ("statlocation", quote(&dir.join("stats"))),
            ("daemonuser", format!("'{}'", id("-un"))),
            ("daemongroup", format!("'{}'", id("-gn"))),
            ("httpworkers", "20".to_owned()),
            ("filecachedir", quote(dir)),
        ]
        .into_iter()
        .chain(modes(options))
        .collect::<Vec<_>>(),
    );
    let group = std::fs::read_to_string("/etc/e2guardian/e2guardianf1.conf").unwrap();
    let group = set(
        &group,
        &[
            ("exceptionphraselist", quote(&lists.exception)),
            ("bannedphraselist", quote(&lists.banned)),
            ("weightedphraselist", quote(&lists.weighted)),
            ("naughtynesslimit", limit.to_string()),
        ],
    );
    // e2guardian reads the group file as `<main without .conf>f1.conf`.
    let conf = dir.join("e2guardian.conf");
    std::fs::write(&conf, main).unwrap();
    std::fs::write(dir.join("e2guardianf1.conf"), group).unwrap();
    let out = dir.join("e2guardian.out");
    let child = Command::new(binary().unwrap())
        .arg("-N")
        .arg("-c")
        .arg(&conf)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(dir.join("e2guardian.err")).unwrap())
        .spawn()
        .unwrap();
    let mut e = E2guardian {
        child,
        port,
        log,
        out,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = e.child.try_wait() {
            panic!(
                "e2guardian exited ({status}): {}{}",
                std::fs::read_to_string(&e.out).unwrap_or_default(),
                std::fs::read_to_string(dir.join("e2guardian.err")).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "e2guardian did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A first request proves it serves (the listener can be up before the
    // lists are).
    e.port = port;
    e
}

/// One access-log line, the fields the comparison needs
/// (`logfileformat = 6`: tab-separated).
#[derive(Debug, Clone)]
pub struct Logged {
    pub code: u16,
    pub message: u32,
    pub what: String,
    pub naughtiness: i64,
    pub categories: String,
}

impl Logged {
    /// Whether e2guardian blocked the page by its content (a banned
    /// phrase 300, a banned combination 400/401, the limit 402).
    pub fn blocked(&self) -> bool {
        self.code == 403
    }
}

impl E2guardian {
    /// Fetches `url` through the proxy; the body (a block page or the
    /// page).
    pub fn fetch(&self, url: &str) -> Vec<u8> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {url} HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: esafety-test\r\n\r\n"
        )
        .unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        out
    }

    /// The access log, by URL, once it has `n` lines.
    pub fn log(&self, n: usize) -> HashMap<String, Logged> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = std::fs::read(&self.log).unwrap_or_default();
            let text = String::from_utf8_lossy(&text);
            let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
            if lines.len() >= n || Instant::now() > deadline {
                let mut out = HashMap::new();
                for l in lines {
                    let f: Vec<&str> = l.split('\t').collect();
                    if f.len() < 18 {
                        continue;
                    }
                    out.insert(
                        f[5].to_owned(),
                        Logged {
                            code: f[7].parse().unwrap_or(0),
                            message: f[14].parse().unwrap_or(0),
                            what: f[15].to_owned(),
                            naughtiness: f[16].parse().unwrap_or(0),
                            categories: f[17].to_owned(),
                        },
                    );
                }
                return out;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
