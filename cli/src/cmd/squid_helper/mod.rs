//! `esafety squid-helper --policy P [--bundle B] [--site SITE] [--log FILE]
//! [--format FMT] [--protocol external-acl|url-rewrite] [--phrases FILE...]`
//!
//! A Squid helper process: reads one request per line on standard input and
//! answers each on standard output at once, as Squid's helper protocols
//! expect ([`protocol`]). Each line is decided for the client it names
//! (`--format`, [`format`](mod@format)): the site file (`--site`) gives the client's
//! policy, group, age and device, and `--policy` is the policy of clients no
//! entry matches. All the deciding is [`esafety::record::check_with`]; this
//! module only speaks the protocol, keeps the log and swaps engines.
//!
//! - **Content**: with `--phrases FILE...` (e2guardian phrase lists, as
//!   `esafety scan` reads them), each request's search terms are scored
//!   and the policy's and its rules' `content_limit`s act on the score
//!   (a search over the limit is blocked with rule `content`); the record
//!   carries the score (`content`). The lists are reloaded with the rest.
//! - **Records**: with `--log FILE`, one JSON line per decision
//!   (`esafety::record::DecisionRecord`), written before the answer; a
//!   record that cannot be written blocks the request (fail closed).
//!   `--pseudonymise-key FILE` writes users as keyed-hash pseudonyms,
//!   `--no-client-ip` leaves addresses out.
//! - **Alerts** ([`alerts`]): to standard error (cache.log) and to
//!   `--alert-webhook URL` by HTTP POST.
//! - **Live reload** ([`reload`]): SIGHUP (at once, through a self-pipe the
//!   reloader waits on), or a change to the bundle, the policy, the site
//!   file or a policy it names (checked every `--watch-interval-ms`), loads a
//!   new engine set on a background thread and swaps it in whole between two
//!   requests. A new set that does not load is reported on standard error
//!   and the old one keeps serving; no request waits for a load, is dropped
//!   or is answered twice. SIGHUP also reopens the log (logrotate).
//! - **Input**: lines are read through a fixed buffer and capped at
//!   [`esafety::url::MAX_LINE_LEN`] bytes; a longer line is answered
//!   with a block (rule `error`) on its channel, none of it echoed. A last
//!   line without a line ending (the input stopped in the middle of it) is
//!   not answered: it is reported on standard error and the helper ends.
//!   A `-` where the URL belongs is no URL: the request is blocked.
//! - **Warn and proceed** ([`proceed`], `url-rewrite` only): a warned
//!   request is redirected to the block page with `action=warn` and
//!   `proceed=ADDRESS`, the page's "continue" link; the helper checks that
//!   address's token when the browser asks for it and lets the next request
//!   for the URL from the same person go ahead, recorded as `proceeded`.
//! - **Time** comes from the system clock; records write it in the
//!   deciding policy's time zone.

mod alerts;
mod engines;
mod format;
mod log;
mod proceed;
mod protocol;
mod reload;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context as _;
use esafety::policy::DecisionReport;
use esafety::record::{PseudonymKey, RecordOptions, check_with};

use engines::{Defaults, Engines, Sources};
use esafety::url::{MAX_LINE_LEN, escape_invalid_utf8};
use format::LineFormat;
use protocol::Answer;
pub(crate) use protocol::Protocol;

use crate::input::{Line, LineReader, TooLong};

