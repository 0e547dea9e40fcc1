//! `esafety compile-policy POLICY [-o POLICY.json]`
//!
//! Loads an Acceptable Use Policy (TOML or JSON), which validates it as
//! every face does, and writes it as JSON ([`esafety::policy::Policy::to_json`]):
//! the form the WebAssembly extension build reads, as `esafety compile`
//! writes the bundle it reads. No `-o`: the JSON on standard output.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

/// Arguments of `esafety compile-policy`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The policy (TOML or JSON).
    policy: PathBuf,
    /// Where to write the JSON policy (default: standard output).
    #[arg(short = 'o', long = "output", value_name = "POLICY.json")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let source = args.policy.display().to_string();
    let text = crate::input::read_document(&args.policy)
        .with_context(|| format!("cannot read policy `{source}`"))?;
    let policy = esafety::policy::Policy::load(&source, &text)?;
    let mut json = policy.to_json()?;
    json.push('\n');
    match &args.output {
        Some(path) => std::fs::write(path, json)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(json.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
