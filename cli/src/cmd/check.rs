//! `esafety check --policy POLICY [--bundle BUNDLE] [--group G] [--age N]
//! [--device managed|byod] [--at RFC3339] [--json] [URL...]`
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
use std::io::{self, Write};
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
    /// URLs to check, as bytes (none: one per line on standard input).
    urls: Vec<OsString>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = args.engine.load()?;
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
            Input::Url(input) => match engine.check(input, context) {
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
