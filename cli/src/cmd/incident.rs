//! `esafety incident [--profile PROFILE] [--json] INCIDENT_FILE`
//!
//! Reads an incident file (TOML or JSON), assesses it with the escalation
//! model in `esafety::incident` and prints the action sheet, or with
//! `--json` the assessment report. Exit 1 when the file is read but is not a
//! valid incident record, 2 when it cannot be read or parsed.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use esafety::incident::{AssessmentReport, EscalationProfile, Incident, SHIPPED, assess};

/// Arguments of `esafety incident`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Escalation profile: a shipped name (`national`, `manchester`) or the
    /// path of a profile TOML file. Default: `national`.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Print the assessment as one JSON object.
    #[arg(long)]
    json: bool,
    /// The incident file (TOML or JSON, by extension or content; `-` for
    /// standard input).
    #[arg(value_name = "INCIDENT_FILE")]
    file: PathBuf,
}

/// The escalation profile `spec` names (shipped name or file), `national` by default.
pub(crate) fn load_profile(spec: Option<&str>) -> anyhow::Result<EscalationProfile> {
    let Some(spec) = spec else {
        return Ok(EscalationProfile::national()?);
    };
    let path = Path::new(spec);
    let is_shipped = SHIPPED.iter().any(|(name, _)| *name == spec);
    if is_shipped && !path.exists() {
        return Ok(EscalationProfile::shipped(spec)?);
    }
    let looks_like_path = spec.contains(['/', '\\', '.']) || path.exists();
    if !looks_like_path {
        return Ok(EscalationProfile::shipped(spec)?);
    }
    let text = crate::input::read_document(path)
        .with_context(|| format!("cannot read escalation profile `{spec}`"))?;
    Ok(EscalationProfile::from_toml_named(&text, spec)?)
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let profile = load_profile(args.profile.as_deref())?;
    let name = args.file.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        // One byte over the document limit is enough for core to refuse it.
        let max = esafety::Limits::default().get(esafety::limits::Limit::DocumentLen);
        io::stdin()
            .lock()
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .context("cannot read the incident from standard input")?;
        buf
    } else {
        crate::input::read_document_bytes(&args.file)
            .with_context(|| format!("cannot read incident file `{name}`"))?
    };
    let incident = match Incident::from_named_bytes(&name, &bytes) {
        Ok(incident) => incident,
        Err(err) if err.is_invalid_record() => {
            eprintln!("esafety: invalid incident record: {err}");
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.into()),
    };
    let assessment = assess(&incident, &profile);
    let mut out = io::stdout().lock();
    if args.json {
        let line = AssessmentReport::new(&assessment).to_json_line()?;
        writeln!(out, "{line}")?;
    } else {
        write!(out, "{}", assessment.action_sheet())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
