//! `esafety scan --phrases FILE... [--limit N] [--json] [FILE]`
//!
//! (`--phrases` takes every name after it, so a text FILE comes before it
//! or after `--`.)
//!
//! Scores a text (a file, or standard input) against e2guardian phrase
//! lists with [`esafety::content`], as e2guardian scores a page. The text
//! is streamed through the scanner in pieces as it is read, so memory does
//! not grow with it. Each list's kind (exception, banned, weighted) comes
//! from its file name, as e2guardian's configuration names them; its
//! `.Include<path>` lines are read from the file system.
//!
//! Output: `verdict<TAB>score<TAB>explanation`, or with `--json` one object
//! `{"score", "verdict", "reason", "limit", "pass", "categories", "hits"}`.
//! Exit 0 when the text was scanned (whatever the verdict), 2 when a list
//! or the text cannot be read or a list is refused.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use esafety::content::{CaseMode, ContentLimit, Counting, PassMode, ScanOptions};

/// The size of the pieces the text is read and scanned in.
const CHUNK: usize = 64 * 1024;

/// Arguments of `esafety scan`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// e2guardian phrase lists (`exceptionphraselist`, `bannedphraselist`,
    /// `weightedphraselist`, or a topic list: a name starting `exception`
    /// or `banned` is that kind, any other is weighted).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    phrases: Vec<PathBuf>,
    /// The naughtiness limit: a score over it blocks. `young-children` (50,
    /// the default), `older-children` (100), `young-adults` (160) or points.
    #[arg(long, value_name = "N", default_value = "young-children")]
    limit: ContentLimit,
    /// e2guardian's `phrasefiltermode`: `both` (smart then raw, its
    /// default), `smart` (tags stripped) or `raw`.
    #[arg(long, value_name = "MODE", default_value = "both")]
    passes: PassMode,
    /// e2guardian's `preservecase`: `fold` (its default), `preserve` or `both`.
    #[arg(long, value_name = "MODE", default_value = "fold")]
    case: CaseMode,
    /// Count each phrase × its occurrences (`weightedphrasemode = 1`)
    /// instead of once per pass (its default, 2).
    #[arg(long)]
    count_occurrences: bool,
    /// Map an e2guardian list category to an esafety category id, over
    /// the default mapping: `--category "Sport=local-sport"`.
    #[arg(long, value_name = "NAME=ID")]
    category: Vec<String>,
    /// Refuse lists with lines e2guardian reads as other than they look
    /// (by default they are read as e2guardian reads them, and counted on
    /// standard error).
    #[arg(long)]
    strict: bool,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// The text to scan (default: standard input). After `--phrases`,
    /// write it after `--`: `esafety scan --phrases LIST... -- PAGE`.
    file: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scanner = super::phrases::load_scanner(
        &args.phrases,
        ScanOptions {
            passes: args.passes,
            case: args.case,
            counting: if args.count_occurrences {
                Counting::Occurrences
            } else {
                Counting::OncePerPass
            },
        },
        &args.category,
        args.strict,
    )?;

    let mut stream = scanner.stream();
    let mut buffer = vec![0u8; CHUNK];
    let (mut reader, what): (Box<dyn Read>, String) = match &args.file {
        Some(path) => (
            Box::new(
                std::fs::File::open(path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?,
            ),
            format!("`{}`", path.display()),
        ),
        None => (Box::new(io::stdin().lock()), "standard input".to_owned()),
    };
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {what}")),
        };
        stream.feed(buffer.get(..n).unwrap_or_default());
    }
    let score = stream.finish().judge(args.limit.points());

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &score).context("writing standard output")?;
        writeln!(out).context("writing standard output")?;
    } else {
        writeln!(
            out,
            "{}\t{}\t{}",
            if score.blocks() { "block" } else { "allow" },
            score.score,
            score.explain()
        )
        .context("writing standard output")?;
    }
    out.flush().context("writing standard output")?;
    Ok(ExitCode::SUCCESS)
}
