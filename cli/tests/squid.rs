//! End to end: a real Squid (Debian's `squid`) on 127.0.0.1 runs
//! `esafety squid-helper` as its external ACL helper and as its URL
//! rewriter, in front of a tiny origin server on 127.0.0.1. The test starts
//! and stops everything itself; nothing leaves the machine.
//!
//! Without `squid` on the PATH the tests are skipped with a note, except
//! under CI (`CI` set), where a missing Squid is a failure: the test command
//! installs it.

#![allow(
    clippy::type_complexity,
    reason = "table-driven tests spell their case tuples out"
)]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test harness: a failed setup step should fail the test loudly"
)]

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::Scratch;

fn squid_available() -> bool {
    let found = Command::new("squid")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "squid is not installed: run scripts/setup.sh"
        );
        eprintln!("note: squid is not installed; skipping the Squid end-to-end test");
    }
    found
}

/// A scratch folder every user can read, so Squid's helper (which runs as
/// Squid's unprivileged user when the test runs as root) can reach it.
fn readable_scratch(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    set_mode(scratch.path(), 0o777);
    scratch
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Squid, killed when dropped.
struct Squid {
    child: Child,
    port: u16,
    /// Its cache.log, quoted when a request fails.
    cache_log: PathBuf,
    /// Its service name (`-n`), which names its shared-memory segments.
    service: String,
}

impl Drop for Squid {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A killed Squid leaves its segments (`/dev/shm/<service>-*.shm`).
        if let Ok(entries) = std::fs::read_dir("/dev/shm") {
            let prefix = format!("{}-", self.service);
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An origin server answering every request with `200 hello <path>`.
fn origin() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]);
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let body = format!("hello {path}");
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// Names Squid resolves to 127.0.0.1 (its `hosts_file`). `host.123` is a
/// name a resolver accepts but a URL canonicalizer must not (it ends in a
/// number that is not an IPv4 address), so the engine cannot read it.
/// `games.example` is a listed gaming site served by a test's origin;
/// `www.duckduckgo.com` a search engine whose terms the helper reads.
const HOSTS: &str = "127.0.0.1 host.123 games.example www.duckduckgo.com\n";

/// Starts Squid with `helper_lines` (the esafety helper configuration) and
/// waits until it accepts connections.
fn start_squid(scratch: &Scratch, helper_lines: &str) -> Squid {
    let dir = scratch.path().display();
    let port = free_port();
    // Squid's own resolver reads this file before DNS: a test can name
    // hosts that resolve to 127.0.0.1 without touching the machine.
    std::fs::write(scratch.path().join("hosts"), HOSTS).unwrap();
    let conf = format!(
        "http_port 127.0.0.1:{port}\n\
         hosts_file {dir}/hosts\n\
         pid_filename none\n\
         cache deny all\n\
         cache_mem 8 MB\n\
         access_log stdio:{dir}/access.log squid\n\
         cache_log {dir}/cache.log\n\
         cache_store_log none\n\
         coredump_dir {dir}\n\
         shutdown_lifetime 0 seconds\n\
         {helper_lines}\n\
         http_access allow all\n"
    );
    let conf_path = scratch.path().join("squid.conf");
    std::fs::write(&conf_path, conf).unwrap();
    // A service name of its own: Squid names its shared-memory segments
    // after it, and two Squids with the default name (the tests run in
    // parallel) collide with "shm_open(/squid-cf__metadata.shm): File exists".
    let service = format!("esafety{}p{port}", std::process::id());
    let child = Command::new("squid")
        .arg("-n")
        .arg(&service)
        .arg("-N")
        .arg("-f")
        .arg(&conf_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let squid = Squid {
        child,
        port,
        cache_log: scratch.path().join("cache.log"),
        service,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "squid did not start; cache.log:\n{}",
            std::fs::read_to_string(&squid.cache_log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    squid
}

/// Copies the esafety binary and a shipped policy into the scratch folder
/// (Squid's unprivileged user may not reach the build tree).
fn install_helper(scratch: &Scratch) -> (PathBuf, PathBuf) {
    let exe = scratch.path().join("esafety");
    std::fs::copy(env!("CARGO_BIN_EXE_esafety"), &exe).unwrap();
    set_mode(&exe, 0o755);
    let policy = scratch.path().join("secondary-pupils.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/secondary-pupils.toml"),
        &policy,
    )
    .unwrap();
    set_mode(&policy, 0o644);
    (exe, policy)
}

impl Squid {
    /// Sends `GET url` through the proxy; returns the status line and the
    /// whole response.
    ///
    /// A connection Squid resets or refuses before answering a single byte
    /// is tried again, a few times: on a loaded machine Squid can accept
    /// connections a moment before it serves them (once in CI: "Connection
    /// reset by peer" on the first request). Whatever Squid does answer is
    /// returned as it is, and the last failure names Squid's cache.log.
    fn get(&self, url: impl AsRef<[u8]>, host: &str) -> (String, String) {
        let url = url.as_ref();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match get_via_proxy(self.port, url, host) {
                Ok(response) if !response.is_empty() => {
                    let response = String::from_utf8_lossy(&response).into_owned();
                    let status = response.lines().next().unwrap_or_default().to_owned();
                    return (status, response);
                }
                Err(e)
                    if attempt < 5
                        && matches!(
                            e.kind(),
                            ErrorKind::ConnectionReset
                                | ErrorKind::ConnectionAborted
                                | ErrorKind::ConnectionRefused
                        ) => {}
                Ok(_) if attempt < 5 => {}
                outcome => panic!(
                    "GET {} through Squid failed after {attempt} attempts: {:?}; cache.log:\n{}",
                    String::from_utf8_lossy(url),
                    outcome.map(|r| format!("{} bytes", r.len())),
                    std::fs::read_to_string(&self.cache_log).unwrap_or_default()
                ),
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

/// `CONNECT authority` through the proxy (how a browser asks for every
/// HTTPS page): Squid's status line.
fn connect_via_proxy(port: u16, authority: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).trim_end().to_owned()
}

/// One `GET url` through the proxy: every byte Squid sent back.
fn get_via_proxy(port: u16, url: &[u8], host: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(b"GET ")?;
    stream.write_all(url)?;
    write!(
        stream,
        " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

#[test]
fn squid_external_acl_blocks_listed_and_passes_unlisted() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-acl");
    let (exe, policy) = install_helper(&scratch);
    let origin = origin();
    let squid = start_squid(
        &scratch,
        &format!(
            "external_acl_type esafety ttl=0 negative_ttl=0 children-max=1 children-startup=1 concurrency=4 %URI {} squid-helper --policy {} --protocol external-acl --group pupils --age 14 --device managed\n\
             acl esafety_allowed external esafety\n\
             http_access deny !esafety_allowed",
            exe.display(),
            policy.display()
        ),
    );

    // Listed in the sample bundle's gambling list: Squid denies it before
    // any DNS lookup, because the helper said ERR.
    let (status, _) = squid.get("http://www.bet365.com/", "www.bet365.com");
    assert!(
        status.contains(" 403 "),
        "gambling should be denied, got `{status}`"
    );

    // The same host spelled with an upper-case, trailing-dot host.
    let (status, _) = squid.get("http://WWW.BET365.COM./poker", "WWW.BET365.COM.");
    assert!(
        status.contains(" 403 "),
        "spelling variant should be denied, got `{status}`"
    );

    // HTTPS: the browser's CONNECT names only host and port, which is
    // enough for a listed host.
    let status = connect_via_proxy(squid.port, "www.bet365.com:443");
    assert!(
        status.contains(" 403 "),
        "CONNECT to a listed host should be denied, got `{status}`"
    );
    let status = connect_via_proxy(squid.port, &format!("127.0.0.1:{origin}"));
    assert!(
        status.contains(" 200 "),
        "CONNECT to an unlisted host should be established, got `{status}`"
    );

    // A raw byte that is not UTF-8 is the page it spells (`%FF`): denied,
    // and the helper goes on answering.
    let (status, _) = squid.get(b"http://www.bet365.com/\xff", "www.bet365.com");
    assert!(
        status.contains(" 403 "),
        "a listed URL with a raw byte should be denied, got `{status}`"
    );

    // An address Squid resolves but the engine cannot read is denied too.
    let url = format!("http://host.123:{origin}/unchecked");
    let (status, response) = squid.get(&url, &format!("host.123:{origin}"));
    assert!(
        status.contains(" 403 ") && !response.contains("hello /unchecked"),
        "an unreadable URL should be denied, got `{status}`"
    );

    // Unlisted: Squid fetches it from the origin.
    let url = format!("http://127.0.0.1:{origin}/lesson");
    let (status, body) = squid.get(&url, &format!("127.0.0.1:{origin}"));
    assert!(
        status.contains(" 200 "),
        "unlisted URL should load, got `{status}`"
    );
    assert!(
        body.ends_with("hello /lesson"),
        "origin body expected, got `{body}`"
    );

    drop(squid);
    // Not `read_to_string`: the log holds the raw byte requested above.
    let log = std::fs::read(scratch.path().join("access.log")).unwrap_or_default();
    let log = String::from_utf8_lossy(&log);
    assert!(
        log.contains("TCP_DENIED/403"),
        "access log should record the denial:\n{log}"
    );
}

#[test]
fn squid_external_acl_sees_ipv6_hosts_through_squids_url_quoting() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-acl-v6");
    let (exe, policy) = install_helper(&scratch);
    // A bundle listing the IPv6 loopback address as gambling.
    let list = scratch.path().join("v6.txt");
    std::fs::write(&list, "[::1]\n").unwrap();
    let bundle = scratch.path().join("v6.esb");
    // The build's binary, not the fresh copy: another test thread forking
    // while the copy was written can hold it open for writing a moment
    // longer, and running it then fails with "Text file busy".
    let compiled = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("compile")
        .arg("--list")
        .arg(format!("gambling=plain:{}", list.display()))
        .arg("-o")
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    set_mode(&bundle, 0o644);
    let origin = origin();
    let squid = start_squid(
        &scratch,
        &format!(
            "external_acl_type esafety ttl=0 negative_ttl=0 children-max=1 children-startup=1 concurrency=4 %URI {} squid-helper --policy {} --bundle {} --protocol external-acl --group pupils --age 14\n\
             acl esafety_allowed external esafety\n\
             http_access deny !esafety_allowed",
            exe.display(),
            policy.display(),
            bundle.display()
        ),
    );

    // Squid hands the helper `http://%5B::1%5D:PORT/x`; read as written,
    // that is a host named `[::1]`, not the listed address.
    for (url, host) in [
        (
            format!("http://[::1]:{origin}/x"),
            format!("[::1]:{origin}"),
        ),
        ("http://[0:0::1]/".to_owned(), "[0:0::1]".to_owned()),
    ] {
        let (status, _) = squid.get(&url, &host);
        assert!(
            status.contains(" 403 "),
            "{url}: a listed IPv6 address should be denied, got `{status}`"
        );
    }
    let status = connect_via_proxy(squid.port, "[::1]:443");
    assert!(
        status.contains(" 403 "),
        "CONNECT to a listed IPv6 address should be denied, got `{status}`"
    );

    let url = format!("http://127.0.0.1:{origin}/lesson");
    let (status, _) = squid.get(&url, &format!("127.0.0.1:{origin}"));
    assert!(
        status.contains(" 200 "),
        "unlisted URL should load, got `{status}`"
    );
}

/// Squid with `esafety squid-helper --protocol url-rewrite` sending blocked
/// requests to a block page on the origin. Fields drop in order: Squid
/// stops before its scratch folder goes.
struct Rewriter {
    squid: Squid,
    origin: u16,
    block_page: String,
    _scratch: Scratch,
}

impl Rewriter {
    fn start(name: &str) -> Rewriter {
        let scratch = readable_scratch(name);
        let (exe, policy) = install_helper(&scratch);
        let origin = origin();
        let block_page = format!("http://127.0.0.1:{origin}/blocked");
        let squid = start_squid(
            &scratch,
            &format!(
                "url_rewrite_program {} squid-helper --policy {} --protocol url-rewrite --group pupils --age 14 --block-url {block_page}\n\
                 url_rewrite_children 1 startup=1 idle=1 concurrency=4",
                exe.display(),
                policy.display()
            ),
        );
        Rewriter {
            squid,
            origin,
            block_page,
            _scratch: scratch,
        }
    }
}

#[test]
fn squid_url_rewrite_redirects_blocked_to_block_page() {
    if !squid_available() {
        return;
    }
    // `_scratch` first: locals drop in reverse, so Squid stops first.
    let Rewriter {
        _scratch,
        squid,
        origin,
        block_page,
    } = Rewriter::start("squid-rewrite");

    let (status, response) = squid.get("http://www.bet365.com/", "www.bet365.com");
    assert!(
        status.contains(" 302 "),
        "blocked URL should be redirected, got `{status}`"
    );
    let location = response
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_default();
    assert!(
        location.starts_with(&format!("{block_page}?action=block&rule="))
            && location.ends_with("categories=gambling"),
        "redirect should carry the decision, got `{location}`"
    );

    // HTTPS: a rewriter's redirect of a CONNECT must not open the tunnel.
    let status = connect_via_proxy(squid.port, "www.bet365.com:443");
    assert!(
        status.contains(" 302 "),
        "CONNECT to a listed host should be answered with the redirect, not a tunnel, got `{status}`"
    );

    // A raw byte that is not UTF-8, as Squid passes it on: the helper
    // answers (blocked: it is the same page as `%FF`) and goes on; before,
    // it exited and Squid stopped ("helpers are crashing too rapidly").
    for _ in 0..3 {
        let (status, _) = squid.get(b"http://www.bet365.com/\xff", "www.bet365.com");
        assert!(
            status.contains(" 302 "),
            "a listed URL with a raw byte should be redirected, got `{status}`"
        );
    }

    let url = format!("http://127.0.0.1:{origin}/maths");
    let (status, body) = squid.get(&url, &format!("127.0.0.1:{origin}"));
    assert!(
        status.contains(" 200 "),
        "unlisted URL should load unchanged, got `{status}`"
    );
    assert!(
        body.ends_with("hello /maths"),
        "origin body expected, got `{body}`"
    );
}

#[test]
fn squid_url_rewrite_fails_closed_on_an_address_the_engine_cannot_read() {
    if !squid_available() {
        return;
    }
    // `_scratch` first: locals drop in reverse, so Squid stops first.
    let Rewriter {
        _scratch,
        squid,
        origin,
        block_page,
    } = Rewriter::start("squid-rewrite-error");

    // Squid resolves `host.123` (its hosts_file) and would fetch it from
    // the origin; the engine cannot canonicalize it. A rewriter's "broken
    // helper" answer lets Squid go on with the original URL (fail open),
    // so the helper must send the request to the block page instead.
    let url = format!("http://host.123:{origin}/unchecked");
    let (status, response) = squid.get(&url, &format!("host.123:{origin}"));
    assert!(
        status.contains(" 302 "),
        "an unreadable URL should be redirected to the block page, got `{status}`:\n{response}"
    );
    let location = response
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_default();
    assert_eq!(
        location,
        format!("{block_page}?action=block&rule=error&categories="),
        "redirect should name the error rule"
    );
    assert!(
        !response.contains("hello /unchecked"),
        "the origin must not be reached:\n{response}"
    );
}

// ---------------------------------------------------------------------------
// Identity, records and live reload (issue 30).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// An origin server that answers every request with `200 hello <path>` and
/// keeps every path it was asked for.
struct CountingOrigin {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

fn counting_origin() -> CountingOrigin {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let n = stream.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(path.clone());
                let body = format!("hello {path}");
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    CountingOrigin { port, seen }
}

/// `GET url` through the proxy from the client address `from`, with basic
/// proxy credentials when `user` is given: the status line and the body.
fn get_from(
    port: u16,
    from: &str,
    url: &str,
    user: Option<&str>,
) -> std::io::Result<(String, String)> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    let local: std::net::SocketAddr = format!("{from}:0").parse().unwrap();
    socket.bind(&local.into())?;
    let proxy: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.connect_timeout(&proxy.into(), Duration::from_secs(10))?;
    let mut stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let auth = user.map_or_else(String::new, |u| {
        format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64(&format!("{u}:secret"))
        )
    });
    let host = url.split('/').nth(2).unwrap_or("localhost");
    write!(
        stream,
        "GET {url} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response).into_owned();
    if response.is_empty() {
        return Err(std::io::Error::new(ErrorKind::UnexpectedEof, "no response"));
    }
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    Ok((status, body))
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Compiles a bundle in `scratch` from `(category, list file, lines)`, with
/// the sample IWF list beside them; the list names are the file names.
fn compile_in(scratch: &Scratch, out: &str, lists: &[(&str, &str, &str)]) -> PathBuf {
    let iwf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/samples/iwf.txt");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esafety"));
    cmd.current_dir(scratch.path())
        .arg("compile")
        .arg("--iwf")
        .arg(&iwf);
    for (category, file, lines) in lists {
        std::fs::write(scratch.path().join(file), lines).unwrap();
        cmd.arg("--list").arg(format!("{category}=plain:{file}"));
    }
    let output = cmd.arg("-o").arg(out).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = scratch.path().join(out);
    set_mode(&path, 0o644);
    path
}

const PUPILS_POLICY: &str = r#"id = "pupils"
default = "allow"
[[rules]]
id = "no-games"
action = "block"
categories = ["gaming"]
"#;
const STAFF_POLICY: &str = "id = \"staff\"\ndefault = \"allow\"\n";
const LEAD_POLICY: &str = r#"id = "lead"
default = "allow"
[[rules]]
id = "watch-games"
action = "monitor"
categories = ["gaming"]
alert = "same-day"
"#;

fn records(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn squid_decides_per_client_address_and_authenticated_user() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-identity");
    let (exe, _) = install_helper(&scratch);
    for (name, text) in [
        ("pupils.toml", PUPILS_POLICY),
        ("staff.toml", STAFF_POLICY),
        ("lead.toml", LEAD_POLICY),
    ] {
        set_mode(&scratch.file(name, text), 0o644);
    }
    let site = scratch.file(
        "site.toml",
        "site = \"example-school\"\n\
         [[clients]]\nuser = [\"alice\"]\npolicy = \"lead.toml\"\ngroup = \"staff\"\nage = 40\n\
         [[clients]]\nip = [\"127.0.0.2/32\"]\npolicy = \"pupils.toml\"\ngroup = \"pupils\"\nage = 14\ndevice = \"managed\"\n\
         [[clients]]\nip = [\"127.0.0.3/32\"]\npolicy = \"staff.toml\"\ngroup = \"staff\"\n",
    );
    set_mode(&site, 0o644);
    let bundle = compile_in(
        &scratch,
        "games.esb",
        &[("gaming", "games.txt", "127.0.0.1/game\n")],
    );
    let log = scratch.path().join("decisions.jsonl");
    std::fs::write(&log, "").unwrap();
    set_mode(&log, 0o666);
    let origin = counting_origin();
    let auth = if Path::new("/usr/lib/squid/basic_fake_auth").exists() {
        "auth_param basic program /usr/lib/squid/basic_fake_auth\nauth_param basic realm esafety\n\
         acl staffroom src 127.0.0.4\nacl signed_in proxy_auth REQUIRED\nhttp_access deny staffroom !signed_in\n"
    } else {
        panic!("Squid's basic_fake_auth helper is missing (Debian package squid)");
    };
    let squid = start_squid(
        &scratch,
        &format!(
            "{auth}external_acl_type esafety ttl=0 negative_ttl=0 children-max=1 children-startup=1 concurrency=4 %>a %un %URI \
             {} squid-helper --policy {} --site {} --bundle {} --log {} --format \"%>a %un %URI\"\n\
             acl esafety_allowed external esafety\n\
             http_access deny !esafety_allowed",
            exe.display(),
            scratch.path().join("staff.toml").display(),
            site.display(),
            bundle.display(),
            log.display()
        ),
    );
    let url = format!("http://127.0.0.1:{}/game", origin.port);
    // (who, from, user, want status)
    let cases = [
        ("pupil at 127.0.0.2", "127.0.0.2", None, " 403 "),
        ("staff at 127.0.0.3", "127.0.0.3", None, " 200 "),
        (
            "alice signed in at 127.0.0.4",
            "127.0.0.4",
            Some("alice"),
            " 200 ",
        ),
    ];
    for (who, from, user, want) in cases {
        let (status, body) = get_from(squid.port, from, &url, user).unwrap();
        assert!(status.contains(want), "{who}: got `{status}` {body}");
    }
    drop(squid);
    // The origin saw the game page twice: staff and alice, not the pupil.
    assert_eq!(
        origin
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == "/game")
            .count(),
        2
    );
    let records = records(&log);
    let by_ip = |ip: &str| {
        records
            .iter()
            .find(|r| r["client_ip"] == ip)
            .unwrap_or_else(|| panic!("no record for {ip}: {records:?}"))
    };
    let pupil = by_ip("127.0.0.2");
    assert_eq!(
        (
            pupil["action"].as_str(),
            pupil["rule"].as_str(),
            pupil["policy"].as_str()
        ),
        (Some("block"), Some("no-games"), Some("pupils"))
    );
    assert_eq!(
        (
            pupil["group"].as_str(),
            pupil["age"].as_u64(),
            pupil["device"].as_str()
        ),
        (Some("pupils"), Some(14), Some("managed"))
    );
    assert_eq!(pupil["site"], "example-school");
    assert_eq!(pupil["user"], serde_json::Value::Null);
    assert_eq!(pupil["lists"][0], "games");
    let staff = by_ip("127.0.0.3");
    assert_eq!(
        (staff["action"].as_str(), staff["policy"].as_str()),
        (Some("allow"), Some("staff"))
    );
    let alice = by_ip("127.0.0.4");
    assert_eq!(
        (
            alice["action"].as_str(),
            alice["rule"].as_str(),
            alice["user"].as_str()
        ),
        (Some("monitor"), Some("watch-games"), Some("alice"))
    );
    assert_eq!(alice["alert"]["urgency"], "same-day");
    assert_eq!(records.len(), 3, "one record per decision: {records:?}");
}

#[test]
fn squid_keeps_serving_while_the_bundle_is_replaced() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-reload");
    let (exe, _) = install_helper(&scratch);
    set_mode(&scratch.file("pupils.toml", PUPILS_POLICY), 0o644);
    // Signed updates: the helper runs with --verify; every bundle and the
    // policy are signed by the publisher's key, but one generation by
    // another key.
    let keygen = |name: &str| {
        let key = scratch.path().join(name);
        let out = Command::new(env!("CARGO_BIN_EXE_esafety"))
            .arg("keygen")
            .arg("-o")
            .arg(&key)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        set_mode(&scratch.path().join(format!("{name}.pub")), 0o644);
        key
    };
    let publisher = keygen("publisher");
    let stranger = keygen("stranger");
    let sign = |key: &Path, file: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_esafety"))
            .arg("sign")
            .arg("--key")
            .arg(key)
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sig = PathBuf::from(format!("{}.sig", file.display()));
        set_mode(&sig, 0o644);
        sig
    };
    sign(&publisher, &scratch.path().join("pupils.toml"));
    // Generation g lists the probe page as gaming (blocked) when g is even
    // and as a local category (allowed) when odd; the list is named after g.
    let generation = |g: usize| {
        let category = if g.is_multiple_of(2) {
            "gaming"
        } else {
            "local-probe"
        };
        compile_in(
            &scratch,
            &format!("gen-{g}.esb"),
            &[(category, &format!("gen-{g}.txt"), "127.0.0.1/probe\n")],
        )
    };
    let bundle = scratch.path().join("lists.esb");
    std::fs::copy(generation(0), &bundle).unwrap();
    set_mode(&bundle, 0o644);
    sign(&publisher, &bundle);
    let log = scratch.path().join("decisions.jsonl");
    std::fs::write(&log, "").unwrap();
    set_mode(&log, 0o666);
    let origin = counting_origin();
    let squid = start_squid(
        &scratch,
        &format!(
            "external_acl_type esafety ttl=0 negative_ttl=0 children-max=1 children-startup=1 concurrency=8 %>a %URI \
             {} squid-helper --policy {} --bundle {} --verify {} --log {} --format \"%>a %URI\" --watch-interval-ms 100\n\
             acl esafety_allowed external esafety\n\
             http_access deny !esafety_allowed",
            exe.display(),
            scratch.path().join("pupils.toml").display(),
            bundle.display(),
            scratch.path().join("publisher.pub").display(),
            log.display()
        ),
    );
    let port = squid.port;
    let origin_port = origin.port;
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    // (n, status, body) of every request; a request without an answer fails.
    let answers = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let mut clients = Vec::new();
    for client in 0..4 {
        let (stop, sent, answers, failures) = (
            Arc::clone(&stop),
            Arc::clone(&sent),
            Arc::clone(&answers),
            Arc::clone(&failures),
        );
        clients.push(std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(Ordering::SeqCst) && i < 5000 {
                let n = client * 100_000 + i;
                i += 1;
                sent.fetch_add(1, Ordering::SeqCst);
                // Every 50th request asks for the sample IWF page.
                let url = if n % 50 == 7 {
                    format!("http://iwf-test.esafety.invalid/abuse/page-1.html?n={n}")
                } else {
                    format!("http://127.0.0.1:{origin_port}/probe?n={n}")
                };
                match get_from(port, "127.0.0.2", &url, None) {
                    Ok((status, body)) => answers.lock().unwrap().push((n, status, body)),
                    Err(e) => failures.lock().unwrap().push(format!("{url}: {e}")),
                }
            }
        }));
    }
    use std::sync::atomic::AtomicBool;
    std::thread::sleep(Duration::from_millis(800));
    for g in 1..=10 {
        let next = scratch.path().join("next.esb");
        if g == 5 {
            // A corrupt bundle: the old engine must keep serving.
            let mut bytes = std::fs::read(generation(g)).unwrap();
            let last = bytes.len() - 1;
            bytes[last / 2] ^= 0xff;
            std::fs::write(&next, bytes).unwrap();
        } else {
            std::fs::copy(generation(g), &next).unwrap();
        }
        set_mode(&next, 0o644);
        // Generation 7 is intact but signed by another key: refused, as a
        // forged update must be.
        let sig = sign(if g == 7 { &stranger } else { &publisher }, &next);
        std::fs::rename(&next, &bundle).unwrap();
        std::fs::rename(&sig, format!("{}.sig", bundle.display())).unwrap();
        std::thread::sleep(Duration::from_millis(700));
    }
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let cache_log = std::fs::read_to_string(&squid.cache_log).unwrap_or_default();
    drop(squid);
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} requests got no answer: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let answers = answers.lock().unwrap();
    assert_eq!(
        answers.len(),
        sent.load(Ordering::SeqCst),
        "0 requests dropped"
    );
    assert!(
        answers.len() > 200,
        "the load loop ran: {} requests",
        answers.len()
    );

    let bytes = std::fs::read(&log).unwrap();
    for needle in [&b"iwf-test"[..], b"esafety.invalid", b"/abuse/", b"page-1"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "`{}` in the log",
            String::from_utf8_lossy(needle)
        );
    }
    let records = records(&log);
    assert_eq!(records.len(), answers.len(), "one record per decision");
    // The generation that decided each probe, in log order.
    let mut generations = Vec::new();
    let mut by_n = std::collections::HashMap::new();
    for r in &records {
        if r["rule"] == "baseline" {
            assert!(r["url"].as_str().unwrap().starts_with("sha256:"));
            continue;
        }
        let url = r["url"].as_str().unwrap();
        let n: usize = url.rsplit("n=").next().unwrap().parse().unwrap();
        let list = r["lists"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|l| l.as_str().filter(|l| l.starts_with("gen-")))
            .unwrap_or_else(|| panic!("{r}"));
        let g: usize = list
            .trim_start_matches("gen-")
            .trim_end_matches(".txt")
            .parse()
            .unwrap();
        assert!(
            by_n.insert(n, (g, r["action"].as_str().unwrap().to_owned()))
                .is_none(),
            "request {n} decided twice"
        );
        generations.push(g);
    }
    assert!(
        generations.windows(2).all(|w| w[0] <= w[1]),
        "a request was decided by an older bundle after a newer one was in service"
    );
    assert!(
        !generations.contains(&5),
        "the corrupt generation never served"
    );
    assert!(
        !generations.contains(&7),
        "the generation signed by another key never served"
    );
    assert_eq!(
        generations.last(),
        Some(&10),
        "the last bundle is in service"
    );
    let served: std::collections::BTreeSet<_> = generations.iter().collect();
    assert!(
        served.len() >= 7,
        "most generations served requests: {served:?}"
    );
    eprintln!(
        "load: {} requests through Squid, 0 dropped, {} records, generations served {served:?}",
        answers.len(),
        records.len()
    );
    // Each answer matches the record of the bundle that decided it.
    for (n, status, body) in answers.iter() {
        if n % 50 == 7 {
            assert!(status.contains(" 403 "), "IWF page {n}: {status}");
            continue;
        }
        let (g, action) = &by_n[n];
        let want = if g.is_multiple_of(2) {
            ("block", " 403 ")
        } else {
            ("allow", " 200 ")
        };
        assert_eq!(action, want.0, "request {n}, generation {g}");
        assert!(
            status.contains(want.1),
            "request {n}, generation {g}: {status}"
        );
        if want.0 == "allow" {
            assert_eq!(body, &format!("hello /probe?n={n}"));
        }
    }
    assert!(
        cache_log.contains("reload failed, the engine in service keeps serving"),
        "the corrupt bundle was reported:\n{cache_log}"
    );
}

