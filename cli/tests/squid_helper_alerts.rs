//! `esafety squid-helper --alert-webhook URL`: alerts reach the safeguarding
//! lead's webhook as an HTTP POST of the decision record, tested against a
//! local HTTP server on 127.0.0.1. The helper runs as Squid runs it: it
//! reads request lines on standard input and stays up until that closes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should panic with its message"
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Scratch;

/// One HTTP request the webhook received.
#[derive(Debug, Clone)]
struct Received {
    request_line: String,
    content_type: String,
    body: String,
}

/// A webhook on 127.0.0.1 that answers every request `status` and keeps it.
struct Webhook {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
}

fn webhook(status: &'static str) -> Webhook {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&got);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if let Some(received) = read_request(&stream) {
                let mut out = &stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                keep.lock().unwrap().push(received);
            }
        }
    });
    Webhook { port, got }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let (mut length, mut content_type) = (0usize, String::new());
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "content-type" => content_type = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        request_line: request_line.trim_end().to_owned(),
        content_type,
        body: String::from_utf8(body).ok()?,
    })
}

/// A policy whose `watch-games` rule asks for a same-day alert.
const POLICY: &str = r#"id = "lead"
default = "allow"
[[rules]]
id = "watch-games"
action = "monitor"
categories = ["gaming"]
alert = "same-day"
"#;

/// The sample IWF test entry: a statutory block.
const ABUSE_URL: &str = "http://iwf-test.esafety.invalid/abuse/page-1.html";

fn start_helper(scratch: &Scratch, webhook_url: &str) -> Child {
    let policy = scratch.file("lead.toml", POLICY);
    Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("squid-helper")
        .arg("--policy")
        .arg(&policy)
        .args([
            "--format",
            "%URI %>a %un",
            "--group",
            "pupils",
            "--age",
            "13",
        ])
        .arg("--log")
        .arg(scratch.path().join("decisions.jsonl"))
        .args(["--alert-webhook", webhook_url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `lines`, reads one answer per line.
fn ask(child: &mut Child, lines: &[String]) -> Vec<String> {
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    let mut reader = BufReader::new(stdout);
    let answers = (0..lines.len())
        .map(|_| {
            let mut answer = String::new();
            reader.read_line(&mut answer).unwrap();
            answer.trim_end().to_owned()
        })
        .collect();
    child.stdin = Some(stdin);
    child.stdout = Some(reader.into_inner());
    answers
}

/// Waits up to 20 s for `n` requests at the webhook.
fn wait_for(hook: &Webhook, n: usize) -> Vec<Received> {
    let start = Instant::now();
    loop {
        let got = hook.got.lock().unwrap().clone();
        if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Closes standard input and returns what the helper wrote on stderr.
fn finish(mut child: Child) -> String {
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the helper exits 0 at the end of input"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn alerts_are_posted_to_the_webhook_as_their_records() {
    let scratch = Scratch::new("helper-webhook");
    let hook = webhook("200 OK");
    let mut helper = start_helper(
        &scratch,
        &format!("http://127.0.0.1:{}/esafety/alerts", hook.port),
    );
    let lines = [
        format!("{ABUSE_URL} 10.0.0.7 alice"),
        "https://www.roblox.com/games 10.0.0.8 bob".to_owned(),
        "https://www.bbc.co.uk/news 10.0.0.9 carol".to_owned(),
    ];
    let answers = ask(&mut helper, &lines);
    assert!(answers[0].starts_with("ERR "), "{answers:?}");
    assert!(answers[1].starts_with("OK "), "{answers:?}");
    assert!(answers[2].starts_with("OK "), "{answers:?}");

    let got = wait_for(&hook, 2);
    // The allow raised nothing: give a third POST time to arrive if it would.
    std::thread::sleep(Duration::from_millis(300));
    let got_after = hook.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "two alerts (statutory, rule): {got:?}");
    assert_eq!(got_after.len(), 2, "no alert for an allow: {got_after:?}");

    let log = std::fs::read_to_string(scratch.path().join("decisions.jsonl")).unwrap();
    let logged: Vec<&str> = log.lines().collect();
    assert_eq!(logged.len(), 3, "one record per decision:\n{log}");
    for received in &got {
        assert_eq!(received.request_line, "POST /esafety/alerts HTTP/1.1");
        assert_eq!(received.content_type, "application/json");
        assert!(
            logged.contains(&received.body.as_str()),
            "the body is the logged record: {}",
            received.body
        );
    }
    let bodies: Vec<serde_json::Value> = got
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let statutory = bodies
        .iter()
        .find(|b| b["rule"] == "baseline")
        .expect("the statutory block alerts");
    assert_eq!(statutory["alert"]["urgency"], "immediately");
    assert_eq!(statutory["user"], "alice");
    assert_eq!(statutory["client_ip"], "10.0.0.7");
    assert!(statutory["url"].as_str().unwrap().starts_with("sha256:"));
    assert!(
        statutory["incident"].is_object(),
        "it carries the incident draft"
    );
    let games = bodies
        .iter()
        .find(|b| b["rule"] == "watch-games")
        .expect("the rule asked for an alert");
    assert_eq!(games["alert"]["urgency"], "same-day");
    assert_eq!(games["user"], "bob");

    let stderr = finish(helper);
    assert!(stderr.contains("esafety: ALERT (immediately)"), "{stderr}");
    assert!(stderr.contains("esafety: ALERT (same-day)"), "{stderr}");
    for (name, text) in [
        (
            "webhook",
            got.iter().map(|r| r.body.as_str()).collect::<String>(),
        ),
        ("log", log.clone()),
        ("stderr", stderr.clone()),
    ] {
        assert!(
            !text.contains("iwf-test") && !text.contains("abuse/page-1"),
            "no IWF host or path in the {name}:\n{text}"
        );
    }
}

#[test]
fn a_failing_webhook_never_holds_up_an_answer() {
    let scratch = Scratch::new("helper-webhook-down");
    // A webhook that refuses every POST, then one that is not there at all.
    let refusing = webhook("503 Service Unavailable");
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for url in [
        format!("http://127.0.0.1:{}/alerts", refusing.port),
        format!("http://127.0.0.1:{closed}/alerts"),
    ] {
        let mut helper = start_helper(&scratch, &url);
        let lines: Vec<String> = (0..20)
            .map(|i| format!("{ABUSE_URL} 10.0.0.{i} user{i}"))
            .collect();
        let start = Instant::now();
        let answers = ask(&mut helper, &lines);
        let took = start.elapsed();
        assert!(answers.iter().all(|a| a.starts_with("ERR ")), "{answers:?}");
        assert!(
            took < Duration::from_secs(5),
            "20 answers took {took:?} with the webhook at {url} failing"
        );
        if url.contains(&refusing.port.to_string()) {
            // Retried (3 tries per alert), so it gets at least the first.
            assert!(!wait_for(&refusing, 3).is_empty());
        }
        let stderr = finish(helper);
        assert!(stderr.contains("esafety: ALERT (immediately)"), "{stderr}");
    }
}
