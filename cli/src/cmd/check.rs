//! `esafety check --policy POLICY [--bundle BUNDLE] [--group G] [--age N]
//! [--device managed|byod] [--at RFC3339] [--json] [--phrases FILE...
//! [--page FILE]] [URL...]`
//!
//! With `--phrases` (e2guardian phrase lists, as `esafety scan` reads
//! them), each URL's search terms, and the page text of `--page` (one URL
//! only), are scored, and the policy's and its rules' `content_limit`s act
//! on the scores; the JSON line then has `content`. (`--phrases` takes
//! every name after it: put URLs before it or after `--`.)
//!
//! Classifies each URL (arguments, else one per line on standard input)
//! and decides it under the policy. All the deciding is
//! [`esafety::policy::Engine`]; this file reads files and prints.
//!
//! Every input gets a decision line: one that is not a URL (`javascript:1`,
//! `http://[::1`) or a line over [`esafety::url::MAX_LINE_LEN`] gets the
//! core's fail-closed decision (block, rule `error`), its reason on
//! standard error, and the command exits with 1 at the end (the input was
//! understood and found wanting); 2 is for bad usage or input that cannot
//! be read (a policy or bundle file, a read error of standard input).

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use esafety::policy::DecisionReport;

use crate::input::Input;

/// Arguments of `esafety check`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Output: one line per URL, `action<TAB>canonical<TAB>rule<TAB>categories`; \
                  an input that is not a URL is blocked with rule `error` (empty canonical).\n\
                  Exit status: 0 when every input is a URL; 1 when some input is not (it is \
                  blocked, reported on standard error, and the others are still decided); \
                  2 on bad usage or an unreadable policy, bundle or input."
)]
pub(crate) struct Args {
    #[command(flatten)]
    engine: crate::input::EngineArgs,
    #[command(flatten)]
    user: crate::input::UserArgs,
    /// When the request is made, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339", value_parser = crate::input::parse_time)]
    at: Option<jiff::Timestamp>,
    /// Print one JSON object per URL.
    #[arg(long)]
    json: bool,
    /// e2guardian phrase lists (kinds by file name, as `esafety scan`):
    /// score each URL's search terms, and the `--page` text, for the
    /// policy's `content_limit`s.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    phrases: Vec<PathBuf>,
    /// The page's text (HTML or plain), scored with `--phrases`; only with
    /// one URL.
    #[arg(long, value_name = "FILE", requires = "phrases")]
    page: Option<PathBuf>,
    /// URLs to check, as bytes (none: one per line on standard input).
    urls: Vec<OsString>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = args.engine.load()?;
    let scanner = if args.phrases.is_empty() {
        None
    } else {
        let options = esafety::content::ScanOptions::default();
        Some(super::phrases::load_scanner(
            &args.phrases,
            options,
            &[],
            false,
        )?)
    };
    let page = match (&args.page, &scanner) {
        (Some(path), Some(scanner)) => {
            if args.urls.len() != 1 {
                anyhow::bail!(
                    "--page is the text of one page; give exactly one URL with it (got {})",
                    args.urls.len()
                );
            }
            Some(scan_page(scanner, path)?)
        }
        _ => None,
    };
    let context = args
        .user
        .context(args.at.unwrap_or_else(jiff::Timestamp::now));
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(crate::input::WRITE_BUFFER, stdout.lock());
    let mut failed = false;
    let json = args.json;
    crate::input::for_each_input(args.urls, &mut out, |input, out| {
        // Every input gets a decision; one that cannot be decided the
        // core's fail-closed one (block, rule `error`), with its reason on
        // standard error too.
        let (report, error) = match input {
            Input::Url(input) => match match &scanner {
                Some(scanner) => engine.check_with_content(input, context, scanner, page.as_ref()),
                None => engine.check(input, context),
            } {
                Ok(report) => (report, None),
                Err(err) => (DecisionReport::error(input, &err), Some(err.to_string())),
            },
            Input::TooLong(line) => (
                DecisionReport::error(line.prefix, &line),
                Some(line.to_string()),
            ),
        };
        if json {
            serde_json::to_writer(&mut *out, &report).context("writing standard output")?;
            writeln!(out).context("writing standard output")?;
        } else {
            write_plain(out, &report).context("writing standard output")?;
        }
        if let Some(error) = error {
            failed = true;
            out.flush().context("writing standard output")?;
            eprintln!("esafety: `{}`: {error}", report.url);
        }
        Ok(())
    })?;
    out.flush().context("writing standard output")?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The page text at `path`, scanned in pieces as it is read.
fn scan_page(
    scanner: &esafety::content::Scanner,
    path: &Path,
) -> anyhow::Result<esafety::content::ContentMatches> {
    let mut file = std::fs::File::open(path)
        .with_context(|| format!("cannot read page `{}`", path.display()))?;
    let mut stream = scanner.stream();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("reading page `{}`", path.display()));
            }
        };
        stream.feed(buffer.get(..n).unwrap_or_default());
    }
    Ok(stream.finish())
}

/// Writes the plain line of a decision:
/// `action<TAB>canonical<TAB>rule<TAB>categories[<TAB>safe-search: URL]`
/// (`canonical` is empty for an input that is not a URL).
fn write_plain(out: &mut impl Write, report: &DecisionReport) -> io::Result<()> {
    write!(
        out,
        "{}\t{}\t{}\t",
        report.action, report.canonical, report.rule
    )?;
    for (i, category) in report.categories.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(category.as_bytes())?;
    }
    if let Some(safe) = &report.safe_search {
        write!(out, "\tsafe-search: {safe}")?;
    }
    out.write_all(b"\n")
}