// ---------------------------------------------------------------------------
// Warn and proceed through the url-rewrite helper (issue 33's proceed rates).

const WARN_GAMES_POLICY: &str = r#"id = "pupils"
default = "allow"
[[rules]]
id = "warn-games"
action = "warn"
categories = ["gaming"]
"#;

/// `%XX` and `+` of a query value, as the block page would read it.
fn query_value(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))?;
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn location(response: &str) -> String {
    response
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn squid_url_rewrite_warns_and_lets_the_user_proceed_once_with_a_checked_token() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-proceed");
    let (exe, _) = install_helper(&scratch);
    let policy = scratch.file("pupils.toml", WARN_GAMES_POLICY);
    set_mode(&policy, 0o644);
    let bundle = compile_in(
        &scratch,
        "games.esb",
        &[("gaming", "games.txt", "games.example\n")],
    );
    let origin = counting_origin();
    let block_page = format!("http://127.0.0.1:{}/blocked", origin.port);
    let log = scratch.path().join("records.jsonl");
    std::fs::write(&log, "").unwrap();
    set_mode(&log, 0o666);
    set_mode(scratch.path(), 0o777);
    let squid = start_squid(
        &scratch,
        &format!(
            "url_rewrite_program {} squid-helper --policy {} --bundle {} --protocol url-rewrite --block-url {block_page} --log {}\n\
             url_rewrite_children 1 startup=1 idle=1 concurrency=4",
            exe.display(),
            policy.display(),
            bundle.display(),
            log.display()
        ),
    );
    let page = format!("http://games.example:{}/play", origin.port);
    let host = format!("games.example:{}", origin.port);
    let reached = |path: &str| {
        origin
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.as_str() == path)
            .count()
    };

    // 1. Warned: to the block page with the decision and a proceed address.
    let (status, response) = squid.get(&page, &host);
    assert!(
        status.contains(" 302 "),
        "warned page should be redirected, got `{status}`"
    );
    let warned_at = location(&response);
    assert!(
        warned_at.starts_with(&format!(
            "{block_page}?action=warn&rule=warn-games&categories=gaming&proceed="
        )),
        "{warned_at}"
    );
    let proceed = query_value(&warned_at, "proceed").unwrap();
    assert!(
        proceed.starts_with("http://proceed.esafety.invalid/?url="),
        "{proceed}"
    );
    assert_eq!(
        reached("/play"),
        0,
        "a warned page must not reach the origin before the user proceeds"
    );

    // 2. A forged token (what a page could embed to click "continue" for
    // the child) is blocked, and lets nothing through.
    let (head, token) = proceed.rsplit_once("token=").unwrap();
    let flipped = format!(
        "{head}token={}{}",
        token.get(..token.len() - 1).unwrap(),
        if token.ends_with('0') { '1' } else { '0' }
    );
    let (status, response) = squid.get(&flipped, "proceed.esafety.invalid");
    assert!(status.contains(" 302 "), "{status}");
    assert!(
        location(&response).starts_with(&format!("{block_page}?action=block&rule=error")),
        "a forged proceed address must be blocked: {}",
        location(&response)
    );
    let (status, _) = squid.get(&page, &host);
    assert!(
        status.contains(" 302 "),
        "a forged token must not grant a pass, got `{status}`"
    );
    assert_eq!(reached("/play"), 0);

    // 3. The page's own link: redirected to the page, which then loads once.
    let (status, response) = squid.get(&proceed, "proceed.esafety.invalid");
    assert!(status.contains(" 302 "), "{status}");
    assert_eq!(location(&response), page);
    let (status, body) = squid.get(&page, &host);
    assert!(
        status.contains(" 200 "),
        "the user proceeded, the page should load, got `{status}`"
    );
    assert!(body.ends_with("hello /play"), "{body}");
    assert_eq!(reached("/play"), 1);

    // 4. One pass per proceed: the next visit is warned again.
    let (status, _) = squid.get(&page, &host);
    assert!(
        status.contains(" 302 "),
        "the pass is used once, got `{status}`"
    );
    assert_eq!(reached("/play"), 1);

    // The records: three warnings shown, one request that went ahead.
    drop(squid);
    let records = records(&log);
    let actions: Vec<(String, bool)> = records
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap_or_default().to_owned(),
                r["proceeded"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("warn".to_owned(), false),
            ("warn".to_owned(), false),
            ("warn".to_owned(), true),
            ("warn".to_owned(), false),
        ],
        "{records:#?}"
    );
    let report = Command::new(env!("CARGO_BIN_EXE_esafety"))
        .args(["report", "--json", "--log"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(summary["warned"], 3);
    assert_eq!(summary["warn_rates"]["proceeded"], 1);
    assert_eq!(summary["warn_rates"]["proceeded_by_category"]["gaming"], 1);
}

// ---------------------------------------------------------------------------
// Search terms scored with phrase lists (issue 34).

/// A weighted phrase list of our own (the e2guardian lists are GPL data,
/// not copied here), in e2guardian's syntax.
const GAMBLING_PHRASES: &str = "#listcategory: \"Gambling\"\n< poker ><60>\n< casino ><50>\n< roulette ><30>\n< blackjack ><40>\n";

#[test]
fn squid_blocks_a_search_whose_terms_cross_the_content_limit() {
    if !squid_available() {
        return;
    }
    let scratch = readable_scratch("squid-phrases");
    // The shipped secondary policy: `content_limit = "by-age"`, 100 at 14.
    let (exe, policy) = install_helper(&scratch);
    let phrases = scratch.file("weightedphraselist", GAMBLING_PHRASES);
    set_mode(&phrases, 0o644);
    let log = scratch.path().join("decisions.jsonl");
    std::fs::write(&log, "").unwrap();
    set_mode(&log, 0o666);
    let origin = counting_origin();
    let squid = start_squid(
        &scratch,
        &format!(
            "external_acl_type esafety ttl=0 negative_ttl=0 children-max=1 children-startup=1 concurrency=4 %URI \
             {} squid-helper --policy {} --group pupils --age 14 --device managed --log {} --phrases {}\n\
             acl esafety_allowed external esafety\n\
             http_access deny !esafety_allowed",
            exe.display(),
            policy.display(),
            log.display(),
            phrases.display()
        ),
    );
    let host = format!("www.duckduckgo.com:{}", origin.port);
    // (case, search path, want status, want score)
    let cases = [
        ("over the limit: 60 + 50", "/?q=poker+casino", " 403 ", 110),
        ("under the limit: 60", "/?q=poker+rules", " 200 ", 60),
        ("no phrase", "/?q=volcanoes", " 200 ", 0),
        (
            "at the limit is not over it: 60 + 40",
            "/?q=poker+blackjack",
            " 200 ",
            100,
        ),
    ];
    for (case, path, want, _) in cases {
        let (status, body) = squid.get(format!("http://{host}{path}"), &host);
        assert!(status.contains(want), "{case}: got `{status}` {body}");
    }
    drop(squid);
    // What reached the origin: every search under the limit, none over it.
    let seen = origin.seen.lock().unwrap().clone();
    for (case, path, want, _) in cases {
        let reached = seen.iter().filter(|p| *p == path).count();
        assert_eq!(
            reached,
            usize::from(want == " 200 "),
            "{case}: origin saw {seen:?}"
        );
    }
    let records = records(&log);
    for (case, path, want, score) in cases {
        let terms = path.trim_start_matches("/?q=").replace('+', " ");
        let record = records
            .iter()
            .find(|r| r["search_terms"]["terms"] == terms.as_str())
            .unwrap_or_else(|| panic!("{case}: no record for `{terms}`: {records:?}"));
        let content = &record["content"][0];
        assert_eq!(
            (content["score"].as_i64(), content["limit"].as_i64()),
            (Some(score), Some(100)),
            "{case}: {record}"
        );
        if want == " 403 " {
            assert_eq!(
                (record["action"].as_str(), record["rule"].as_str()),
                (Some("block"), Some("content")),
                "{case}: {record}"
            );
            assert_eq!(content["crossed"], true, "{case}: {record}");
        } else {
            assert_ne!(record["action"], "block", "{case}: {record}");
        }
    }
}
