//! `esafety classify [--bundle BUNDLE] [--json] [URL...]`
//!
//! Classifies each URL (arguments, else one per line on standard input)
//! against a compiled bundle, or the built-in sample bundle
//! when `--bundle` is omitted. Plain output is one line per URL:
//! `canonical-url<TAB>categories` (comma-separated ids, `-` for none), then
//! `<TAB>list:expression` for each match; with `--json`, one
//! `{"url", "canonical", "categories", "matches"}` object per URL. An input
//! that is not a URL is reported (stderr in plain mode, `{"url", "error"}`
//! with `--json`), the rest are still classified, and the exit status is 1.
//! An unreadable or corrupt bundle exits 2 with one line on stderr.

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use esafety::CanonicalUrl;
use esafety::bundle::Bundle;
use esafety::classify::{Classification, ClassificationReport, Classifier};
use esafety::policy::echo_prefix;
use serde::Serialize;

use crate::input::Input;

/// Arguments of `esafety classify`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Output: one line per URL, `canonical<TAB>categories<TAB>list:expression...` \
                  (categories comma-separated, `-` for none).\n\
                  Exit status: 0 when every input is a URL; 1 when some input is not (it is \
                  reported and the others are still classified); 2 on bad usage or an \
                  unreadable or corrupt bundle."
)]
pub(crate) struct Args {
    /// A compiled bundle (`esafety compile -o FILE`); default: the built-in sample bundle.
    #[arg(long, value_name = "BUNDLE")]
    bundle: Option<PathBuf>,
    /// Load the bundle only if BUNDLE.sig is its signature by this public key
    /// (`esafety keygen`).
    #[arg(long, value_name = "PUBLIC_KEY")]
    verify: Option<PathBuf>,
    /// Print one JSON object per URL: {"url", "canonical", "categories", "matches"}.
    #[arg(long)]
    json: bool,
    /// URLs to classify, as bytes (none: one per line on standard input).
    urls: Vec<OsString>,
}

/// Loads the bundle file at `path` or, without one, the sample bundle;
/// with `verify`, only a bundle signed by that public key.
///
/// The file is read into memory rather than memory-mapped: `memmap2`'s map
/// is `unsafe` (another process could change the file under the map) and
/// this crate forbids unsafe code. Library users who accept that contract
/// can pass a map to [`Bundle::from_bytes`] directly.
pub(crate) fn load_bundle(
    path: Option<&Path>,
    verify: Option<&Path>,
) -> anyhow::Result<Bundle<Vec<u8>>> {
    let key = verify.map(crate::cmd::sign::read_public_key).transpose()?;
    let Some(path) = path else {
        if key.is_some() {
            anyhow::bail!(
                "the built-in sample bundle is not signed; pass the signed bundle with --bundle, \
                 or leave out --verify"
            );
        }
        return esafety::sample::bundle().context("cannot load the built-in sample bundle");
    };
    let bytes = esafety::bundle::read_bundle_file(path, &esafety::Limits::default())
        .with_context(|| format!("cannot read bundle `{}`", path.display()))?;
    match &key {
        Some(key) => crate::cmd::sign::verified_bundle_file(path, bytes, key),
        None => Bundle::from_bytes(bytes)
            .with_context(|| format!("cannot load bundle `{}`", path.display())),
    }
}

#[derive(Serialize)]
struct Failure<'a> {
    url: &'a str,
    error: String,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let classifier = Classifier::new(load_bundle(args.bundle.as_deref(), args.verify.as_deref())?);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(crate::input::WRITE_BUFFER, stdout.lock());
    let mut failed = 0usize;
    let json = args.json;
    crate::input::for_each_input(args.urls, &mut out, |input, out| {
        let (url, error) = match input {
            Input::Url(input) => match CanonicalUrl::parse(input) {
                Ok(url) => {
                    let classification = classifier.classify(&url);
                    if json {
                        let report = ClassificationReport::new(input, &url, &classification);
                        return write_json(out, &report);
                    }
                    return write_line(out, &url, &classification);
                }
                Err(err) => (echo_prefix(input), err.to_string()),
            },
            Input::TooLong(line) => (echo_prefix(line.prefix), line.to_string()),
        };
        failed += 1;
        if json {
            let failure = Failure { url: &url, error };
            serde_json::to_writer(&mut *out, &failure).context("writing standard output")?;
            writeln!(out).context("writing standard output")?;
        } else {
            out.flush().context("writing standard output")?;
            eprintln!("esafety: `{url}`: {error}");
        }
        Ok(())
    })?;
    out.flush().context("writing standard output")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes one classification as a JSON object.
fn write_json(out: &mut impl Write, report: &ClassificationReport) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, report).context("writing standard output")?;
    writeln!(out).context("writing standard output")
}

/// Writes one classification as the plain line
/// `canonical<TAB>categories<TAB>list:expression...`: the fields of
/// [`ClassificationReport`] (category ids in its order), written straight
/// from the classification so that a line costs no copies of them.
fn write_line(
    out: &mut impl Write,
    url: &CanonicalUrl,
    c: &Classification<'_>,
) -> anyhow::Result<()> {
    out.write_all(url.as_str().as_bytes())
        .and_then(|()| out.write_all(b"\t"))
        .and_then(|()| {
            let mut ids = c
                .categories
                .iter()
                .filter_map(|category| c.matches.iter().find(|m| m.category == category))
                .map(|m| m.category_id)
                .peekable();
            if ids.peek().is_none() {
                return out.write_all(b"-");
            }
            for (i, id) in ids.enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(id.as_bytes())?;
            }
            Ok(())
        })
        .and_then(|()| {
            for m in &c.matches {
                out.write_all(b"\t")?;
                out.write_all(m.list.as_bytes())?;
                out.write_all(b":")?;
                out.write_all(m.expression.as_bytes())?;
            }
            out.write_all(b"\n")
        })
        .context("writing standard output")
}
