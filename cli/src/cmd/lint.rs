//! `esafety lint [--json] POLICY...`
//!
//! Checks each policy against the minimum standards with
//! [`esafety::policy::lint()`]. Exit 1 when any finding is an error, 2 when a
//! file cannot be read.
//!
//! The rule-against-rule checks use an index of the rules by what they
//! test, so a policy of n rules lints in about O(n·k) (k: the rules sharing
//! a rule's rarest condition), not O(n²): 100,000 generated rules lint in
//! about 12 s in release (see `esafety::policy::lint`).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use esafety::policy::{LintOptions, LintReport, Severity, lint};

/// Arguments of `esafety lint`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Print one JSON object per file: `{"file", "findings": [...]}`.
    #[arg(long)]
    json: bool,
    /// The date to check review deadlines against, `YYYY-MM-DD` (default: today).
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
    /// Policy files (TOML or JSON).
    #[arg(required = true)]
    policies: Vec<PathBuf>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let options = LintOptions { today };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (mut errors, mut unreadable) = (false, false);
    for path in &args.policies {
        let file = path.display().to_string();
        let text = match crate::input::read_document(path) {
            Ok(t) => t,
            Err(e) => {
                out.flush()?;
                eprintln!("esafety: cannot read policy `{file}`: {e}");
                unreadable = true;
                continue;
            }
        };
        let findings = lint(&file, &text, options);
        errors |= write_findings(&mut out, file, findings, args.json)?;
    }
    out.flush()?;
    Ok(exit_code(unreadable, errors))
}

/// Writes one file's findings (a `LintReport` JSON line, or one
/// `file:line: severity code: message` line each); returns whether any is
/// an error. `esafety lint` and `esafety site lint` print alike.
pub(crate) fn write_findings(
    out: &mut impl Write,
    file: String,
    findings: Vec<esafety::policy::Finding>,
    json: bool,
) -> anyhow::Result<bool> {
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    if json {
        serde_json::to_writer(&mut *out, &LintReport { file, findings })?;
        writeln!(out)?;
    } else {
        for f in &findings {
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            writeln!(
                out,
                "{file}:{}: {severity} {}: {}",
                f.line, f.code, f.message
            )?;
        }
    }
    Ok(errors)
}

/// The lint commands' exit status: 2 if a file could not be read, 1 if a
/// finding is an error, else 0.
pub(crate) fn exit_code(unreadable: bool, errors: bool) -> ExitCode {
    if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