/// Arguments of `esafety squid-helper`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    engine: crate::input::EngineArgs,
    /// The helper protocol Squid speaks to this process.
    #[arg(long, value_enum, default_value = "external-acl")]
    protocol: Protocol,
    /// Who uses this proxy when the site file names nobody (or there is none).
    #[command(flatten)]
    user: crate::input::UserArgs,
    /// The block page for `url-rewrite` (the action, rule and categories are
    /// appended as query parameters).
    #[arg(long, value_name = "URL")]
    block_url: Option<String>,
    /// The site file: who each client is and which policy applies to them.
    #[arg(long, value_name = "SITE")]
    site: Option<PathBuf>,
    /// Append one JSON decision record per request to FILE.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// The fields of each line, in the squid.conf `%` codes (default
    /// `%URI`; with `--protocol url-rewrite`, `%URI %>a/%>A %un %>rm`).
    #[arg(long, value_name = "FMT")]
    format: Option<String>,
    /// Write users in records as keyed-hash pseudonyms with the key in FILE
    /// (at least 16 bytes).
    #[arg(long, value_name = "FILE")]
    pseudonymise_key: Option<PathBuf>,
    /// Leave client addresses out of records.
    #[arg(long)]
    no_client_ip: bool,
    /// POST each alert's record (JSON) to URL.
    #[arg(long, value_name = "URL")]
    alert_webhook: Option<String>,
    /// e2guardian phrase lists (kinds by file name, as `esafety scan`):
    /// score each request's search terms for the policies'
    /// `content_limit`s. Takes every name after it: put it last.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    phrases: Vec<PathBuf>,
    /// How often to look for changed files, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    watch_interval_ms: u64,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    // First of all: a SIGHUP that comes while the engines load (logrotate,
    // `squid -k reconfigure`) must not end the helper.
    let hangup = reload::Hangups::register()?;
    let format = match &args.format {
        Some(text) => LineFormat::parse(text).map_err(|e| anyhow::anyhow!("--format: {e}"))?,
        None => LineFormat::default_for(args.protocol == Protocol::UrlRewrite),
    };
    let mut options = RecordOptions::new();
    if let Some(path) = &args.pseudonymise_key {
        let key = std::fs::read(path)
            .with_context(|| format!("cannot read the pseudonym key `{}`", path.display()))?;
        options = options.with_pseudonyms(
            PseudonymKey::new(&key).with_context(|| format!("`{}`", path.display()))?,
        );
    }
    if args.no_client_ip {
        options = options.without_client_ip();
    }
    let sources = Sources {
        policy: args.engine.policy.clone(),
        bundle: args.engine.bundle.clone(),
        site: args.site.clone(),
        verify: args
            .engine
            .verify
            .as_deref()
            .map(crate::cmd::sign::read_public_key)
            .transpose()?,
        phrases: args.phrases.clone(),
        record: options,
    };
    let defaults = Defaults {
        group: args.user.group.clone(),
        age: args.user.age,
        device: args.user.device,
    };
    // The first load must work: there is no old engine to keep serving.
    let current: engines::Current = Arc::new(RwLock::new(Arc::new(Engines::load(&sources)?)));
    let log = match &args.log {
        Some(path) => Some(Arc::new(log::RecordLog::open(path)?)),
        None => None,
    };
    reload::spawn(
        sources,
        Arc::clone(&current),
        log.clone(),
        hangup,
        Duration::from_millis(args.watch_interval_ms.max(10)),
    );
    let alerts = alerts::Alerts::new(args.alert_webhook.clone());
    let block_url = args
        .block_url
        .as_deref()
        .unwrap_or("http://esafety.invalid/blocked");

    // Warn and proceed needs a page to show the warning on: url-rewrite.
    let mut proceeding = match args.protocol {
        Protocol::UrlRewrite => Some(proceed::Proceeding::new()?),
        Protocol::ExternalAcl => None,
    };

    let stdout = io::stdout();
    // Standard output is line-buffered: one `write_all` of a batch of
    // answer lines is one write.
    let mut batch = Batch::new(
        stdout.lock(),
        log.clone(),
        Answer::for_report(
            &DecisionReport::error("", "the decision could not be recorded"),
            args.protocol,
            block_url,
        ),
    );
    let mut lines = LineReader::new(io::stdin().lock(), MAX_LINE_LEN);
    // The request line as text, and its answer, in buffers reused line
    // after line.
    let mut line = String::with_capacity(1 << 10);
    let mut answer = String::with_capacity(1 << 10);
    loop {
        let number = lines.number() + 1;
        // The answers (and their records) wait only while more input is
        // already here: before any read that may block, they are written
        // out (records first) and flushed, so Squid never waits for one.
        let Some(read) = lines
            .next_line(|| batch.flush())
            .with_context(|| format!("reading request line {number} from Squid"))?
        else {
            break;
        };
        // Squid copies request bytes as they came: a line that is not
        // UTF-8 is still a request to answer. Ending the helper there would
        // take Squid down ("helpers are crashing too rapidly") for one
        // crafted request.
        line.clear();
        let too_long = match read {
            Line::Text(bytes) => {
                line.push_str(&escape_invalid_utf8(bytes));
                None
            }
            Line::TooLong {
                number,
                len,
                prefix,
            } => {
                line.push_str(&escape_invalid_utf8(prefix));
                Some((number, len))
            }
        };
        if !lines.terminated() {
            // Squid ends every request with a line ending: a last line
            // without one was cut off (Squid stopped mid-write), and
            // whatever it holds is not the request Squid meant to send.
            eprintln!(
                "esafety: request line {number} ends without a line ending (the input stopped in the middle of it); it is not answered"
            );
            break;
        }
        let fields = format.read(&line);
        answer.clear();
        match (too_long, fields.url) {
            (Some((line, len)), _) => {
                // Answered (blocked) on its channel, echoing none of it.
                let too_long = TooLong {
                    line,
                    len,
                    prefix: "",
                };
                eprintln!("esafety: {too_long}; blocking it (fail closed)");
                protocol::write_for_report(
                    &mut answer,
                    &DecisionReport::error("", &too_long),
                    args.protocol,
                    block_url,
                    None,
                );
            }
            (None, None) => protocol::write_for_report(
                &mut answer,
                &DecisionReport::error("", "the request line is empty"),
                args.protocol,
                block_url,
                None,
            ),
            (None, Some(url)) => {
                let engines = engines::in_service(&current);
                let (policy, identity) =
                    engines.resolve(&defaults, fields.client_ip, fields.user.as_deref());
                // Squid asks now; the core never reads the clock, the face does.
                let now = jiff::Timestamp::now();
                let url = args.protocol.url_as_sent(url);
                let decide = |url: &str| {
                    check_with(
                        &engines.classifier,
                        policy,
                        url,
                        &identity,
                        now,
                        &engines.options,
                    )
                };
                let step = match &mut proceeding {
                    Some(proceeding) => proceeding.step(&url, &identity, now, decide),
                    None => proceed::Step::NotProceed,
                };
                match step {
                    // A proceed address is not a request for a page: no record.
                    proceed::Step::Continue(target) => {
                        answer.push_str(&Answer::redirect(&target).0);
                    }
                    proceed::Step::Answer(report) => protocol::write_for_report(
                        &mut answer,
                        &report,
                        args.protocol,
                        block_url,
                        None,
                    ),
                    proceed::Step::NotProceed => {
                        let mut checked = decide(&url);
                        if let Some(proceeding) = &mut proceeding {
                            proceeding.take(&mut checked, &identity, now);
                        }
                        if checked.record.alert.is_some() {
                            alerts.raise(&checked.record, &checked.record.to_json_line());
                        }
                        // Every error is answered with the core's error decision
                        // (fail closed); the URL is not repeated in it.
                        let report = match checked.outcome {
                            Ok(report) => report,
                            Err(e) => DecisionReport::error("", e),
                        };
                        let link = proceeding
                            .as_ref()
                            .and_then(|p| p.link(&report, &identity, now));
                        match batch.record(&checked.record) {
                            Ok(()) => protocol::write_for_report(
                                &mut answer,
                                &report,
                                args.protocol,
                                block_url,
                                link.as_deref(),
                            ),
                            Err(e) => {
                                eprintln!("esafety: {e:#}; blocking the request (fail closed)");
                                answer.push_str(&batch.unrecorded.0);
                            }
                        }
                    }
                }
            }
        }
        batch.answer(fields.channel, &answer);
        if batch.is_full() {
            batch.flush().context("answering Squid")?;
        }
    }
    // Whatever was read is answered, even when the input ends mid-line.
    batch.flush().context("answering Squid")?;
    Ok(ExitCode::SUCCESS)
}

