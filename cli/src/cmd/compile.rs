//! `esafety compile [--iwf FILE]... [--terrorism FILE]... [--list CATEGORY=PATH]...
//! [--allow PATH]... -o BUNDLE`
//!
//! Every list gets a name of its own (`NAME:PATH`, else made from its file
//! name by [`esafety::bundle::default_list_name`]): the bundle, match
//! reasons, decision records and block pages carry that name, never a path.
//!
//! Parses every list (format from its file name when that is a
//! squidGuard, UT1 or e2guardian name, else detected from its content, or
//! given as `FORMAT:PATH`; a squidGuard / UT1 category folder is read from
//! its `domains`, `urls` and `expressions` files), compiles them into one
//! bundle and prints a summary to stderr: for every file, the format it
//! was read in, its entries, bad lines, ignored lines and the lines whose
//! `#fragment` was dropped; for the regular expressions, the engine each
//! got (every one with `--strict`, else those not on the anchored DFA
//! every expression gets).
//! IWF and terrorism lists are parsed as sensitive lists: their entries
//! are digests from the moment they are read, and no message quotes them.
//!
//! Exit status: 0 the bundle was written; 1 `--strict` and a list has a bad
//! line, or an expression no bounded automaton can apply; 2 bad usage (an
//! unknown category or format) or an unreadable file, with one line on
//! stderr.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use esafety::Category;
use esafety::bundle::{BuildError, BundleBuilder, ListId, RegexEngine};
use esafety::lists::{self, Format, ParseOptions, ParsedList, SkippedLine};

/// How many skipped lines the summary shows per list.
const SHOWN_SKIPPED: usize = 5;
/// Inputs at least this large (in total) get a progress bar on a terminal.
const PROGRESS_BYTES: u64 = 1 << 20;

