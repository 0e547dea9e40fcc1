//! `esafety dnr --policy POLICY [--bundle BUNDLE] [--group G] [--age N]
//! [--device managed|byod] [--at RFC3339] [--limit dynamic|session|static]
//! [--json] -o RULES.json`
//!
//! Writes the declarativeNetRequest rules for one user at one time (a
//! static ruleset file, or what an extension passes to
//! `updateDynamicRules`), and prints what they cover. All of it is
//! [`esafety::export::dnr::rules`]; this file reads files and prints.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use esafety::export::dnr::{self, Coverage, DnrLimits, DnrOptions};

/// Arguments of `esafety dnr`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    engine: crate::input::EngineArgs,
    #[command(flatten)]
    user: crate::input::UserArgs,
    /// The time the rules are for, RFC 3339 (default: now); they hold
    /// until the `valid_until` the summary prints.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    at: Option<jiff::Timestamp>,
    /// The ruleset the rules are for, whose limits they keep to:
    /// `dynamic` (30,000 rules), `session` (5,000) or `static` (the
    /// 30,000 guaranteed to a static ruleset).
    #[arg(long, value_name = "KIND", default_value = "dynamic", value_parser = parse_limit)]
    limit: DnrLimits,
    /// The id of the first rule.
    #[arg(long, value_name = "ID", default_value_t = 1)]
    first_id: u32,
    /// Print the whole export (rules, coverage, what is not covered) as one
    /// JSON object instead of a summary.
    #[arg(long)]
    json: bool,
    /// Where to write the rules (a JSON array; `-`: standard output, and
    /// no summary).
    #[arg(short = 'o', long = "output", value_name = "RULES.json")]
    output: PathBuf,
}

fn parse_time(s: &str) -> Result<jiff::Timestamp, String> {
    esafety::datetime::parse_timestamp(s)
        .map_err(|e| format!("`{s}` is not an RFC 3339 time such as `2026-03-02T10:00:00Z`: {e}"))
}

fn parse_limit(s: &str) -> Result<DnrLimits, String> {
    match s {
        "dynamic" => Ok(DnrLimits::DYNAMIC),
        "session" => Ok(DnrLimits::SESSION),
        "static" => Ok(DnrLimits::STATIC_GUARANTEED),
        _ => Err(format!(
            "`{s}` is not a ruleset kind; use `dynamic`, `session` or `static`"
        )),
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let engine = args.engine.load()?;
    let context = args
        .user
        .context(args.at.unwrap_or_else(jiff::Timestamp::now));
    let options = DnrOptions {
        limits: args.limit,
        first_rule_id: args.first_id,
        ..DnrOptions::default()
    };
    let export = dnr::rules(&engine, context, &options)?;
    let rules = serde_json::to_vec_pretty(&export.rules)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.output.as_os_str() == "-" {
        out.write_all(&rules)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&args.output, &rules)
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    if args.json {
        serde_json::to_writer(&mut out, &export)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} rules ({} regex) written to {}",
            export.rules.len(),
            export.regex_rules,
            args.output.display()
        )?;
        match export.valid_until {
            Some(t) => writeln!(out, "valid until {t}: write them again then")?,
            None => writeln!(
                out,
                "valid until the bundle, the policy or the user changes"
            )?,
        }
        for c in &export.coverage {
            let how = match c.coverage {
                Coverage::Rules => "rules",
                Coverage::Partly => "partly",
                Coverage::NotBlocked => "not blocked",
                Coverage::Engine => "engine only",
                Coverage::Sensitive => "sensitive: engine only",
            };
            writeln!(
                out,
                "{}\t{}\t{how}\t{} in rules, {} engine only",
                c.list, c.category, c.in_rules, c.engine_only
            )?;
        }
        for line in &export.not_covered {
            writeln!(out, "not covered: {line}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