/// The answers (and records) of lines read while more input was already
/// waiting, held until the reader would block, the batch is full, or the
/// input ends: then the records are appended to the log in one write and
/// the answers written in one, records first. A batch whose records cannot
/// be written is answered with blocks (fail closed): no answer goes out
/// before its record is in the log.
struct Batch<W: Write> {
    out: W,
    log: Option<Arc<log::RecordLog>>,
    /// The records of the pending answers, one JSON line each.
    records: Vec<u8>,
    /// The pending answer lines (with channel ids and line endings).
    answers: Vec<u8>,
    /// Where each pending answer starts in `answers`, and its channel's
    /// length (to answer it again as a block if its record is not written).
    starts: Vec<(usize, usize)>,
    /// The answer to a request whose record cannot be written.
    unrecorded: Answer,
}

/// A batch is written out at this many answers even while more input waits
/// (bounds memory and how long an answer can wait behind others).
const BATCH_ANSWERS: usize = 256;

impl<W: Write> Batch<W> {
    fn new(out: W, log: Option<Arc<log::RecordLog>>, unrecorded: Answer) -> Batch<W> {
        Batch {
            out,
            log,
            records: Vec::with_capacity(1 << 16),
            answers: Vec::with_capacity(1 << 14),
            starts: Vec::with_capacity(BATCH_ANSWERS),
            unrecorded,
        }
    }

