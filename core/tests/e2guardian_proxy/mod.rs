//! Debian's e2guardian run as a proxy on 127.0.0.1, from its shipped
//! configuration with the settings and lists a test gives, its access log
//! read back: what the content tests (`content_peer`) and the URL-list
//! differential test (`e2guardian_differential`) share.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::string_slice,
    unreachable_pub,
    missing_docs,
    reason = "test harness: a failed setup step should fail the test loudly"
)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's configuration: the main file and the first filter group's.
pub const MAIN_CONF: &str = "/etc/e2guardian/e2guardian.conf";
pub const GROUP_CONF: &str = "/etc/e2guardian/e2guardianf1.conf";

/// The e2guardian binary, if installed.
pub fn binary() -> Option<PathBuf> {
    ["/usr/sbin/e2guardian", "/usr/bin/e2guardian"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Whether to run: without e2guardian (or `also`, files the test needs
/// besides) the test is skipped with a note, except under CI (`CI` set),
/// where it is a failure (`scripts/setup.sh` installs it).
pub fn available(also: &[&str]) -> bool {
    let found = binary().is_some()
        && Path::new(MAIN_CONF).exists()
        && also.iter().all(|p| Path::new(p).exists());
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
pub fn set(text: &str, settings: &[(&str, String)]) -> String {
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

/// e2guardian's main settings for a proxy on 127.0.0.1 that keeps its
/// files in `dir`: the listening port, log, pid and cache files, the
/// current user, and `more`.
pub fn main_settings(dir: &Path, port: u16) -> Vec<(&'static str, String)> {
    let quote = |p: &Path| format!("'{}'", p.display());
    vec![
        ("filterip", "127.0.0.1".to_owned()),
        ("filterports", port.to_string()),
        // Its transparent-HTTPS listener would take 8443 otherwise.
        ("transparenthttpsport", free_port().to_string()),
        ("loglocation", quote(&dir.join("access.log"))),
        ("pidfilename", quote(&dir.join("e2guardian.pid"))),
        ("statlocation", quote(&dir.join("stats"))),
        ("daemonuser", format!("'{}'", id("-un"))),
        ("daemongroup", format!("'{}'", id("-gn"))),
        ("httpworkers", "20".to_owned()),
        ("filecachedir", quote(dir)),
    ]
}

/// Starts e2guardian with Debian's main configuration changed by `main`
/// (see [`main_settings`]) and the group configuration `group`, and waits
/// until it accepts connections on `port`.
pub fn start(scratch: &Scratch, port: u16, main: &[(&str, String)], group: &str) -> E2guardian {
    let dir = scratch.path();
    let text = set(&std::fs::read_to_string(MAIN_CONF).unwrap(), main);
    // e2guardian reads the group file as `<main without .conf>f1.conf`.
    let conf = dir.join("e2guardian.conf");
    std::fs::write(&conf, text).unwrap();
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
        log: dir.join("access.log"),
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
        self.fetch_with(url, "Host: 127.0.0.1\r\n")
    }

    /// Fetches `url` through the proxy with the header lines `headers`
    /// (each ending in CRLF); the response, head and body.
    pub fn fetch_with(&self, url: &str, headers: &str) -> Vec<u8> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {url} HTTP/1.0\r\n{headers}User-Agent: esafety-test\r\n\r\n"
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