/// Arguments of `esafety compile`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
A list is named after its file (`lists/gambling.txt` is `gambling`; a squidGuard / UT1 \
`domains` file or category folder takes the folder's name), `-2`, `-3`, ... when two would \
share a name; `NAME:PATH` names it yourself (lowercase letters, digits, `-`, `_`, `.`). Block pages, \
reasons, records and policy rules' `lists` use that name, never the path.\n\
PATH may be `FORMAT:PATH` (or `NAME:FORMAT:PATH`) to override the detected format; formats: plain, hosts, adblock, \
squidguard-domains, squidguard-urls, squidguard-expressions, e2guardian-site, e2guardian-url, \
e2guardian-regexp, iwf. A file named domains, urls, expressions, bannedsitelist, bannedurllist \
or bannedregexpurllist is read in that format; any other is detected from its content, which \
never makes it a regular-expression list (name it `expressions` or write \
`squidguard-expressions:PATH`). A folder is read as a squidGuard / UT1 category (its `domains`, \
`urls` and `expressions` files). The summary names the format each file was read in.\n\
Exit status: 0 the bundle was written; 1 with --strict, a list has a bad line, or an \
expression no bounded automaton can apply; 2 bad usage or an unreadable file.")]
pub(crate) struct Args {
    /// The IWF URL list (URLs or SHA-256 digests): category `child-abuse`, stored only as digests.
    #[arg(long, value_name = "FILE")]
    iwf: Vec<String>,
    /// The police-assessed terrorism list: category `terrorism`, stored only as digests.
    #[arg(long, value_name = "FILE")]
    terrorism: Vec<String>,
    /// A category list: CATEGORY is a built-in category id or a `local-` id; PATH a file or a squidGuard folder, optionally `NAME:PATH` to name the list (default: its file name).
    #[arg(long = "list", value_name = "CATEGORY=[NAME:]PATH")]
    lists: Vec<String>,
    /// A local allow list: its hosts and URLs are unblocked for every category except child-abuse and terrorism.
    #[arg(long, value_name = "PATH")]
    allow: Vec<String>,
    /// Where to write the bundle.
    #[arg(short = 'o', long = "output", value_name = "BUNDLE")]
    output: PathBuf,
    /// Treat a bad list line as an error instead of skipping it, and list the engine of every expression.
    #[arg(long)]
    strict: bool,
    /// Creation time stored in the bundle (RFC 3339); default: $SOURCE_DATE_EPOCH if set, else now.
    #[arg(long, value_name = "RFC3339")]
    created: Option<String>,
    /// Sign the bundle with this secret key (`esafety keygen`): writes BUNDLE.sig.
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
    /// Let an e2guardian `.Include` name a file outside the including list's folder (refused by default).
    #[arg(long)]
    allow_include_outside: bool,
}

/// What a source list is for.
#[derive(Debug, Clone)]
enum Role {
    /// A block list of this category id.
    Block(String),
    /// A local allow list.
    Allow,
}

/// One `--iwf`, `--terrorism`, `--list` or `--allow` argument, resolved.
#[derive(Debug)]
struct Source {
    role: Role,
    /// The list name given with `NAME:PATH`; without one the list is named
    /// after its file ([`esafety::bundle::default_list_name`]).
    name: Option<String>,
    /// The path as given (read, and shown in the summary; never stored).
    path: String,
    /// A format override.
    format: Option<Format>,
    sensitive: bool,
}

/// One file to parse (a folder yields up to three). Its bytes are read
/// when it is parsed, one file at a time.
struct Job {
    path: PathBuf,
    name: String,
    /// The format given with `FORMAT:PATH`; else detected once read.
    format: Option<Format>,
    /// The name its format is detected by (a folder's `domains`, …).
    file_name: String,
    /// Its size when the jobs were listed (for the progress bar).
    len: u64,
}

/// Splits `[NAME:][FORMAT:]PATH`: a leading part before a `:` that is a
/// format id is the format; one that is a list name (and not a format id)
/// is the list's name. A path that itself holds a `:` in its first part is
/// written `./PATH`.
fn split_spec(spec: &str) -> anyhow::Result<(Option<String>, Option<Format>, String)> {
    if let Some((head, rest)) = spec.split_once(':')
        && head.parse::<Format>().is_err()
        && esafety::bundle::is_list_name(head)
    {
        if rest.is_empty() {
            bail!("`{spec}` names list `{head}` but no file; write `{head}:PATH`");
        }
        let (format, path) = split_format(rest)?;
        return Ok((Some(head.to_owned()), format, path));
    }
    let (format, path) = split_format(spec)?;
    Ok((None, format, path))
}

/// Splits `FORMAT:PATH` when the part before the first `:` is a format id.
fn split_format(spec: &str) -> anyhow::Result<(Option<Format>, String)> {
    if let Some((head, rest)) = spec.split_once(':')
        && let Ok(format) = head.parse::<Format>()
    {
        if rest.is_empty() {
            bail!("`{spec}` names format `{head}` but no file; write `{head}:PATH`");
        }
        return Ok((Some(format), rest.to_owned()));
    }
    Ok((None, spec.to_owned()))
}

fn valid_category_ids() -> String {
    let ids: Vec<&str> = Category::BUILTIN
        .iter()
        .filter_map(|c| c.builtin_id())
        .collect();
    ids.join(", ")
}

/// Resolves `CATEGORY=PATH`.
fn list_source(spec: &str) -> anyhow::Result<Source> {
    let Some((category, rest)) = spec.split_once('=') else {
        bail!(
            "`--list {spec}` needs the form CATEGORY=[NAME:]PATH, e.g. `--list gambling=lists/gambling.txt` or `--list gambling=ut1-gambling:blacklists/gambling`"
        );
    };
    let known = Category::from_id(category);
    if known.is_none() && !Category::is_local_id(category) {
        bail!(
            "unknown category `{category}` in `--list {spec}`; use one of: {}, or a local id `local-NAME` (lowercase letters, digits, `-`)",
            valid_category_ids()
        );
    }
    let (name, format, path) = split_spec(rest)?;
    if path.is_empty() {
        bail!("`--list {spec}` has no path after `=`; write `--list {category}=PATH`");
    }
    Ok(Source {
        role: Role::Block(category.to_owned()),
        name,
        path,
        format,
        sensitive: known.is_some_and(Category::is_statutory),
    })
}

fn sources(args: &Args) -> anyhow::Result<Vec<Source>> {
    let mut out = Vec::new();
    for (files, category) in [(&args.iwf, "child-abuse"), (&args.terrorism, "terrorism")] {
        for spec in files {
            let (name, format, path) = split_spec(spec)?;
            out.push(Source {
                role: Role::Block(category.to_owned()),
                name,
                path,
                format: Some(format.unwrap_or(Format::Iwf)),
                sensitive: true,
            });
        }
    }
    for spec in &args.lists {
        out.push(list_source(spec)?);
    }
    for spec in &args.allow {
        let (name, format, path) = split_spec(spec)?;
        out.push(Source {
            role: Role::Allow,
            name,
            path,
            format,
            sensitive: false,
        });
    }
    if out.is_empty() {
        bail!(
            "nothing to compile; give at least one of --iwf, --terrorism, --list CATEGORY=PATH or --allow"
        );
    }
    Ok(out)
}

/// The name of a source's list in the bundle: the name it was given, else
/// one made from its file name ([`esafety::bundle::default_list_name`];
/// `-2`, `-3`, … told apart from names already taken or given to another
/// source). A path never names a list: it would show the build machine's
/// folders on every block page and in every record.
fn list_name(
    source: &Source,
    category: &str,
    sources: &[Source],
    taken: &mut HashSet<String>,
) -> String {
    if let Some(name) = &source.name {
        taken.insert(name.clone());
        return name.clone();
    }
    let given = |n: &str| sources.iter().any(|s| s.name.as_deref() == Some(n));
    let base = esafety::bundle::default_list_name(&source.path, category);
    let mut name = base.clone();
    let mut n = 2_u32;
    while taken.contains(&name) || given(&name) {
        name = format!("{base}-{n}");
        n = n.saturating_add(1);
    }
    taken.insert(name.clone());
    name
}

/// The files of a source: the file itself, or a squidGuard folder's files.
/// Nothing is read yet; a file that is not a regular file (a device, a
/// FIFO) is refused when it is read, by `lists::read_list_file`.
fn jobs(source: &Source) -> anyhow::Result<Vec<Job>> {
    let path = Path::new(&source.path);
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read list `{}`", source.path))?;
    if !meta.is_dir() {
        return Ok(vec![Job {
            path: path.to_owned(),
            name: source.path.clone(),
            format: source.format,
            file_name: source.path.clone(),
            len: meta.len(),
        }]);
    }
    let mut out = Vec::new();
    for file in ["domains", "urls", "expressions"] {
        let file_path = path.join(file);
        let Ok(meta) = std::fs::metadata(&file_path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        out.push(Job {
            name: file_path.display().to_string(),
            path: file_path,
            format: source.format,
            file_name: file.to_owned(),
            len: meta.len(),
        });
    }
    if out.is_empty() {
        bail!(
            "`{}` is a folder without a `domains`, `urls` or `expressions` file; give a list file or a squidGuard / UT1 category folder",
            source.path
        );
    }
    Ok(out)
}

/// Why adding a file's entries to the builder stopped the compile.
enum Stop {
    /// `--strict` and the builder refused an entry (exit 1).
    Strict(SkippedLine),
    /// An expression no bounded automaton can apply (exit 1).
    RegexTooComplex(BuildError),
    /// Anything else (exit 2).
    Failed(anyhow::Error),
}

/// Reads a job (a regular file within the limits) and streams its entries
/// into the builder as they are parsed, following e2guardian includes
/// through the same opener (core gives a relative include already joined
/// to the including file's folder). Returns the parse (without entries),
/// the format it was read in, and what stopped the compile, if anything.
fn add_job(
    builder: &mut BundleBuilder,
    list: ListId,
    job: &Job,
    options: &ParseOptions,
    report: &mut Report,
) -> anyhow::Result<(ParsedList, Format, Option<Stop>)> {
    let limits = options.limits;
    let bytes = lists::read_list_file(&job.path, &limits)
        .with_context(|| format!("cannot read list `{}`", job.name))?;
    let format = job
        .format
        .unwrap_or_else(|| lists::detect_file(&job.file_name, &bytes));
    let mut loader = |include: &str| {
        lists::read_list_file(Path::new(include), &limits).map_err(std::io::Error::from)
    };
    let mut stop: Option<Stop> = None;
    let strict = options.strict;
    let mut on_entry = |file: &str, entry: lists::Entry| {
        if stop.is_some() {
            return;
        }
        match builder.add_entry(list, &entry) {
            Ok(()) => report.entries = report.entries.saturating_add(1),
            Err(BuildError::Entry { reason, .. }) => {
                let skipped = SkippedLine {
                    source: file.to_owned(),
                    line: entry.line,
                    reason,
                };
                if strict {
                    stop = Some(Stop::Strict(skipped));
                } else {
                    report.skipped.push(skipped);
                }
            }
            Err(err @ BuildError::RegexTooComplex { .. }) => {
                stop = Some(Stop::RegexTooComplex(err));
            }
            Err(err) => {
                stop = Some(Stop::Failed(
                    anyhow::Error::new(err)
                        .context(format!("cannot add the entries of `{}`", job.name)),
                ));
            }
        }
    };
    let parsed = lists::parse_streaming(
        format,
        &job.name,
        &bytes,
        options,
        Some(&mut loader),
        &mut on_entry,
    )?;
    Ok((parsed, format, stop))
}

/// The creation time: `--created`, else `SOURCE_DATE_EPOCH`, else now.
fn created(args: &Args) -> anyhow::Result<jiff::Timestamp> {
    if let Some(text) = &args.created {
        return esafety::datetime::parse_timestamp(text).with_context(|| {
            format!(
                "`--created {text}` is not an RFC 3339 time; write it like `2026-01-31T12:00:00Z`"
            )
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().with_context(|| {
            format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds; unset it or fix it")
        })?;
        return jiff::Timestamp::from_second(secs)
            .with_context(|| format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"));
    }
    Ok(jiff::Timestamp::now())
}

/// The date of a list: its modification time, no later than the bundle's
/// creation time (so `SOURCE_DATE_EPOCH` builds are reproducible).
fn list_date(path: &Path, created: jiff::Timestamp) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let ts = jiff::Timestamp::try_from(modified).ok()?.min(created);
    Some(jiff::tz::TimeZone::UTC.to_datetime(ts).date().to_string())
}

/// A progress bar that is cleared however `run` ends.
struct Progress(Option<indicatif::ProgressBar>);

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// What the summary reports for one source.
struct Report {
    name: String,
    category: String,
    entries: usize,
    skipped: Vec<SkippedLine>,
    ignored: usize,
    files: Vec<FileReport>,
}

/// What the summary reports for one file of a source.
struct FileReport {
    name: String,
    format: Format,
    entries: usize,
    fragment_lines: Vec<usize>,
    /// The builder's expressions this file added (a range of
    /// `BundleBuilder::expressions`).
    expressions: std::ops::Range<usize>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let created = created(&args)?;
    // The key is read first: a compile that cannot sign fails before work.
    let signer = args
        .sign
        .as_deref()
        .map(crate::cmd::sign::read_secret_key)
        .transpose()?;
    let sources = sources(&args)?;
    let mut loaded = Vec::with_capacity(sources.len());
    for source in &sources {
        loaded.push(jobs(source)?);
    }
    let total: u64 = loaded.iter().flatten().map(|j| j.len).sum();
    let progress = Progress(
        (total >= PROGRESS_BYTES && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg:24!} [{bar:30}] {bytes}/{total_bytes} {elapsed}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        }),
    );
    let progress = &progress.0;

    let mut builder = BundleBuilder::new();
    // The same bounds as every parse; `max_entries` holds for the whole
    // compile (all lists and includes), not only for each parse.
    builder.created(created).limits(esafety::Limits::default());
    let mut reports = Vec::new();
    let mut names = HashSet::new();
    for (source, jobs) in sources.iter().zip(&loaded) {
        let options = ParseOptions::new()
            .with_strict(args.strict)
            .with_sensitive(source.sensitive)
            .with_allow_include_outside(args.allow_include_outside);
        let category = match &source.role {
            Role::Block(id) => id.clone(),
            Role::Allow => "allow".to_owned(),
        };
        let name = list_name(source, &category, &sources, &mut names);
        let list = match &source.role {
            Role::Block(id) => builder.add_list(&name, id),
            Role::Allow => builder.add_allow_list(&name),
        };
        let list = list.with_context(|| format!("cannot add list `{name}`"))?;
        if let Some(date) = jobs.first().and_then(|j| list_date(&j.path, created)) {
            builder
                .set_date(list, &date)
                .with_context(|| format!("cannot date list `{}`", source.path))?;
        }
        let mut report = Report {
            name,
            category,
            entries: 0,
            skipped: Vec::new(),
            ignored: 0,
            files: Vec::new(),
        };
        for job in jobs {
            if let Some(bar) = &progress {
                let file = job.path.file_name().unwrap_or(job.path.as_os_str());
                bar.set_message(file.to_string_lossy().into_owned());
            }
            let first_expression = builder.expressions().len();
            let entries_before = report.entries;
            let (parsed, format, stop) = match add_job(
                &mut builder,
                list,
                job,
                &options,
                &mut report,
            ) {
                Ok(added) => added,
                Err(err) => match err.downcast::<lists::ListError>() {
                    Ok(err @ lists::ListError::BadLine(_)) => {
                        if let Some(bar) = &progress {
                            bar.finish_and_clear();
                        }
                        eprintln!(
                            "esafety: {err} (--strict stops at the first bad line; without it bad lines are skipped)"
                        );
                        return Ok(ExitCode::from(1));
                    }
                    Ok(err) => return Err(err.into()),
                    Err(err) => return Err(err),
                },
            };
            report.skipped.extend(parsed.skipped);
            report.ignored = report.ignored.saturating_add(parsed.ignored);
            report.files.push(FileReport {
                name: job.name.clone(),
                format,
                entries: report.entries.saturating_sub(entries_before),
                fragment_lines: parsed.fragment_lines,
                expressions: first_expression..builder.expressions().len(),
            });
            if let Some(stop) = stop {
                if let Some(bar) = &progress {
                    bar.finish_and_clear();
                }
                match stop {
                    Stop::Strict(skipped) => eprintln!(
                        "esafety: {skipped} (--strict stops at the first bad line; without it bad lines are skipped)"
                    ),
                    Stop::RegexTooComplex(err) => eprintln!("esafety: {err}"),
                    Stop::Failed(err) => return Err(err),
                }
                return Ok(ExitCode::from(1));
            }
            if let Some(bar) = &progress {
                bar.inc(job.len);
            }
        }
        reports.push(report);
    }
    if let Some(bar) = &progress {
        bar.set_message("building the bundle");
    }
    let bytes = builder.build().context("cannot build the bundle")?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    write_atomically(&args.output, &bytes)?;
    if let Some(key) = &signer {
        crate::cmd::sign::sign_file(&args.output, &bytes, key)?;
    }
    eprint!(
        "{}",
        summary(
            &args.output,
            bytes.len(),
            &reports,
            &builder,
            args.strict,
            start
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it, so a
/// failed compile never leaves half a bundle.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)
        .with_context(|| format!("cannot write bundle `{}`", path.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write bundle `{}`", path.display())
    })
}

/// `n thing` or `n things`.
fn plural(n: usize, thing: &str) -> String {
    match (n, thing.strip_suffix('y')) {
        (1, _) => format!("1 {thing}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {thing}s"),
    }
}

/// How many fragment lines the summary quotes per file.
const SHOWN_FRAGMENTS: usize = 5;

fn summary(
    output: &Path,
    size: usize,
    reports: &[Report],
    builder: &BundleBuilder,
    strict: bool,
    start: Instant,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "esafety: wrote {} ({size} bytes) in {:.2} s",
        output.display(),
        start.elapsed().as_secs_f64()
    );
    let mut categories: Vec<(&str, usize, usize)> = Vec::new();
    for r in reports {
        match categories.iter_mut().find(|(c, _, _)| *c == r.category) {
            Some((_, entries, lists)) => {
                *entries = entries.saturating_add(r.entries);
                *lists = lists.saturating_add(1);
            }
            None => categories.push((&r.category, r.entries, 1)),
        }
    }
    for (category, entries, lists) in categories {
        let entries = plural(entries, "entry");
        let _ = writeln!(
            s,
            "  {category:<20} {entries:>16} from {}",
            plural(lists, "list")
        );
    }
    if reports.iter().any(|r| r.ignored > 0) {
        let _ = writeln!(
            s,
            "  (ignored: understood but deliberately unused, e.g. Adblock cosmetic, exception and option rules, localhost names)"
        );
    }
    let _ = writeln!(s, "  read as:");
    for r in reports {
        for file in &r.files {
            let fragments = match file.fragment_lines.len() {
                0 => String::new(),
                n => format!(", {} without their #fragment", plural(n, "line")),
            };
            let _ = writeln!(
                s,
                "    {} (list `{}`): {}, {}{fragments}",
                file.name,
                r.name,
                file.format,
                plural(file.entries, "entry")
            );
        }
    }
    for r in reports {
        if r.skipped.is_empty() && r.ignored == 0 {
            continue;
        }
        let _ = writeln!(
            s,
            "  {}: {}, {} skipped, {} ignored",
            r.name,
            plural(r.entries, "entry"),
            plural(r.skipped.len(), "bad line"),
            plural(r.ignored, "line")
        );
        for skipped in r.skipped.iter().take(SHOWN_SKIPPED) {
            let _ = writeln!(s, "    {skipped}");
        }
        if r.skipped.len() > SHOWN_SKIPPED {
            let _ = writeln!(
                s,
                "    … and {} more",
                r.skipped.len().saturating_sub(SHOWN_SKIPPED)
            );
        }
    }
    fragment_summary(&mut s, reports);
    expression_summary(&mut s, reports, builder, strict);
    s
}

/// The lines read without their `#fragment`: a browser never sends one,
/// so each names the page before it (for `host/#x`, the whole host).
fn fragment_summary(s: &mut String, reports: &[Report]) {
    let files: Vec<&FileReport> = reports
        .iter()
        .flat_map(|r| &r.files)
        .filter(|f| !f.fragment_lines.is_empty())
        .collect();
    if files.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "  #fragments dropped (a browser never sends one; each line names the page before it, for `host/#x` the whole host):"
    );
    for file in files {
        let shown: Vec<String> = file
            .fragment_lines
            .iter()
            .take(SHOWN_FRAGMENTS)
            .map(ToString::to_string)
            .collect();
        let more = match file.fragment_lines.len().saturating_sub(SHOWN_FRAGMENTS) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let label = if file.fragment_lines.len() == 1 {
            "line"
        } else {
            "lines"
        };
        let _ = writeln!(
            s,
            "    {}: {} ({label} {}{more})",
            file.name,
            plural(file.fragment_lines.len(), "line"),
            shown.join(", ")
        );
    }
}

/// The engines of the regular expressions: counts, and each expression
/// not on the anchored DFA the builder gives every expression (with
/// `strict`, every one).
fn expression_summary(s: &mut String, reports: &[Report], builder: &BundleBuilder, strict: bool) {
    let plans = builder.expressions();
    if plans.is_empty() {
        return;
    }
    let anchored = plans
        .iter()
        .filter(|p| p.engine == RegexEngine::AnchoredDfa)
        .count();
    let _ = writeln!(
        s,
        "  expressions: {} ({} on an anchored DFA run from every position, {} on a one-pass DFA)",
        plans.len(),
        anchored,
        plans.len().saturating_sub(anchored)
    );
    for file in reports.iter().flat_map(|r| &r.files) {
        for plan in plans.get(file.expressions.clone()).unwrap_or_default() {
            if !strict && plan.engine == RegexEngine::AnchoredDfa {
                continue;
            }
            let unicode = if plan.unicode { ", Unicode" } else { "" };
            let _ = writeln!(
                s,
                "    {}:{}: {}{unicode}: `{}`",
                file.name, plan.line, plan.engine, plan.pattern
            );
        }
    }
}