    /// Adds a decision's record (its JSON line) to the batch, when there is
    /// a log.
    fn record(&mut self, record: &esafety::record::DecisionRecord) -> anyhow::Result<()> {
        if self.log.is_none() {
            return Ok(());
        }
        let before = self.records.len();
        if let Err(e) = serde_json::to_writer(&mut self.records, record) {
            self.records.truncate(before);
            return Err(anyhow::anyhow!(
                "the decision record could not be written: {e}"
            ));
        }
        self.records.push(b'\n');
        Ok(())
    }

    /// Adds an answer line.
    fn answer(&mut self, channel: Option<&str>, answer: &str) {
        let start = self.answers.len();
        let channel_len = match channel {
            Some(channel) => {
                self.answers.extend_from_slice(channel.as_bytes());
                self.answers.push(b' ');
                channel.len() + 1
            }
            None => 0,
        };
        self.answers.extend_from_slice(answer.as_bytes());
        self.answers.push(b'\n');
        self.starts.push((start, channel_len));
    }

    fn is_full(&self) -> bool {
        self.starts.len() >= BATCH_ANSWERS
    }

    /// Writes the records, then the answers, and flushes.
    fn flush(&mut self) -> io::Result<()> {
        if self.starts.is_empty() {
            return Ok(());
        }
        let logged = match (&self.log, self.records.is_empty()) {
            (Some(log), false) => log.write_lines(&self.records),
            _ => Ok(()),
        };
        if let Err(e) = logged {
            eprintln!(
                "esafety: {e:#}; blocking the {} requests of this batch (fail closed)",
                self.starts.len()
            );
            let mut blocked = Vec::with_capacity(self.answers.len());
            for &(start, channel_len) in &self.starts {
                let channel = self
                    .answers
                    .get(start..start + channel_len)
                    .unwrap_or_default();
                blocked.extend_from_slice(channel);
                blocked.extend_from_slice(self.unrecorded.0.as_bytes());
                blocked.push(b'\n');
            }
            self.answers = blocked;
        }
        self.records.clear();
        self.starts.clear();
        let written = self.out.write_all(&self.answers);
        self.answers.clear();
        written?;
        self.out.flush()
    }
}
