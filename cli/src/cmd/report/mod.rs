//! `esafety report --log FILE... [--from DATE] [--to DATE] [--site S]
//! (-o REPORT.html | --json | --csv)`
//!
//! Reads decision logs (JSON Lines) one record at a time into the core's
//! streaming aggregation (`esafety::report`) and writes the summary: one
//! self-contained HTML page (template `cli/templates/report.html`, SVG
//! charts drawn by `plotters`), the summary as JSON, or its tables as CSV.
//! A line that is not a record is reported on stderr by file and line and
//! skipped, never fatal; the summary counts them. A progress bar shows on
//! a terminal only.

mod chart;
mod csv_tables;
mod page;

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use esafety::record::{LogLine, LogLines, ReadError};
use esafety::report::{Aggregator, LessonTimes, ReportOptions, Summary};

/// Arguments of `esafety report`.
#[derive(clap::Args, Debug)]
#[command(group = clap::ArgGroup::new("form").required(true).args(["output", "json", "csv"]))]
pub(crate) struct Args {
    /// A decision log (JSON Lines, as `squid-helper --log` writes); repeat
    /// for several sites or days (`-` for standard input).
    #[arg(long = "log", value_name = "FILE", required = true)]
    logs: Vec<PathBuf>,
    /// The first day of the period (YYYY-MM-DD, the records' local date).
    #[arg(long, value_name = "DATE")]
    from: Option<jiff::civil::Date>,
    /// The last day of the period (YYYY-MM-DD, included).
    #[arg(long, value_name = "DATE")]
    to: Option<jiff::civil::Date>,
    /// Only the records of this site (the site file's `site`).
    #[arg(long, value_name = "SITE")]
    site: Option<String>,
    /// Escalation profile for the alerts' routes: a shipped name
    /// (`national`, `manchester`) or a profile TOML file. Default: `national`.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Lesson times, Monday to Friday (for the over-blocking signal).
    #[arg(long, value_name = "HH:MM-HH:MM", default_value = "08:45-15:30")]
    lesson_times: String,
    /// How many top blocked sites and flagged search terms to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Write the HTML report to this file.
    #[arg(short = 'o', long = "output", value_name = "REPORT.html")]
    output: Option<PathBuf>,
    /// Print the summary as one JSON document on standard output.
    #[arg(long)]
    json: bool,
    /// Print the report's tables as CSV on standard output.
    #[arg(long)]
    csv: bool,
}

/// Bad lines reported one by one on stderr; past this, only counted.
const MAX_REPORTED_BAD_LINES: u64 = 100;

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lessons = LessonTimes::parse(&args.lesson_times)?;
    let options = ReportOptions::new()
        .with_period(args.from, args.to)?
        .with_site(args.site.clone())
        .with_lesson_times(lessons)
        .with_top(args.top);
    let profile = crate::cmd::incident::load_profile(args.profile.as_deref())?;
    let mut aggregator = Aggregator::new(options, profile);
    let mut reported = 0u64;
    for path in &args.logs {
        read_log(path, &mut aggregator, &mut reported)?;
    }
    let summary = aggregator.finish();
    if summary.bad_records > reported {
        eprintln!(
            "esafety: {} more lines were not decision records and were skipped",
            summary.bad_records - reported
        );
    }
    write_summary(&args, &summary)?;
    Ok(ExitCode::SUCCESS)
}

/// Feeds the records of one log to the aggregator; bad lines go to stderr.
fn read_log(path: &PathBuf, aggregator: &mut Aggregator, reported: &mut u64) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let (reader, progress): (Box<dyn Read>, Option<indicatif::ProgressBar>) = if name == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(path).with_context(|| format!("cannot open log `{name}`"))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        match progress_bar(&name, len) {
            Some(bar) => (Box::new(bar.wrap_read(file)), Some(bar)),
            None => (Box::new(file), None),
        }
    };
    let _clear = ClearOnDrop(progress);
    // Each line is read in place from one bounded buffer (`LogLines`) and
    // each record from its line (`Aggregator::add_json_line`): nothing of
    // a record is copied, and a line that is not text is one bad line.
    let mut lines = LogLines::new(reader);
    while let Some((number, line)) = lines.next_line().map_err(|error| ReadError::Io {
        source_name: name.clone(),
        error,
    })? {
        let error = match line {
            LogLine::Text(text) if text.trim_ascii().is_empty() => continue,
            LogLine::Text(text) => match aggregator.add_json_line(text) {
                Ok(()) => continue,
                Err(e) => ReadError::record(&name, number, &e),
            },
            LogLine::TooLong { len } => ReadError::too_long(&name, number, len),
        };
        aggregator.add_bad_record();
        if *reported < MAX_REPORTED_BAD_LINES {
            *reported += 1;
            eprintln!("esafety: {error}; the line is skipped");
        }
    }
    Ok(())
}

/// A progress bar over a log's bytes, on a terminal only.
fn progress_bar(name: &str, len: u64) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:24!} [{bar:30}] {bytes}/{total_bytes} {elapsed}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_owned());
    Some(bar)
}

/// Clears the progress bar however reading ends.
struct ClearOnDrop(Option<indicatif::ProgressBar>);

impl Drop for ClearOnDrop {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Writes the summary in the form asked for.
fn write_summary(args: &Args, summary: &Summary) -> anyhow::Result<()> {
    // Buffered: the summary is one long line (alert details with their
    // incidents), which stdout's line buffering would write in pieces.
    if args.json {
        let mut out = io::BufWriter::new(io::stdout().lock());
        serde_json::to_writer(&mut out, summary)?;
        writeln!(out)?;
        out.flush()?;
    } else if args.csv {
        let mut out = io::BufWriter::new(io::stdout().lock());
        csv_tables::write(&mut out, summary)?;
        out.flush()?;
    } else if let Some(path) = &args.output {
        let html = page::render(summary)?;
        std::fs::write(path, html)
            .with_context(|| format!("cannot write the report `{}`", path.display()))?;
    }
    Ok(())
}
